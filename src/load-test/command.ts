import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { closestName } from '../core/diagnostic.js';
import { ExitCode } from '../core/exit-codes.js';
import { UsageError } from '../core/usage-error.js';
import type { CompiledScenario } from '../compile/scenario.js';
import { planUnlessInterrupted, type PlannedTest } from '../plan/index.js';
import { runTransports } from '../plan/candidates.js';
import { Redactor, urlSecrets } from '../report/redact.js';
import { writeOutput } from '../reporters/write.js';
import { runScenario, type RunTarget } from '../run/run-scenario.js';
import { loadReportHtml } from './html.js';
import { bucketMsFor, LoadMetrics } from './metrics.js';
import type { LoadSettings } from './options.js';
import { showProgress } from './progress.js';
import { buildReport, LOAD_REPORT_FORMAT, type LoadReport } from './report.js';
import type { LoadProblem } from '../core/diagnostic.js';
import { loadProblemsPage } from '../reporters/html/load-problems.js';
import { watchRunner } from './runner-usage.js';
import { ServerSessions } from './server-sessions.js';
import { summaryText } from './summary.js';
import { runUsers } from './virtual-users.js';

type Io = { out: (s: string) => void; err: (s: string) => void };

/** What the command needs from the CLI around it: loading files, Ctrl-C handling, stopping managed Janus. */
export interface LoadHost {
  loadScenarios(inputs: string[]): Promise<{ scenarios: CompiledScenario[]; problems?: string; problemList?: LoadProblem[]; problemCount?: number }>;
  withInterrupts<T>(say: (line: string) => void, atOnce: () => void, body: (signal: AbortSignal) => Promise<T>): Promise<T>;
  stopAllJanus(): Promise<void>;
  guardOutput(redactor: Redactor): () => void;
}

/** How often the server's sessions are counted during the run (Admin API list_sessions). */
const SESSION_SAMPLE_MS = 5000;
/** After the run, how long destroyed sessions may take to leave the server's list. */
const SESSIONS_SETTLE_MS = 3000;
/** How long the Admin API may take to destroy what a run left. */
const SWEEP_MS = 30_000;

/**
 * `janus-scenarios load <scenario>`: checks everything it can first (exit 2), plans one target
 * (a managed Janus with raised limits, or --url), runs the users, writes the reports (also when
 * interrupted), and exits 0, 1 (a threshold, failed iterations or sessions left), 3 or 130.
 */
export async function runLoad(settings: LoadSettings, host: LoadHost, io: Io): Promise<number> {
  const transport = settings.transport ?? (settings.urls.length > 0 ? runTransports(undefined, settings.urls)[0]! : 'ws');
  runTransports([transport], settings.urls);
  const loaded = await host.loadScenarios([settings.input]);
  if (loaded.problems) {
    io.err(loaded.problems);
    writeLoadProblemReports(settings, loaded.problemList ?? [], loaded.problemCount ?? 0, io);
    return ExitCode.invalidInput;
  }
  const scenario = oneScenario(loaded.scenarios, settings.input);
  checkThresholdSteps(settings, scenario);
  checkDescriptors(settings.schedule.users);
  const redactor = new Redactor([...Object.values(settings.secrets), ...[...settings.urls, ...settings.adminUrls].flatMap(urlSecrets)]);
  const unguard = host.guardOutput(redactor);
  try {
    // Ctrl-C from the first contact with a --url server on: it ends that contact at once.
    return await host.withInterrupts(io.err, () => undefined, async (interrupt) => {
      const managed = settings.urls.length === 0;
      const plan = await planUnlessInterrupted([managed ? withLoadLimits(scenario, settings.schedule.users) : scenario], {
        transports: [transport],
        urls: settings.urls,
        adminUrls: settings.adminUrls,
        secrets: settings.secrets,
        tls: settings.tls,
        janusBinary: settings.janusBinary,
        stepTimeoutMs: settings.stepTimeoutMs,
        scenarioTimeoutMs: settings.scenarioTimeoutMs,
        schemaMode: settings.schemaMode,
        signal: interrupt,
      });
      if (!plan) return ExitCode.interrupted;
      if (plan.fault) return fault(io, redactor, plan.fault);
      const test = plan.tests[0]!;
      if (test.info.skipReason) return fault(io, redactor, `cannot run ${scenario.file} over ${transport}: ${test.info.skipReason}`);
      const started = await plan.start();
      try {
        const target = started.target(test);
        if (!target) {
          // No target: asking to run the test gives its reason, without any I/O.
          const why = (await started.run(test, { seed: '0', signal: AbortSignal.abort() })).failure?.summary ?? 'its Janus did not start';
          return fault(io, redactor, `cannot run ${scenario.file} over ${transport}: ${why}`);
        }
        const report = await measure(test, target, settings, { managed, interrupt });
        redactor.add(Object.values(target.secrets));
        const code = finish(redactor.value(report), settings, io);
        const serverFault = code === ExitCode.scenarioFailed ? await serverProblem(report, target) : undefined;
        return serverFault ? fault(io, redactor, serverFault) : code;
      } finally {
        await started.close();
      }
    });
  } finally {
    await host.stopAllJanus();
    unguard();
  }
}

/** Runs the users against the target and builds the report. */
async function measure(test: PlannedTest, target: RunTarget, settings: LoadSettings, context: { managed: boolean; interrupt: AbortSignal }): Promise<LoadReport> {
  const { scenario } = test;
  const { schedule } = settings;
  const server = await ServerSessions.open(target);
  const sessions = 'sessions' in server ? server.sessions : undefined;
  const before = sessions ? await sessions.list() : undefined;
  const startedAtEpoch = Date.now();
  const metrics = new LoadMetrics(scenario, performance.now(), bucketMsFor(schedule.durationMs + schedule.gracefulStopMs));
  const runner = watchRunner();
  const progress = showProgress(metrics, schedule.durationMs, process.stderr);
  let peakOnServer: number | null = null;
  const sampler = before instanceof Set && sessions ? sampleSessions(sessions, before, metrics, (n) => (peakOnServer = Math.max(peakOnServer ?? 0, n))) : undefined;
  const seed = settings.seed ?? Math.floor(Math.random() * 2 ** 32).toString(36);
  let status: 'completed' | 'interrupted';
  try {
    status = await runUsers(schedule, (user, n, signal, onEvent) => runScenario(scenario, target, {
      seed: `${seed}:${user}:${n}`,
      signal,
      onEvent,
      stepTimeoutMs: settings.stepTimeoutMs,
      scenarioTimeoutMs: settings.scenarioTimeoutMs,
      schemaMode: settings.schemaMode,
    }), metrics, context.interrupt, target.serverGone);
  } finally {
    progress.stop();
    await sampler?.stop();
  }
  const elapsedMs = performance.now() - metrics.startedAt;
  const usage = runner.stop();
  const left = !sessions ? ('why' in server ? server.why : 'no Admin API') : typeof before === 'string' ? before : await sessions.leftSince(before!, SESSIONS_SETTLE_MS);
  // What the iterations' cleanup left is counted (it fails the run), then destroyed all the same.
  const sweep = sessions && before instanceof Set && Array.isArray(left) && left.length > 0 ? await sweepSessions(sessions, before, left) : undefined;
  await sessions?.close();
  return buildReport(metrics, {
    scenario: { file: scenario.file, name: scenario.name },
    transport: target.transport,
    target: { url: target.url, managed: context.managed, ...(target.serverVersion && { serverVersion: target.serverVersion }) },
    schedule,
    thresholds: settings.thresholds,
    startedAtEpoch,
    elapsedMs,
    interrupted: status === 'interrupted',
    runner: usage,
    sessions: { left, peakOnServer, ...(sweep && { sweep }) },
  });
}

/** Destroys through the Admin API the sessions a run left; how many it destroyed, and how many are still there. */
async function sweepSessions(sessions: ServerSessions, before: Set<number>, left: number[]): Promise<{ destroyed: number; stillLeft: number | null }> {
  const destroyed = await sessions.destroy(left, SWEEP_MS);
  const after = await sessions.leftSince(before, SESSIONS_SETTLE_MS);
  return { destroyed, stillLeft: Array.isArray(after) ? after.length : null };
}

/** Counts the run's sessions on the server every few seconds, one list_sessions at a time, until stopped. */
function sampleSessions(sessions: ServerSessions, before: Set<number>, metrics: LoadMetrics, peak: (n: number) => void): { stop: () => Promise<void> } {
  let pending: Promise<void> = Promise.resolve();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    pending = sessions.list().then((now) => {
      if (typeof now === 'string') return;
      let mine = 0;
      for (const id of now) if (!before.has(id)) mine++;
      peak(mine);
      metrics.noteSessionsOnServer(mine, performance.now());
    }).finally(() => (busy = false));
  }, SESSION_SAMPLE_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await pending;
    },
  };
}

/**
 * Prints the summary, writes the reports, and gives the exit code: as for run, an interrupted
 * run is 130, and otherwise a report asked for that could not be written is 3, whatever the
 * verdict (the other report is still written).
 */
function finish(report: LoadReport, settings: LoadSettings, io: Io): number {
  io.out(summaryText(report));
  const reports: Array<[string | undefined, () => string]> = [
    [settings.reportJson, () => `${JSON.stringify(report, null, 1)}\n`],
    [settings.reportHtml, () => loadReportHtml(report)],
  ];
  let written = true;
  for (const [path, text] of reports) {
    if (path === undefined) continue;
    if (writeOutput(path, text(), io)) io.err(`load report written to ${path}`);
    else written = false;
  }
  if (report.status === 'interrupted') return ExitCode.interrupted;
  if (!written) return ExitCode.infrastructure;
  return report.status === 'passed' ? ExitCode.passed : ExitCode.scenarioFailed;
}

/**
 * The scenario file failed to load: the reports asked for say so (JSON `status: "load-failed"`
 * with the problems, a page of them), never left as the last run's. Exit 2 all the same.
 */
function writeLoadProblemReports(settings: LoadSettings, problems: LoadProblem[], count: number, io: Io): void {
  const json = { format: LOAD_REPORT_FORMAT, status: 'load-failed', loadProblems: { count, problems } };
  if (settings.reportJson !== undefined) writeOutput(settings.reportJson, `${JSON.stringify(json, null, 1)}\n`, io);
  if (settings.reportHtml !== undefined) writeOutput(settings.reportHtml, loadProblemsPage(problems, count), io);
}

/**
 * A failed run whose cause is the server, not what it answered (exit 3): the managed Janus died,
 * or no iteration passed and every failure was a server problem (unreachable, dropped, silent).
 */
async function serverProblem(report: LoadReport, target: RunTarget): Promise<string | undefined> {
  const died = await target.deathReason?.().catch(() => undefined);
  if (died) return died;
  const kinds = report.errors.byKind;
  if (report.iterations.passed > 0 || kinds.length === 0 || kinds.some((e) => e.kind !== 'infrastructure')) return undefined;
  return `no iteration passed: the server did not serve them (${kinds[0]!.example})`;
}

function fault(io: Io, redactor: Redactor, line: string): number {
  io.err(`error: ${redactor.text(line)}`);
  return ExitCode.infrastructure;
}

function oneScenario(scenarios: CompiledScenario[], input: string): CompiledScenario {
  if (scenarios.length !== 1) throw new UsageError(`${input} holds ${scenarios.length} scenarios; load runs exactly one (give one scenario file)`);
  const scenario = scenarios[0]!;
  if (scenario.requires.media) throw new UsageError(`${scenario.file}: load runs signalling only; this scenario needs WebRTC peers (requires.media)`);
  return scenario;
}

/** A `step[NAME]` threshold must name a step of the scenario (a typo would never be checked). */
function checkThresholdSteps(settings: LoadSettings, scenario: CompiledScenario): void {
  const labels = new LoadMetrics(scenario, 0, 1000).steps.map((s) => s.label);
  for (const t of settings.thresholds) {
    if (t.scope.kind !== 'step' || labels.includes(t.scope.step)) continue;
    const hint = closestName(t.scope.step, labels);
    throw new UsageError(`--threshold ${JSON.stringify(t.expression)}: the scenario has no step "${t.scope.step}"${hint ? `; did you mean "${hint}"?` : ''} (steps: ${labels.map((l) => `"${l}"`).join(', ')})`);
  }
}

/**
 * Each user holds a socket or two (a WebSocket; HTTP: a POST and a long-poll), and so does a
 * managed Janus, which inherits this process's limit: both must be allowed that many open files.
 */
function checkDescriptors(users: number): void {
  const limit = openFileLimit();
  const needed = users * 3 + 256;
  if (limit !== undefined && needed > limit) {
    throw new UsageError(`${users} users need about ${needed} open files, more than this process (and a managed Janus) may open: ${limit}; raise it (ulimit -n) or give fewer users`);
  }
}

function openFileLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft === undefined || soft === 'unlimited' ? undefined : Number(soft);
  } catch {
    return undefined;
  }
}

/**
 * The managed Janus of a load run: Janus's HTTP server accepts FD_SETSIZE-4 (1020) connections
 * by default, fewer than the long-polls of a thousand users; it gets room for every user's
 * long-poll and POSTs (the scenario's own settings win).
 */
function withLoadLimits(scenario: CompiledScenario, users: number): CompiledScenario {
  const limits = { 'http.mhd_connection_limit': Math.max(1020, users * 3 + 256) };
  return { ...scenario, requires: { ...scenario.requires, janus: { ...limits, ...scenario.requires.janus } } };
}
