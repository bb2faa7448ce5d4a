import { JanusStartError } from './errors.js';

/**
 * 'http', 'https', 'ws', 'wss' (the launcher's own listeners), 'mqtt', 'rabbitmq' (served through
 * a broker the launcher leases, brokers/) or a registered transport with a managed setup.
 */
export type JanusTransportName = string;
export type GeneralConfig = Record<string, string | number | boolean>;
/** Event handlers or loggers to load, by package name, each with settings for its jcfg `general` section. */
export type ObserverSettings = Record<string, GeneralConfig>;

/** What a set of scenarios requires from a Janus instance. */
export interface JanusNeeds {
  /** Plugin package names, e.g. 'janus.plugin.echotest'. */
  plugins: string[];
  /** Janus API listeners to enable; admin listeners follow the same transport families. */
  transports: JanusTransportName[];
  /** Overrides for the `general` section of janus.jcfg. */
  config: GeneralConfig;
  /** Event handlers to load, by package name, with settings for their jcfg (see observers.ts). */
  eventhandlers?: ObserverSettings;
  /** Loggers to load, by package name, with settings for their jcfg. */
  loggers?: ObserverSettings;
  /** Run Janus in a private network namespace where WebRTC peers can reach it (see netns/namespace.ts). */
  media?: boolean;
}

/**
 * Stable key for sharing instances. Only the config, the event handlers and loggers, and media
 * matter: the caller unions plugins and transports of scenarios that share a key, which is
 * harmless, whereas two different configs (say, with and without api_secret) can never share a
 * server, a handler or logger sees (and posts or writes) everything the server does, and a media
 * Janus lives in a network namespace of its own.
 */
export function needsKey(needs: JanusNeeds): string {
  const entries: unknown[] = sortedEntries(needs.config);
  for (const kind of ['eventhandlers', 'loggers'] as const) {
    const settings = needs[kind];
    if (settings && Object.keys(settings).length > 0) entries.push([kind, Object.keys(settings).sort().map((pkg) => [pkg, sortedEntries(settings[pkg]!)])]);
  }
  if (needs.media) entries.push(['(media)', true]);
  return JSON.stringify(entries);
}

function sortedEntries(config: GeneralConfig): unknown[] {
  return Object.keys(config)
    .sort()
    .map((key) => [key, config[key]]);
}

/** Plugins whose library name differs from the package name: scripted plugins running the stock echo scripts. */
const SCRIPTED_PLUGINS: Record<string, string> = {
  'janus.plugin.echolua': 'lua',
  'janus.plugin.echojs': 'duktape',
};

/**
 * The library stem of a plugin package: 'janus.plugin.echotest' → 'echotest', loaded from
 * libjanus_echotest.so and configured by janus.plugin.echotest.jcfg.
 */
export function pluginStem(pluginPackage: string): string {
  const scripted = SCRIPTED_PLUGINS[pluginPackage];
  if (scripted) return scripted;
  const match = /^janus\.plugin\.([a-z0-9_]+)$/.exec(pluginPackage);
  if (!match) throw new JanusStartError(`'${pluginPackage}' is not a Janus plugin package name (expected janus.plugin.<name>)`);
  return match[1]!;
}

/** The libraries of the transports the launcher configures itself: its listeners and the broker transports. */
const OWN_STEMS: Record<string, string> = { http: 'http', https: 'http', ws: 'websockets', wss: 'websockets', mqtt: 'mqtt', rabbitmq: 'rabbitmq' };

/** Transport library stems needed for the launcher's own transports (others bring their own, see defined-transports.ts). */
/** The library stem of one of the launcher's own transports, or undefined for the others. */
export function ownStem(transport: JanusTransportName): string | undefined {
  return Object.hasOwn(OWN_STEMS, transport) ? OWN_STEMS[transport] : undefined;
}

export function transportStems(transports: readonly JanusTransportName[]): string[] {
  const stems = new Set<string>();
  for (const t of transports) {
    const stem = ownStem(t);
    if (stem) stems.add(stem);
  }
  return [...stems];
}
