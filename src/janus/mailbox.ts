import type { JanusMessage } from './protocol.js';

export type MessagePredicate = (msg: JanusMessage) => boolean;

interface Waiter {
  accepts: MessagePredicate;
  resolve(msg: JanusMessage): void;
}

/**
 * Asynchronous messages of one client, kept in arrival order until a step takes them, so an
 * event that arrived before the step asked for it is not lost. Steps select by predicate
 * (session, handle, pattern), which is how events are routed per session and handle.
 */
export class Mailbox {
  private readonly stored: JanusMessage[] = [];
  private readonly waiters: Waiter[] = [];

  put(msg: JanusMessage): void {
    const i = this.waiters.findIndex((w) => w.accepts(msg));
    if (i >= 0) {
      const [waiter] = this.waiters.splice(i, 1);
      waiter!.resolve(msg);
    } else {
      this.stored.push(msg);
    }
  }

  /** Takes the first stored message that is accepted, or waits for one; undefined on timeout. */
  take(accepts: MessagePredicate, timeoutMs: number, signal?: AbortSignal): Promise<JanusMessage | undefined> {
    const i = this.stored.findIndex(accepts);
    if (i >= 0) return Promise.resolve(this.stored.splice(i, 1)[0]);
    return new Promise((resolve) => {
      const finish = (msg: JanusMessage | undefined): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        resolve(msg);
      };
      const onAbort = (): void => finish(undefined);
      const waiter: Waiter = { accepts, resolve: finish };
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
