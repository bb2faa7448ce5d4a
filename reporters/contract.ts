import type { RunReport } from './model.js';

/**
 * A reporter that writes one file from the finished (or interrupted) run. Registered by name, and
 * chosen on the command line as `--reporter <name>:<path>`. Rendering is a pure function of the
 * report, so an interrupted run still produces a well-formed file from what it has.
 */
export interface FileReporter {
  name: string;
  /** Used when the command line gives no path, e.g. 'janus-scenarios-report.html'. */
  defaultPath: string;
  render(report: RunReport): string;
}
