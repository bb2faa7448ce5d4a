import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { glob } from 'tinyglobby';

export const FRAGMENT_SUFFIX = /\.fragment\.ya?ml$/;

export function isFragmentFile(file: string): boolean {
  return FRAGMENT_SUFFIX.test(file);
}

/**
 * Expands the command line's files, folders and globs into scenario files, sorted, without
 * duplicates. Folders are searched recursively for *.yaml / *.yml; fragments are only
 * included when asked for (validate checks them too).
 */
export async function collectFiles(inputs: string[], options: { fragments: boolean; cwd?: string }): Promise<{ files: string[]; missing: string[] }> {
  const cwd = options.cwd ?? process.cwd();
  const found = new Set<string>();
  const missing: string[] = [];
  for (const input of inputs) {
    const path = resolve(cwd, input);
    const stat = statSync(path, { throwIfNoEntry: false });
    let matches: string[];
    if (stat?.isDirectory()) matches = await glob('**/*.{yaml,yml}', { cwd: path, absolute: true });
    else if (stat?.isFile()) matches = [path];
    else matches = await glob(input, { cwd, absolute: true });
    if (matches.length === 0) missing.push(input);
    for (const m of matches) if (options.fragments || !isFragmentFile(m) || m === path) found.add(m);
  }
  return { files: [...found].sort(), missing };
}
