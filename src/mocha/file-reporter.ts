import Mocha from 'mocha';
import { Multiplexer, reporterErrorLine } from '../events/multiplexer.js';
import { environmentSecrets, Redactor } from '../report/redact.js';
import type { ReportFormat } from '../reporters/contract.js';
import { FileReporter } from '../reporters/file.js';
import { forwardMochaRun } from './from-runner.js';

/**
 * One of our report formats as a mocha reporter, for runs under plain mocha:
 * `mocha --reporter ./node_modules/janus-scenarios/dist/reporters/junit.js --reporter-option output=junit.xml`.
 * Mocha's run becomes the suite's events (from-runner.ts) and the file reporter renders them, as
 * in the CLI. Scenario tests (describeScenarios) carry their results; other tests are reported
 * from what mocha knows. Secrets come from JANUS_API_SECRET, JANUS_TOKEN and JANUS_ADMIN_SECRET
 * and from each result.
 */
export function mochaReporterFor(format: ReportFormat): new (runner: Mocha.Runner, options?: Mocha.MochaOptions) => Mocha.reporters.Base {
  return class extends Mocha.reporters.Base {
    private readonly finished: Promise<void>;

    constructor(runner: Mocha.Runner, options: Mocha.MochaOptions = {}) {
      super(runner, options);
      const own = (options.reporterOptions ?? (options as { reporterOption?: unknown }).reporterOption) as Record<string, string> | undefined;
      const redactor = new Redactor(environmentSecrets(process.env));
      const file = new FileReporter(format, own?.output ?? format.defaultPath, { redactor, out: process.stdout });
      const multiplexer = new Multiplexer([file], (name, error) => process.stderr.write(`${reporterErrorLine(name, error, (t) => redactor.text(t))}\n`));
      this.finished = forwardMochaRun(runner, (event) => multiplexer.emit(event)).finished;
    }

    /** Mocha waits for this before it ends the run: the file is written by then. */
    done(failures: number, fn?: (failures: number) => void): void {
      void this.finished.then(() => fn?.(failures));
    }
  };
}
