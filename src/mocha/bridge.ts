import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import Mocha from 'mocha';
import { oneLinePrintable } from '../core/printable.js';
import { UsageError } from '../core/usage-error.js';
import { importOptionModule } from '../load/option-file.js';
import type { RunBegin, RunEnd, TestEnd } from '../events/events.js';
import type { Reporter } from '../events/reporter.js';
import { failureText } from '../report/failure-text.js';
import type { Redactor } from '../report/redact.js';
import type { ScenarioResult } from '../run/events.js';
import { PlanOrder } from '../reporters/plan-order.js';
import { ScenarioFailure } from './scenario-failure.js';

const C = Mocha.Runner.constants;

/** A mocha reporter: a class mocha constructs with its runner (dot, list, xunit, a module's default export). */
export type MochaReporterClass = new (runner: Mocha.Runner, options: Mocha.MochaOptions) => object;

/** What a bridge needs of the run. */
export interface BridgeContext {
  redactor: Redactor;
  colour: boolean;
  /** `--reporter-option key=value`: mocha passes them to the reporter (xunit's `output`, say). */
  reporterOptions?: Record<string, unknown>;
}

interface Replayed {
  id: string;
  result: ScenarioResult;
}

/**
 * Replays the suite's event stream as a mocha run, so mocha's own reporters (dot, list, xunit,
 * a module path) work unchanged: a file is a Mocha.Suite, a test a Mocha.Test carrying its state,
 * duration and error, and a mocha Runner emits mocha's events in the order mocha would (the plan's
 * order: a test that finishes early waits for those planned before it). Titles and failure texts
 * are redacted and made printable before any reporter sees them.
 */
export class MochaBridge implements Reporter {
  readonly name: string;
  private runner?: Mocha.Runner;
  private reporter?: { done?: (failures: number, fn: (failures: number) => void) => void };
  private order = new PlanOrder<Replayed>([]);
  private readonly tests = new Map<string, Mocha.Test>();
  private open?: Mocha.Suite;
  private failures = 0;

  constructor(private readonly ReporterClass: MochaReporterClass, private readonly context: BridgeContext, name = ReporterClass.name || 'a mocha reporter') {
    this.name = `mocha ${name}`;
  }

  printsToStdout(): boolean {
    return true;
  }

  onRunBegin(event: RunBegin): void {
    const root = new Mocha.Suite('');
    root.root = true;
    const suites = new Map<string, Mocha.Suite>();
    for (const info of event.tests) {
      let suite = suites.get(info.file);
      if (!suite) {
        suite = Mocha.Suite.create(root, this.printable(info.file));
        suite.file = info.file;
        suites.set(info.file, suite);
      }
      // A test without a function is pending to mocha; the others get one that is never run.
      const test = info.skipReason ? new Mocha.Test(this.printable(`${info.title} (skipped: ${info.skipReason})`)) : new Mocha.Test(this.printable(info.title), () => {});
      test.file = info.file;
      suite.addTest(test);
      this.tests.set(info.id, test);
    }
    const runner = new Mocha.Runner(root, {});
    collectStats(runner);
    (Mocha.reporters.Base as unknown as { useColors: boolean }).useColors = this.context.colour;
    const options = this.context.reporterOptions ?? {};
    this.reporter = new this.ReporterClass(runner, { reporterOptions: options, reporterOption: options } as Mocha.MochaOptions) as MochaBridge['reporter'];
    this.runner = runner;
    this.order = new PlanOrder(event.tests.map((t) => t.id));
    runner.emit(C.EVENT_RUN_BEGIN);
    runner.emit(C.EVENT_SUITE_BEGIN, root);
  }

  onTestEnd(event: TestEnd): void {
    this.context.redactor.add(event.result.secretValues);
    if (event.retrying) return;
    // Mocha's reporters know only the tests the run planned.
    if (!this.tests.has(event.testId)) return;
    for (const r of this.order.finish(event.testId, { id: event.testId, result: event.result })) this.replay(r);
  }

  async onRunEnd(_event: RunEnd): Promise<void> {
    const runner = this.runner;
    if (!runner) return;
    for (const r of this.order.rest()) this.replay(r);
    if (this.open) runner.emit(C.EVENT_SUITE_END, this.open);
    runner.emit(C.EVENT_SUITE_END, runner.suite);
    runner.emit(C.EVENT_RUN_END);
    const reporter = this.reporter;
    // Mocha waits for `done` (xunit closing its file) before it calls the run finished.
    if (typeof reporter?.done === 'function') await new Promise<void>((done) => reporter.done!(this.failures, () => done()));
  }

  private replay({ id, result }: Replayed): void {
    const runner = this.runner!;
    const test = this.tests.get(id)!;
    const suite = test.parent!;
    if (this.open !== suite) {
      if (this.open) runner.emit(C.EVENT_SUITE_END, this.open);
      runner.emit(C.EVENT_SUITE_BEGIN, suite);
      this.open = suite;
    }
    if (result.status === 'skipped') {
      test.pending = true;
      runner.emit(C.EVENT_TEST_PENDING, test);
      runner.emit(C.EVENT_TEST_END, test);
      return;
    }
    runner.emit(C.EVENT_TEST_BEGIN, test);
    test.duration = result.durationMs;
    if (result.status === 'passed') {
      test.state = 'passed';
      runner.emit(C.EVENT_TEST_PASS, test);
    } else {
      test.state = 'failed';
      this.failures++;
      runner.emit(C.EVENT_TEST_FAIL, test, new ScenarioFailure(this.context.redactor.text(failureText(result))));
    }
    runner.emit(C.EVENT_TEST_END, test);
  }

  private printable(text: string): string {
    return oneLinePrintable(this.context.redactor.text(text));
  }
}

/** The `runner.stats` mocha's own run keeps (its stats collector is not part of its API). */
function collectStats(runner: Mocha.Runner): void {
  const stats: Mocha.Stats = { suites: 0, tests: 0, passes: 0, pending: 0, failures: 0 };
  runner.stats = stats;
  runner.once(C.EVENT_RUN_BEGIN, () => (stats.start = new Date()));
  runner.on(C.EVENT_SUITE_BEGIN, (suite: Mocha.Suite) => void (suite.root || stats.suites++));
  runner.on(C.EVENT_TEST_PASS, () => void stats.passes++);
  runner.on(C.EVENT_TEST_FAIL, () => void stats.failures++);
  runner.on(C.EVENT_TEST_PENDING, () => void stats.pending++);
  runner.on(C.EVENT_TEST_END, () => void stats.tests++);
  runner.once(C.EVENT_RUN_END, () => {
    stats.end = new Date();
    stats.duration = stats.end.getTime() - stats.start!.getTime();
  });
}

/**
 * A mocha reporter by name: one of mocha's own (dot, list, xunit, ...), or a module path or
 * package name resolved from the working directory. Undefined when there is none.
 */
export async function loadMochaReporter(name: string): Promise<MochaReporterClass | undefined> {
  const builtin = (Mocha.reporters as unknown as Record<string, MochaReporterClass | undefined>)[name];
  if (typeof builtin === 'function' && name !== 'Base' && name !== 'base') return builtin;
  const require = createRequire(join(process.cwd(), 'reporter.js'));
  let path: string;
  try {
    path = require.resolve(name.startsWith('.') ? resolve(name) : name);
  } catch {
    return undefined;
  }
  let loaded: Record<string, unknown>;
  try {
    loaded = await importOptionModule(path, `--reporter ${name}`);
  } catch (e) {
    throw new UsageError(`--reporter ${name}: cannot load it: ${oneLinePrintable(String((e as Error | undefined)?.message ?? e).split('\n')[0]!)}`);
  }
  // A CommonJS module is its exports; an ES module's reporter is its default export.
  const reporter = loaded.default ?? loaded;
  // Checked now, not when the run starts and mocha calls it (after the server was reached).
  if (typeof reporter !== 'function') throw new UsageError(`--reporter ${name}: the module exports no reporter class (export default a mocha reporter: a class constructed with (runner, options))`);
  return reporter as MochaReporterClass;
}
