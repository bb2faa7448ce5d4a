import type { CompiledScenario } from '../compile/scenario.js';
import { installedModules, namespaceUnavailable, startJanus, type JanusTransportName, type ManagedJanus } from '../managed/index.js';
import { DEFAULT_FIRST_CONTACT_MS, InfrastructureError, serverInfo } from './server-info.js';
import { instanceKey, instanceNeedsOf, transportSkip, type InstanceNeeds, type TargetPlan, type TargetSettings, type Targets } from './targets.js';

// The managed side of planning, loaded only by a run without --url: the launcher stays unread
// when the servers are given.

/**
 * Plans the managed Janus instances a run needs: scenarios whose `requires.janus` settings,
 * event handlers, loggers and `requires.media` are the same share one instance, which loads the
 * union of their plugins. What the installation lacks (a plugin, event handler, logger or
 * transport library) is skipped with the reason; media scenarios get a namespaced Janus, or are
 * skipped where that is impossible.
 */
export async function managedPlan(scenarios: CompiledScenario[], common: TargetSettings): Promise<TargetPlan> {
  const modules = await installedModules({ binary: common.janusBinary }).catch((e: Error) => {
    throw new InfrastructureError(`cannot start Janus: ${e.message}`);
  });
  const noMedia = scenarios.some((s) => s.requires.media) ? namespaceUnavailable() : undefined;
  const noTransport = new Set<string>(modules.missingTransports(common.transports as JanusTransportName[]));
  const lacking = (s: CompiledScenario): string[] => modules.missing({ plugins: s.requires.plugins, eventhandlers: s.requires.eventhandlers, loggers: s.requires.loggers });
  const leftOut = (s: CompiledScenario): string[] => s.requires.plugins.filter((p) => common.janusWithout?.includes(p));
  const skipFor = (scenario: CompiledScenario, transport: string): string | undefined => {
    const why = transportSkip(scenario, transport);
    if (why) return why;
    if (noTransport.has(transport)) return `the Janus installation in ${modules.moduleDir} has no ${transport} transport`;
    const without = leftOut(scenario);
    if (without.length > 0) return `the managed Janus leaves out ${without.join(', ')} (--janus-without)`;
    const missing = lacking(scenario);
    if (missing.length > 0) return `the Janus installation in ${modules.moduleDir} lacks ${missing.join(', ')}`;
    if (scenario.requires.media && noMedia) return `needs WebRTC peers, but ${noMedia}`;
    return undefined;
  };
  return {
    skipFor,
    start: () => startManaged(scenarios.filter((s) => common.transports.some((t) => !skipFor(s, t))), { ...common, transports: common.transports.filter((t) => !noTransport.has(t)) }, skipFor),
  };
}

/** Starts one managed Janus per group of scenarios that agree on its settings, all at once. */
async function startManaged(scenarios: CompiledScenario[], common: TargetSettings, skipFor: TargetPlan['skipFor']): Promise<Targets> {
  const groups = new Map<string, { needs: InstanceNeeds; plugins: Set<string> }>();
  for (const s of scenarios) {
    const key = instanceKey(s);
    if (!groups.has(key)) groups.set(key, { needs: instanceNeedsOf(s), plugins: new Set() });
    s.requires.plugins.forEach((p) => groups.get(key)!.plugins.add(p));
  }
  const instances = new Map<string, ManagedJanus>();
  const versions = new Map<string, string>();
  // A Janus that does not start fails its own scenarios (a server problem); the others still run.
  const failed = new Map<string, string>();
  await Promise.all([...groups].map(async ([key, g]) => {
    try {
      const needs = { ...g.needs, config: { ...common.janusConfig, ...g.needs.config } };
      const janus = await startJanus({ plugins: [...g.plugins], transports: common.transports as JanusTransportName[], ...needs }, { binary: common.janusBinary });
      instances.set(key, janus);
      const transport = common.transports.find((t) => janus.endpointFor(t)) ?? 'http';
      const url = janus.endpointFor(transport)!.url;
      versions.set(key, String((await serverInfo(transport, url, { ca: janus.caPem ? [janus.caPem] : [] }, common.stepTimeoutMs ?? DEFAULT_FIRST_CONTACT_MS)).version_string));
    } catch (e) {
      failed.set(key, `cannot start Janus: ${(e as Error).message}`);
    }
  }));
  return {
    targetFor(scenario, transport) {
      const skip = skipFor(scenario, transport);
      if (skip) return { skip };
      const error = failed.get(instanceKey(scenario));
      if (error) return { error };
      const janus = instances.get(instanceKey(scenario))!;
      const endpoint = janus.endpointFor(transport);
      if (!endpoint) return { skip: `the managed Janus has no ${transport} listener` };
      const { url, adminUrl } = endpoint;
      const config = janus.config;
      return {
        transport,
        url,
        admin: adminUrl ? { transport, url: adminUrl } : undefined,
        tls: { ...common.tls, ca: [...(common.tls.ca ?? []), ...(janus.caPem ? [janus.caPem] : [])] },
        secrets: {
          apisecret: typeof config.api_secret === 'string' ? config.api_secret : common.secrets.apisecret,
          token: common.secrets.token,
          admin_secret: janus.adminSecret,
        },
        sessionTimeoutS: typeof config.session_timeout === 'number' ? config.session_timeout : 60,
        serverVersion: versions.get(instanceKey(scenario)),
        ...(janus.peers && { peers: janus.peers }),
        deathReason: () => janus.deathReason(),
        serverDied: () => janus.janusDied(),
        serverGone: () => janus.janusGone(),
      };
    },
    close: async () => {
      await Promise.all([...instances.values()].map((j) => j.stop()));
    },
  };
}
