import { diffLines } from 'diff';
import { formatSpan } from '../../src/core/source.js';
import { failureText } from '../../src/report/failure-text.js';
import type { Failure, RunEvent, ScenarioResult } from '../../src/run/events.js';
import type { ReportedFailure, ReportedMessage, RunReport, ScenarioReport, ScenarioStatus } from '../../reporters/model.js';

/*
 * A small stand-in for the report builder, for reporter tests: maps engine results (and the
 * message events that carry each message's API) into a RunReport, blanking the given secrets.
 */

/** Collects one run's messages with their API, as the engine emits them. */
export class MessageLog {
  startedAt = Date.now();
  readonly messages: ReportedMessage[] = [];
  readonly onEvent = (event: RunEvent): void => {
    if (event.type === 'scenario:start') this.startedAt = Date.now();
    if (event.type === 'message') this.messages.push({ atMs: event.at - this.startedAt, client: event.client, direction: event.direction, api: event.api, message: event.message });
  };
}

export interface Ran {
  result: ScenarioResult;
  log: MessageLog;
  tags: string[];
}

export interface Skipped {
  file: string;
  name: string;
  transport: string;
  tags: string[];
  skipReason: string;
}

export function runReport(runs: Array<Ran | Skipped>, extra: { janusVersion: string; transports: string[]; secrets: string[]; startedAt: number }): RunReport {
  const redact = (text: string): string => extra.secrets.filter(Boolean).reduce((t, s) => t.split(s).join('[redacted]'), text);
  const clean = <T>(value: T): T => (value === undefined ? value : JSON.parse(redact(JSON.stringify(value))) as T);
  const scenarios = runs.map((run): ScenarioReport => {
    const base = 'result' in run ? run.result : run;
    const common = { id: `${base.file}#${base.name}[${base.transport}]`, title: `${base.name} [${base.transport}]`, file: base.file, name: base.name, transport: base.transport, tags: run.tags };
    if (!('result' in run)) return { ...common, status: 'skipped', skipReason: run.skipReason, durationMs: 0, cleanupFailures: [], messages: [], saved: {}, schemaWarnings: [] };
    const r = run.result;
    const reported = (f: Failure, text: string): ReportedFailure => clean({
      kind: f.kind, summary: f.summary, location: f.span && formatSpan(f.span), stepTitle: f.stepTitle, expected: f.expected, actual: f.actual,
      diff: f.expected !== undefined && f.actual !== undefined ? diffOf(f.expected, f.actual) : undefined, schemaViolations: f.schemaViolations, text,
    });
    return {
      ...common, status: r.status, durationMs: r.durationMs, startedAt: run.log.startedAt,
      failure: r.failure && reported(r.failure, redact(failureText(r))),
      cleanupFailures: r.cleanupFailures.map((f) => reported(f, f.summary)),
      messages: clean(run.log.messages), saved: clean(r.saved), schemaWarnings: r.schemaWarnings,
    };
  });
  const totals: Record<ScenarioStatus, number> = { passed: 0, failed: 0, skipped: 0, unfinished: 0 };
  for (const s of scenarios) totals[s.status]++;
  const finished = Date.now();
  return {
    format: 'janus-scenarios/report@1', tool: { name: 'janus-scenarios', version: '0.1.0' },
    startedAt: new Date(extra.startedAt).toISOString(), finishedAt: new Date(finished).toISOString(), durationMs: finished - extra.startedAt,
    interrupted: false, janusVersion: extra.janusVersion, transports: extra.transports, seed: 'html-report', totals, scenarios,
  };
}

function diffOf(expected: unknown, actual: unknown): string {
  const pretty = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;
  return diffLines(pretty(expected), pretty(actual))
    .flatMap((part) => part.value.replace(/\n$/, '').split('\n').map((l) => `${part.added ? '+' : part.removed ? '-' : ' '} ${l}`))
    .join('\n');
}
