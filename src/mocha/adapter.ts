import Mocha from 'mocha';
import { attachEntry, type ReportEntry } from '../../reporters/entry.js';
import type { Redactor } from '../report/redact.js';
import { oneLinePrintable } from '../core/printable.js';
import { failureText } from '../report/failure-text.js';
import type { ScenarioResult } from '../run/events.js';
import { JobPool } from '../run/pool.js';
import { Escapes } from './escapes.js';
import { fanOut, type MochaReporterClass } from './fan-out.js';

/** One test: a scenario on a transport, to run, or already known to be skipped. */
export interface PlannedTest {
  suite: string;
  title: string;
  skipReason?: string;
  /** What reports learn of it; the adapter sets its start and result. */
  entry: ReportEntry;
  /** The signal fires when the scenario must stop at once (an uncaught error was charged to it). */
  run(signal?: AbortSignal): Promise<ScenarioResult>;
}

export interface MochaSettings {
  reporters: MochaReporterClass[];
  reporterOptions: Record<string, unknown>;
  bail: boolean;
  retries: number;
  jobs: number;
  /** Failure texts mocha's own reporters print go through it. */
  redactor?: Redactor;
  /** Ctrl-C: no further scenario starts, mocha stops after the running ones. */
  signal?: AbortSignal;
}

/**
 * Runs planned scenarios as mocha tests: a file is a suite, a scenario on a transport is a test.
 * Mocha's reporters, --bail and retries apply; the engine itself knows nothing of mocha.
 * Scenarios run in a pool of `jobs`, ahead of mocha's sequential walk, so reports stay ordered.
 */
export async function runWithMocha(planned: PlannedTest[], settings: MochaSettings): Promise<{ failures: number; results: ScenarioResult[]; escaped: string[] }> {
  const reporter = settings.reporters.length === 1 ? settings.reporters[0]! : fanOut(settings.reporters);
  const mocha = new Mocha({ reporter: reporter as unknown as string, reporterOptions: settings.reporterOptions, bail: settings.bail, timeout: 0 });
  const runnable = planned.filter((t) => !t.skipReason);
  const escapes = new Escapes<PlannedTest>();
  const launch = (test: PlannedTest): Promise<ScenarioResult> => escapes.run(test, (signal) => startRun(test, signal));
  const pool = new JobPool(runnable.map((t) => () => launch(t)), Math.max(1, settings.jobs));
  const results: ScenarioResult[] = [];
  addScenarioTests(mocha.suite, planned, {
    retries: settings.retries,
    redactor: settings.redactor,
    firstAttempt: (test) => pool.result(runnable.indexOf(test)),
    onResult: (result) => results.push(result),
    escapes,
  });
  pool.start();
  let uninstall = (): void => {};
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    // Mocha's catch-all would charge an escape to the test it is at, not to its scenario.
    const own = runner as unknown as { uncaught?: unknown; unhandled?: unknown };
    uninstall = escapes.install([own.uncaught, own.unhandled]);
    const stop = (): void => {
      void pool.stop();
      runner.abort();
    };
    if (settings.signal?.aborted) stop();
    else settings.signal?.addEventListener('abort', stop, { once: true });
  });
  await pool.stop();
  uninstall();
  if (settings.signal?.aborted) await keepInterruptedResults(runnable, pool);
  return { failures, results, escaped: escapes.unowned };
}

/**
 * The pool runs scenarios ahead of mocha's walk: after Ctrl-C mocha may stop between two suites
 * before it reaches a test whose scenario had already started. That scenario's result (stopped by
 * the same Ctrl-C) still belongs in the reports.
 */
async function keepInterruptedResults(runnable: PlannedTest[], pool: JobPool<ScenarioResult>): Promise<void> {
  for (const [i, test] of runnable.entries()) {
    if (test.entry.startedAt === undefined || test.entry.result) continue;
    test.entry.result = await pool.result(i).catch(() => undefined);
  }
}

/**
 * Adds planned scenarios to a mocha suite as tests, each carrying its report entry: the CLI
 * does this through runWithMocha, and a spec file can do it under plain mocha, so the reporters
 * in dist/reporters find the same results either way.
 */
export function addScenarioTests(
  root: Mocha.Suite,
  planned: PlannedTest[],
  options: {
    retries?: number;
    redactor?: Redactor;
    firstAttempt?: (test: PlannedTest) => Promise<ScenarioResult>;
    onResult?: (result: ScenarioResult) => void;
    /** Uncaught errors charged to each scenario (runWithMocha); without it mocha's own catch-all applies. */
    escapes?: Escapes<PlannedTest>;
  } = {},
): void {
  const suites = new Map<string, Mocha.Suite>();
  for (const test of planned) {
    let suite = suites.get(test.suite);
    if (!suite) {
      suite = Mocha.Suite.create(root, oneLinePrintable(test.suite));
      suites.set(test.suite, suite);
    }
    if (test.skipReason) {
      const skipped = new Mocha.Test(oneLinePrintable(`${test.title} (skipped: ${test.skipReason})`));
      attachEntry(skipped, test.entry);
      suite.addTest(skipped);
      continue;
    }
    let attempt = 0;
    // Titles reach every mocha reporter as they are: a control character in a name is escaped.
    const mochaTest = new Mocha.Test(oneLinePrintable(test.title), async function (this: Mocha.Context) {
      const first = attempt++ === 0;
      if (!first) options.escapes?.retrying(test);
      const outcome = first && options.firstAttempt ? await options.firstAttempt(test)
        : await (options.escapes ? options.escapes.run(test, (signal) => startRun(test, signal)) : startRun(test));
      const result = options.escapes ? options.escapes.verdict(test, outcome) : outcome;
      test.entry.result = result;
      // Before anything prints: the scenario's own secrets (values it marks secret) join the run's.
      options.redactor?.add(result.secretValues);
      options.onResult?.(result);
      if (result.status === 'failed') {
        const text = failureText(result);
        throw new ScenarioFailure(options.redactor ? options.redactor.text(text) : text);
      }
      // A known issue that showed: neither a pass nor a failure.
      if (result.status === 'skipped') this.skip();
    });
    attachEntry(mochaTest, test.entry);
    mochaTest.retries(options.retries ?? 0);
    suite.addTest(mochaTest);
  }
}

function startRun(test: PlannedTest, signal?: AbortSignal): Promise<ScenarioResult> {
  test.entry.startedAt = Date.now();
  return test.run(signal);
}

/** mocha prints the message of a failed test's error; the stack would only show our internals. */
class ScenarioFailure extends Error {
  constructor(text: string) {
    super(text);
    this.name = 'ScenarioFailure';
    this.stack = `${this.name}: ${text}`;
  }
}

/** --grep: tests whose full title (file, name, transport) contains the text, or with --invert the others. */
export function selectedByGrep<T extends Pick<PlannedTest, 'suite' | 'title'>>(planned: T[], grep: string | undefined, invert: boolean): T[] {
  if (!grep) return planned;
  return planned.filter((t) => `${t.suite} ${t.title}`.includes(grep) !== invert);
}
