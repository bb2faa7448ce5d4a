import type { CompiledScenario } from '../compile/scenario.js';
import { connectionSkip } from '../compile/connection-needs.js';
import { needsKey, type GeneralConfig, type JanusNeeds } from '../managed/needs.js';
import type { RunTarget } from '../run/run-scenario.js';
import type { TlsOptions } from '../transports/contract.js';

/** Where each scenario runs on each transport, why it is skipped, or why it cannot run. */
export interface Targets {
  targetFor(scenario: CompiledScenario, transport: string): RunTarget | { skip: string } | { error: string };
  /**
   * A managed Janus that died during the run (a crash) is started again for the tests after
   * it: resolves undefined once the scenario's Janus runs again (targetFor then gives the new
   * one's addresses), or why it was not started again. Absent for servers given by --url.
   */
  restart?(scenario: CompiledScenario): Promise<string | undefined>;
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


/** What reaching any server needs. */
export interface TargetSettings {
  transports: string[];
  secrets: RunTarget['secrets'];
  tls: TlsOptions;
  janusBinary?: string;
  /** janus.jcfg settings for every managed Janus; a scenario's `requires.janus` wins. */
  janusConfig?: GeneralConfig;
  /** Plugins the managed Janus leaves out, as if it were not installed. */
  janusWithout?: string[];
  /** The first contact (connect and info) waits this long, like every step (default 5 s, as --step-timeout). */
  stepTimeoutMs?: number;
  /** Ends a first contact with a running server at once (Ctrl-C): planning rejects with ContactInterrupted. */
  signal?: AbortSignal;
}

/** `requires.transports` leaves this transport out. */
export function transportSkip(scenario: CompiledScenario, transport: string): string | undefined {
  const only = scenario.requires.transports;
  if (only && !only.includes(transport)) return `runs only on ${only.join(', ')}`;
  // Close and reopen steps need a connection of the client's own (and close codes, a WebSocket).
  return scenario.requires.connection && connectionSkip(scenario.requires.connection, transport);
}

/** The event handlers and loggers a scenario asks the managed Janus to load, with their settings. */
export type InstanceNeeds = Pick<JanusNeeds, 'config' | 'eventhandlers' | 'loggers' | 'media'>;

/** What decides which managed Janus a scenario runs on; scenarios that agree share one. */
export function instanceNeedsOf(scenario: CompiledScenario): InstanceNeeds {
  const r = scenario.requires;
  return { config: r.janus, eventhandlers: r.eventhandlers, loggers: r.loggers, media: r.media };
}

/** The key of the managed Janus a scenario runs on (its exclusive lock is per key, too). */
export function instanceKey(scenario: CompiledScenario): string {
  return needsKey({ plugins: [], transports: [], ...instanceNeedsOf(scenario) });
}

