import { getEventListeners } from 'node:events';

/**
 * What ends a wait early, shared by the waits of one client: the time limit and the caller's
 * signal. Requests are the runner's hot path: a timer and an abort listener of their own cost a
 * setTimeout, a clearTimeout, an addEventListener and a removeEventListener each (microseconds
 * apiece, more than the rest of a request's bookkeeping); here a wait costs a set insertion.
 */

/** A wait with a time limit: `expire` ends it (as timed out); it is called once at most. */
export interface Expiring {
  readonly deadline: number;
  expire(): void;
}

/**
 * The time limits of many waits on one timer, armed for the earliest. The timer keeps the
 * process alive only while a wait is running, as a timer per wait would.
 */
export class Deadlines {
  // An array, not a Set: a client has a request or two waiting at a time, and a Set that goes
  // from one entry to none and back allocates a new table every other request.
  private readonly waits: Expiring[] = [];
  private timer?: NodeJS.Timeout;
  private armedFor = Infinity;

  add(wait: Expiring): void {
    this.waits.push(wait);
    if (wait.deadline < this.armedFor) this.arm(wait.deadline);
    else if (this.waits.length === 1) this.timer?.ref();
  }

  delete(wait: Expiring): void {
    if (remove(this.waits, wait) && this.waits.length === 0) this.timer?.unref();
  }

  /** Stops the timer; the waits left are no longer timed. */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
    this.waits.length = 0;
  }

  private arm(deadline: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedFor = deadline;
    this.timer = setTimeout(() => this.fire(), Math.max(0, deadline - Date.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.armedFor = Infinity;
    const now = Date.now();
    // Never early: a timer may fire a little before the clock reaches a deadline; those wait on.
    for (const wait of [...this.waits]) {
      if (wait.deadline > now || !remove(this.waits, wait)) continue;
      wait.expire();
    }
    let next = Infinity;
    for (const wait of this.waits) next = Math.min(next, wait.deadline);
    if (next < this.armedFor) this.arm(next);
  }
}

/**
 * One abort listener per signal for all the waits that use it (a scenario's steps share one),
 * instead of one per wait. As with a listener of its own, a signal already aborted when a wait
 * starts does not end it: the caller looks at the signal itself.
 */
export class AbortWatch {
  private readonly watched = new WeakMap<AbortSignal, Expiring[]>();
  /** The listeners added, to take back when the waits are over for good (see release). */
  private readonly listening: Array<[AbortSignal, () => void]> = [];

  add(signal: AbortSignal, wait: Expiring): void {
    let waits = this.watched.get(signal);
    if (!waits) {
      const list: Expiring[] = [];
      waits = list;
      this.watched.set(signal, list);
      const onAbort = (): void => {
        for (const w of [...list]) if (remove(list, w)) w.expire();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.listening.push([signal, onAbort]);
    }
    waits.push(wait);
  }

  /**
   * Takes every listener back: no wait of this watch will run again (its client closed). A
   * signal that outlives the client (a scenario's, recycled for the next scenario) then holds
   * nothing of it.
   */
  release(): void {
    for (const [signal, onAbort] of this.listening) {
      signal.removeEventListener('abort', onAbort);
      this.watched.delete(signal);
    }
    this.listening.length = 0;
  }

  delete(signal: AbortSignal, wait: Expiring): void {
    const waits = this.watched.get(signal);
    if (waits) remove(waits, wait);
  }
}

/** Removes `item` (at most once) by moving the last element into its place: order does not matter to a wait list. */
function remove<T>(list: T[], item: T): boolean {
  const i = list.lastIndexOf(item);
  if (i < 0) return false;
  const last = list.pop()!;
  if (i < list.length) list[i] = last;
  return true;
}

/**
 * AbortControllers kept for reuse: making one's signal costs Node 20 about 5 µs, and a first
 * listener on a new signal as much again. A controller comes back only when nothing can tell it
 * was used before: never aborted, and no listener left on its signal (whoever still listens
 * keeps it, and the next taker gets a new one).
 */
export class SpareControllers {
  private readonly spare: AbortController[] = [];

  constructor(private readonly most: number) {}

  take(): AbortController {
    return this.spare.pop() ?? new AbortController();
  }

  giveBack(controller: AbortController): void {
    if (controller.signal.aborted || this.spare.length >= this.most) return;
    if (getEventListeners(controller.signal, 'abort').length > 0) return;
    this.spare.push(controller);
  }
}
