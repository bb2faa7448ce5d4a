import Mocha from 'mocha';
import { failureText } from '../report/failure-text.js';
import type { ScenarioResult } from '../run/events.js';
import { JobPool } from '../run/pool.js';

/** One test: a scenario on a transport, to run, or already known to be skipped. */
export interface PlannedTest {
  suite: string;
  title: string;
  skipReason?: string;
  run(): Promise<ScenarioResult>;
}

export interface MochaSettings {
  reporter: string;
  reporterOptions: Record<string, string>;
  bail: boolean;
  retries: number;
  jobs: number;
  grep?: string;
  invert: boolean;
}

/**
 * Runs planned scenarios as mocha tests: a file is a suite, a scenario on a transport is a test.
 * Mocha's reporters, --grep, --bail and retries apply; the engine itself knows nothing of mocha.
 * Scenarios run in a pool of `jobs`, ahead of mocha's sequential walk, so reports stay ordered.
 */
export async function runWithMocha(planned: PlannedTest[], settings: MochaSettings): Promise<{ failures: number; results: ScenarioResult[] }> {
  const mocha = new Mocha({ reporter: settings.reporter, reporterOptions: settings.reporterOptions, bail: settings.bail, timeout: 0 });
  const selected = planned.filter((t) => selectedByGrep(`${t.suite} ${t.title}`, settings));
  const runnable = selected.filter((t) => !t.skipReason);
  const pool = new JobPool(runnable.map((t) => () => t.run()), Math.max(1, settings.jobs));
  const results: ScenarioResult[] = [];
  const suites = new Map<string, Mocha.Suite>();

  for (const test of selected) {
    let suite = suites.get(test.suite);
    if (!suite) {
      suite = Mocha.Suite.create(mocha.suite, test.suite);
      suites.set(test.suite, suite);
    }
    if (test.skipReason) {
      suite.addTest(new Mocha.Test(`${test.title} (skipped: ${test.skipReason})`));
      continue;
    }
    const index = runnable.indexOf(test);
    let attempt = 0;
    const mochaTest = new Mocha.Test(test.title, async () => {
      const result = attempt++ === 0 ? await pool.result(index) : await test.run();
      results.push(result);
      if (result.status === 'failed') throw new ScenarioFailure(failureText(result));
    });
    mochaTest.retries(settings.retries);
    suite.addTest(mochaTest);
  }
  pool.start();
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  await pool.stop();
  return { failures, results };
}

/** mocha prints the message of a failed test's error; the stack would only show our internals. */
class ScenarioFailure extends Error {
  constructor(text: string) {
    super(text);
    this.name = 'ScenarioFailure';
    this.stack = `${this.name}: ${text}`;
  }
}

function selectedByGrep(fullTitle: string, settings: MochaSettings): boolean {
  if (!settings.grep) return true;
  const match = new RegExp(settings.grep.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).test(fullTitle);
  return match !== settings.invert;
}
