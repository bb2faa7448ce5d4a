import type { CompiledScenario } from '../compile/scenario.js';
import { candidates, runTransports, withTags } from './candidates.js';
import type { Plan, PlanSettings } from './contract.js';
import { remotePlan } from './remote.js';
import { selectShard } from './shard.js';
import { getTransport } from '../transports/registry.js';
import { ContactInterrupted, InfrastructureError } from './server-info.js';
import { oneLinePrintable } from '../core/printable.js';
import { UsageError } from '../core/usage-error.js';
import { startTargets } from './start.js';
import type { TargetPlan, TargetSettings } from './targets.js';

/**
 * Plans a loaded suite: every scenario on every transport (then `--tags`, `--grep`), each skip
 * with its reason (what a managed installation or a `--url` server's `info` lacks). With `urls`
 * the servers are asked for `info` here; one that cannot be reached is the plan's `fault`.
 * Bad settings (an unknown transport, a URL no transport serves) throw a UsageError.
 */
export async function planSuite(scenarios: CompiledScenario[], settings: PlanSettings = {}): Promise<Plan> {
  const urls = settings.urls ?? [];
  const transports = runTransports(settings.transports, urls);
  const all = candidates(withTags(scenarios, settings.tags ?? []), transports, settings.grep, settings.invert);
  // A --grep with a typo would otherwise be a green run of nothing, in CI forever.
  if (settings.grep && all.length === 0) throw new UsageError(`no test matches --grep ${JSON.stringify(settings.grep)}${settings.invert ? ' with --invert' : ''}`);
  const chosen = settings.shard ? selectShard(all.map((c) => ({ ...c, file: c.info.file })), settings.shard.index, settings.shard.total) : all;
  const shard = settings.shard && { ...settings.shard, allTestIds: all.map((c) => c.info.id) };
  const targetSettings: TargetSettings = { transports, secrets: settings.secrets ?? {}, tls: settings.tls ?? {}, janusBinary: settings.janusBinary, janusConfig: settings.janusConfig, janusWithout: settings.janusWithout, stepTimeoutMs: settings.stepTimeoutMs, ...(settings.signal && { signal: settings.signal }) };
  let targets: TargetPlan;
  try {
    await loadClients(transports);
    targets = urls.length > 0 ? await remotePlan(urls, settings.adminUrls ?? [], targetSettings, withScenarios(chosen)) : await (await import('./managed.js')).managedPlan(withScenarios(chosen), targetSettings);
  } catch (e) {
    if (!(e instanceof InfrastructureError)) throw e;
    const fault = e.message;
    return { tests: chosen, transports, ...(shard && { shard }), fault, start: () => Promise.reject(new InfrastructureError(fault)) };
  }
  const tests = chosen.map(({ info, scenario }) => {
    const skipReason = targets.skipFor(scenario, info.transport);
    return { info: skipReason ? { ...info, skipReason } : info, scenario };
  });
  return { tests, transports, ...(shard && { shard }), start: async () => startTargets(await targets.start(), settings, urls.length > 0) };
}

/** planSuite, or undefined when its signal (Ctrl-C) ended the first contact with a server: nothing ran. */
export function planUnlessInterrupted(scenarios: CompiledScenario[], settings: PlanSettings): Promise<Plan | undefined> {
  return planSuite(scenarios, settings).catch((e: unknown) => {
    if (e instanceof ContactInterrupted) return undefined;
    throw e;
  });
}

/** Each transport's client library, before anything starts: a missing one is the plan's one-line fault. */
async function loadClients(transports: readonly string[]): Promise<void> {
  for (const name of transports) {
    // A transport module's load() may throw instead of rejecting, and throw what is no Error: either is its one line.
    try {
      await getTransport(name)?.load?.();
    } catch (e) {
      throw new InfrastructureError(oneLinePrintable(String((e as Error | undefined)?.message ?? e).split('\n')[0]!));
    }
  }
}

/** The scenarios of the planned tests, once each: a managed Janus is started only for them. */
function withScenarios(tests: Array<{ scenario: CompiledScenario }>): CompiledScenario[] {
  return [...new Set(tests.map((t) => t.scenario))];
}
