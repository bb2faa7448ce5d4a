import { corrected, encode, percentileMs, summarize, type Histogram, type LatencySummary } from './histogram.js';
import type { ErrorKind, LoadMetrics } from './metrics.js';
import type { RunnerUsage } from './runner-usage.js';
import { checkThreshold, type MeasuredFigures, type Threshold, type ThresholdOutcome, type ThresholdScope } from './thresholds.js';
import type { UserSchedule } from './virtual-users.js';

/** The version of the JSON load report's shape (docs/load.md). */
export const LOAD_REPORT_FORMAT = 'janus-scenarios-load/1';

/** The JSON load report: what `--report-json` writes, and what the HTML page and the summary show. */
export interface LoadReport {
  format: typeof LOAD_REPORT_FORMAT;
  status: 'passed' | 'failed' | 'interrupted';
  /** Why a run failed, one line each (thresholds, errors, sessions left). */
  reasons: string[];
  scenario: { file: string; name: string };
  transport: string;
  target: { url: string; managed: boolean; serverVersion?: string };
  settings: { users: number; rampMs: number; durationMs: number; paceMs: number | null; gracefulStopMs: number; maxIterations: number | null; thresholds: string[] };
  startedAt: string;
  elapsedMs: number;
  /** How the latencies avoid coordinated omission (docs/load.md). */
  latencyMethod: { method: 'intended-start' | 'expected-interval-correction'; expectedIntervalMs: number | null; note: string };
  users: { target: number; peak: number };
  /** Keepalives the clients sent (every 40% of the session timeout, spread over the period). */
  keepalives: number;
  iterations: { started: number; passed: number; failed: number; interrupted: number; skipped: number; perSecond: number; lateStarts: number; maxLagMs: number };
  requests: LatencySummary & { perSecond: number };
  iteration: LatencySummary;
  steps: Array<{ label: string; kind: string; location: string; request: boolean; passed: number; failed: number; latency: LatencySummary; uncorrected: LatencySummary; histogram: string }>;
  errors: { total: number; rate: number; byKind: ErrorKind[] };
  sessions: { leftOnServer: number | null; leftIds: number[]; checkedVia: string; peakOnServer: number | null; leftReportedByCleanup: number; destroyedByAdmin: number; stillLeft: number | null };
  runner: RunnerUsage;
  timeline: { intervalMs: number; points: Array<{ t: number; users: number; iterations: number; errors: number; requests: number; keepalives: number; p50: number; p95: number; p99: number; max: number; sessionsOnServer: number | null }> };
  thresholds: ThresholdOutcome[];
}

export interface ReportContext {
  scenario: { file: string; name: string };
  transport: string;
  target: LoadReport['target'];
  schedule: UserSchedule;
  thresholds: Threshold[];
  startedAtEpoch: number;
  elapsedMs: number;
  interrupted: boolean;
  runner: RunnerUsage;
  sessions: { left: number[] | string; peakOnServer: number | null; sweep?: { destroyed: number; stillLeft: number | null } };
}

/**
 * The report of a finished (or interrupted) run: percentiles from the histograms, corrected for
 * coordinated omission where the run was not paced, thresholds checked, the verdict and its reasons.
 */
export function buildReport(metrics: LoadMetrics, context: ReportContext): LoadReport {
  const interval = expectedInterval(metrics, context.schedule);
  const fix = (h: Histogram): Histogram => corrected(h, interval.expectedIntervalMs ?? undefined);
  const requests = fix(metrics.requests);
  const iteration = fix(metrics.iteration);
  const steps = metrics.steps.map((s) => ({ s, h: fix(s.histogram) }));
  const seconds = Math.max(0.001, context.elapsedMs / 1000);
  const finished = metrics.finished;
  const figures = measuredFigures(metrics, requests, iteration, steps, seconds);
  const thresholds = context.thresholds.map((t) => checkThreshold(t, figures));
  const reasons = failureReasons(metrics, context, thresholds);
  return {
    format: LOAD_REPORT_FORMAT,
    status: context.interrupted ? 'interrupted' : reasons.length > 0 ? 'failed' : 'passed',
    reasons,
    scenario: context.scenario,
    transport: context.transport,
    target: context.target,
    settings: {
      users: context.schedule.users,
      rampMs: context.schedule.rampMs,
      durationMs: context.schedule.durationMs,
      paceMs: context.schedule.paceMs ?? null,
      gracefulStopMs: context.schedule.gracefulStopMs,
      maxIterations: context.schedule.maxIterations ?? null,
      thresholds: context.thresholds.map((t) => t.expression),
    },
    startedAt: new Date(context.startedAtEpoch).toISOString(),
    elapsedMs: Math.round(context.elapsedMs),
    latencyMethod: interval,
    users: { target: context.schedule.users, peak: metrics.peakUsers },
    keepalives: metrics.keepalives,
    iterations: { ...metrics.iterations, perSecond: round(finished / seconds), lateStarts: metrics.late.starts, maxLagMs: round(metrics.late.maxLagMs) },
    requests: { ...summarize(requests, metrics.requests.totalCount), perSecond: round(metrics.requests.totalCount / seconds) },
    iteration: summarize(iteration, metrics.iteration.totalCount),
    steps: steps.map(({ s, h }) => ({ label: s.label, kind: s.kind, location: s.location, request: s.request, passed: s.passed, failed: s.failed, latency: summarize(h, s.histogram.totalCount), uncorrected: summarize(s.histogram), histogram: encode(h) })),
    errors: { total: metrics.iterations.failed, rate: finished === 0 ? 0 : round(metrics.iterations.failed / finished, 6), byKind: [...metrics.errors.values()].sort((a, b) => b.count - a.count) },
    sessions: sessionsPart(metrics, context.sessions),
    runner: context.runner,
    timeline: { intervalMs: metrics.bucketMs, points: metrics.timeline.map((b, i) => timelinePoint(b, (i * metrics.bucketMs) / 1000)) },
    thresholds,
  };
}

type StepHistograms = Array<{ s: LoadMetrics['steps'][number]; h: Histogram }>;

/** What thresholds are checked against: the corrected latencies, the errors, the counts. */
function measuredFigures(metrics: LoadMetrics, requests: Histogram, iteration: Histogram, steps: StepHistograms, seconds: number): MeasuredFigures {
  const finished = metrics.finished;
  return {
    latency(scope, stat) {
      const h = histogramOf(scope, requests, iteration, steps.map(({ s, h }) => ({ label: s.label, h })));
      if (!h || h.totalCount === 0) return undefined;
      if (stat === 'min') return summarize(h).min;
      if (stat === 'max') return summarize(h).max;
      if (stat === 'mean') return summarize(h).mean;
      return percentileMs(h, stat.percentile);
    },
    errors(scope) {
      if (scope.kind !== 'step') return { failed: metrics.iterations.failed, total: finished };
      const step = metrics.steps.find((s) => s.label === scope.step);
      return { failed: step?.failed ?? 0, total: (step?.failed ?? 0) + (step?.passed ?? 0) };
    },
    iterations: finished,
    rps: metrics.requests.totalCount / seconds,
  };
}

/**
 * Why the run failed, one line each: thresholds not met, failed iterations (unless a run-wide
 * errors threshold says how many may fail), sessions its cleanup left on the server.
 */
function failureReasons(metrics: LoadMetrics, context: ReportContext, thresholds: ThresholdOutcome[]): string[] {
  const reasons = thresholds.filter((t) => !t.ok).map((t) => `threshold not met: ${t.detail}`);
  const errorsBounded = context.thresholds.some((t) => t.metric.kind === 'errors' && t.scope.kind !== 'step');
  if (!errorsBounded && metrics.iterations.failed > 0) {
    reasons.push(`${metrics.iterations.failed} of ${metrics.finished} iteration(s) failed (give --threshold 'errors<1%' to allow some)`);
  }
  const left = context.sessions.left;
  if (Array.isArray(left) && left.length > 0) {
    reasons.push(`${left.length} session(s) of this run left on the server by its iterations' cleanup (${context.sessions.sweep?.destroyed ?? 0} destroyed afterwards through the Admin API)`);
  }
  return reasons;
}

/** Sessions left on the server (as the Admin API lists them, or why they could not be listed), and what became of them. */
function sessionsPart(metrics: LoadMetrics, sessions: ReportContext['sessions']): LoadReport['sessions'] {
  const left = sessions.left;
  const listed = Array.isArray(left);
  return {
    leftOnServer: listed ? left.length : null,
    leftIds: listed ? left.slice(0, 100) : [],
    checkedVia: listed ? 'Admin API list_sessions' : left,
    peakOnServer: sessions.peakOnServer,
    leftReportedByCleanup: metrics.cleanup.sessionsLeftReported,
    destroyedByAdmin: sessions.sweep?.destroyed ?? 0,
    stillLeft: sessions.sweep ? sessions.sweep.stillLeft : listed ? left.length : null,
  };
}

/** One bucket of the timeline, `t` seconds into the run. */
function timelinePoint(b: LoadMetrics['timeline'][number], t: number): LoadReport['timeline']['points'][number] {
  return {
    t,
    users: b.users,
    iterations: b.iterations,
    errors: b.errors,
    requests: b.requests.totalCount,
    keepalives: b.keepalives,
    p50: percentileMs(b.requests, 50),
    p95: percentileMs(b.requests, 95),
    p99: percentileMs(b.requests, 99),
    max: b.requests.totalCount === 0 ? 0 : b.requests.maxValue / 1000,
    sessionsOnServer: b.sessionsOnServer ?? null,
  };
}

/**
 * Paced runs are timed from each iteration's scheduled start, which already counts the time a
 * user was held up; back-to-back runs (the closed model) are corrected with HdrHistogram's
 * expected-interval method, the interval being the median iteration.
 */
function expectedInterval(metrics: LoadMetrics, schedule: UserSchedule): LoadReport['latencyMethod'] {
  if (schedule.paceMs !== undefined) {
    return { method: 'intended-start', expectedIntervalMs: null, note: `each iteration (and its first step) timed from its scheduled start, every ${schedule.paceMs}ms per user` };
  }
  const median = metrics.iteration.totalCount === 0 ? 0 : percentileMs(metrics.iteration, 50);
  return {
    method: 'expected-interval-correction',
    expectedIntervalMs: median > 0 ? round(median) : null,
    note: 'users ran iterations back to back; samples longer than the median iteration stand for the samples a stalled user could not take (HdrHistogram copyCorrectedForCoordinatedOmission)',
  };
}

function histogramOf(scope: ThresholdScope, requests: Histogram, iteration: Histogram, steps: Array<{ label: string; h: Histogram }>): Histogram | undefined {
  if (scope.kind === 'requests') return requests;
  if (scope.kind === 'iteration') return iteration;
  return steps.find((s) => s.label === scope.step)?.h;
}

function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
