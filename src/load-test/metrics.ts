import type { SourceSpan } from '../core/source.js';
import { formatSpan } from '../core/source.js';
import type { CompiledScenario } from '../compile/scenario.js';
import type { Failure, ScenarioResult } from '../run/events.js';
import { latencyHistogram, recordMs, type Histogram } from './histogram.js';

/** Steps that wait on purpose (think time, a quiet window): timed per step, never part of `requests`. */
const WAITING_KINDS = new Set(['sleep', 'no_event']);
/** Error kinds keep one example each; the rest are counted. */
const EXAMPLE_CHARS = 300;

export interface StepStats {
  /** The step's title, made unique with " #2", " #3" when titles repeat. */
  label: string;
  kind: string;
  location: string;
  /** Part of the `requests` figures (every step but sleep and no_event). */
  request: boolean;
  cleanup: boolean;
  histogram: Histogram;
  passed: number;
  failed: number;
}

export interface ErrorKind {
  kind: Failure['kind'];
  step?: string;
  count: number;
  example: string;
}

/** One interval of the run, for the latency-over-time chart. */
export interface TimelineBucket {
  iterations: number;
  errors: number;
  /** Request steps that passed in this interval: a coarser histogram (2 digits) per interval. */
  requests: Histogram;
  users: number;
  /** Keepalives the users' clients sent in this interval. */
  keepalives: number;
  sessionsOnServer?: number;
}

/** Everything a load run measures; the runner records into it, the report reads it. */
export class LoadMetrics {
  readonly steps: StepStats[];
  private readonly bySpan = new Map<SourceSpan, StepStats>();
  readonly requests = latencyHistogram();
  readonly iteration = latencyHistogram();
  readonly iterations = { started: 0, passed: 0, failed: 0, interrupted: 0, skipped: 0 };
  /** Paced runs: iterations that started after their scheduled time, and by how much at most. */
  readonly late = { starts: 0, maxLagMs: 0 };
  readonly errors = new Map<string, ErrorKind>();
  readonly timeline: TimelineBucket[] = [];
  /** Since the progress line last read it. */
  window = { requests: latencyHistogram(2), iterations: 0 };
  /** Sessions destroyed by the engine's cleanup, and those its cleanup reported left. */
  readonly cleanup = { sessionsLeftReported: 0 };
  users = 0;
  peakUsers = 0;
  keepalives = 0;

  constructor(scenario: CompiledScenario, readonly startedAt: number, readonly bucketMs: number) {
    this.steps = stepTable(scenario);
    for (const [span, stats] of zipSpans(scenario, this.steps)) this.bySpan.set(span, stats);
  }

  stepOf(span: SourceSpan): StepStats | undefined {
    return this.bySpan.get(span);
  }

  /** A step that ended: its latency (ms, from its intended start) when it passed, and where in the run (performance.now()). */
  recordStep(span: SourceSpan, ms: number, passed: boolean, at: number): void {
    const step = this.bySpan.get(span);
    if (!step) return;
    if (!passed) {
      step.failed++;
      return;
    }
    step.passed++;
    recordMs(step.histogram, ms);
    if (!step.request || step.cleanup) return;
    recordMs(this.requests, ms);
    recordMs(this.bucket(at).requests, ms);
    recordMs(this.window.requests, ms);
  }

  /** An iteration that ended, with its duration (ms, from its intended start). */
  recordIteration(result: ScenarioResult, ms: number, at: number): void {
    const bucket = this.bucket(at);
    this.cleanup.sessionsLeftReported += result.sessionsLeft.length;
    if (result.status === 'skipped') {
      this.iterations.skipped++;
      return;
    }
    if (result.failure?.kind === 'interrupted') {
      this.iterations.interrupted++;
      return;
    }
    this.window.iterations++;
    bucket.iterations++;
    if (result.status === 'passed') {
      this.iterations.passed++;
      recordMs(this.iteration, ms);
      return;
    }
    this.iterations.failed++;
    bucket.errors++;
    this.noteError(result.failure!);
  }

  noteKeepalive(at: number): void {
    this.keepalives++;
    this.bucket(at).keepalives++;
  }

  noteLateStart(lagMs: number): void {
    this.late.starts++;
    this.late.maxLagMs = Math.max(this.late.maxLagMs, lagMs);
  }

  noteUsers(users: number, at: number): void {
    this.users = users;
    this.peakUsers = Math.max(this.peakUsers, users);
    const bucket = this.bucket(at);
    bucket.users = Math.max(bucket.users, users);
  }

  noteSessionsOnServer(count: number, at: number): void {
    const bucket = this.bucket(at);
    bucket.sessionsOnServer = Math.max(bucket.sessionsOnServer ?? 0, count);
  }

  /** The progress line's window: read and start a new one. */
  takeWindow(): LoadMetrics['window'] {
    const window = this.window;
    this.window = { requests: latencyHistogram(2), iterations: 0 };
    return window;
  }

  get finished(): number {
    return this.iterations.passed + this.iterations.failed;
  }

  private noteError(failure: Failure): void {
    const step = failure.span ? this.bySpan.get(failure.span)?.label ?? failure.stepTitle : failure.stepTitle;
    const key = `${failure.kind}\u0000${step ?? ''}`;
    const known = this.errors.get(key);
    if (known) known.count++;
    else this.errors.set(key, { kind: failure.kind, ...(step !== undefined && { step }), count: 1, example: failure.summary.slice(0, EXAMPLE_CHARS) });
  }

  private bucket(at: number): TimelineBucket {
    const index = Math.max(0, Math.floor((at - this.startedAt) / this.bucketMs));
    // Buckets are made as the run reaches them: a bounded number (the run's length / bucketMs).
    while (this.timeline.length <= index) this.timeline.push({ iterations: 0, errors: 0, requests: latencyHistogram(2), users: this.users, keepalives: 0 });
    return this.timeline[index]!;
  }
}

/** The scenario's steps and cleanup steps, each with a unique label. */
function stepTable(scenario: CompiledScenario): StepStats[] {
  const seen = new Map<string, number>();
  const row = (step: CompiledScenario['steps'][number], cleanup: boolean): StepStats => {
    const title = cleanup ? `cleanup: ${step.title}` : step.title;
    const n = (seen.get(title) ?? 0) + 1;
    seen.set(title, n);
    return {
      label: n === 1 ? title : `${title} #${n}`,
      kind: step.kind,
      location: formatSpan(step.span),
      request: !WAITING_KINDS.has(step.kind),
      cleanup,
      histogram: latencyHistogram(),
      passed: 0,
      failed: 0,
    };
  };
  return [...scenario.steps.map((s) => row(s, false)), ...scenario.cleanup.map((s) => row(s, true))];
}

function zipSpans(scenario: CompiledScenario, rows: StepStats[]): Array<[SourceSpan, StepStats]> {
  return [...scenario.steps, ...scenario.cleanup].map((step, i) => [step.span, rows[i]!]);
}

/** How long one interval of the timeline is: a second, or longer so a long run has at most ~300 of them. */
export function bucketMsFor(totalMs: number): number {
  return Math.max(1000, Math.ceil(totalMs / 300 / 1000) * 1000);
}
