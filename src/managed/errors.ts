/**
 * Managed Janus could not be started. The message is one line, fit for a report: what failed
 * and, where it helps, what to do about it (install Janus, look at the quoted log lines).
 */
export class JanusStartError extends Error {
  override readonly name = 'JanusStartError';
  constructor(message: string) {
    super(message);
  }
}

/**
 * Internal: a listener could not bind its port, most likely because another process took it
 * between our probe and Janus's bind. The launcher retries these with fresh ports.
 */
export class PortConflict extends Error {
  override readonly name = 'PortConflict';
}

/** Internal: a transport hit a start-up race in Janus (see `flakyStart` in the transport contract); the launcher starts again. */
export class FlakyStart extends Error {
  override readonly name = 'FlakyStart';
}
