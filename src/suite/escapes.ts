import { AsyncLocalStorage } from 'node:async_hooks';
import type { ScenarioResult } from '../run/events.js';

/**
 * Exceptions that escape every catch (a user transport's socket callback that throws, say) and
 * the unhandled rejections. A catch-all that blames the test it is at (mocha's) is wrong when
 * scenarios run in a pool: the culprit is another. Each scenario runs in an async context of its own,
 * which its timers, sockets and promises inherit; an escape is charged to that scenario only,
 * which ends at once and fails with it. One whose scenario is already reported, or that belongs
 * to none, is the run's: one line, exit 3.
 */
export class Escapes<T> {
  private readonly owner = new AsyncLocalStorage<T>();
  private readonly charged = new Map<T, string>();
  private readonly stops = new Map<T, AbortController>();
  private readonly reported = new Set<T>();
  /** One line each, for escapes no running scenario can take. */
  readonly unowned: string[] = [];

  /** Runs a scenario in its own context; the signal fires when an escape is charged to it. */
  run<R>(test: T, job: (signal: AbortSignal) => Promise<R>): Promise<R> {
    const stop = new AbortController();
    this.stops.set(test, stop);
    return this.owner.run(test, () => job(stop.signal));
  }

  /**
   * Installs the catch-all in place of every other listener for as long as a run lasts; returns
   * its removal, which puts the others back. Runs at once in one process share one catch-all.
   */
  install(): () => void {
    active.add(this as Escapes<unknown>);
    if (active.size === 1) restore = takeOver();
    return () => {
      if (!active.delete(this as Escapes<unknown>) || active.size > 0) return;
      restore?.();
      restore = undefined;
    };
  }

  /** True when the code running now belongs to one of this run's scenarios. */
  owns(): boolean {
    return this.owner.getStore() !== undefined;
  }

  escaped(error: unknown): void {
    const test = this.owner.getStore();
    const line = oneLine(error);
    if (test !== undefined && !this.reported.has(test)) {
      if (!this.charged.has(test)) this.charged.set(test, line);
      this.stops.get(test)?.abort();
    } else {
      this.unowned.push(test !== undefined ? `uncaught error after a scenario was reported: ${line}` : `uncaught error: ${line}`);
    }
  }

  /** The result a test reports: failed with the escape charged to it, if any. Later escapes are the run's. */
  verdict(test: T, result: ScenarioResult): ScenarioResult {
    this.reported.add(test);
    const line = this.charged.get(test);
    if (line === undefined) return result;
    // Where the scenario stood when it was stopped, if it was at a step.
    const { span, stepTitle } = result.failure ?? {};
    return { ...result, status: 'failed', failure: { kind: 'assertion', summary: `uncaught error: ${line}`, span, stepTitle } };
  }

  /** A retry starts afresh. */
  retrying(test: T): void {
    this.charged.delete(test);
    this.reported.delete(test);
  }
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 500);
}

/** The runs whose catch-all is installed. */
const active = new Set<Escapes<unknown>>();
let restore: (() => void) | undefined;

/** An escape goes to the run whose scenario it came from; one no run owns is every run's (none can be trusted). */
function dispatch(error: unknown): void {
  const owner = [...active].find((run) => run.owns());
  for (const run of owner ? [owner] : [...active]) run.escaped(error);
}

function takeOver(): () => void {
  const earlier = { uncaught: process.listeners('uncaughtException'), rejections: process.listeners('unhandledRejection') };
  process.removeAllListeners('uncaughtException').removeAllListeners('unhandledRejection');
  process.on('uncaughtException', dispatch).on('unhandledRejection', dispatch);
  return () => {
    process.off('uncaughtException', dispatch).off('unhandledRejection', dispatch);
    for (const listener of earlier.uncaught) process.on('uncaughtException', listener);
    for (const listener of earlier.rejections) process.on('unhandledRejection', listener);
  };
}
