import Mocha from 'mocha';
import { buildRunReport } from './build.js';
import type { FileReporter } from './contract.js';
import { entryOf, type ReportEntry } from './entry.js';
import { environmentSecrets } from '../src/report/redact.js';
import { writeReports } from './write.js';

const { EVENT_RUN_BEGIN, EVENT_RUN_END, EVENT_TEST_BEGIN, EVENT_TEST_END, EVENT_TEST_PENDING } = Mocha.Runner.constants;

/**
 * A file reporter as a mocha reporter, for runs under plain mocha:
 * `mocha --reporter ./node_modules/janus-scenarios/dist/reporters/junit.js --reporter-option output=junit.xml`.
 * Tests made by the scenario adapter carry their results; any other test is reported from what
 * mocha knows. Secrets are taken from JANUS_API_SECRET, JANUS_TOKEN and JANUS_ADMIN_SECRET and
 * from each result.
 */
export function mochaReporterFor(reporter: FileReporter): new (runner: Mocha.Runner, options?: Mocha.MochaOptions) => Mocha.reporters.Base {
  return class extends Mocha.reporters.Base {
    constructor(runner: Mocha.Runner, options: Mocha.MochaOptions = {}) {
      super(runner, options);
      const output = (options.reporterOptions as Record<string, string> | undefined)?.output ?? reporter.defaultPath;
      const tests: Mocha.Test[] = [];
      const ended = new Set<Mocha.Test>();
      let startedAt = Date.now();
      runner.once(EVENT_RUN_BEGIN, () => (startedAt = Date.now()));
      runner.on(EVENT_TEST_BEGIN, (test: Mocha.Test) => {
        if (!tests.includes(test)) tests.push(test);
      });
      runner.on(EVENT_TEST_PENDING, (test: Mocha.Test) => {
        if (!tests.includes(test)) tests.push(test);
        ended.add(test);
      });
      runner.on(EVENT_TEST_END, (test: Mocha.Test) => ended.add(test));
      runner.once(EVENT_RUN_END, () => {
        const entries: ReportEntry[] = tests.map((t) => (ended.has(t) ? entryOf(t) : { ...entryOf(t), plain: undefined }));
        const interrupted = tests.length < runner.total || tests.some((t) => !ended.has(t));
        const report = buildRunReport(entries, { startedAt, finishedAt: Date.now(), interrupted, secrets: environmentSecrets(process.env) });
        for (const problem of writeReports(report, [{ reporter, path: output }])) process.stderr.write(`${problem}\n`);
      });
    }
  };
}
