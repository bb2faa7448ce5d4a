/**
 * What a file system error means, in words a reader of one error line understands: the errno
 * code alone (`EISDIR`, `ENOTDIR`) says it only to those who know the codes. Shared by the
 * report files written (src/reporters/write.ts) and the files the command line's options name
 * (src/load/option-file.ts).
 */
const WORDS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of its path is a file, not a folder',
  EEXIST: 'a file stands where a folder is needed',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file is too large for the file system',
  ELOOP: 'a symbolic link loop (the link points, directly or not, at itself)',
  ENAMETOOLONG: 'the path is too long',
  ENXIO: 'not a regular file (a socket or a device)',
  EBUSY: 'the file is busy',
  ETXTBSY: 'the file is busy (a running program)',
  EMFILE: 'too many files open',
};

/** The error's code (`EISDIR`) when it has one, and what it means in words. */
export function fileError(error: unknown): { code?: string; words: string } {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && WORDS[code]) return { code, words: WORDS[code]! };
  // Node's own text repeats the code first: `EIO: i/o error, write`.
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
  return { ...(typeof code === 'string' && { code }), words: message.replace(/^E[A-Z]+: /, '') };
}
