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
  const instances = new Map<string, Restartable>();
  const versions = new Map<string, string>();
  // A Janus that does not start fails its own scenarios (a server problem); the others still run.
  const failed = new Map<string, string>();
  await Promise.all([...groups].map(async ([key, g]) => {
    try {
      const needs = { ...g.needs, config: { ...common.janusConfig, ...g.needs.config } };
      const start = (): Promise<ManagedJanus> => startJanus({ plugins: [...g.plugins], transports: common.transports as JanusTransportName[], ...needs }, { binary: common.janusBinary });
      const janus = await start();
      instances.set(key, new Restartable(janus, start));
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
      const janus = instances.get(instanceKey(scenario))!.janus;
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
    restart: (scenario) => instances.get(instanceKey(scenario))?.restartIfGone() ?? Promise.resolve('no managed Janus to start again'),
    close: async () => {
      await Promise.all([...instances.values()].map((r) => r.stop()));
    },
  };
}

/** A run starts a crashed Janus again this many times at most: one that keeps dying is a finding, not a hiccup. */
export const MAX_RESTARTS = 3;

/**
 * One group's managed Janus, started again when it died during the run, so that one crash
 * fails the tests it met (naming the death), not every test after it. The tests that ask at
 * once share one start; the dead instance's folder and brokers go once the new one runs.
 */
export class Restartable {
  private restarts = 0;
  private restarting?: Promise<string | undefined>;
  /** Instances replaced, stopped with the rest at the end if their stop has not finished. */
  private readonly replaced: ManagedJanus[] = [];

  constructor(public janus: ManagedJanus, private readonly start: () => Promise<ManagedJanus>) {}

  restartIfGone(): Promise<string | undefined> {
    if (this.restarting) return this.restarting;
    if (!this.janus.janusGone()) return Promise.resolve(undefined);
    this.restarting = this.restart().finally(() => (this.restarting = undefined));
    return this.restarting;
  }

  private async restart(): Promise<string | undefined> {
    const dead = this.janus;
    const death = (await dead.deathReason()) ?? 'the managed Janus is no longer running';
    if (this.restarts >= MAX_RESTARTS) return `${death}; it died ${this.restarts + 1} times in this run, and is not started again`;
    this.restarts++;
    try {
      this.janus = await this.start();
    } catch (e) {
      return `${death}; starting it again failed: ${(e as Error).message}`;
    } finally {
      // After the new start: a broker it shares stays up rather than stopping and starting again.
      // A start that failed leaves the dead one current: it is cleared away once.
      if (!this.replaced.includes(dead)) this.replaced.push(dead);
      void dead.stop();
    }
    return undefined;
  }

  async stop(): Promise<void> {
    await this.restarting?.catch(() => undefined);
    await Promise.all([this.janus, ...this.replaced].map((j) => j.stop()));
  }
}
