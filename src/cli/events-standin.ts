/*
 * STAND-IN, to be deleted when runSuite (src/suite/) emits the SuiteEvent stream itself: the
 * mocha-era run command records what the engine tells each test (RunEvents) and, once the run
 * is over, plays it as SuiteEvents to the reporters on the stream (the blob reporter). The
 * integrator drops this file and its calls in run-command.ts.
 */
import type { SuiteEvent, TestInfo } from '../events/events.js';
import type { ReportEntry } from '../../reporters/report-entry.js';
import type { RunEvent, ScenarioResult } from '../run/events.js';

interface Attempt {
  events: SuiteEvent[];
  result?: ScenarioResult;
}

export class StandinEventRecorder {
  private readonly attempts = new Map<string, Attempt[]>();

  /** The engine's events of one test, recorded under its id. */
  listener(testId: string): (event: RunEvent) => void {
    return (event) => {
      const attempts = this.attempts.get(testId) ?? [];
      this.attempts.set(testId, attempts);
      if (event.type === 'scenario:start') {
        attempts.push({ events: [{ type: 'test:begin', at: Date.now(), testId, attempt: attempts.length + 1 }] });
        return;
      }
      const current = attempts.at(-1);
      if (!current) return;
      if (event.type === 'scenario:end') current.result = event.result;
      else if (event.type === 'step:start') current.events.push({ type: 'step:begin', at: Date.now(), testId, title: event.title, span: event.span });
      else if (event.type === 'step:end') current.events.push({ type: 'step:end', at: Date.now(), testId, title: event.title, span: event.span, status: event.status, durationMs: event.durationMs });
      else current.events.push({ type: 'message', at: event.at, testId, entry: { at: event.at, client: event.client, api: event.api, direction: event.direction, message: event.message }, ...(event.route ? { route: event.route } : {}) });
    };
  }

  /**
   * The run as SuiteEvents: run:begin, each test's attempts (the last one ending with the result
   * the run kept), faults, the interrupt, run:end.
   */
  stream(tests: Array<{ info: TestInfo; entry: ReportEntry; serverVersion?: string }>, run: { startedAt: number; transports: string[]; seed?: string; shard?: { index: number; total: number; allTestIds: string[] }; interrupted: boolean; faults: string[]; status: 'passed' | 'failed' | 'interrupted' | 'fault'; janusVersion?: string }): SuiteEvent[] {
    const events: SuiteEvent[] = [{ type: 'run:begin', at: run.startedAt, tests: tests.map((t) => t.info), transports: run.transports, ...(run.seed ? { seed: run.seed } : {}), ...(run.shard ? { shard: run.shard } : {}) }];
    for (const { info, entry, serverVersion } of tests) {
      if (entry.skipReason) {
        events.push({ type: 'test:end', at: run.startedAt, testId: info.id, attempt: 1, retrying: false, result: skippedResult(entry, entry.skipReason, run.startedAt) });
        continue;
      }
      const attempts = this.attempts.get(info.id) ?? [];
      for (const [i, attempt] of attempts.entries()) {
        const last = i === attempts.length - 1;
        events.push(...attempt.events);
        const result = last ? entry.result : attempt.result;
        if (result) events.push({ type: 'test:end', at: result.startedAt + result.durationMs, testId: info.id, attempt: i + 1, retrying: !last, result, ...(serverVersion ? { serverVersion } : {}) });
      }
      // A Janus that could not start fails its tests without running them.
      if (attempts.length === 0 && entry.result) {
        events.push({ type: 'test:begin', at: entry.result.startedAt, testId: info.id, attempt: 1 });
        events.push({ type: 'test:end', at: entry.result.startedAt, testId: info.id, attempt: 1, retrying: false, result: entry.result });
      }
    }
    const end = Date.now();
    for (const message of run.faults) events.push({ type: 'fault', at: end, message });
    if (run.interrupted) events.push({ type: 'interrupt', at: end, signal: 'SIGINT' });
    events.push({ type: 'run:end', at: end, status: run.status, ...(run.janusVersion ? { janusVersion: run.janusVersion } : {}) });
    return events;
  }
}

function skippedResult(entry: ReportEntry, reason: string, at: number): ScenarioResult {
  return {
    file: entry.file, name: entry.name, transport: entry.transport, status: 'skipped', skipReason: reason, startedAt: at, durationMs: 0,
    cleanupFailures: [], transcript: [], saved: {}, destroyedSessions: [], sessionsLeft: [], schemaWarnings: [], secretValues: [],
  };
}
