import type { CompiledScenario } from '../compile/scenario.js';
import { ExclusiveLock } from '../run/exclusive.js';
import { notRunResult } from '../run/not-run.js';
import { runScenario } from '../run/run-scenario.js';
import { validateSchema } from '../schemas/catalogue.js';
import { transportRegistry } from '../transports/registry.js';
import { DEFAULT_SCENARIO_TIMEOUT_MS, DEFAULT_STEP_TIMEOUT_MS, type PlanSettings, type StartedPlan } from './contract.js';
import { instanceKey, type Targets } from './targets.js';

/** How planned tests run on started targets: one lock per Janus (the managed instance, or the one `--url` server). */
export function startTargets(targets: Targets, settings: PlanSettings, remote: boolean): StartedPlan {
  const locks = new Map<string, ExclusiveLock>();
  // A scenario's instance key is worked out once, not for every run of it.
  const lockOf = new WeakMap<CompiledScenario, ExclusiveLock>();
  const lockFor = (scenario: CompiledScenario): ExclusiveLock => {
    let lock = lockOf.get(scenario);
    if (!lock) {
      const key = remote ? 'remote' : instanceKey(scenario);
      if (!locks.has(key)) locks.set(key, new ExclusiveLock());
      lock = locks.get(key)!;
      lockOf.set(scenario, lock);
    }
    return lock;
  };
  // A scenario's target on a transport never changes once the servers started: worked out once,
  // not for every run (a scenario repeated, a retry, a load run's iterations).
  // A managed Janus started again after a crash has new addresses: its targets are worked out anew.
  let known = new WeakMap<CompiledScenario, Map<string, ReturnType<Targets['targetFor']>>>();
  const targetFor = (scenario: CompiledScenario, transport: string): ReturnType<Targets['targetFor']> => {
    let byTransport = known.get(scenario);
    if (!byTransport) known.set(scenario, (byTransport = new Map()));
    let target = byTransport.get(transport);
    if (!target) byTransport.set(transport, (target = targets.targetFor(scenario, transport)));
    return target;
  };
  // Runs begun so far: a plan's first run opens no connection ahead (a plan of one scenario would only open and close it).
  let runs = 0;
  return {
    async run({ scenario, info }, attempt) {
      let target = targetFor(scenario, info.transport);
      // A managed Janus that crashed is started again for the tests after the one that met the
      // crash; one that cannot be fails them at once, where each would wait out its step limit
      // (seconds over a broker, which lives on) only to fail the same way.
      if (!('skip' in target || 'error' in target) && target.serverGone?.() && targets.restart) {
        const why = await targets.restart(scenario);
        if (why !== undefined) return notRunResult(info, { failure: { kind: 'infrastructure', summary: `not run: ${why}`, span: scenario.span } });
        known = new WeakMap();
        target = targetFor(scenario, info.transport);
      }
      if ('skip' in target) return notRunResult(info, { skipReason: target.skip });
      if ('error' in target) return notRunResult(info, { failure: { kind: 'infrastructure', summary: target.error, span: scenario.span } });
      return lockFor(scenario).run(scenario.requires.exclusive, () => runScenario(scenario, target, {
        seed: attempt.seed,
        signal: attempt.signal,
        onEvent: attempt.onEvent,
        stepTimeoutMs: settings.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS,
        scenarioTimeoutMs: settings.scenarioTimeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS,
        schemaMode: settings.schemaMode ?? 'strict',
        continueOnMismatch: settings.continueOnMismatch ?? false,
        wireFrames: settings.wireFrames ?? false,
        // Scenarios run one after another: the next one's connection opens while this one's closes.
        spareConnections: runs++ > 0,
        validateSchema: settings.validateSchema ?? validateSchema,
        onSchemaValid: settings.onSchemaValid,
        env: settings.env,
      }));
    },
    target({ scenario, info }) {
      const target = targetFor(scenario, info.transport);
      return 'url' in target ? target : undefined;
    },
    async close() {
      // The connections opened ahead for a next scenario close first, with a close handshake, while their servers still run.
      await Promise.all(transportRegistry.values().map((t) => t.release?.().catch(() => undefined)));
      await targets.close();
    },
  };
}
