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

/**
 * Reads a body stream to text, stopping with TooLargeError past `limitBytes`. The caller's
 * abort signal (the exchange's deadline) ends a body that trickles forever.
 */
export async function readLimited(body: AsyncIterable<Uint8Array> & { destroy?(err?: Error): unknown }, limitBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limitBytes) {
      const error = new TooLargeError(limitBytes);
      body.destroy?.(error);
      throw error;
    }
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(chunks).toString('utf8');
}
