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

/** A start stopped by its signal (Ctrl-C, SIGTERM, the caller's abort): one line, naming the signal when the reason is one. */
export function startInterrupted(signal: AbortSignal): JanusStartError {
  const reason: unknown = signal.reason;
  return new JanusStartError(`the start was interrupted${typeof reason === 'string' ? ` (${reason})` : ''}`);
}

/**
 * `work`'s outcome, or startInterrupted as soon as `signal` aborts. The work goes on unwatched
 * (its failure is ignored): it must end by itself once it sees the signal.
 */
export function unlessInterrupted<T>(signal: AbortSignal | undefined, work: Promise<T>): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(startInterrupted(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(startInterrupted(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
