import { performance } from 'node:perf_hooks';
import type { RunEvent, ScenarioResult } from '../run/events.js';
import type { LoadMetrics } from './metrics.js';

/** How the users are started and for how long they repeat the scenario. */
export interface UserSchedule {
  users: number;
  /** User i starts at rampMs·i/users. */
  rampMs: number;
  /** No iteration starts after this (counted from the run's start, the ramp included). */
  durationMs: number;
  /** Each user starts an iteration every paceMs (measured from then); undefined: back to back. */
  paceMs?: number;
  /** Iterations still running when the duration ends get this long to finish, then are stopped. */
  gracefulStopMs: number;
  /** At most this many iterations in all (undefined: as many as the duration allows). */
  maxIterations?: number;
}

/** One iteration: the scenario once, as user `user`, its `n`th time; it must clean up whatever happens. */
export type Iterate = (user: number, n: number, signal: AbortSignal, onEvent: (event: RunEvent) => void) => Promise<ScenarioResult>;

/** After an iteration that failed on a server problem, a user waits this long: a dead server is not hammered. */
const FAULT_BACKOFF_MS = 1000;
/** Whatever the duration, a user never runs more iterations than this (a bound on every loop). */
const MAX_ITERATIONS_PER_USER = 10_000_000;

/**
 * Runs the users: each starts at its point of the ramp, then repeats the scenario until the
 * duration ends (paced or back to back); iterations still running get the graceful stop, then
 * their signal fires and they clean up. `interrupt` (Ctrl-C) stops every iteration at once, and so
 * does a server problem once `serverGone` says the server is dead (a managed Janus that crashed:
 * every later iteration would only fail the same way).
 * Resolves when every user is done, every iteration's cleanup included.
 */
export async function runUsers(schedule: UserSchedule, iterate: Iterate, metrics: LoadMetrics, interrupt: AbortSignal, serverGone?: () => boolean): Promise<'completed' | 'interrupted'> {
  const t0 = metrics.startedAt;
  const endAt = t0 + schedule.durationMs;
  const stop = new Fanout();
  const onInterrupt = (): void => stop.abort();
  interrupt.addEventListener('abort', onInterrupt, { once: true });
  if (interrupt.aborted) stop.abort();
  const hardStop = setTimeout(() => stop.abort(), Math.max(0, endAt + schedule.gracefulStopMs - performance.now()));
  let budget = schedule.maxIterations ?? Number.POSITIVE_INFINITY;
  let active = 0;

  const user = async (index: number): Promise<void> => {
    const startAt = t0 + (schedule.users > 1 ? (schedule.rampMs * index) / schedule.users : 0);
    if (!(await stop.sleepUntil(startAt)) || startAt >= endAt) return;
    metrics.noteUsers(++active, performance.now());
    try {
      for (let n = 0; n < MAX_ITERATIONS_PER_USER; n++) {
        const intended = schedule.paceMs === undefined ? performance.now() : startAt + n * schedule.paceMs;
        if (!(await stop.sleepUntil(intended))) return;
        const now = performance.now();
        if (now >= endAt || budget <= 0) return;
        budget--;
        // Behind schedule: this iteration is timed from when it should have started (see docs/load.md).
        if (schedule.paceMs !== undefined && now - intended > 1) metrics.noteLateStart(now - intended);
        const result = await iteration(index, n, intended, iterate, metrics, stop);
        if (result.failure?.kind !== 'infrastructure') continue;
        if (serverGone?.()) stop.abort();
        if (!(await stop.sleepUntil(performance.now() + FAULT_BACKOFF_MS))) return;
      }
    } finally {
      metrics.noteUsers(--active, performance.now());
    }
  };

  try {
    await Promise.all(Array.from({ length: schedule.users }, (_, i) => user(i)));
  } finally {
    clearTimeout(hardStop);
    interrupt.removeEventListener('abort', onInterrupt);
  }
  return interrupt.aborted ? 'interrupted' : 'completed';
}

/** One iteration, its steps timed; the first step and the iteration from `intended`. */
async function iteration(user: number, n: number, intended: number, iterate: Iterate, metrics: LoadMetrics, stop: Fanout): Promise<ScenarioResult> {
  metrics.iterations.started++;
  let stepStart = intended;
  let first = true;
  const onEvent = (event: RunEvent): void => {
    if (event.type === 'step:start') {
      stepStart = first ? intended : performance.now();
      first = false;
    } else if (event.type === 'step:end') {
      const now = performance.now();
      metrics.recordStep(event.span, now - stepStart, event.status === 'passed', now);
    } else if (event.type === 'message' && event.direction === 'out' && typeof event.message !== 'string' && event.message.janus === 'keepalive') {
      metrics.noteKeepalive(performance.now());
    }
  };
  const signal = stop.signal();
  let result: ScenarioResult;
  try {
    result = await iterate(user, n, signal.signal, onEvent);
  } finally {
    signal.release();
  }
  const end = performance.now();
  metrics.recordIteration(result, end - intended, end);
  return result;
}

/**
 * The stop of a run, fanned out to thousands of waiters: each sleeping user and running iteration
 * registers in a set (O(1) in and out), where thousands of listeners on one AbortSignal would
 * cost a walk of them all on every add and remove.
 */
class Fanout {
  private stopped = false;
  private readonly waiters = new Set<() => void>();

  get aborted(): boolean {
    return this.stopped;
  }

  abort(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const wake of [...this.waiters]) wake();
    this.waiters.clear();
  }

  /** A signal of its own for one iteration, fired by abort(); release() when the iteration is over. */
  signal(): { signal: AbortSignal; release: () => void } {
    const controller = new AbortController();
    if (this.stopped) controller.abort();
    const wake = (): void => controller.abort();
    this.waiters.add(wake);
    return { signal: controller.signal, release: () => this.waiters.delete(wake) };
  }

  /** Waits until a performance.now() time; false when the run was stopped first. */
  sleepUntil(at: number): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    const ms = at - performance.now();
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(ok);
      };
      const wake = (): void => done(false);
      const timer = setTimeout(() => done(true), ms);
      this.waiters.add(wake);
    });
  }
}
