import type { JanusMessage } from '../protocol/messages.js';

export type MessagePredicate = (msg: JanusMessage) => boolean;

interface Waiter {
  accepts: MessagePredicate;
  resolve(msg: JanusMessage): void;
  reject(error: unknown): void;
}

/**
 * Asynchronous messages of one client, kept in arrival order until a step takes them, so an
 * event that arrived before the step asked for it is not lost. Steps select by predicate
 * (session, handle, pattern), which is how events are routed per session and handle.
 */
export class Mailbox {
  private readonly stored: JanusMessage[] = [];
  private readonly waiters: Waiter[] = [];

  /**
   * Called from a transport's message callback. Predicates are scenario code (patterns with
   * placeholders): one that throws ends its own wait with that error, to be reported by the
   * step that waits, and never reaches the transport, which could only blame the server.
   */
  put(msg: JanusMessage): void {
    if (this.waiters.length === 0) {
      this.stored.push(msg);
      return;
    }
    for (const waiter of [...this.waiters]) {
      let accepted: boolean;
      try {
        accepted = waiter.accepts(msg);
      } catch (error) {
        waiter.reject(error);
        continue;
      }
      if (accepted) {
        waiter.resolve(msg);
        return;
      }
    }
    this.stored.push(msg);
  }

  /** Takes the first stored message that is accepted, or waits for one; undefined on timeout; rejects when the predicate throws. */
  take(accepts: MessagePredicate, timeoutMs: number, signal?: AbortSignal): Promise<JanusMessage | undefined> {
    let i: number;
    try {
      i = this.stored.findIndex(accepts);
    } catch (error) {
      return Promise.reject(error);
    }
    if (i >= 0) return Promise.resolve(this.stored.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const settle = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
      };
      const finish = (msg: JanusMessage | undefined): void => {
        settle();
        resolve(msg);
      };
      const onAbort = (): void => finish(undefined);
      const waiter: Waiter = {
        accepts,
        resolve: finish,
        reject: (error) => {
          settle();
          reject(error);
        },
      };
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Looks without taking: the first stored message that is accepted. */
  peek(accepts: MessagePredicate): JanusMessage | undefined {
    return this.stored.find(accepts);
  }

  /** Messages no step took, for the report. */
  leftovers(): readonly JanusMessage[] {
    return this.stored;
  }
}
