import Mocha from 'mocha';
import type { TestInfo } from '../events/events.js';
import type { Redactor } from '../report/redact.js';
import { oneLinePrintable } from '../core/printable.js';
import { failureText } from '../report/failure-text.js';
import type { ScenarioResult } from '../run/events.js';
import { JobPool } from '../run/pool.js';
import { Escapes } from './escapes.js';
import { fanOut, type MochaReporterClass } from './fan-out.js';
import { attachScenario, type ScenarioTestData } from './from-runner.js';
import { ScenarioFailure } from './scenario-failure.js';

/** One test: a scenario on a transport, to run, or already known to be skipped. */
export interface PlannedTest {
  /** The test as reports know it (file, name, transport, title, skip reason). */
  info: TestInfo;
  serverVersion?: string;
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
export async function runWithMocha(planned: PlannedTest[], settings: MochaSettings): Promise<{ failures: number; results: ScenarioResult[]; escaped: string[]; late: Array<{ info: TestInfo; result: ScenarioResult }> }> {
  const reporter = settings.reporters.length === 1 ? settings.reporters[0]! : fanOut(settings.reporters);
  const mocha = new Mocha({ reporter: reporter as unknown as string, reporterOptions: settings.reporterOptions, bail: settings.bail, timeout: 0 });
  const runnable = planned.filter((t) => !t.info.skipReason);
  const escapes = new Escapes<PlannedTest>();
  const started = new Set<PlannedTest>();
  const launch = (test: PlannedTest): Promise<ScenarioResult> => escapes.run(test, (signal) => {
    started.add(test);
    return test.run(signal);
  });
  const pool = new JobPool(runnable.map((t) => () => launch(t)), Math.max(1, settings.jobs));
  const results: ScenarioResult[] = [];
  const data = addScenarioTests(mocha.suite, planned, {
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
  const late = settings.signal?.aborted ? await interruptedResults(runnable, started, data, pool) : [];
  return { failures, results, escaped: escapes.unowned, late };
}

/**
 * The pool runs scenarios ahead of mocha's walk: after Ctrl-C mocha may stop between two suites
 * before it reaches a test whose scenario had already started. That scenario's result (stopped by
 * the same Ctrl-C) still belongs in the reports: the caller reports these after mocha's run.
 */
async function interruptedResults(runnable: PlannedTest[], started: Set<PlannedTest>, data: Map<PlannedTest, ScenarioTestData>, pool: JobPool<ScenarioResult>): Promise<Array<{ info: TestInfo; result: ScenarioResult }>> {
  const late: Array<{ info: TestInfo; result: ScenarioResult }> = [];
  for (const [i, test] of runnable.entries()) {
    if (!started.has(test) || data.get(test)?.result) continue;
    const result = await pool.result(i).catch(() => undefined);
    if (result) late.push({ info: test.info, result });
  }
  return late;
}

/**
 * Adds planned scenarios to a mocha suite as tests, each carrying its test info and, once run,
 * its result (from-runner.ts turns them into the suite's events): the CLI does this through
 * runWithMocha, and describeScenarios under plain mocha, so reporters find the same results.
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
): Map<PlannedTest, ScenarioTestData> {
  const suites = new Map<string, Mocha.Suite>();
  const data = new Map<PlannedTest, ScenarioTestData>();
  for (const test of planned) {
    const { info } = test;
    let suite = suites.get(info.file);
    if (!suite) {
      suite = Mocha.Suite.create(root, oneLinePrintable(info.file));
      suites.set(info.file, suite);
    }
    const own: ScenarioTestData = { info, ...(test.serverVersion && { serverVersion: test.serverVersion }) };
    data.set(test, own);
    if (info.skipReason) {
      const skipped = new Mocha.Test(oneLinePrintable(`${info.title} (skipped: ${info.skipReason})`));
      attachScenario(skipped, own);
      suite.addTest(skipped);
      continue;
    }
    let attempt = 0;
    // Titles reach every mocha reporter as they are: a control character in a name is escaped.
    const mochaTest = new Mocha.Test(oneLinePrintable(info.title), async function (this: Mocha.Context) {
      const first = attempt++ === 0;
      if (!first) options.escapes?.retrying(test);
      const outcome = first && options.firstAttempt ? await options.firstAttempt(test)
        : await (options.escapes ? options.escapes.run(test, (signal) => test.run(signal)) : test.run());
      const result = options.escapes ? options.escapes.verdict(test, outcome) : outcome;
      own.result = result;
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
    attachScenario(mochaTest, own);
    mochaTest.retries(options.retries ?? 0);
    suite.addTest(mochaTest);
  }
  return data;
}


/** --grep: tests whose full title (file, name, transport) contains the text, or with --invert the others. */
export function selectedByGrep<T extends { info: Pick<TestInfo, 'file' | 'title'> }>(planned: T[], grep: string | undefined, invert: boolean): T[] {
  if (!grep) return planned;
  return planned.filter((t) => `${t.info.file} ${t.info.title}`.includes(grep) !== invert);
}
