import { closeSync, constants, lstatSync, openSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { fileError } from '../core/file-errors.js';
import { makeFolders } from '../core/folders.js';
import type { TextSink } from './contract.js';

/**
 * Writes a report file. Synchronous, so it also works from a signal handler that exits right
 * after; the file is written beside its target and renamed over it, so a reader (or a second
 * Ctrl-C) never sees half a file. '-' is the reporter's output stream.
 */
export function writeReportFile(path: string, text: string, out: TextSink): void {
  if (path === '-') {
    out.write(text);
    return;
  }
  writeFileAtomically(path, text);
}

/** A file that could not be written: `code` (EISDIR) and `words` say why. */
export class FileWriteError extends Error {
  constructor(
    readonly path: string,
    readonly code: string | undefined,
    readonly words: string,
  ) {
    super(`${code ? `${code}: ` : ''}cannot write ${path}: ${words}`);
  }
}

/**
 * Writes a file a command's option asked for (record --out, compare and load --report-json,
 * ...), whole or not at all (no partial file is left). False when it could not: one line on
 * standard error says why in words, and the command then exits 3, as when a `--reporter` file
 * cannot be written.
 */
export function writeOutput(path: string, text: string, io: { err(line: string): void }): boolean {
  try {
    writeFileAtomically(path, text);
    return true;
  } catch (e) {
    if (!(e instanceof FileWriteError)) throw e;
    io.err(`error: cannot write ${path}: ${e.words}`);
    return false;
  }
}

/**
 * Writes `text` to `path` through `path.partial-<pid>` and a rename (its folders are made). When
 * that fails, the partial file goes too and a FileWriteError says why in words: the path is a
 * folder, a part of it is a file, permission denied, the disk is full. What a rename would
 * destroy is written into instead: a device (`/dev/null`, a terminal), a named pipe, and the
 * file a symbolic link names (the link stays).
 */
export function writeFileAtomically(path: string, text: string): void {
  const target = targetOf(path);
  if ('into' in target) return writeInto(path, target.into, text);
  const partial = `${target.replace}.partial-${process.pid}`;
  try {
    makeFolders(dirname(target.replace));
    writeFileSync(partial, text);
    renameSync(partial, target.replace);
  } catch (e) {
    try {
      rmSync(partial, { force: true });
    } catch {
      // Nothing of ours is there (a folder of that name was there before us).
    }
    const { code, words } = fileError(e);
    throw new FileWriteError(path, code, words);
  }
}

/**
 * What a report at `path` replaces: a regular file, a folder (the rename then fails in words) or
 * nothing yet; through a symbolic link, the regular file it names. Anything else cannot be
 * replaced without harm (as root, a rename over /dev/null would put a file in its place).
 */
function targetOf(path: string): { replace: string } | { into: Stats | undefined } {
  let link: Stats;
  try {
    link = lstatSync(path);
  } catch {
    return { replace: path };
  }
  if (link.isFile() || link.isDirectory()) return { replace: path };
  if (!link.isSymbolicLink()) return { into: link };
  try {
    const real = realpathSync(path);
    const stat = statSync(real);
    return stat.isFile() || stat.isDirectory() ? { replace: real } : { into: stat };
  } catch {
    // A link to nothing yet: writing through it makes the file it names.
    return { into: undefined };
  }
}

/** Writes into what is there (a device, a named pipe): no partial file, nothing to rename. */
function writeInto(path: string, stat: Stats | undefined, text: string): void {
  try {
    // A named pipe nobody reads would block the open for ever: opened without blocking first, it is refused.
    if (stat?.isFIFO()) closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
    writeFileSync(path, text);
  } catch (e) {
    const { code, words } = fileError(e);
    throw new FileWriteError(path, code, stat?.isFIFO() && code === 'ENXIO' ? 'a named pipe that nothing reads' : words);
  }
}
