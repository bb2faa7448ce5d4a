import type { CompiledScenario } from '../compile/scenario.js';
import { formatDuration } from '../core/duration.js';
import { describeUncorrelated, JanusClient } from '../janus/client.js';
import { redactUrls } from '../report/redact.js';
import { installedModules, startJanus, needsKey, namespaceUnavailable, type JanusNeeds, type JanusTransportName, type ManagedJanus } from '../managed/index.js';
import type { PeerHost } from '../media/contract.js';
import { ProcessPeerHost } from '../media/process-host.js';
import type { RunTarget } from '../run/run-scenario.js';
import type { TlsOptions } from '../transports/contract.js';
import { getTransport, transportForScheme } from '../transports/registry.js';
import { UsageError } from './options.js';

/** Where each scenario runs on each transport, why it is skipped, or why it cannot run. */
export interface Targets {
  targetFor(scenario: CompiledScenario, transport: string): RunTarget | { skip: string } | { error: string };
  close(): Promise<void>;
}

/**
 * What is known before any Janus starts: which scenario is skipped on which transport, and
 * why (`--list` prints this); `start` then starts what the rest needs.
 */
export interface TargetPlan {
  skipFor(scenario: CompiledScenario, transport: string): string | undefined;
  start(): Promise<Targets>;
}

/** Managed targets started at once: a Janus that could not start throws when asked for. */
export interface ManagedTargets {
  targetFor(scenario: CompiledScenario, transport: string): RunTarget | { skip: string };
  close(): Promise<void>;
}

const DEFAULT_FIRST_CONTACT_MS = 5000;

/** The server could not be reached or started: one line, exit 3. */
export class InfrastructureError extends Error {}

interface Common {
  transports: string[];
  secrets: RunTarget['secrets'];
  tls: TlsOptions;
  janusBinary?: string;
  /** The first contact (connect and info) waits this long, like every step (default 5 s, as --step-timeout). */
  stepTimeoutMs?: number;
}

/**
 * Plans the managed Janus instances a run needs: scenarios whose `requires.janus` settings,
 * event handlers, loggers and `requires.media` are the same share one instance, which loads the
 * union of their plugins. What the installation lacks (a plugin, event handler, logger or
 * transport library) is skipped with the reason; media scenarios get a namespaced Janus, or are
 * skipped where that is impossible.
 */
export async function managedPlan(scenarios: CompiledScenario[], common: Common): Promise<TargetPlan> {
  const modules = await installedModules({ binary: common.janusBinary }).catch((e: Error) => {
    throw new InfrastructureError(`cannot start Janus: ${e.message}`);
  });
  const noMedia = scenarios.some((s) => s.requires.media) ? namespaceUnavailable() : undefined;
  const noTransport = new Set<string>(modules.missingTransports(common.transports as JanusTransportName[]));
  const lacking = (s: CompiledScenario): string[] => modules.missing({ plugins: s.requires.plugins, eventhandlers: s.requires.eventhandlers, loggers: s.requires.loggers });
  const skipFor = (scenario: CompiledScenario, transport: string): string | undefined => {
    const why = transportSkip(scenario, transport);
    if (why) return why;
    if (noTransport.has(transport)) return `the Janus installation in ${modules.moduleDir} has no ${transport} transport`;
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

/**
 * Plans and starts the managed Janus instances at once, for callers that drive runScenario
 * themselves: a Janus that cannot start throws, as a server problem.
 */
export async function managedTargets(scenarios: CompiledScenario[], common: Common): Promise<ManagedTargets> {
  const targets = await (await managedPlan(scenarios, common)).start();
  return {
    targetFor(scenario, transport) {
      const target = targets.targetFor(scenario, transport);
      if ('error' in target) throw new InfrastructureError(target.error);
      return target;
    },
    close: () => targets.close(),
  };
}

async function startManaged(scenarios: CompiledScenario[], common: Common, skipFor: TargetPlan['skipFor']): Promise<Targets> {
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
      const janus = await startJanus({ plugins: [...g.plugins], transports: common.transports as JanusTransportName[], ...g.needs }, { binary: common.janusBinary });
      instances.set(key, janus);
      const [transport, url] = Object.entries(janus.endpoints).find(([name]) => !name.startsWith('admin'))!;
      versions.set(key, String((await serverInfo(transport, url!, { ca: janus.caPem ? [janus.caPem] : [] }, common.stepTimeoutMs ?? DEFAULT_FIRST_CONTACT_MS)).version_string));
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
      const url = janus.endpoints[transport as keyof typeof janus.endpoints];
      if (!url) return { skip: `the managed Janus has no ${transport} listener` };
      const adminName = ({ http: 'adminHttp', https: 'adminHttps', ws: 'adminWs', wss: 'adminWss' } as const)[transport as JanusTransportName];
      const adminUrl = adminName ? janus.endpoints[adminName] : undefined;
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
      };
    },
    close: async () => {
      await Promise.all([...instances.values()].map((j) => j.stop()));
    },
  };
}

/** `requires.transports` leaves this transport out. */
function transportSkip(scenario: CompiledScenario, transport: string): string | undefined {
  const only = scenario.requires.transports;
  return only && !only.includes(transport) ? `runs only on ${only.join(', ')}` : undefined;
}

/** Scenarios with `admin:` steps talk to the Admin API besides the Janus API. */
function usesAdminApi(scenario: CompiledScenario): boolean {
  return [...scenario.steps, ...scenario.cleanup].some((step) => step.kind === 'admin');
}

/**
 * Targets a Janus that is already running (`--url`), skipping what its `info` says it lacks and
 * the Admin API scenarios when no `--admin-url` is given.
 */
export async function remotePlan(urls: string[], adminUrls: string[], common: Common): Promise<TargetPlan> {
  const byTransport = new Map<string, string>();
  for (const url of urls) {
    const t = transportForScheme(schemeOf(url));
    if (!t) throw new UsageError(`--url ${url}: no transport serves the scheme "${schemeOf(url)}"`);
    byTransport.set(t.name, url);
  }
  for (const t of common.transports) {
    if (!byTransport.has(t)) throw new UsageError(`--transport ${t} needs a --url for it (given: ${[...byTransport.keys()].join(', ')})`);
  }
  const admins = adminUrls.map((url) => {
    const t = transportForScheme(schemeOf(url));
    if (!t) throw new UsageError(`--admin-url ${url}: no transport serves the scheme "${schemeOf(url)}"`);
    return { transport: t.name, url };
  });
  const infos = new Map<string, Record<string, unknown>>();
  // Peers for a server the runner did not start run in the runner's network namespace, in
  // peer processes of its own.
  let peers: ProcessPeerHost | undefined;
  for (const t of common.transports) infos.set(t, await serverInfo(t, byTransport.get(t)!, common.tls, common.stepTimeoutMs ?? DEFAULT_FIRST_CONTACT_MS));
  const skipFor = (scenario: CompiledScenario, transport: string): string | undefined => {
    const why = transportSkip(scenario, transport);
    if (why) return why;
    const info = infos.get(transport)!;
    const plugins = Object.keys((info.plugins as Record<string, unknown> | undefined) ?? {});
    const loaded = [...plugins, ...Object.keys((info.events as Record<string, unknown> | undefined) ?? {}), ...Object.keys((info.loggers as Record<string, unknown> | undefined) ?? {})];
    const { eventhandlers, loggers } = scenario.requires;
    const missing = [...scenario.requires.plugins, ...Object.keys(eventhandlers), ...Object.keys(loggers)].filter((p) => !loaded.includes(p));
    if (missing.length > 0) return `the server lacks ${missing.join(', ')}`;
    const unmet = unmetConfig(scenario.requires.janus, info, common.secrets);
    if (unmet) return unmet;
    if (admins.length === 0 && usesAdminApi(scenario)) return 'needs the Admin API: give --admin-url';
    return undefined;
  };
  const targets: Targets = {
    targetFor(scenario, transport) {
      const skip = skipFor(scenario, transport);
      if (skip) return { skip };
      const info = infos.get(transport)!;
      // Prefer the admin address of the same family (http/https, ws/wss).
      const sameFamily = admins.find((a) => a.transport.replace(/s$/, '') === transport.replace(/s$/, ''));
      return {
        transport,
        url: byTransport.get(transport)!,
        admin: sameFamily ?? admins[0],
        tls: common.tls,
        secrets: common.secrets,
        sessionTimeoutS: typeof info['session-timeout'] === 'number' ? info['session-timeout'] : undefined,
        serverVersion: typeof info.version_string === 'string' ? info.version_string : undefined,
        ...(scenario.requires.media && { peers: (peers ??= new ProcessPeerHost()) }),
      };
    },
    close: async () => {
      await peers?.shutdown();
    },
  };
  return { skipFor, start: async () => targets };
}

/** The event handlers and loggers a scenario asks the managed Janus to load, with their settings. */
type InstanceNeeds = Pick<JanusNeeds, 'config' | 'eventhandlers' | 'loggers' | 'media'>;

/** What decides which managed Janus a scenario runs on; scenarios that agree share one. */
function instanceNeedsOf(scenario: CompiledScenario): InstanceNeeds {
  const r = scenario.requires;
  return { config: r.janus, eventhandlers: r.eventhandlers, loggers: r.loggers, media: r.media };
}

/** The key of the managed Janus a scenario runs on (its exclusive lock is per key, too). */
export function instanceKey(scenario: CompiledScenario): string {
  return needsKey({ plugins: [], transports: [], ...instanceNeedsOf(scenario) });
}

/** Janus settings a scenario requires that a running server can be seen to have, from `info`. */
function unmetConfig(needed: Record<string, string | number | boolean>, info: Record<string, unknown>, secrets: RunTarget['secrets']): string | undefined {
  for (const [key, want] of Object.entries(needed)) {
    const ok =
      key === 'session_timeout' ? info['session-timeout'] === want
      : key === 'reclaim_session_timeout' ? info['reclaim-session-timeout'] === want
      : key === 'api_secret' ? info.api_secret === true && secrets.apisecret === want
      : key === 'token_auth' ? info.auth_token === want
      : false;
    if (!ok) return `needs a Janus configured with ${key} = ${JSON.stringify(want)}`;
  }
  return undefined;
}

/** The first contact with a server: connect and `info`, each within the step time limit. */
async function serverInfo(transportName: string, url: string, tls: TlsOptions, timeoutMs: number): Promise<Record<string, unknown>> {
  const transport = getTransport(transportName)!;
  // Credentials in the URL (user:password@, ?apisecret=) never reach a message.
  const shown = redactUrls(url);
  let client: JanusClient;
  try {
    client = await JanusClient.connect(transport, { url, api: 'janus', tls, connectTimeoutMs: timeoutMs }, { api: 'janus', nextTransaction: () => 'preflight', pollAuth: {} });
  } catch (e) {
    throw new InfrastructureError(`cannot reach Janus at ${shown}: ${(e as Error).message}`);
  }
  const outcome = await client.request({ janus: 'info', transaction: 'preflight-info' }, {}, 'final', timeoutMs);
  await client.close(() => ({}), 0);
  if ('fault' in outcome) throw new InfrastructureError(`Janus at ${shown}: ${outcome.fault.message}`);
  if ('timedOut' in outcome) {
    const why = outcome.uncorrelated ? `; ${describeUncorrelated(outcome.uncorrelated)}: ${replyJson(outcome.uncorrelated)}` : '';
    throw new InfrastructureError(`Janus at ${shown} did not answer info within ${formatDuration(timeoutMs)}${why}`);
  }
  if (outcome.exchange.reply.janus !== 'server_info') throw new InfrastructureError(`Janus at ${shown} answered info with ${replyJson(outcome.exchange.reply)}`);
  return outcome.exchange.reply;
}

/** A server's reply in a one-line error, whole: the caller redacts the line, then cuts it. */
function replyJson(message: unknown): string {
  return JSON.stringify(message);
}

function schemeOf(url: string): string {
  return /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase() ?? '';
}
