import type { ReportFormat } from './contract.js';

/** The report model itself: every result, every message with its time. */
export const jsonFormat: ReportFormat = {
  name: 'json',
  defaultPath: 'janus-scenarios-report.json',
  render: (report) => `${printableJson(JSON.stringify(report, null, 2))}\n`,
};

/**
 * JSON.stringify escapes C0 controls; C1 controls, DEL, line separators and bidi overrides it
 * leaves raw, and they would act on a terminal reading `json:-`. Escaped, the data is the same.
 */
function printableJson(json: string): string {
  return json.replace(/[\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

