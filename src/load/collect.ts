import { readdirSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import { join, resolve } from 'node:path';

/** The project's config files: never scenarios, even in a folder searched for YAML files. */
export const CONFIG_FILES = ['janus-scenarios.config.json', 'janus-scenarios.config.yaml', 'janus-scenarios.config.yml', 'janus-scenarios.config.js', 'janus-scenarios.config.mjs'];

export const FRAGMENT_SUFFIX = /\.fragment\.ya?ml$/;

export function isFragmentFile(file: string): boolean {
  return FRAGMENT_SUFFIX.test(file);
}

/**
 * Expands the command line's files, folders and globs into scenario files, without duplicates,
 * in the order they were given (what a folder or glob finds is sorted), as mocha orders its files:
 * where the checkout happens to live never changes the order of a run. Folders are searched recursively for *.yaml / *.yml, leaving out `node_modules`,
 * hidden folders (.git, .cache, ...) unless the folder named is one of them, and hidden files (walkFolder); fragments are
 * only included when asked for (validate checks them too). A path that cannot be examined
 * (a symbolic link loop) is kept, for the loader to report with its reason.
 */
export async function collectFiles(inputs: string[], options: { fragments: boolean; cwd?: string }): Promise<{ files: string[]; missing: string[] }> {
  const cwd = options.cwd ?? process.cwd();
  const found = new Set<string>();
  const missing: string[] = [];
  for (const input of inputs) {
    // An empty argument (an unset shell variable) would otherwise mean the working folder.
    if (input.trim() === '') {
      missing.push(input);
      continue;
    }
    const path = resolve(cwd, input);
    const stat = examine(path);
    let matches: string[];
    if (stat === 'unreadable') matches = [path];
    else if (stat?.isDirectory()) matches = walkFolder(path);
    else if (stat) matches = [path];
    // The glob library is loaded only for an input that is neither a file nor a folder.
    else matches = await (await import('../vendor/tinyglobby.js')).glob(input, { cwd, absolute: true, ignore: input.includes('node_modules') ? [] : ['**/node_modules/**'] });
    if (matches.length === 0) missing.push(input);
    for (const m of matches.sort()) if (options.fragments || !isFragmentFile(m) || m === path) found.add(m);
  }
  return { files: [...found], missing };
}

const SCENARIO_FILE = /\.ya?ml$/;

/**
 * The *.yaml / *.yml files below a folder, without node_modules, hidden folders and hidden files
 * (a project's `.gitlab-ci.yml`, `.pre-commit-config.yaml` are no scenarios). Entries are
 * taken as they are, whatever they are (a named pipe or a link to /dev/zero is listed, for the
 * loader to refuse by name); a symbolic link to a folder is followed only when it leads neither
 * back up the path walked (a loop, or out to `..` or `/`) nor to a folder already walked.
 */
function walkFolder(root: string): string[] {
  const files: string[] = [];
  const walked = new Set<string>();
  const stack: Array<{ dir: string; ancestors: string[] }> = [{ dir: root, ancestors: [] }];
  while (stack.length > 0) {
    const { dir, ancestors } = stack.pop()!;
    const real = realPathOf(dir);
    if (real === undefined || walked.has(real) || ancestors.some((a) => a === real || a.startsWith(`${real}/`) || real === '/')) continue;
    walked.add(real);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (isFolder(entry, path)) {
        if (!entry.name.startsWith('.') && entry.name !== 'node_modules') stack.push({ dir: path, ancestors: [...ancestors, real] });
      } else if (SCENARIO_FILE.test(entry.name) && !entry.name.startsWith('.')) files.push(path);
    }
  }
  return files;
}

function isFolder(entry: Dirent, path: string): boolean {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function realPathOf(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}

function examine(path: string): Stats | 'unreadable' | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return 'unreadable';
  }
}

/**
 * The error for inputs that found no scenario file, each with why: a path that does not exist
 * and a folder with nothing to run call for different fixes.
 */
export function nothingFoundMessage(missing: string[], cwd = process.cwd()): string {
  return `no scenario files found for ${missing.map((m) => `"${m}": ${whyNothingFound(m, cwd)}`).join('; ')}`;
}

function whyNothingFound(input: string, cwd: string): string {
  if (input.trim() === '') return 'an empty argument (an unset shell variable?)';
  const stat = examine(resolve(cwd, input));
  if (stat !== undefined && stat !== 'unreadable' && stat.isDirectory()) return 'a folder with no .yaml or .yml file (node_modules and hidden folders and files are not searched)';
  if (/[*?[\]{}]/.test(input)) return 'a pattern that matches no file';
  return 'no such file or folder';
}
