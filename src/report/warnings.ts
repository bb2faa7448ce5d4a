import type { ScenarioResult } from '../run/events.js';

/**
 * Warnings a scenario carries whatever its verdict: what its cleanup could not do. Every
 * reporter shows them with the scenario, and the run's count of sessions that may be left.
 */
export function cleanupWarnings(result: Pick<ScenarioResult, 'sessionsLeft'>): string[] {
  return result.sessionsLeft.map((s) => `session ${s.sessionId} (client ${s.client}) may be left on the server: ${s.reason}`);
}

/** "2 sessions may be left on the server" for a run's summary line. */
export function sessionsLeftLine(count: number): string {
  return `${count} session${count === 1 ? '' : 's'} may be left on the server (cleanup could not destroy ${count === 1 ? 'it' : 'them'})`;
}
