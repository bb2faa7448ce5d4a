import type { CompiledScenario } from '../compile/scenario.js';
import { UsageError } from '../core/usage-error.js';
import { everyStep } from '../steps/contract.js';
import type { PeerHost } from '../media/contract.js';
import type { RunTarget } from '../run/run-scenario.js';
import { DEFAULT_FIRST_CONTACT_MS, serverInfo } from './server-info.js';
import { urlTransport } from './url-transport.js';
import { REDACTED } from '../report/redact.js';
import { transportSkip, type TargetPlan, type Targets, type TargetSettings } from './targets.js';

/** Scenarios with `admin:` steps talk to the Admin API besides the Janus API. */
function usesAdminApi(scenario: CompiledScenario): boolean {
  return everyStep([...scenario.steps, ...scenario.cleanup]).some((step) => step.kind === 'admin' || step.usesAdminApi === true);
}

/**
 * Targets a Janus that is already running (`--url`), skipping what its `info` says it lacks and
 * the Admin API scenarios when no `--admin-url` is given. `scenarios`: those planned; the peer
 * processes' code is loaded only when one of them needs WebRTC peers.
 */
export async function remotePlan(urls: string[], adminUrls: string[], common: TargetSettings, scenarios: readonly CompiledScenario[]): Promise<TargetPlan> {
  const byTransport = new Map<string, string>();
  for (const url of urls) {
    byTransport.set(urlTransport('--url', url).name, url);
  }
  for (const t of common.transports) {
    if (!byTransport.has(t)) throw new UsageError(`--transport ${t} needs a --url for it (given: ${[...byTransport.keys()].join(', ')})`);
  }
  const admins = adminUrls.map((url) => ({ transport: urlTransport('--admin-url', url).name, url }));
  const infos = new Map<string, Record<string, unknown>>();
  // Peers for a server the runner did not start run in the runner's network namespace, in
  // peer processes of its own.
  let peers: PeerHost & { shutdown(): Promise<void> } | undefined;
  let newPeerHost: (() => typeof peers) | undefined;
  for (const t of common.transports) infos.set(t, await serverInfo(t, byTransport.get(t)!, common.tls, common.stepTimeoutMs ?? DEFAULT_FIRST_CONTACT_MS, common.signal));
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
        ...(scenario.requires.media && { peers: (peers ??= newPeerHost!()) }),
      };
    },
    close: async () => {
      await peers?.shutdown();
    },
  };
  const start = async (): Promise<Targets> => {
    if (scenarios.some((s) => s.requires.media)) {
      const { ProcessPeerHost } = await import('../media/process-host.js');
      newPeerHost = () => new ProcessPeerHost();
    }
    return targets;
  };
  return { skipFor, start };
}


/** Settings whose value is a secret: a skip reason names the setting, never its value. */
const SECRET_SETTINGS = new Set(['api_secret', 'admin_secret', 'token_auth_secret']);

/** Janus settings a scenario requires that a running server can be seen to have, from `info`. */
export function unmetConfig(needed: Record<string, string | number | boolean>, info: Record<string, unknown>, secrets: RunTarget['secrets']): string | undefined {
  for (const [key, want] of Object.entries(needed)) {
    const ok =
      key === 'session_timeout' ? info['session-timeout'] === want
      : key === 'reclaim_session_timeout' ? info['reclaim-session-timeout'] === want
      : key === 'api_secret' ? info.api_secret === true && secrets.apisecret === want
      : key === 'token_auth' ? info.auth_token === want
      : false;
    if (!ok) return `needs a Janus configured with ${key} = ${SECRET_SETTINGS.has(key) ? `${REDACTED}${key === 'api_secret' ? ' (the same given with --api-secret)' : ''}` : JSON.stringify(want)}`;
  }
  return undefined;
}

