import { statSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import { glob } from 'tinyglobby';

export const FRAGMENT_SUFFIX = /\.fragment\.ya?ml$/;

export function isFragmentFile(file: string): boolean {
  return FRAGMENT_SUFFIX.test(file);
}

/**
 * Expands the command line's files, folders and globs into scenario files, sorted, without
 * duplicates. Folders are searched recursively for *.yaml / *.yml, leaving out `node_modules`
 * and hidden folders (.git, .cache, ...) unless the folder named is one of them; fragments are
 * only included when asked for (validate checks them too). A path that cannot be examined
 * (a symbolic link loop) is kept, for the loader to report with its reason.
 */
export async function collectFiles(inputs: string[], options: { fragments: boolean; cwd?: string }): Promise<{ files: string[]; missing: string[] }> {
  const cwd = options.cwd ?? process.cwd();
  const found = new Set<string>();
  const missing: string[] = [];
  for (const input of inputs) {
    const path = resolve(cwd, input);
    const stat = examine(path);
    let matches: string[];
    if (stat === 'unreadable') matches = [path];
    else if (stat?.isDirectory()) matches = await glob('**/*.{yaml,yml}', { cwd: path, absolute: true, dot: false, ignore: ['**/node_modules/**'] });
    else if (stat) matches = [path];
    else matches = await glob(input, { cwd, absolute: true, ignore: input.includes('node_modules') ? [] : ['**/node_modules/**'] });
    if (matches.length === 0) missing.push(input);
    for (const m of matches) if (options.fragments || !isFragmentFile(m) || m === path) found.add(m);
  }
  return { files: [...found].sort(), missing };
}

function examine(path: string): Stats | 'unreadable' | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return 'unreadable';
  }
}
