import Mocha from 'mocha';
import type { Reporter } from '../events/reporter.js';
import { Multiplexer, reporterErrorLine } from '../events/multiplexer.js';
import { environmentSecrets, Redactor } from '../report/redact.js';
import { wantsColour } from '../reporters/colour.js';
import { ConsoleReporter } from '../reporters/console.js';
import type { ReportFormat, ReporterContext } from '../reporters/contract.js';
import { FileReporter } from '../reporters/file.js';
import { htmlFormat } from '../reporters/html/index.js';
import { jsonFormat } from '../reporters/json.js';
import { junitFormat } from '../reporters/junit.js';
import { tapFormat } from '../reporters/tap.js';
import { forwardMochaRun } from './from-runner.js';

type MochaReporter = new (runner: Mocha.Runner, options?: Mocha.MochaOptions) => Mocha.reporters.Base;

/**
 * One of our reporters as a mocha reporter, for runs under plain mocha. Mocha's run becomes
 * the suite's events (from-runner.ts) and the reporter hears them as it would in the CLI.
 * Scenario tests (describeScenarios) carry their results; other tests are reported from what
 * mocha knows. Secrets come from JANUS_API_SECRET, JANUS_TOKEN and JANUS_ADMIN_SECRET and from
 * each result.
 */
export function mochaReporterOf(make: (context: ReporterContext, options: Record<string, string>) => Reporter): MochaReporter {
  return class extends Mocha.reporters.Base {
    private readonly finished: Promise<void>;

    constructor(runner: Mocha.Runner, options: Mocha.MochaOptions = {}) {
      super(runner, options);
      const own = ((options.reporterOptions ?? (options as { reporterOption?: unknown }).reporterOption) ?? {}) as Record<string, string>;
      const redactor = new Redactor(environmentSecrets(process.env));
      const context = { redactor, colour: wantsColour(process.stdout, process.env, (options as { color?: boolean }).color), out: process.stdout };
      const multiplexer = new Multiplexer([make(context, own)], (name, error) => process.stderr.write(`${reporterErrorLine(name, error, (t) => redactor.text(t))}\n`));
      this.finished = forwardMochaRun(runner, (event) => multiplexer.emit(event)).finished;
    }

    /** Mocha waits for this before it ends the run: files are written by then. */
    done(failures: number, fn?: (failures: number) => void): void {
      void this.finished.then(() => fn?.(failures));
    }
  };
}

/**
 * A report format as a mocha reporter:
 * `mocha --reporter ./node_modules/janus-scenarios/dist/reporters/junit.js --reporter-option output=junit.xml`.
 */
export function mochaReporterFor(format: ReportFormat): MochaReporter {
  return mochaReporterOf((context, options) => new FileReporter(format, options.output ?? format.defaultPath, context));
}

/** The console as a mocha reporter: `mocha --reporter ./node_modules/janus-scenarios/dist/reporters/console.js`. */
export const MochaConsoleReporter: MochaReporter = mochaReporterOf((context) => new ConsoleReporter(context));

/** The published mocha reporters (dist/reporters/*.js re-export these). */
export const MochaJunitReporter: MochaReporter = mochaReporterFor(junitFormat);
export const MochaJsonReporter: MochaReporter = mochaReporterFor(jsonFormat);
export const MochaTapReporter: MochaReporter = mochaReporterFor(tapFormat);
export const MochaHtmlReporter: MochaReporter = mochaReporterFor(htmlFormat);
