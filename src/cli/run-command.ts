import { relative } from 'node:path';
import type { CompiledScenario } from '../compile/scenario.js';
import { clip } from '../core/clip.js';
import { closestName } from '../core/diagnostic.js';
import { ExitCode } from '../core/exit-codes.js';
import type { RunEnd, SuiteEvent, TestInfo } from '../events/events.js';
import { Multiplexer, reporterErrorLine } from '../events/multiplexer.js';
import { killAllJanusSync, stopAllJanus } from '../managed/index.js';
import { forwardMochaRun } from '../mocha/from-runner.js';
import { runWithMocha, selectedByGrep, type PlannedTest } from '../mocha/adapter.js';
import { Redactor, urlSecrets } from '../report/redact.js';
import { cleanupWarnings, sessionsLeftLine } from '../report/warnings.js';
import { wantsColour } from '../reporters/colour.js';
import { ConsoleReporter } from '../reporters/console.js';
import { CoverageReporter } from '../reporters/coverage.js';
import { ExclusiveLock } from '../run/exclusive.js';
import type { RunEvent, ScenarioResult } from '../run/events.js';
import { runScenario } from '../run/run-scenario.js';
import { randomSeed } from '../run/seeded.js';
import { validateSchema } from '../schemas/catalogue.js';
import { getTransport, transportNames } from '../transports/registry.js';
import { loadProjectConfig, mergeOptions } from './config.js';
import { loadScenarios } from './load-scenarios.js';
import { guardOutput } from './output-guard.js';
import { parseOptions, RUN_OPTIONS, runSettings, UsageError, type RunSettings } from './options.js';
import { chooseReporters } from './reporters.js';
import { InfrastructureError, instanceKey, managedPlan, remotePlan, type Targets } from './targets.js';

/** One scenario on one transport, before the run knows where it runs. */
interface Candidate {
  info: TestInfo;
  scenario: CompiledScenario;
  transport: string;
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
  // The run's secrets: given as options or in the environment, and any credentials in its URLs.
  const secrets = [...Object.values(settings.secrets), ...[...settings.urls, ...settings.adminUrls].flatMap(urlSecrets)];
  const redactor = new Redactor(secrets);
  const reporters = await chooseReporters(settings.reporters, { redactor, colour, out: process.stdout, reporterOptions: settings.reporterOptions });
  if (options.coverage) reporters.push(new CoverageReporter({ redactor, out: process.stdout }));
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
  const candidates = selectedByGrep(
    scenarios.flatMap((scenario) => transports.map((transport) => ({
      info: { id: `${scenario.file}#${scenario.name}[${transport}]`, file: scenario.file, name: scenario.name, transport, title: `${scenario.name} [${transport}]`, tags: scenario.tags },
      scenario,
      transport,
    }))),
    settings.grep,
    settings.invert,
  );

  const seed = settings.seed ?? randomSeed();
  const unguard = guardOutput(redactor);
  // Every reporter hears the run through one multiplexer; one that throws is named once and dropped.
  const multiplexer = new Multiplexer(reporters, (name, error) => io.err(reporterErrorLine(name, error, (t) => redactor.text(t))));
  const run = { interrupted: false, begun: false, ended: false, janusVersion: undefined as string | undefined };
  const emit = (event: SuiteEvent): Promise<void> => multiplexer.emit(event);
  const begin = (tests: TestInfo[]): void => {
    run.begun = true;
    void emit({ type: 'run:begin', at: Date.now(), tests, transports, seed });
  };
  // Reporters write their files at run:end, synchronously: also from a second Ctrl-C that exits right after.
  const end = (status: RunEnd['status']): Promise<void> => {
    if (!run.begun) begin(candidates.map((c) => c.info));
    run.ended = true;
    return emit({ type: 'run:end', at: Date.now(), status, ...(run.janusVersion && { janusVersion: run.janusVersion }) });
  };

  const interrupt = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (run.interrupted) {
      if (!run.ended) void end('interrupted');
      killAllJanusSync();
      process.exit(ExitCode.interrupted);
    }
    run.interrupted = true;
    io.err('\ninterrupted: cleaning up (press Ctrl-C again to stop at once)');
    void emit({ type: 'interrupt', at: Date.now(), signal });
    interrupt.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const common = { transports, secrets: settings.secrets, tls: settings.tls, janusBinary: settings.janusBinary, stepTimeoutMs: settings.stepTimeoutMs };
  let targets: Targets | undefined;
  try {
    const targetPlan = settings.urls.length > 0 ? await remotePlan(settings.urls, settings.adminUrls, common) : await managedPlan(scenarios, common);
    if (settings.list) {
      io.out(listing(candidates, targetPlan.skipFor));
      return ExitCode.passed;
    }
    targets = await targetPlan.start();
    const planned = plan(candidates, targets, settings, seed, interrupt.signal, emit);
    run.janusVersion = planned.map((p) => p.serverVersion).find((v) => v !== undefined);
    begin(planned.map((p) => p.info));
    // Mocha still walks the tests (until the suite runner replaces it); its test events are forwarded.
    const forwarder = class {
      constructor(runner: Parameters<typeof forwardMochaRun>[0]) {
        forwardMochaRun(runner, emit, { run: false });
      }
    };
    const { failures, results, escaped, late } = await runWithMocha(planned, { ...settings, reporters: [forwarder], reporterOptions: {}, redactor, signal: interrupt.signal });
    for (const { info, result } of late) void emit({ type: 'test:end', at: Date.now(), testId: info.id, attempt: 1, result, retrying: false });
    const infrastructure = escaped.length > 0 || results.some((r) => r.failure?.kind === 'infrastructure');
    await end(run.interrupted ? 'interrupted' : infrastructure ? 'fault' : failures > 0 ? 'failed' : 'passed');
    const warnings = [...new Set(results.flatMap((r) => r.schemaWarnings))];
    if (warnings.length > 0) io.err(redactor.text(`schema warnings (${warnings.length}):\n${warnings.map((w) => `  ${w}`).join('\n')}`));
    // The console reporter says this itself; mocha's own reporters (dot, list, ...) do not.
    const sessionsLeft = results.reduce((n, r) => n + r.sessionsLeft.length, 0);
    if (sessionsLeft > 0 && !reporters.some((r) => r instanceof ConsoleReporter)) {
      io.err(redactor.text(`warning: ${sessionsLeftLine(sessionsLeft)}:\n${results.flatMap(cleanupWarnings).map((w) => `  ${w}`).join('\n')}`));
    }
    const shortfall = skipVerdict(planned, results, settings);
    for (const line of shortfall.lines) io.err(line);
    io.err(`seed: ${seed} (repeat the same transactions with --seed ${seed})`);
    // Errors no scenario could take: one line each, and the run cannot be trusted (exit 3).
    for (const line of escaped) io.err(`error: ${clip(redactor.text(line), 1000)}`);
    if (run.interrupted) return ExitCode.interrupted;
    if (infrastructure) return ExitCode.infrastructure;
    return failures > 0 || shortfall.fails ? ExitCode.scenarioFailed : ExitCode.passed;
  } catch (e) {
    if (e instanceof InfrastructureError) {
      // Nothing ran: the reports still say what was meant to run.
      await end('fault');
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
function skipVerdict(planned: PlannedTest[], results: ScenarioResult[], settings: RunSettings): { lines: string[]; fails: boolean } {
  const skipped = planned.filter((p) => p.info.skipReason).length;
  const ran = new Set(results.map((r) => `${r.file}#${r.name}[${r.transport}]`)).size;
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
    return `${relative(process.cwd(), c.scenario.file) || c.scenario.file}: ${c.info.title}${reason ? `  (skipped: ${reason})` : ''}`;
  });
  lines.push(`${candidates.length} test(s) planned: ${candidates.length - skipped} to run, ${skipped} skipped`);
  return lines.join('\n');
}

function plan(candidates: Candidate[], targets: Targets, settings: RunSettings, seed: string, signal: AbortSignal, emit: (event: SuiteEvent) => void): PlannedTest[] {
  const locks = new Map<string, ExclusiveLock>();
  return candidates.map(({ info, scenario, transport }) => {
    const target = targets.targetFor(scenario, transport);
    if ('skip' in target) return { info: { ...info, skipReason: target.skip }, run: never };
    if ('error' in target) return { info, run: async () => serverProblem(scenario, transport, target.error) };
    // One lock per Janus: the managed instance for this configuration, or the one --url server.
    const lockKey = settings.urls.length > 0 ? 'remote' : instanceKey(scenario);
    if (!locks.has(lockKey)) locks.set(lockKey, new ExclusiveLock());
    // The engine's messages join the suite's stream under this test's id (coverage reads them).
    const onEvent = (e: RunEvent): void => {
      if (e.type !== 'message') return;
      const { client, direction, message, at, api, route } = e;
      emit({ type: 'message', at, testId: info.id, entry: { at, client, direction, message, api }, ...(route && { route }) });
    };
    return {
      info,
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
