/**
 * How much a server may send in one reply or frame. Janus's largest replies (an Admin API
 * handle_info with SDPs, list_sessions on a busy server) are well under a megabyte; a reply
 * larger than this is a broken or hostile server, and reading it whole would exhaust memory.
 */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * How deep a server's message may nest objects and arrays. Janus nests a handful of levels (an
 * Admin API handle_info about eight), plugin data a scenario sends and gets back a few more.
 * A deeper message is a broken or hostile server: what reads a message walks it level by level
 * (matching, redaction, reports), and printed with indents its size grows with the square of
 * its depth, so a few KB nested thousands deep overflowed the stack or printed megabytes.
 */
export const MAX_NESTING = 100;

/**
 * How much a client keeps of what the server sent and nothing took yet, before the server counts
 * as flooding and the connection fails: the mailbox's limits (janus/mailbox.ts), and those of the
 * replies a broker stream holds while it cannot tell which connection owns them (shared-channel.ts).
 * Far above what real scenarios leave untaken: a long videoroom or streaming run leaves some
 * hundreds of events (media, slowlink, other participants' joins) of a few KB each, an SDP at
 * most. A server past them floods, broken or hostile: kept, its messages would grow the runner's
 * memory by tens of MB a second until the scenario's time limit.
 */
export const UNTAKEN_LIMITS: Readonly<{ messages: number; bytes: number }> = Object.freeze({ messages: 10_000, bytes: 64 * 1024 * 1024 });

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
