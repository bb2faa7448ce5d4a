import type { Reporter } from '../events/reporter.js';
import type { CompareReport } from '../compare/report.js';
import type { RunReport } from '../report/model.js';
import type { Redactor } from '../report/redact.js';

/** Where a reporter prints: standard output, or a test's buffer. */
export interface TextSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** What every reporter is made with. */
export interface ReporterContext {
  /** The run's redactor: nothing a reporter prints or writes may bypass it. */
  redactor: Redactor;
  /** Whether `out` takes colour (`--color`, FORCE_COLOR, NO_COLOR, a terminal). */
  colour: boolean;
  out: TextSink;
  /** `--reporter name:path`: where a file reporter writes ('-' is `out`). */
  path?: string;
}

/** Makes a reporter for one run. Registered by name; chosen as `--reporter <name>[:path]`. */
export type ReporterFactory = (context: ReporterContext) => Reporter;

/**
 * A report file format: rendering is a pure function of the report, so an interrupted run still
 * produces a well-formed file from what it has. `fileReporter` makes it a Reporter.
 */
export interface ReportFormat {
  name: string;
  /** Used when the command line gives no path, e.g. 'janus-scenarios-report.html'. */
  defaultPath: string;
  render(report: RunReport): string;
  /** A format that can show a comparison (`compare` with this reporter) beside the run: its page with the comparison in it. */
  renderWithCompare?(report: RunReport, compare: CompareReport): string;
}
