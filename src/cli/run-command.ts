import { relative } from 'node:path';
import { buildRunReport } from '../../reporters/build.js';
import type { ReportEntry } from '../../reporters/entry.js';
import ConsoleReporter from '../../reporters/console.js';
import { guardOutput } from '../../reporters/output-guard.js';
import { Redactor, urlSecrets } from '../report/redact.js';
import { cleanupWarnings, sessionsLeftLine } from '../report/warnings.js';
import { writeReports } from '../../reporters/write.js';
import type { CompiledScenario } from '../compile/scenario.js';
import { clip } from '../core/clip.js';
import { ExitCode } from '../core/exit-codes.js';
import { CoverageCollector } from '../coverage/collector.js';
import { renderCoverage } from '../coverage/report.js';
import { killAllJanusSync, stopAllJanus } from '../managed/index.js';
import { ExclusiveLock } from '../run/exclusive.js';
import type { RunEvent, ScenarioResult } from '../run/events.js';
import { runWithMocha, selectedByGrep, type PlannedTest } from '../mocha/adapter.js';
import { runScenario } from '../run/run-scenario.js';
import { randomSeed } from '../run/seeded.js';
import { validateSchema } from '../schemas/catalogue.js';
import { getTransport, transportNames } from '../transports/registry.js';
import { closestName } from '../core/diagnostic.js';
import { loadScenarios } from './load-scenarios.js';
import Mocha from 'mocha';
import { wantsColour } from '../../reporters/colour.js';
import { loadProjectConfig, mergeOptions } from './config.js';
import { parseOptions, RUN_OPTIONS, runSettings, UsageError, type RunSettings } from './options.js';
import { chooseReporters } from './reporters.js';
import { InfrastructureError, instanceKey, managedPlan, remotePlan, type Targets } from './targets.js';
import { selectShard } from '../plan/shard.js';
import type { TestInfo } from '../events/events.js';
import { replayEvents } from '../report/merge.js';
import { StandinEventRecorder } from './events-standin.js';
import { streamReporters } from './merge-reporters.js';

/** One scenario on one transport, before the run knows where it runs. */
interface Candidate {
  /** `${file}#${name}[${transport}]`, as reports name it. */
  id: string;
  file: string;
  suite: string;
  title: string;
  scenario: CompiledScenario;
  transport: string;
  entry: ReportEntry;
}

type Io = { out: (s: string) => void; err: (s: string) => void };

/** The command line over the project's config file (which may also name the scenario files). */
export async function readRunSettings(args: string[], command: string): Promise<RunSettings> {
  const { values, positionals } = parseOptions(args, RUN_OPTIONS, command);
  const config = await loadProjectConfig(process.cwd(), values.config as string | undefined, RUN_OPTIONS);
  return runSettings(mergeOptions(values, config), positionals.length > 0 ? positionals : config.files ?? [], process.env);
}

/** `janus-scenarios run`: load everything first (exit 2 on any problem), then run through mocha. */
export async function runCommand(args: string[], io: Io, options: { coverage?: boolean } = {}): Promise<number> {
  const settings = await readRunSettings(args, options.coverage ? 'coverage' : 'run');
  const colour = wantsColour(process.stdout, process.env, settings.colour);
  // Mocha's own reporters (dot, list, ...) follow the same decision.
  (Mocha.reporters.Base as unknown as { useColors: boolean }).useColors = colour;
  const reporters = await chooseReporters(settings.reporters);
  const loaded = await loadScenarios(settings.inputs, { fragments: false });
  if (loaded.problems) {
    io.err(loaded.problems);
    return ExitCode.invalidInput;
  }
  const transports = settings.transports ?? (settings.urls.length > 0 ? settings.urls.map(transportOfUrl) : ['http', 'ws']);
  checkTransportNames(transports);
  const scenarios = loaded.scenarios.filter((s) => settings.tags.length === 0 || s.tags.some((t) => settings.tags.includes(t)));
  if (scenarios.length === 0) {
    io.err('no scenarios to run' + (settings.tags.length ? ` with tags ${settings.tags.join(', ')}` : ''));
    return ExitCode.invalidInput;
  }
  const planned = selectedByGrep(
    scenarios.flatMap((scenario) => transports.map((transport) => ({
      id: `${scenario.file}#${scenario.name}[${transport}]`,
      file: scenario.file,
      suite: scenario.file,
      title: `${scenario.name} [${transport}]`,
      scenario,
      transport,
      entry: { file: scenario.file, name: scenario.name, transport, tags: scenario.tags },
    }))),
    settings.grep,
    settings.invert,
  );
  const candidates = settings.shard ? selectShard(planned, settings.shard.index, settings.shard.total) : planned;
  if (settings.shard && candidates.length === 0) {
    io.err(`shard ${settings.shard.index}/${settings.shard.total} has no tests: ${planned.length} test(s) in ${new Set(planned.map((c) => c.file)).size} file(s) are planned, and a file is never split`);
  }

  const seed = settings.seed ?? randomSeed();
  // The run's secrets: given as options or in the environment, and any credentials in its URLs.
  const secrets = [...Object.values(settings.secrets), ...[...settings.urls, ...settings.adminUrls].flatMap(urlSecrets)];
  const redactor = new Redactor(secrets);
  const unguard = guardOutput(redactor);
  const streams = streamReporters(reporters.stream, secrets);
  const recorder = streams.length > 0 ? new StandinEventRecorder() : undefined;
  const runInfo = { startedAt: Date.now(), interrupted: false, transports, seed, secrets, janusVersion: undefined as string | undefined };
  // Rendered from what is known at that moment: after the run, or at once on a second Ctrl-C.
  const writeFiles = (): void => {
    if (reporters.files.length === 0) return;
    const report = buildRunReport(candidates.map((c) => c.entry), { ...runInfo, finishedAt: Date.now() });
    for (const problem of writeReports(report, reporters.files)) io.err(`error: ${problem}`);
  };

  // Stand-in: the event stream, played to its reporters (blob) once the run is over.
  const emitStream = async (status: 'passed' | 'failed' | 'interrupted' | 'fault', faults: string[], serverVersions: Array<string | undefined> = []): Promise<void> => {
    if (!recorder) return;
    const events = recorder.stream(candidates.map((c, i) => ({ info: testInfo(c), entry: c.entry, serverVersion: serverVersions[i] })), {
      ...runInfo,
      shard: settings.shard && { ...settings.shard, allTestIds: planned.map((c) => c.id) },
      faults,
      status,
    });
    for (const reporter of streams) {
      await replayEvents(events, reporter).catch((e: Error) => io.err(`error: ${e.message}`));
    }
  };

  const interrupt = new AbortController();
  const onSignal = (): void => {
    if (runInfo.interrupted) {
      writeFiles();
      killAllJanusSync();
      process.exit(ExitCode.interrupted);
    }
    runInfo.interrupted = true;
    io.err('\ninterrupted: cleaning up (press Ctrl-C again to stop at once)');
    interrupt.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const common = { transports, secrets: settings.secrets, tls: settings.tls, janusBinary: settings.janusBinary, stepTimeoutMs: settings.stepTimeoutMs };
  let targets: Targets | undefined;
  try {
    const targetPlan = settings.urls.length > 0 ? await remotePlan(settings.urls, settings.adminUrls, common) : await managedPlan([...new Set(candidates.map((c) => c.scenario))], common);
    if (settings.list) {
      io.out(listing(candidates, targetPlan.skipFor));
      return ExitCode.passed;
    }
    targets = await targetPlan.start();
    const coverage = options.coverage ? new CoverageCollector() : undefined;
    const tests = plan(candidates, targets, settings, seed, interrupt.signal, (id) => listeners(coverage?.listener, recorder?.listener(id)));
    runInfo.janusVersion = tests.map((p) => p.serverVersion).find((v) => v !== undefined);
    const { failures, results, escaped } = await runWithMocha(tests, {
      ...settings,
      reporters: reporters.console,
      reporterOptions: { ...settings.reporterOptions, redactor, colour },
      redactor,
      signal: interrupt.signal,
    });
    writeFiles();
    if (coverage) io.out(renderCoverage(coverage, transports));
    const warnings = [...new Set(results.flatMap((r) => r.schemaWarnings))];
    if (warnings.length > 0) io.err(redactor.text(`schema warnings (${warnings.length}):\n${warnings.map((w) => `  ${w}`).join('\n')}`));
    // The console reporter says this itself; mocha's own reporters (dot, list, ...) do not.
    const sessionsLeft = results.reduce((n, r) => n + r.sessionsLeft.length, 0);
    if (sessionsLeft > 0 && !reporters.console.includes(ConsoleReporter)) {
      io.err(redactor.text(`warning: ${sessionsLeftLine(sessionsLeft)}:\n${results.flatMap(cleanupWarnings).map((w) => `  ${w}`).join('\n')}`));
    }
    const shortfall = skipVerdict(candidates, settings);
    for (const line of shortfall.lines) io.err(line);
    io.err(`seed: ${seed} (repeat the same transactions with --seed ${seed})`);
    // Errors no scenario could take: one line each, and the run cannot be trusted (exit 3).
    for (const line of escaped) io.err(`error: ${clip(redactor.text(line), 1000)}`);
    const status = runInfo.interrupted ? 'interrupted'
      : escaped.length > 0 || results.some((r) => r.failure?.kind === 'infrastructure') ? 'fault'
        : failures > 0 || shortfall.fails ? 'failed' : 'passed';
    await emitStream(status, escaped, tests.map((t) => t.serverVersion));
    return { interrupted: ExitCode.interrupted, fault: ExitCode.infrastructure, failed: ExitCode.scenarioFailed, passed: ExitCode.passed }[status];
  } catch (e) {
    if (e instanceof InfrastructureError) {
      // Nothing ran: the reports still say what was meant to run.
      writeFiles();
      await emitStream('fault', [e.message]);
      // Redacted whole, then cut: a server's reply quoted in the reason may be long.
      io.err(`error: ${clip(redactor.text(e.message), 1000)}`);
      return ExitCode.infrastructure;
    }
    throw e;
  } finally {
    await targets?.close();
    await stopAllJanus();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    unguard();
  }
}

/**
 * Skips are reported, and fail the run only when asked: `--fail-on-skip` (any skip) or
 * `--min-tests N` (fewer than N tests ran). A run where nothing ran says so in any case.
 */
function skipVerdict(candidates: Candidate[], settings: RunSettings): { lines: string[]; fails: boolean } {
  const skipped = candidates.filter((c) => c.entry.skipReason).length;
  const ran = candidates.filter((c) => c.entry.result).length;
  const lines: string[] = [];
  let fails = false;
  if (ran === 0 && skipped > 0) {
    const hint = settings.failOnSkip || settings.minTests > 0 ? '' : ' (--fail-on-skip or --min-tests N makes such a run fail)';
    lines.push(`all ${skipped} test(s) were skipped: nothing ran${hint}`);
  }
  if (settings.failOnSkip && skipped > 0) {
    lines.push(`failing the run: ${skipped} test(s) skipped and --fail-on-skip is set`);
    fails = true;
  }
  if (ran < settings.minTests) {
    lines.push(`failing the run: ${ran} test(s) ran, fewer than --min-tests ${settings.minTests}`);
    fails = true;
  }
  return { lines, fails };
}

/** `--list`: every planned test, one a line (file, name [transport], skip reason), then the counts. */
function listing(candidates: Candidate[], skipFor: (scenario: CompiledScenario, transport: string) => string | undefined): string {
  let skipped = 0;
  const lines = candidates.map((c) => {
    const reason = skipFor(c.scenario, c.transport);
    if (reason) skipped++;
    return `${relative(process.cwd(), c.scenario.file) || c.scenario.file}: ${c.title}${reason ? `  (skipped: ${reason})` : ''}`;
  });
  lines.push(`${candidates.length} test(s) planned: ${candidates.length - skipped} to run, ${skipped} skipped`);
  return lines.join('\n');
}

function plan(candidates: Candidate[], targets: Targets, settings: RunSettings, seed: string, signal: AbortSignal, listenerOf: (testId: string) => ((e: RunEvent) => void) | undefined): Array<PlannedTest & { serverVersion?: string }> {
  const locks = new Map<string, ExclusiveLock>();
  return candidates.map(({ id, suite, title, scenario, transport, entry }) => {
    const onEvent = listenerOf(id);
    const skip = (reason: string) => {
      entry.skipReason = reason;
      return { suite, title, skipReason: reason, entry, run: never };
    };
    const target = targets.targetFor(scenario, transport);
    if ('skip' in target) return skip(target.skip);
    if ('error' in target) return { suite, title, entry, run: async () => serverProblem(scenario, transport, target.error) };
    // One lock per Janus: the managed instance for this configuration, or the one --url server.
    const lockKey = settings.urls.length > 0 ? 'remote' : instanceKey(scenario);
    if (!locks.has(lockKey)) locks.set(lockKey, new ExclusiveLock());
    return {
      suite,
      title,
      entry,
      serverVersion: target.serverVersion,
      run: (stop) => locks.get(lockKey)!.run(scenario.requires.exclusive, () => runScenario(scenario, target, {
        seed, stepTimeoutMs: settings.stepTimeoutMs, scenarioTimeoutMs: settings.scenarioTimeoutMs, signal: stop ? AbortSignal.any([signal, stop]) : signal, validateSchema, schemaMode: settings.schemaMode, onEvent,
      })),
    };
  });
}

/** The result of a scenario whose Janus could not be started: failed as a server problem. */
function serverProblem(scenario: CompiledScenario, transport: string, summary: string): ScenarioResult {
  return {
    file: scenario.file,
    name: scenario.name,
    transport,
    status: 'failed',
    startedAt: Date.now(),
    durationMs: 0,
    failure: { kind: 'infrastructure', summary, span: scenario.span },
    cleanupFailures: [],
    sessionsLeft: [],
    transcript: [],
    saved: {},
    destroyedSessions: [],
    schemaWarnings: [],
    secretValues: [],
  };
}

function testInfo(c: Candidate): TestInfo {
  return { id: c.id, file: c.file, name: c.scenario.name, transport: c.transport, title: c.title, tags: c.scenario.tags, ...(c.entry.skipReason ? { skipReason: c.entry.skipReason } : {}) };
}

/** Every listener of a test's engine events. */
function listeners(...all: Array<((e: RunEvent) => void) | undefined>): ((e: RunEvent) => void) | undefined {
  const present = all.filter((l) => l !== undefined);
  return present.length === 0 ? undefined : (e) => present.forEach((l) => l(e));
}

function checkTransportNames(transports: string[]): void {
  for (const t of transports) {
    if (getTransport(t)) continue;
    const hint = closestName(t, transportNames());
    throw new UsageError(`unknown transport "${t}"${hint ? `; did you mean ${hint}?` : ''} (known: ${transportNames().join(', ')})`);
  }
}

function never(): never {
  throw new Error('a skipped test does not run');
}

function transportOfUrl(url: string): string {
  return /^([a-z]+):/i.exec(url)?.[1]?.toLowerCase() ?? url;
}
