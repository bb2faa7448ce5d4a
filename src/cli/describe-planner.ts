import { ExclusiveLock } from '../run/exclusive.js';
import type { ScenarioResult } from '../run/events.js';
import { runScenario, type RunTarget } from '../run/run-scenario.js';
import { randomSeed } from '../run/seeded.js';
import { stopAllJanus } from '../managed/index.js';
import { validateSchema } from '../schemas/catalogue.js';
import { registerBuiltinTransports } from '../transports/registry.js';
import type { TestInfo } from '../events/events.js';
import type { CompiledScenario } from '../compile/scenario.js';
import { loadScenarios } from './load-scenarios.js';
import { instanceKey, managedPlan, remotePlan, type Targets } from './targets.js';
import type { DescribeOptions, PlannedScenario, ScenarioPlanner, SuitePlan } from '../mocha/planner.js';

const STEP_TIMEOUT_MS = 5000;
const SCENARIO_TIMEOUT_MS = 60_000;

/**
 * describeScenarios' planner from the CLI's own planning functions (the same skips and targets).
 * Planning still lives in the CLI; when it moves to src/plan/, this file gives way to it there.
 */
export const cliPlanner: ScenarioPlanner = {
  async plan(inputs: string[], options: DescribeOptions): Promise<SuitePlan> {
    registerBuiltinTransports();
    const loaded = await loadScenarios(inputs, { fragments: false });
    if (loaded.problems) throw new Error(loaded.problems);
    const urls = options.urls ?? [];
    const transports = options.transports ?? (urls.length > 0 ? urls.map((u) => /^([a-z]+):/i.exec(u)?.[1]?.toLowerCase() ?? u) : ['http', 'ws']);
    const env = process.env;
    const secrets = options.secrets ?? { apisecret: env.JANUS_API_SECRET, token: env.JANUS_TOKEN, admin_secret: env.JANUS_ADMIN_SECRET };
    const tags = options.tags ?? [];
    const scenarios = loaded.scenarios.filter((s) => tags.length === 0 || s.tags.some((t) => tags.includes(t)));
    const common = { transports, secrets, tls: {}, janusBinary: options.janusBinary, stepTimeoutMs: options.stepTimeoutMs ?? STEP_TIMEOUT_MS };
    const targetPlan = urls.length > 0 ? await remotePlan(urls, options.adminUrls ?? [], common) : await managedPlan(scenarios, common);
    const seed = options.seed ?? randomSeed();
    let targets: Targets | undefined;
    const locks = new Map<string, ExclusiveLock>();
    const tests = scenarios.flatMap((scenario) => transports.map((transport): PlannedScenario => {
      const info: TestInfo = { id: `${scenario.file}#${scenario.name}[${transport}]`, file: scenario.file, name: scenario.name, transport, title: `${scenario.name} [${transport}]`, tags: scenario.tags };
      const skipReason = targetPlan.skipFor(scenario, transport);
      if (skipReason) return { info: { ...info, skipReason }, run: () => Promise.reject(new Error('a skipped test does not run')) };
      const lockKey = urls.length > 0 ? 'remote' : instanceKey(scenario);
      let version: string | undefined;
      return {
        info,
        serverVersion: () => version,
        run: async (signal) => {
          const target = targets!.targetFor(scenario, transport);
          if ('skip' in target) return skipped(scenario, transport, target.skip);
          if ('error' in target) return serverProblem(scenario, transport, target.error);
          version = target.serverVersion;
          if (!locks.has(lockKey)) locks.set(lockKey, new ExclusiveLock());
          return locks.get(lockKey)!.run(scenario.requires.exclusive, () => runScenario(scenario, target as RunTarget, {
            seed, stepTimeoutMs: options.stepTimeoutMs ?? STEP_TIMEOUT_MS, scenarioTimeoutMs: options.scenarioTimeoutMs ?? SCENARIO_TIMEOUT_MS, signal, validateSchema,
          }));
        },
      };
    })).filter((t) => !options.grep || `${t.info.file} ${t.info.title}`.includes(options.grep));
    return {
      tests,
      start: async () => {
        targets = await targetPlan.start();
      },
      close: async () => {
        await targets?.close();
        await stopAllJanus();
      },
    };
  },
};

function emptyResult(scenario: CompiledScenario, transport: string): ScenarioResult {
  return { file: scenario.file, name: scenario.name, transport, status: 'passed', startedAt: Date.now(), durationMs: 0, cleanupFailures: [], sessionsLeft: [], transcript: [], saved: {}, destroyedSessions: [], schemaWarnings: [], secretValues: [] };
}

function skipped(scenario: CompiledScenario, transport: string, reason: string): ScenarioResult {
  return { ...emptyResult(scenario, transport), status: 'skipped', skipReason: reason };
}

/** A Janus that could not be started fails its scenarios as a server problem. */
function serverProblem(scenario: CompiledScenario, transport: string, summary: string): ScenarioResult {
  return { ...emptyResult(scenario, transport), status: 'failed', failure: { kind: 'infrastructure', summary, span: scenario.span } };
}
