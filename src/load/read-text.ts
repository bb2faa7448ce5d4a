import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/**
 * Scenario and fragment files are hand-written (the largest shipped one is 11 KB); anything
 * much larger is a mistake or a device, and the YAML parser needs about 5 s per MB.
 */
export const MAX_FILE_BYTES = 256 * 1024;

/** Where a problem with a file's bytes is, 1-based, when it is somewhere in particular. */
export interface TextProblem {
  message: string;
  line?: number;
  col?: number;
  /** The file does not exist (includes say so at the include step). */
  missing?: boolean;
  /** The text as well as it can be shown (invalid bytes replaced), for quoting the line. */
  display?: string;
}

/**
 * Reads a scenario file as text, refusing whatever is not a regular UTF-8 text file of sane
 * size: named pipes and devices are never read (opened non-blocking, checked with fstat before
 * any read, so a FIFO cannot hang and /dev/zero cannot fill memory), symlink loops and folders
 * are reported, invalid UTF-8 and control characters point at their line and column. Line ends
 * are normalised to LF (CR-only files included), so positions are the ones an editor shows.
 */
export function readScenarioText(path: string): { text: string } | { problem: TextProblem } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    return { problem: openProblem(e as NodeJS.ErrnoException) };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { problem: { message: `not a regular file (${fileKind(stat)}); scenario files are read only from regular files` } };
    if (stat.size > MAX_FILE_BYTES) return { problem: { message: `the file is ${megabytes(stat.size)}; scenario and fragment files are limited to ${megabytes(MAX_FILE_BYTES)}` } };
    const bytes = readAtMost(fd, MAX_FILE_BYTES + 1);
    if (bytes.length > MAX_FILE_BYTES) return { problem: { message: `the file grew past ${megabytes(MAX_FILE_BYTES)} while being read` } };
    return decode(bytes);
  } catch (e) {
    return { problem: { message: (e as Error).message } };
  } finally {
    closeSync(fd);
  }
}

function openProblem(e: NodeJS.ErrnoException): TextProblem {
  switch (e.code) {
    case 'ENOENT':
      return { message: 'no such file', missing: true };
    case 'ELOOP':
      return { message: 'a symbolic link loop (the link points, directly or not, at itself)' };
    case 'EACCES':
      return { message: 'permission denied' };
    case 'ENAMETOOLONG':
      return { message: 'the path is too long (a loop through symbolic links?)' };
    case 'ENXIO':
      return { message: 'not a regular file (a socket or a device)' };
    default:
      return { message: e.message };
  }
}

/** What a path that is not a regular file is, in words (`a named pipe`). */
export function fileKind(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}

/** A size in words: `1.5 MB`, `40 KB`. */
export function megabytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MB` : `${Math.ceil(n / 1024)} KB`;
}

/** At most `limit` bytes of an open file, from where it is to its end. */
export function readAtMost(fd: number, limit: number): Buffer {
  const buffer = Buffer.alloc(Math.min(limit, 64 * 1024));
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < limit) {
    const n = readSync(fd, buffer, 0, Math.min(buffer.length, limit - total), null);
    if (n === 0) break;
    chunks.push(Buffer.from(buffer.subarray(0, n)));
    total += n;
  }
  return Buffer.concat(chunks, total);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Bytes to text: UTF-8 only (a BOM is dropped), no control characters, LF line ends. */
export function decode(bytes: Uint8Array): { text: string } | { problem: TextProblem } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { problem: { message: 'the file is UTF-16; save it as UTF-8', line: 1, col: 1 } };
  }
  if (looksLikeBomlessUtf16(bytes)) {
    return { problem: { message: 'the file is UTF-16 without a byte order mark (every other byte is 0); save it as UTF-8', line: 1, col: 1 } };
  }
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return { problem: { ...invalidUtf8(bytes), display: Buffer.from(bytes).toString('utf8').replace(/\r\n?/g, '\n') } };
  }
  text = text.replace(/\r\n?/g, '\n');
  const control = firstNonPrintable(text);
  if (control) return { problem: { ...control, display: text } };
  return { text };
}

/**
 * UTF-16 written without a BOM (some Windows tools): a YAML file is mostly ASCII, which in UTF-16
 * is a 0 byte beside each character, always on the same side. Said as such rather than as the
 * NUL control character at 1:1, which sends the reader looking for a stray byte.
 */
function looksLikeBomlessUtf16(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 64) & ~1;
  if (n < 4) return false;
  const zeroSide = bytes[0] === 0 ? 0 : bytes[1] === 0 ? 1 : -1;
  if (zeroSide < 0) return false;
  for (let i = 0; i < n; i += 2) if (bytes[i + zeroSide] !== 0 || bytes[i + 1 - zeroSide] === 0) return false;
  return true;
}

/** The first byte that breaks UTF-8, with its line and column (counted in characters). */
function invalidUtf8(bytes: Uint8Array): TextProblem {
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) break;
    i += length;
  }
  const before = Buffer.from(bytes.subarray(0, i)).toString('utf8').replace(/\r\n?/g, '\n');
  const lineStart = before.lastIndexOf('\n') + 1;
  const line = before.slice(0, lineStart).split('\n').length;
  const col = before.length - lineStart + 1;
  const byte = bytes[i]!.toString(16).toUpperCase().padStart(2, '0');
  const truncated = i + sequenceExpected(bytes[i]!) > bytes.length;
  const what = truncated ? `a UTF-8 sequence cut short at the end of the file (byte 0x${byte})` : `byte 0x${byte} is not valid UTF-8`;
  return { message: `${what}; the file must be UTF-8${truncated ? '' : ' (was it saved as Latin-1 or Windows-1252?)'}`, line, col };
}

function sequenceExpected(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 1;
}

/** Length of the valid UTF-8 sequence at `i`, 0 when it is not valid (RFC 3629 table). */
function sequenceLength(b: Uint8Array, i: number): number {
  const lead = b[i]!;
  if (lead < 0x80) return 1;
  const n = sequenceExpected(lead);
  if (n === 1 || i + n > b.length) return 0;
  const second = b[i + 1]!;
  const [lo, hi] = lead === 0xe0 ? [0xa0, 0xbf] : lead === 0xed ? [0x80, 0x9f] : lead === 0xf0 ? [0x90, 0xbf] : lead === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
  if (second < lo || second > hi) return 0;
  for (let k = 2; k < n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return 0;
  return n;
}

const CONTROL_NAMES: Record<number, string> = { 0: 'NUL', 7: 'BEL', 8: 'BS', 0x1b: 'ESC', 0x7f: 'DEL', 0xb: 'VT', 0xc: 'FF' };

/**
 * YAML allows only printable characters in a file (tab and line breaks aside); a raw NUL or BEL
 * is almost always a corrupted or binary file. In a double-quoted string they can be written as
 * escapes (\0, \a, \x1b) when a test really needs them.
 */
function firstNonPrintable(text: string): TextProblem | undefined {
  // eslint-disable-next-line no-control-regex
  const m = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x84\x86-\x9f\ufffe\uffff]/.exec(text);
  if (!m) return undefined;
  const before = text.slice(0, m.index);
  const lineStart = before.lastIndexOf('\n') + 1;
  const code = m[0].charCodeAt(0);
  const name = CONTROL_NAMES[code] ? ` (${CONTROL_NAMES[code]})` : '';
  return {
    message: `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}${name} in the file; write it as an escape in a double-quoted string ("${code > 0xff ? `\\u${code.toString(16)}` : `\\x${code.toString(16).padStart(2, '0')}`}") if it is meant`,
    line: before.split('\n').length,
    col: before.length - lineStart + 1,
  };
}
