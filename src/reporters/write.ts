import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileError } from '../report/file-errors.js';
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
 * Writes `text` to `path` through `path.partial-<pid>` and a rename (its folders are made). When
 * that fails, the partial file goes too and a FileWriteError says why in words: the path is a
 * folder, a part of it is a file, permission denied, the disk is full.
 */
export function writeFileAtomically(path: string, text: string): void {
  const partial = `${path}.partial-${process.pid}`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(partial, text);
    renameSync(partial, path);
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
