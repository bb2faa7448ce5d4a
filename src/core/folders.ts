import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileError } from './file-errors.js';

/**
 * Makes `path` and the folders above it that are missing, as `mkdir -p` does. Node's own
 * `mkdirSync(path, { recursive: true })` loops for ever where a folder cannot be made and its
 * parent exists (under /proc: `janus-scenarios init /proc/x`, `--reporter json:/proc/x/r.json`
 * hung with no output). Here each missing folder is made once, from the top: the first that
 * cannot be made throws its own error (ENOENT, ENOTDIR, EACCES), for the caller to say in words.
 */
export function makeFolders(path: string): void {
  const missing: string[] = [];
  for (let dir = resolve(path); !statSync(dir, { throwIfNoEntry: false }); dir = dirname(dir)) {
    if (dirname(dir) === dir) break;
    missing.push(dir);
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (e) {
      // Made meanwhile by someone else: what was wanted is there.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(dir).isDirectory()) throw e;
    }
  }
}

/**
 * Why the folder `path` could not be made (or used), in words, or undefined when it can: checked
 * before a command spends its time (a capture's minutes), so a slip in the path is said at once.
 * The path itself must be a folder or missing; the first part of it that exists must be a folder
 * this process may write into.
 */
export function folderProblem(path: string): string | undefined {
  try {
    let dir = resolve(path);
    let stat = statSync(dir, { throwIfNoEntry: false });
    if (stat && !stat.isDirectory()) return 'it is a file, not a folder';
    while (!stat && dirname(dir) !== dir) {
      dir = dirname(dir);
      stat = statSync(dir, { throwIfNoEntry: false });
    }
    if (stat && !stat.isDirectory()) return `${dir} is a file, not a folder`;
    accessSync(dir, constants.W_OK);
    return undefined;
  } catch (e) {
    return fileError(e).words;
  }
}

/**
 * Why a file could not be written at `path` (it is a folder; the folder it goes in cannot be
 * made), in words, or undefined when it can: an output the command line names is checked
 * before the run, so its minutes are not spent on a report that then cannot be written.
 */
export function outputFileProblem(path: string): string | undefined {
  try {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isDirectory()) return 'it is a folder, not a file';
    // A device or a named pipe is written into (/dev/null, whose folder only root may write); a file is replaced, in its folder.
    if (stat && !stat.isFile()) {
      accessSync(path, constants.W_OK);
      return undefined;
    }
  } catch (e) {
    return fileError(e).words;
  }
  return folderProblem(dirname(resolve(path)));
}
