import Mocha from 'mocha';
import { attachEntry, type ReportEntry } from '../../reporters/entry.js';
import type { Redactor } from '../report/redact.js';
import { oneLinePrintable } from '../core/printable.js';
import { failureText } from '../report/failure-text.js';
import type { ScenarioResult } from '../run/events.js';
import { Escapes } from '../suite/escapes.js';

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

/**
 * Adds scenarios to a mocha suite as tests, each carrying its report entry, for a spec file
 * run under plain mocha: the reporters in dist/reporters find the same results as the CLI's.
 */
export function addScenarioTests(
  root: Mocha.Suite,
  planned: PlannedTest[],
  options: {
    retries?: number;
    redactor?: Redactor;
    firstAttempt?: (test: PlannedTest) => Promise<ScenarioResult>;
    onResult?: (result: ScenarioResult) => void;
    /** Uncaught errors charged to each scenario; without it mocha's own catch-all applies. */
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
    const mochaTest = new Mocha.Test(oneLinePrintable(test.title), async () => {
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
