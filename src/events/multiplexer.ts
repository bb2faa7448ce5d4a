import type { RunEnd, SuiteEvent } from './events.js';
import { HANDLERS, type Reporter } from './reporter.js';

/**
 * Several reporters as one: each event calls each reporter's method, if it has one. A reporter
 * that throws (or whose `onRunEnd` rejects) is reported once, through `complain`, and dropped;
 * the others go on. After `run:end` nothing more is passed on, so a second Ctrl-C may end the
 * run early and the real end, should it still come, is ignored.
 */
export class Multiplexer implements Reporter {
  private readonly live: Reporter[];
  private ended = false;

  constructor(reporters: readonly Reporter[], private readonly complain: (line: string) => void = (line) => process.stderr.write(`${line}\n`)) {
    this.live = [...reporters];
  }

  /** Passes an event on; the promise settles when every `onRunEnd` has (it never rejects). */
  dispatch(event: SuiteEvent): Promise<void> {
    if (this.ended) return Promise.resolve();
    if (event.type === 'run:end') this.ended = true;
    const method = HANDLERS[event.type];
    const waits: Array<Promise<void>> = [];
    for (const reporter of [...this.live]) {
      const handler = reporter[method] as ((e: SuiteEvent) => void | Promise<void>) | undefined;
      if (!handler) continue;
      try {
        const returned = handler.call(reporter, event);
        if (returned instanceof Promise) waits.push(returned.catch((e: unknown) => this.drop(reporter, e)));
      } catch (e) {
        this.drop(reporter, e);
      }
    }
    return Promise.all(waits).then(() => undefined);
  }

  /** True when one of the reporters writes to standard output. */
  printsToStdout(): boolean {
    return this.live.some((r) => r.printsToStdout?.() === true);
  }

  onRunBegin = (e: SuiteEvent): void => void this.dispatch(e);
  onTestBegin = this.onRunBegin;
  onStepBegin = this.onRunBegin;
  onMessage = this.onRunBegin;
  onStepEnd = this.onRunBegin;
  onTestEnd = this.onRunBegin;
  onFault = this.onRunBegin;
  onInterrupt = this.onRunBegin;
  onRunEnd = (e: RunEnd): Promise<void> => this.dispatch(e);

  private drop(reporter: Reporter, error: unknown): void {
    const at = this.live.indexOf(reporter);
    if (at < 0) return;
    this.live.splice(at, 1);
    const name = reporter.constructor?.name && reporter.constructor.name !== 'Object' ? reporter.constructor.name : 'a reporter';
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    this.complain(`error: ${name} failed and was stopped: ${message}`);
  }
}
