import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { decode, fileKind, megabytes, readAtMost } from './read-text.js';
import { fileError } from '../core/file-errors.js';
import { UsageError } from '../core/usage-error.js';

/**
 * The files options name, read the way the scenario loader reads scenario files
 * (src/load/read-text.ts): opened non-blocking and checked with fstat before a byte is read, so a
 * named pipe cannot hang the command and /dev/zero cannot fill its memory; regular files only, up
 * to a size that suits what the file is. A problem is said in words, never as a bare errno code.
 */
export const OPTION_FILE_LIMITS = {
  /** --config, package.json: options, a few lines. */
  config: 1024 * 1024,
  /** --ca: PEM certificates (a whole system bundle is about 220 KB). */
  ca: 1024 * 1024,
  /** --transport-module, a .mjs config: code, perhaps bundled with its libraries. */
  module: 16 * 1024 * 1024,
  /** --baseline: every message of every test of a suite. */
  baseline: 256 * 1024 * 1024,
  /** merge-reports' blobs: every event of a shard's run. */
  blob: 256 * 1024 * 1024,
} as const;

type Opened = { fd: number } | { problem: string };

/** Opens `path` for reading if it is a regular file of at most `limit` bytes; else says why not. */
function openRegular(path: string, limit: number): Opened {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    const { code, words } = fileError(e);
    return { problem: code === 'ENOENT' ? 'no such file' : words };
  }
  let problem: string | undefined;
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) problem = `not a regular file (${fileKind(stat)})`;
    else if (stat.size > limit) problem = `the file is ${megabytes(stat.size)}; at most ${megabytes(limit)} is read`;
    else return { fd };
  } catch (e) {
    problem = fileError(e).words;
  }
  closeSync(fd);
  return { problem };
}

/**
 * Why the file `path` cannot be read as an option's file (missing, a folder, a named pipe, a
 * device, larger than `limit`), or undefined when it can: for files another reader takes over
 * (a module `import()` loads, a baseline its own reader parses).
 */
export function optionFileProblem(path: string, limit: number): string | undefined {
  const opened = openRegular(path, limit);
  if ('problem' in opened) return opened.problem;
  closeSync(opened.fd);
  return undefined;
}

/** The text of an option's file, or a UsageError (exit 2) naming it as `label` does (`--ca ca.pem`) and saying why. */
export function optionFileText(path: string, limit: number, label: string): string {
  const read = readOptionFile(path, limit);
  if ('problem' in read) throw new UsageError(`${label}: ${read.problem}`);
  return read.text;
}

/** `--ca FILE` of run and load: PEM certificates, read as every option's file is. */
export function caFileText(file: string): string {
  const text = optionFileText(file, OPTION_FILE_LIMITS.ca, `--ca ${file}`);
  // Node's TLS takes a CA that holds no certificate (a key, a DER file, a typo's other file) without a word, and verifies against nothing of it.
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new UsageError(`--ca ${file}: holds no PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)`);
  blocks.forEach((block, i) => {
    try {
      new X509Certificate(block);
    } catch (e) {
      throw new UsageError(`--ca ${file}: ${blocks.length > 1 ? `certificate ${i + 1} of ${blocks.length}` : 'the certificate'} cannot be read (${(e as Error).message.replace(/^error:[0-9A-F]+:/, '')})`);
    }
  });
  return text;
}

/** The text of the file `path` (UTF-8, LF line ends), or why it cannot be had, with the line and column of a bad byte. */
export function readOptionFile(path: string, limit: number): { text: string } | { problem: string } {
  const opened = openRegular(path, limit);
  if ('problem' in opened) return opened;
  try {
    // Up to the end, or one byte past the limit: a file that grew since fstat is refused, not cut short.
    const bytes = readAtMost(opened.fd, limit + 1);
    if (bytes.length > limit) return { problem: `the file grew past ${megabytes(limit)} while being read` };
    const decoded = decode(bytes);
    if ('text' in decoded) return decoded;
    const { line, col, message } = decoded.problem;
    return { problem: line === undefined ? message : `line ${line}, column ${col}: ${message}` };
  } catch (e) {
    return { problem: fileError(e).words };
  } finally {
    closeSync(opened.fd);
  }
}

/** The modules being imported (their labels, as `--transport-module t.mjs`), for `moduleImportsUnderWay`. */
const importsUnderWay = new Set<string>();

/**
 * Imports a module an option names (a config module, a transport or reporter module). A module
 * whose top-level await never settles leaves Node nothing to wait on, and it ends the process
 * with code 0 in the middle of the command, nothing run and nothing said: the import is
 * remembered until it settles, so the CLI's exit can say which module never finished.
 */
export async function importOptionModule(path: string, label: string): Promise<Record<string, unknown>> {
  importsUnderWay.add(label);
  try {
    return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } finally {
    importsUnderWay.delete(label);
  }
}

/** The labels of the option modules whose import has not settled. */
export function moduleImportsUnderWay(): string[] {
  return [...importsUnderWay];
}
