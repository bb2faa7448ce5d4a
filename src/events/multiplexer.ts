import { clip } from '../core/clip.js';
import type { SuiteEvent } from './events.js';
import { HANDLERS, type Reporter } from './reporter.js';

/** Told once per reporter that failed: its name and what it threw. */
export type ReporterErrorHandler = (name: string, error: unknown) => void;

type Handler = (event: SuiteEvent) => void | Promise<void>;

/**
 * Fans the suite's events out to every reporter, each to the method `HANDLERS` names. A reporter
 * whose method throws (or whose `onRunEnd` rejects) is reported once and hears nothing more; the
 * others go on, so one broken reporter never costs the run its other reports. Nothing passes
 * after `run:end` (or `load:problems`, which stands for a whole run). `emit` calls every
 * reporter before it returns; the promise it returns settles when the asynchronous ones (a file
 * written at `run:end`) are done.
 */
export class Multiplexer implements Reporter {
  readonly name = 'multiplexer';
  private readonly failed = new Set<Reporter>();
  /** After `run:end` nothing more is passed on: a second Ctrl-C may end the reports before the run does. */
  private ended = false;

  constructor(
    private readonly reporters: Reporter[],
    private readonly onError: ReporterErrorHandler = reportOnStderr,
  ) {}

  /** Whether any reporter writes to standard output (the console is then not added). */
  printsToStdout(): boolean {
    return this.reporters.some((r) => this.isLive(r) && r.printsToStdout?.() === true);
  }

  emit(event: SuiteEvent): Promise<void> {
    if (this.ended) return Promise.resolve();
    if (event.type === 'run:end' || event.type === 'load:problems') this.ended = true;
    const pending: Promise<void>[] = [];
    for (const reporter of this.reporters) {
      if (!this.isLive(reporter)) continue;
      const method = reporter[HANDLERS[event.type]] as Handler | undefined;
      if (typeof method !== 'function') continue;
      try {
        const outcome = method.call(reporter, event);
        if (isPromise(outcome)) pending.push(outcome.then(undefined, (e: unknown) => this.fail(reporter, e)));
      } catch (e) {
        this.fail(reporter, e);
      }
    }
    return pending.length === 0 ? Promise.resolve() : Promise.all(pending).then(() => undefined);
  }

  onRunBegin = (event: SuiteEvent): Promise<void> => this.emit(event);
  onTestBegin = (event: SuiteEvent): Promise<void> => this.emit(event);
  onStepBegin = (event: SuiteEvent): Promise<void> => this.emit(event);
  onMessage = (event: SuiteEvent): Promise<void> => this.emit(event);
  onStepEnd = (event: SuiteEvent): Promise<void> => this.emit(event);
  onTestEnd = (event: SuiteEvent): Promise<void> => this.emit(event);
  onFault = (event: SuiteEvent): Promise<void> => this.emit(event);
  onInterrupt = (event: SuiteEvent): Promise<void> => this.emit(event);
  onRunEnd = (event: SuiteEvent): Promise<void> => this.emit(event);
  onLoadProblems = (event: SuiteEvent): Promise<void> => this.emit(event);

  private isLive(reporter: Reporter): boolean {
    return !this.failed.has(reporter);
  }

  private fail(reporter: Reporter, error: unknown): void {
    if (this.failed.has(reporter)) return;
    this.failed.add(reporter);
    try {
      this.onError(reporterName(reporter), error);
    } catch {
      // The handler of last resort must not take the run down either.
    }
  }
}

/** A reporter's `name` if it has one, else its class's. */
export function reporterName(reporter: Reporter): string {
  const own = (reporter as { name?: unknown }).name;
  if (typeof own === 'string' && own) return own;
  const constructor = (reporter as { constructor?: { name?: string } }).constructor;
  return constructor?.name && constructor.name !== 'Object' ? constructor.name : 'a reporter';
}

/** The default: one line on standard error (the CLI passes its own, which redacts). */
function reportOnStderr(name: string, error: unknown): void {
  process.stderr.write(`${reporterErrorLine(name, error)}\n`);
}

/**
 * The line that says a reporter failed: the first line of what it threw, redacted whole before
 * it is cut (a cut through a secret would leave a prefix no redactor finds).
 */
export function reporterErrorLine(name: string, error: unknown, redact: (text: string) => string = (t) => t): string {
  const text = redact(error instanceof Error ? error.message : String(error));
  const line = text.split('\n')[0] ?? '';
  return `error: the reporter ${redact(name)} failed and was stopped: ${clip(line, 500)}`;
}

function isPromise(value: unknown): value is Promise<void> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}
