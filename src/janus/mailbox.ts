import type { JanusMessage } from '../protocol/messages.js';
import { describeBytes, UNTAKEN_LIMITS } from '../transports/limits.js';

export type MessagePredicate = (msg: JanusMessage) => boolean;

interface Waiter {
  accepts: MessagePredicate;
  resolve(msg: JanusMessage): void;
  reject(error: unknown): void;
}

/** How much of what the server sent and no step took a mailbox keeps. */
export interface MailboxLimits {
  messages: number;
  /** Counted from the sizes transports give (TransportSink.message); a message of unknown size counts 0. */
  bytes: number;
}

/** See UNTAKEN_LIMITS: a broker stream's held replies have the same. */
export const MAILBOX_LIMITS: Readonly<MailboxLimits> = UNTAKEN_LIMITS;

/**
 * Asynchronous messages of one client, kept in arrival order until a step takes them, so an
 * event that arrived before the step asked for it is not lost. Steps select by predicate
 * (session, handle, pattern), which is how events are routed per session and handle.
 */
export class Mailbox {
  private readonly stored: JanusMessage[] = [];
  /** The size of each stored message, in the same order. */
  private readonly sizes: number[] = [];
  private storedBytes = 0;
  /** Messages no step could take and the mailbox never stored (see passedBy), for good. */
  private passedCount = 0;
  private passedBytes = 0;
  private readonly waiters: Waiter[] = [];

  constructor(private readonly limits: Readonly<MailboxLimits> = MAILBOX_LIMITS) {}

  /**
   * Called from a transport's message callback. Predicates are scenario code (patterns with
   * placeholders): one that throws ends its own wait with that error, to be reported by the
   * step that waits, and never reaches the transport, which could only blame the server.
   */
  put(msg: JanusMessage, bytes = 0): void {
    if (this.waiters.length === 0) {
      this.store(msg, bytes);
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
    this.store(msg, bytes);
  }

  private store(msg: JanusMessage, bytes: number): void {
    this.stored.push(msg);
    this.sizes.push(bytes);
    this.storedBytes += bytes;
  }

  /**
   * A message no step can take, and the mailbox does not store (a late ack, a second answer):
   * the client's records (its arrivals, the transcript) still keep it, so it counts toward the
   * limits, for good. A server sends few of them; a flood of them is a flood all the same.
   */
  passedBy(bytes = 0): void {
    this.passedCount++;
    this.passedBytes += bytes;
  }

  /** What the messages no step took exceed of the limits, in words (`more than 10000 messages`); undefined within them. */
  overLimit(): string | undefined {
    if (this.stored.length + this.passedCount > this.limits.messages) return `more than ${this.limits.messages} messages`;
    if (this.storedBytes + this.passedBytes > this.limits.bytes) return `more than ${describeBytes(this.limits.bytes)} of messages`;
    return undefined;
  }

  /** Takes the first stored message that is accepted, or waits for one; undefined on timeout; rejects when the predicate throws. */
  take(accepts: MessagePredicate, timeoutMs: number, signal?: AbortSignal): Promise<JanusMessage | undefined> {
    let i: number;
    try {
      i = this.stored.findIndex(accepts);
    } catch (error) {
      return Promise.reject(error);
    }
    if (i >= 0) return Promise.resolve(this.removeAt(i));
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

  private removeAt(i: number): JanusMessage {
    this.storedBytes -= this.sizes.splice(i, 1)[0]!;
    return this.stored.splice(i, 1)[0]!;
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
