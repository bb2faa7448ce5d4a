import { buildRunReport } from '../../reporters/build.js';
import type { ReportEntry } from '../../reporters/entry.js';
import ConsoleReporter from '../../reporters/console.js';
import { guardOutput } from '../../reporters/output-guard.js';
import { Redactor, urlSecrets } from '../../reporters/redact.js';
import { cleanupWarnings, sessionsLeftLine } from '../report/warnings.js';
import { writeReports } from '../../reporters/write.js';
import type { CompiledScenario } from '../compile/scenario.js';
import { clip } from '../core/clip.js';
import { ExitCode } from '../core/exit-codes.js';
import { CoverageCollector } from '../coverage/collector.js';
import { renderCoverage } from '../coverage/report.js';
import { killAllJanusSync, stopAllJanus } from '../managed/index.js';
import { ExclusiveLock } from '../run/exclusive.js';
import type { RunEvent } from '../run/events.js';
import { runWithMocha, selectedByGrep, type PlannedTest } from '../mocha/adapter.js';
import { runScenario } from '../run/run-scenario.js';
import { randomSeed } from '../run/seeded.js';
import { validateSchema } from '../schemas/catalogue.js';
import { getTransport } from '../transports/registry.js';
import { loadScenarios } from './load-scenarios.js';
import { parseRunArgs, UsageError } from './options.js';
import { chooseReporters } from './reporters.js';
import { InfrastructureError, instanceKey, managedTargets, remoteTargets, type Targets } from './targets.js';

/** One scenario on one transport, before the run knows where it runs. */
interface Candidate {
  suite: string;
  title: string;
  scenario: CompiledScenario;
  transport: string;
  entry: ReportEntry;
}

/** `janus-scenarios run`: load everything first (exit 2 on any problem), then run through mocha. */
export async function runCommand(args: string[], io: { out: (s: string) => void; err: (s: string) => void }, options: { coverage?: boolean } = {}): Promise<number> {
  const settings = parseRunArgs(args, process.env);
  const reporters = await chooseReporters(settings.reporters);
  const loaded = await loadScenarios(settings.inputs, { fragments: false });
  if (loaded.problems) {
    io.err(loaded.problems);
    return ExitCode.invalidInput;
  }
  const transports = settings.transports ?? (settings.urls.length > 0 ? settings.urls.map(transportOfUrl) : ['http', 'ws']);
  for (const t of transports) if (!getTransport(t)) throw new UsageError(`unknown transport "${t}"`);
  const scenarios = loaded.scenarios.filter((s) => settings.tags.length === 0 || s.tags.some((t) => settings.tags.includes(t)));
  if (scenarios.length === 0) {
    io.err('no scenarios to run' + (settings.tags.length ? ` with tags ${settings.tags.join(', ')}` : ''));
    return ExitCode.invalidInput;
  }
  const candidates = selectedByGrep(
    scenarios.flatMap((scenario) => transports.map((transport) => ({
      suite: scenario.file,
      title: `${scenario.name} [${transport}]`,
      scenario,
      transport,
      entry: { file: scenario.file, name: scenario.name, transport, tags: scenario.tags },
    }))),
    settings.grep,
    settings.invert,
  );

  const seed = settings.seed ?? randomSeed();
  // The run's secrets: given as options or in the environment, and any credentials in its URLs.
  const secrets = [...Object.values(settings.secrets), ...[...settings.urls, ...settings.adminUrls].flatMap(urlSecrets)];
  const redactor = new Redactor(secrets);
  const unguard = guardOutput(redactor);
  const runInfo = { startedAt: Date.now(), interrupted: false, transports, seed, secrets, janusVersion: undefined as string | undefined };
  // Rendered from what is known at that moment: after the run, or at once on a second Ctrl-C.
  const writeFiles = (): void => {
    if (reporters.files.length === 0) return;
    const report = buildRunReport(candidates.map((c) => c.entry), { ...runInfo, finishedAt: Date.now() });
    for (const problem of writeReports(report, reporters.files)) io.err(`error: ${problem}`);
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

  let targets: Targets | undefined;
  try {
    const common = { transports, secrets: settings.secrets, tls: settings.tls, janusBinary: settings.janusBinary, stepTimeoutMs: settings.stepTimeoutMs };
    targets = settings.urls.length > 0 ? await remoteTargets(settings.urls, settings.adminUrls, common) : await managedTargets(scenarios, common);
    const coverage = options.coverage ? new CoverageCollector() : undefined;
    const planned = plan(candidates, targets, settings, seed, interrupt.signal, coverage?.listener);
    runInfo.janusVersion = planned.map((p) => p.serverVersion).find((v) => v !== undefined);
    const { failures, results } = await runWithMocha(planned, {
      ...settings,
      reporters: reporters.console,
      reporterOptions: { ...settings.reporterOptions, redactor },
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
    io.err(`seed: ${seed} (repeat the same transactions with --seed ${seed})`);
    if (runInfo.interrupted) return ExitCode.interrupted;
    if (results.some((r) => r.failure?.kind === 'infrastructure')) return ExitCode.infrastructure;
    return failures > 0 ? ExitCode.scenarioFailed : ExitCode.passed;
  } catch (e) {
    if (e instanceof InfrastructureError) {
      // Nothing ran: the reports still say what was meant to run.
      writeFiles();
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

function plan(candidates: Candidate[], targets: Targets, settings: ReturnType<typeof parseRunArgs>, seed: string, signal: AbortSignal, onEvent?: (e: RunEvent) => void): Array<PlannedTest & { serverVersion?: string }> {
  const locks = new Map<string, ExclusiveLock>();
  return candidates.map(({ suite, title, scenario, transport, entry }) => {
    const skip = (reason: string) => {
      entry.skipReason = reason;
      return { suite, title, skipReason: reason, entry, run: never };
    };
    if (scenario.requires.transports && !scenario.requires.transports.includes(transport)) return skip(`runs only on ${scenario.requires.transports.join(', ')}`);
    const target = targets.targetFor(scenario, transport);
    if ('skip' in target) return skip(target.skip);
    // One lock per Janus: the managed instance for this configuration, or the one --url server.
    const lockKey = settings.urls.length > 0 ? 'remote' : instanceKey(scenario);
    if (!locks.has(lockKey)) locks.set(lockKey, new ExclusiveLock());
    return {
      suite,
      title,
      entry,
      serverVersion: target.serverVersion,
      run: () => locks.get(lockKey)!.run(scenario.requires.exclusive, () => runScenario(scenario, target, { seed, stepTimeoutMs: settings.stepTimeoutMs, scenarioTimeoutMs: settings.scenarioTimeoutMs, signal, validateSchema, schemaMode: settings.schemaMode, onEvent })),
    };
  });
}

function never(): never {
  throw new Error('a skipped test does not run');
}

function transportOfUrl(url: string): string {
  return /^([a-z]+):/i.exec(url)?.[1]?.toLowerCase() ?? url;
}
