import type { FileReporter } from './contract.js';
import { mochaReporterFor } from './mocha-file.js';

/** The report model itself: every result, every message with its time. */
export const jsonReporter: FileReporter = {
  name: 'json',
  defaultPath: 'janus-scenarios-report.json',
  render: (report) => `${JSON.stringify(report, null, 2)}\n`,
};

export default mochaReporterFor(jsonReporter);
