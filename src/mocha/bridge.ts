import Mocha from 'mocha';
import { attachEntry, type ReportEntry } from '../../reporters/entry.js';
import { oneLinePrintable } from '../core/printable.js';
import type { RunBegin, RunEnd, TestBegin, TestEnd } from '../events/events.js';
import type { Reporter } from '../events/reporter.js';
import { failureText } from '../report/failure-text.js';
import type { Redactor } from '../report/redact.js';

// Mocha's own run attaches this; reporters read `runner.stats`. (No typings for the module.)
const { createStatsCollector } = (await import('mocha/lib/stats-collector.js' as string)) as { createStatsCollector: (runner: Mocha.Runner) => void };
const C = Mocha.Runner.constants;

/** A mocha reporter: its constructor subscribes to the runner. */
export type MochaReporterClass = new (runner: Mocha.Runner, options: Mocha.MochaOptions) => Mocha.reporters.Base | object;

type Done = { done?: (failures: number, fn: (failures: number) => void) => void };

/**
 * Mocha's own reporters (spec, dot, list, xunit, a module path) on the suite's event stream:
 * a mocha runner of our own replays the events to them, a file per suite and a test per
 * scenario and transport, in plan order (tests that run at once finish in any order; mocha's
 * reporters expect its sequential walk). No mocha run takes place.
 */
export class MochaBridge implements Reporter {
  private runner?: Mocha.Runner;
  private children: Done[] = [];
  private readonly tests = new Map<string, { test: Mocha.Test; entry: ReportEntry }>();
  private order: string[] = [];
  private readonly ended = new Map<string, TestEnd>();
  private cursor = 0;
  private suite?: Mocha.Suite;
  private failures = 0;

  constructor(private readonly reporters: MochaReporterClass[], private readonly options: Record<string, unknown>, private readonly redactor?: Redactor) {}

  onRunBegin(event: RunBegin): void {
    const root = new Mocha.Suite('', undefined);
    const suites = new Map<string, Mocha.Suite>();
    for (const info of event.tests) {
      if (!suites.has(info.file)) suites.set(info.file, Mocha.Suite.create(root, oneLinePrintable(info.file)));
      const title = info.skipReason ? `${info.title} (skipped: ${info.skipReason})` : info.title;
      const test = new Mocha.Test(oneLinePrintable(title), info.skipReason ? undefined : () => {});
      const entry: ReportEntry = { file: info.file, name: info.name, transport: info.transport, tags: info.tags, ...(info.skipReason && { skipReason: info.skipReason }) };
      attachEntry(test, entry);
      suites.get(info.file)!.addTest(test);
      this.tests.set(info.id, { test, entry });
    }
    this.order = event.tests.map((t) => t.id);
    this.runner = new Mocha.Runner(root, {} as never);
    createStatsCollector(this.runner);
    this.children = this.reporters.map((R) => new R(this.runner!, { reporterOptions: this.options } as Mocha.MochaOptions) as Done);
    this.runner.emit(C.EVENT_RUN_BEGIN);
    this.runner.emit(C.EVENT_SUITE_BEGIN, root);
  }

  onTestBegin(event: TestBegin): void {
    const known = this.tests.get(event.testId);
    if (known) known.entry.startedAt = event.at;
  }

  onTestEnd(event: TestEnd): void {
    if (event.retrying) return;
    this.ended.set(event.testId, event);
    this.flush(false);
  }

  async onRunEnd(_event: RunEnd): Promise<void> {
    if (!this.runner) return;
    this.flush(true);
    if (this.suite) this.runner.emit(C.EVENT_SUITE_END, this.suite);
    this.runner.emit(C.EVENT_SUITE_END, this.runner.suite);
    this.runner.emit(C.EVENT_RUN_END);
    await Promise.all(this.children.filter((c) => typeof c.done === 'function').map((c) => new Promise<void>((resolve) => c.done!(this.failures, () => resolve()))));
  }

  /** Replays finished tests in plan order; at the end, also those after a test that never finished. */
  private flush(all: boolean): void {
    while (this.cursor < this.order.length) {
      const id = this.order[this.cursor]!;
      const end = this.ended.get(id);
      if (!end && !all) return;
      if (end) this.replay(this.tests.get(id)!, end);
      this.cursor++;
    }
  }

  private replay({ test, entry }: { test: Mocha.Test; entry: ReportEntry }, end: TestEnd): void {
    const runner = this.runner!;
    if (test.parent !== this.suite) {
      if (this.suite) runner.emit(C.EVENT_SUITE_END, this.suite);
      this.suite = test.parent;
      runner.emit(C.EVENT_SUITE_BEGIN, this.suite);
    }
    const result = end.result;
    if (result.status === 'skipped') {
      entry.skipReason = result.skipReason;
      test.pending = true;
      runner.emit(C.EVENT_TEST_PENDING, test);
      runner.emit(C.EVENT_TEST_END, test);
      return;
    }
    entry.result = result;
    // Before anything prints: the scenario's own secrets join the run's.
    this.redactor?.add(result.secretValues);
    Object.assign(test, { duration: result.durationMs, speed: 'fast' });
    runner.emit(C.EVENT_TEST_BEGIN, test);
    if (result.status === 'passed') {
      test.state = 'passed';
      runner.emit(C.EVENT_TEST_PASS, test);
    } else {
      test.state = 'failed';
      this.failures++;
      const text = failureText(result);
      runner.emit(C.EVENT_TEST_FAIL, test, new ScenarioFailure(this.redactor ? this.redactor.text(text) : text));
    }
    runner.emit(C.EVENT_TEST_END, test);
  }
}

/** mocha prints the message of a failed test's error; the stack would only show our internals. */
class ScenarioFailure extends Error {
  constructor(text: string) {
    super(text);
    this.name = 'ScenarioFailure';
    this.stack = `${this.name}: ${text}`;
  }
}
