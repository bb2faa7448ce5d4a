import type { CompiledScenario } from '../compile/scenario.js';
import { ExitCode } from '../core/exit-codes.js';
import { CoverageCollector } from '../coverage/collector.js';
import { renderCoverage } from '../coverage/report.js';
import { killAllJanusSync, needsKey, stopAllJanus } from '../managed/index.js';
import { ExclusiveLock } from '../run/exclusive.js';
import type { RunEvent } from '../run/events.js';
import { runWithMocha, type PlannedTest } from '../mocha/adapter.js';
import { runScenario } from '../run/run-scenario.js';
import { randomSeed } from '../run/seeded.js';
import { validateSchema } from '../schemas/catalogue.js';
import { getTransport } from '../transports/registry.js';
import { loadScenarios } from './load-scenarios.js';
import { parseRunArgs, UsageError } from './options.js';
import { InfrastructureError, managedTargets, remoteTargets, type Targets } from './targets.js';

/** `janus-scenarios run`: load everything first (exit 2 on any problem), then run through mocha. */
export async function runCommand(args: string[], io: { out: (s: string) => void; err: (s: string) => void }, options: { coverage?: boolean } = {}): Promise<number> {
  const settings = parseRunArgs(args, process.env);
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

  const interrupt = new AbortController();
  let interrupted = false;
  const onSignal = (): void => {
    if (interrupted) {
      killAllJanusSync();
      process.exit(ExitCode.interrupted);
    }
    interrupted = true;
    io.err('\ninterrupted: cleaning up (press Ctrl-C again to stop at once)');
    interrupt.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let targets: Targets | undefined;
  try {
    const common = { transports, secrets: settings.secrets, tls: settings.tls, janusBinary: settings.janusBinary };
    targets = settings.urls.length > 0 ? await remoteTargets(settings.urls, settings.adminUrls, common) : await managedTargets(scenarios, common);
    const seed = settings.seed ?? randomSeed();
    const coverage = options.coverage ? new CoverageCollector() : undefined;
    const planned = plan(scenarios, transports, targets, settings, seed, interrupt.signal, coverage?.listener);
    const { failures, results } = await runWithMocha(planned, settings);
    if (coverage) io.out(renderCoverage(coverage, transports));
    const warnings = [...new Set(results.flatMap((r) => r.schemaWarnings))];
    if (warnings.length > 0) io.err(`schema warnings (${warnings.length}):\n${warnings.map((w) => `  ${w}`).join('\n')}`);
    io.err(`seed: ${seed} (repeat the same transactions with --seed ${seed})`);
    if (interrupted) return ExitCode.interrupted;
    if (results.some((r) => r.failure?.kind === 'infrastructure')) return ExitCode.infrastructure;
    return failures > 0 ? ExitCode.scenarioFailed : ExitCode.passed;
  } catch (e) {
    if (e instanceof InfrastructureError) {
      io.err(`error: ${e.message}`);
      return ExitCode.infrastructure;
    }
    throw e;
  } finally {
    await targets?.close();
    await stopAllJanus();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function plan(scenarios: CompiledScenario[], transports: string[], targets: Targets, settings: ReturnType<typeof parseRunArgs>, seed: string, signal: AbortSignal, onEvent?: (e: RunEvent) => void): PlannedTest[] {
  const locks = new Map<string, ExclusiveLock>();
  return scenarios.flatMap((scenario) =>
    transports.map((transport): PlannedTest => {
      const suite = scenario.file;
      const title = `${scenario.name} [${transport}]`;
      if (scenario.requires.transports && !scenario.requires.transports.includes(transport)) {
        return { suite, title, skipReason: `runs only on ${scenario.requires.transports.join(', ')}`, run: never };
      }
      const target = targets.targetFor(scenario, transport);
      if ('skip' in target) return { suite, title, skipReason: target.skip, run: never };
      // One lock per Janus: the managed instance for this configuration, or the one --url server.
      const lockKey = settings.urls.length > 0 ? 'remote' : needsKey({ plugins: [], transports: [], config: scenario.requires.janus, media: scenario.requires.media });
      if (!locks.has(lockKey)) locks.set(lockKey, new ExclusiveLock());
      return {
        suite,
        title,
        run: () => locks.get(lockKey)!.run(scenario.requires.exclusive, () => runScenario(scenario, target, { seed, stepTimeoutMs: settings.stepTimeoutMs, scenarioTimeoutMs: settings.scenarioTimeoutMs, signal, validateSchema, schemaMode: settings.schemaMode, onEvent })),
      };
    }),
  );
}

function never(): never {
  throw new Error('a skipped test does not run');
}

function transportOfUrl(url: string): string {
  return /^([a-z]+):/i.exec(url)?.[1]?.toLowerCase() ?? url;
}
