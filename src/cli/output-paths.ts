import { existsSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { outputFileProblem } from '../core/folders.js';
import { UsageError } from './options.js';

/** A file an option names: `--report-json out.json`. */
export interface NamedFile {
  option: string;
  path: string | undefined;
}

/**
 * Checks, before the run, the files a command will write when it ends: each must be writable
 * (not a folder, in a folder that can be made), and none may be a file the command reads
 * (compare --report-json naming the --baseline replaced the baseline with the report) or another
 * output. A problem is a usage error (exit 2): said before the run, not after its minutes.
 */
export function checkOutputFiles(outputs: readonly NamedFile[], inputs: readonly NamedFile[] = []): void {
  const seen = inputs.filter(isFile).map(({ option, path }) => ({ option, path, file: fileOf(path) }));
  for (const { option, path } of outputs.filter(isFile)) {
    const problem = outputFileProblem(path);
    if (problem) throw new UsageError(`${option} ${path}: cannot be written: ${problem}`);
    const file = fileOf(path);
    const other = seen.find((s) => s.file === file);
    if (other) throw new UsageError(`${option} ${path} is the file ${other.option} ${other.path} names: it would be overwritten; give another path`);
    seen.push({ option, path, file });
  }
}

/** A path that names a file ('-' is standard output). */
function isFile(named: NamedFile): named is { option: string; path: string } {
  return named.path !== undefined && named.path !== '-';
}

/** The file a path names, through symbolic links when it exists. */
function fileOf(path: string): string {
  return existsSync(path) ? realpathSync(path) : resolve(path);
}
