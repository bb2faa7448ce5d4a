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
  private readonly waits = new Set<Expiring>();
  private timer?: NodeJS.Timeout;
  private armedFor = Infinity;

  add(wait: Expiring): void {
    this.waits.add(wait);
    if (wait.deadline < this.armedFor) this.arm(wait.deadline);
    else if (this.waits.size === 1) this.timer?.ref();
  }

  delete(wait: Expiring): void {
    if (this.waits.delete(wait) && this.waits.size === 0) this.timer?.unref();
  }

  /** Stops the timer; the waits left are no longer timed. */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
    this.waits.clear();
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
      if (wait.deadline > now || !this.waits.delete(wait)) continue;
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
  private readonly watched = new WeakMap<AbortSignal, Set<Expiring>>();

  add(signal: AbortSignal, wait: Expiring): void {
    let waits = this.watched.get(signal);
    if (!waits) {
      const set = new Set<Expiring>();
      waits = set;
      this.watched.set(signal, set);
      signal.addEventListener('abort', () => {
        for (const w of [...set]) if (set.delete(w)) w.expire();
      }, { once: true });
    }
    waits.add(wait);
  }

  delete(signal: AbortSignal, wait: Expiring): void {
    this.watched.get(signal)?.delete(wait);
  }
}
