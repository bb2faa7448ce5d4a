import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
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
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.partial-${process.pid}`;
  writeFileSync(partial, text);
  renameSync(partial, path);
}
