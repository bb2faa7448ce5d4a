import type { ReportedMessage } from './model.js';

/** One message of a report as a line, the way failure texts show the last messages. */
export function messageLine(m: ReportedMessage): string {
  const body = JSON.stringify(m.message);
  return `+${String(m.atMs).padStart(5)}ms ${m.client} ${m.direction === 'out' ? '->' : '<-'} ${body}`;
}
