import { readFileSync } from 'node:fs';
import { formatSpan } from '../src/core/source.js';
import { diffText, failureText, headline, mismatchLines } from '../src/report/failure-text.js';
import { cleanupWarnings } from '../src/report/warnings.js';
import type { Failure, ScenarioResult } from '../src/run/events.js';
import type { ReportEntry } from './report-entry.js';
import type { ReportedFailure, RunReport, ScenarioReport, ScenarioStatus } from './model.js';
import { Redactor } from '../src/report/redact.js';

export interface RunInfo {
  /** Epoch ms. */
  startedAt: number;
  finishedAt: number;
  interrupted: boolean;
  transports?: string[];
  seed?: string;
  janusVersion?: string;
  /** The run's own secrets (--api-secret, --token, --admin-secret); each result adds its own. */
  secrets?: Iterable<string | undefined>;
}

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * The report every file reporter renders, from what the run planned and what it learnt.
 * A scenario without a result, or one Ctrl-C stopped, is 'unfinished'. Secrets are redacted
 * here, once, over the whole report.
 */
export function buildRunReport(entries: readonly ReportEntry[], info: RunInfo): RunReport {
  const redactor = new Redactor(info.secrets).add(entries.flatMap((e) => e.result?.secretValues ?? []));
  const scenarios = entries.map(scenarioReport);
  const totals: Record<ScenarioStatus, number> = { passed: 0, failed: 0, skipped: 0, unfinished: 0 };
  for (const s of scenarios) totals[s.status]++;
  const transports = info.transports ?? [...new Set(scenarios.map((s) => s.transport).filter(Boolean))];
  const report: RunReport = {
    format: 'janus-scenarios/report@1',
    tool: { name: 'janus-scenarios', version: VERSION },
    startedAt: new Date(info.startedAt).toISOString(),
    finishedAt: new Date(info.finishedAt).toISOString(),
    durationMs: info.finishedAt - info.startedAt,
    interrupted: info.interrupted,
    ...(info.janusVersion ? { janusVersion: info.janusVersion } : {}),
    transports,
    ...(info.seed ? { seed: info.seed } : {}),
    totals,
    sessionsLeft: entries.reduce((n, e) => n + (e.result?.sessionsLeft.length ?? 0), 0),
    scenarios,
  };
  return redactor.value(report);
}

function scenarioReport(entry: ReportEntry): ScenarioReport {
  const r = entry.result;
  const base = {
    id: `${entry.file}#${entry.name}[${entry.transport}]`,
    title: entry.transport ? `${entry.name} [${entry.transport}]` : entry.name,
    file: entry.file,
    name: entry.name,
    transport: entry.transport,
    tags: entry.tags,
    cleanupFailures: [] as ReportedFailure[],
    messages: [],
    saved: {},
    schemaWarnings: [],
    warnings: [],
  };
  if (entry.skipReason) return { ...base, status: 'skipped', skipReason: entry.skipReason, durationMs: 0 };
  if (entry.plain) return plainReport(base, entry.plain);
  if (!r) return { ...base, status: 'unfinished', durationMs: entry.startedAt ? Date.now() - entry.startedAt : 0, ...(entry.startedAt ? { startedAt: entry.startedAt } : {}) };
  return {
    ...base,
    status: scenarioStatus(r),
    ...(r.skipReason ? { skipReason: r.skipReason } : {}),
    ...(r.knownIssue ? { knownIssue: r.knownIssue } : {}),
    durationMs: r.durationMs,
    startedAt: r.startedAt,
    ...(r.failure ? { failure: reportedFailure(r.failure, failureText(r)) } : {}),
    cleanupFailures: r.cleanupFailures.map((f) => reportedFailure(f, `${headline(f)}${f.span ? `\n  at ${formatSpan(f.span)}` : ''}`)),
    messages: r.transcript.map((t) => ({ atMs: t.at - r.startedAt, client: t.client, direction: t.direction, api: t.api, message: t.message, ...(t.http && { http: t.http }) })),
    saved: r.saved,
    schemaWarnings: r.schemaWarnings,
    warnings: cleanupWarnings(r),
  };
}

function reportedFailure(f: Failure, text: string): ReportedFailure {
  return {
    kind: f.kind,
    summary: f.summary,
    ...(f.span ? { location: formatSpan(f.span) } : {}),
    ...(f.stepTitle ? { stepTitle: f.stepTitle } : {}),
    ...(f.expected !== undefined ? { expected: f.expected } : {}),
    ...(f.actual !== undefined ? { actual: f.actual } : {}),
    ...(f.mismatches?.length ? { mismatches: f.mismatches.map((m) => ({ at: m.at, expected: m.expected, actual: m.actual })), mismatchLines: mismatchLines(f) } : {}),
    ...(f.expected !== undefined && f.actual !== undefined && f.mismatches?.length ? { diff: diffText(f.expected, f.actual, f.mismatches) } : {}),
    ...(f.schemaViolations?.length ? { schemaViolations: f.schemaViolations } : {}),
    text,
  };
}

function plainReport(base: Omit<ScenarioReport, 'status' | 'durationMs'>, plain: NonNullable<ReportEntry['plain']>): ScenarioReport {
  const status: ScenarioStatus = plain.state === 'pending' ? 'skipped' : plain.state;
  const failure: ReportedFailure | undefined = plain.error === undefined ? undefined : { kind: 'assertion', summary: plain.error.split('\n')[0]!, text: plain.error };
  return { ...base, status, durationMs: plain.durationMs, ...(failure ? { failure } : {}) };
}

/** Why a scenario without a result did not finish, for reporters that say so in words. */
export function stoppedWhy(s: ScenarioReport): string {
  return s.startedAt ? 'the run stopped while it ran' : 'the run stopped before it started';
}

/** Exposed for reporters that show results as they come (the console), with the same rules. */
export function scenarioStatus(result: ScenarioResult): ScenarioStatus {
  return result.failure?.kind === 'interrupted' ? 'unfinished' : result.status;
}
