import type { JanusMessage } from '../protocol/messages.js';

/**
 * Every message one client received, in the order it received them: replies (acks included),
 * events, whatever a step took or left. Nothing is ever taken from it; `order:` steps read
 * positions in it. Position n is the n-th message received (from 1).
 */
export class Arrivals {
  private readonly received: JanusMessage[] = [];
  private readonly watchers = new Set<() => void>();

  record(msg: JanusMessage): void {
    this.received.push(msg);
    // Copied before calling (a watcher removes itself), and only when one waits: most messages find none.
    if (this.watchers.size > 0) for (const watcher of [...this.watchers]) watcher();
  }

  /** Whether a wait is on (see until): a message must be recorded as it comes. */
  get watched(): boolean {
    return this.watchers.size > 0;
  }

  get messages(): readonly JanusMessage[] {
    return this.received;
  }

  /**
   * Resolves true once `holds` is true of the messages received so far, false when the time
   * limit or the signal comes first; rejects when `holds` throws (scenario code: placeholders).
   */
  until(holds: (messages: readonly JanusMessage[]) => boolean, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    try {
      if (holds(this.received)) return Promise.resolve(true);
      if (signal?.aborted) return Promise.resolve(false);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      const end = (settle: () => void): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.watchers.delete(watcher);
        settle();
      };
      const watcher = (): void => {
        try {
          if (holds(this.received)) end(() => resolve(true));
        } catch (error) {
          end(() => reject(error));
        }
      };
      const onAbort = (): void => end(() => resolve(false));
      const timer = setTimeout(() => end(() => resolve(false)), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.watchers.add(watcher);
    });
  }
}
