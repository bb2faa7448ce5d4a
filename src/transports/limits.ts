/**
 * How much a server may send in one reply or frame. Janus's largest replies (an Admin API
 * handle_info with SDPs, list_sessions on a busy server) are well under a megabyte; a reply
 * larger than this is a broken or hostile server, and reading it whole would exhaust memory.
 */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Raised when a reply body exceeds its limit; the transport turns it into a TransportFault. */
export class TooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`reply larger than ${describeBytes(limitBytes)} (the limit for one message)`);
  }
}

export function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
