import { formatSpan } from '../core/source.js';
import { toolVersion } from '../core/tool-version.js';
import type { FaultEvent, LoadProblemsEvent, MessageEvent, RunBegin, RunEnd, SuiteEvent, TestBegin, TestEnd, TestInfo } from '../events/events.js';
import { HANDLERS, type Reporter } from '../events/reporter.js';
import type { Failure, ScenarioResult, TranscriptEntry } from '../run/events.js';
import { diffText, failureBrief, failureText, mismatchLines } from './failure-text.js';
import type { ReportedFailure, ReportedMessage, RunReport, ScenarioReport, ScenarioStatus } from './model.js';
import { Redactor } from './redact.js';
import { cleanupWarnings } from './warnings.js';


/** What the builder knows of one test: its last attempt (a retry starts afresh), and how the earlier ones failed. */
interface Attempt {
  /** 1 for the first attempt. */
  number: number;
  /** The failures of the attempts before this one, oldest first. */
  earlier: ReportedFailure[];
  /** Epoch ms of the attempt's test:begin. */
  startedAt?: number;
  /** The messages of an attempt that never ended (Ctrl-C twice): its test:end would carry them all. */
  messages: TranscriptEntry[];
  result?: ScenarioResult;
}

export interface BuilderOptions {
  /**
   * The run's redactor, holding the run's own secrets (--api-secret, --token, --admin-secret,
   * credentials in URLs); each result's secret values are added to it. Default: none but those.
   */
  redactor?: Redactor;
}

/**
 * Builds the `RunReport` every file reporter renders from the suite's events and nothing else:
 * the tests `run:begin` planned, in that order; for each, the last attempt (a test that is
 * retried counts as its final attempt); a test that never ended, or that Ctrl-C stopped, is
 * 'unfinished'. Secrets are redacted here, once, over the whole report. It is itself a Reporter,
 * so it can sit in a multiplexer; `report()` may be asked at any time (a second Ctrl-C).
 */
export class ReportBuilder implements Reporter {
  readonly name: string = 'report builder';
  private begin?: RunBegin;
  private end?: RunEnd;
  private interrupted = false;
  /** Errors no test could take (`fault` events): the first is why tests that never ran did not. */
  private readonly faults: string[] = [];
  private serverVersion?: string;
  private readonly extra: TestInfo[] = [];
  private readonly attempts = new Map<string, Attempt>();
  private readonly redactor: Redactor;
  private loadFailed?: LoadProblemsEvent;

  constructor(options: BuilderOptions = {}) {
    this.redactor = options.redactor ?? new Redactor();
  }

  onRunBegin(event: RunBegin): void {
    this.begin = event;
  }

  onTestBegin(event: TestBegin): void {
    const previous = this.attempts.get(event.testId);
    const earlier = event.attempt > 1 && previous ? [...previous.earlier, ...attemptFailure(previous)] : [];
    this.attempts.set(event.testId, { number: event.attempt, earlier, startedAt: event.at, messages: [] });
  }

  onMessage(event: MessageEvent): void {
    this.attemptOf(event.testId).messages.push(event.entry);
  }

  onTestEnd(event: TestEnd): void {
    const attempt = this.attemptOf(event.testId);
    attempt.result = event.result;
    this.redactor.add(event.result.secretValues);
    this.serverVersion ??= event.serverVersion;
  }

  onInterrupt(): void {
    this.interrupted = true;
  }

  onFault(event: FaultEvent): void {
    this.faults.push(event.message);
  }

  onRunEnd(event: RunEnd): void {
    this.end = event;
    if (event.status === 'interrupted') this.interrupted = true;
  }

  /** The run that could not load its files: its report holds their problems and no scenario. */
  onLoadProblems(event: LoadProblemsEvent): void {
    this.loadFailed = event;
  }

  /** The report of what is known now; before `run:end`, `finishedAt` says when that is. */
  report(finishedAt = this.end?.at ?? this.loadFailed?.at ?? Date.now()): RunReport {
    const startedAt = this.begin?.at ?? finishedAt;
    const loadFailed = this.loadFailed;
    const fault = this.interrupted ? undefined : this.faults[0];
    const scenarios = this.tests().map((info) => scenarioReport(info, this.attempts.get(info.id), finishedAt, fault));
    const totals: Record<ScenarioStatus, number> = { passed: 0, failed: 0, skipped: 0, unfinished: 0 };
    for (const s of scenarios) totals[s.status]++;
    const janusVersion = this.end?.janusVersion ?? this.serverVersion;
    const seed = this.begin?.seed;
    const report: RunReport = {
      format: 'janus-scenarios/report@1',
      tool: { name: 'janus-scenarios', version: toolVersion() },
      startedAt: new Date(startedAt).toISOString(),
      finishedAt: new Date(finishedAt).toISOString(),
      durationMs: finishedAt - startedAt,
      interrupted: this.interrupted,
      ...(janusVersion ? { janusVersion } : {}),
      transports: this.begin?.transports ?? [...new Set(scenarios.map((s) => s.transport).filter(Boolean))],
      ...(seed ? { seed } : {}),
      totals,
      sessionsLeft: [...this.attempts.values()].reduce((n, a) => n + (a.result?.sessionsLeft.length ?? 0), 0),
      ...(this.faults.length > 0 && { faults: [...this.faults] }),
      ...(loadFailed && { status: 'load-failed' as const, loadProblems: { count: loadFailed.count, problems: loadFailed.problems } }),
      scenarios,
    };
    return this.redactor.value(report);
  }

  /** Planned tests in plan order, then any test the plan did not name, in the order it appeared. */
  private tests(): TestInfo[] {
    return [...(this.begin?.tests ?? []), ...this.extra];
  }

  private attemptOf(testId: string): Attempt {
    let attempt = this.attempts.get(testId);
    if (!attempt) {
      attempt = { number: 1, earlier: [], messages: [] };
      this.attempts.set(testId, attempt);
      if (!this.begin?.tests.some((t) => t.id === testId)) this.extra.push(unplannedInfo(testId));
    }
    return attempt;
  }
}

/** The report of a finished event stream (a blob read back, a test's synthetic run). */
export function buildReport(events: Iterable<SuiteEvent>, options: BuilderOptions = {}): RunReport {
  const builder = new ReportBuilder(options);
  for (const event of events) {
    const method = (builder as Reporter)[HANDLERS[event.type]] as ((e: SuiteEvent) => void) | undefined;
    method?.call(builder, event);
  }
  return builder.report();
}

/** How an attempt that was retried failed, in brief (the last attempt's failure is the report's own). */
function attemptFailure(attempt: Attempt): ReportedFailure[] {
  const f = attempt.result?.failure;
  return f ? [reportedFailure(f, failureBrief(f))] : [];
}

/** A test that ended without being planned: what its id says (`file#name[transport]`). */
function unplannedInfo(id: string): TestInfo {
  const match = /^(.*)#(.*)\[([^\]]*)\]$/.exec(id);
  const [file, name, transport] = match ? [match[1]!, match[2]!, match[3]!] : ['', id, ''];
  return { id, file, name, transport, title: transport ? `${name} [${transport}]` : name, tags: [] };
}

function scenarioReport(info: TestInfo, attempt: Attempt | undefined, finishedAt: number, fault: string | undefined): ScenarioReport {
  const base = {
    id: info.id,
    title: info.title,
    file: info.file,
    name: info.name,
    transport: info.transport,
    tags: info.tags,
    cleanupFailures: [] as ReportedFailure[],
    messages: [] as ReportedMessage[],
    saved: {},
    schemaWarnings: [] as string[],
    warnings: [] as string[],
  };
  const r = attempt?.result;
  const retried = attempt && attempt.number > 1 ? { attempts: attempt.number, earlierFailures: attempt.earlier } : {};
  const neverBegan = attempt?.startedAt === undefined;
  if ((info.skipReason && !r) || (r?.status === 'skipped' && neverBegan)) {
    return { ...base, status: 'skipped', skipReason: r?.skipReason ?? info.skipReason ?? 'skipped', durationMs: 0 };
  }
  if (!r) {
    const startedAt = attempt?.startedAt;
    if (startedAt === undefined) return { ...base, status: 'unfinished', durationMs: 0, ...(fault !== undefined && { failure: notRun(fault) }) };
    return { ...base, status: 'unfinished', durationMs: Math.max(0, finishedAt - startedAt), startedAt, ...retried, messages: reportedMessages(attempt!.messages, startedAt) };
  }
  return {
    ...base,
    status: scenarioStatus(r),
    ...(r.skipReason ? { skipReason: r.skipReason } : {}),
    ...(r.knownIssue ? { knownIssue: r.knownIssue } : {}),
    durationMs: r.durationMs,
    startedAt: r.startedAt,
    ...(r.failure ? { failure: reportedFailure(r.failure, failureText(r)) } : {}),
    ...(r.laterFailures?.length ? { laterFailures: r.laterFailures.map((f) => reportedFailure(f, failureBrief(f))) } : {}),
    cleanupFailures: r.cleanupFailures.map((f) => reportedFailure(f, failureBrief(f))),
    ...retried,
    messages: reportedMessages(r.transcript, r.startedAt),
    saved: r.saved,
    schemaWarnings: r.schemaWarnings,
    warnings: cleanupWarnings(r),
  };
}

function reportedMessages(transcript: readonly TranscriptEntry[], startedAt: number): ReportedMessage[] {
  return transcript.map((t) => ({ atMs: t.at - startedAt, client: t.client, direction: t.direction, api: t.api, ...(t.transport && { transport: t.transport }), message: t.message, ...(t.http && { http: t.http }), ...(t.connection && { connection: t.connection }) }));
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

/**
 * A test that never began in a run that was not interrupted, when an error no test could take
 * (`fault`: the server could not be reached or started, a mocha hook failed) came first: it is
 * unfinished, and that error is its reason, as a server problem (JUnit `<error type="infrastructure">`).
 */
function notRun(fault: string): ReportedFailure {
  return { kind: 'infrastructure', summary: fault, text: notRunBecause(fault) };
}

/** What did not run because of `fault`, in words (the console says the same). */
export function notRunBecause(fault: string): string {
  return `not run: ${fault}`;
}

/** Why a scenario without a result did not finish, for reporters that say so in words. */
export function stoppedWhy(s: ScenarioReport): string {
  if (s.failure?.kind === 'infrastructure') return s.failure.text;
  return s.startedAt ? 'the run stopped while it ran' : 'the run stopped before it started';
}

/** A result's status in reports: one Ctrl-C stopped is 'unfinished'. The console uses the same rule. */
export function scenarioStatus(result: ScenarioResult): ScenarioStatus {
  return result.failure?.kind === 'interrupted' ? 'unfinished' : result.status;
}
