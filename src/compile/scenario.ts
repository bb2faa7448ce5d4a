import type { SourceSpan } from '../core/source.js';
import type { Template } from '../match/contract.js';
import type { CompiledStep, KnownBug } from '../steps/contract.js';

/** A scenario ready to run: everything checked, every pattern and template compiled. */
export interface CompiledScenario {
  file: string;
  span: SourceSpan;
  name: string;
  description?: string;
  tags: string[];
  requires: ScenarioNeeds;
  clients: string[];
  /** false: no automatic keepalives; a number: their period in ms; true: derived from the server. */
  keepalive: boolean | number;
  /** Clients with a keepalive setting of their own (`clients: [{ name, keepalive }]`), which wins over `keepalive`. */
  clientKeepalive?: Record<string, boolean | number>;
  timeoutMs?: number;
  /** Each with where it is written, for a failure while resolving it. */
  variables: Array<[name: string, value: Template, span?: SourceSpan]>;
  /** Variables and saved values whose values no report or console output may show. */
  secrets: string[];
  steps: CompiledStep[];
  cleanup: CompiledStep[];
  /** A bug of some Janus versions the scenario as a whole shows. */
  knownBug?: KnownBug;
}

export interface ScenarioNeeds {
  plugins: string[];
  /** Transports the scenario may run on; undefined means all. */
  transports?: string[];
  /** janus.jcfg `general` settings it needs. */
  janus: Record<string, string | number | boolean>;
  /** Runs alone on its Janus (with --jobs). */
  exclusive: boolean;
  /** Event handlers to load, by package name, with settings for their jcfg `general` section. */
  eventhandlers: Record<string, Record<string, string | number | boolean>>;
  /** Loggers to load, likewise. */
  loggers: Record<string, Record<string, string | number | boolean>>;
  /** Uses WebRTC peers: needs a Janus they can reach (a namespaced managed one, or a remote one). */
  media: boolean;
  /**
   * Closes and reopens client connections (`connection`), with WebSocket close codes
   * (`closeCodes`): transports without such connections skip the scenario.
   */
  connection?: 'connection' | 'closeCodes';
}

/** Names every placeholder may use besides variables, params and saved values. */
export const BUILTIN_NAMES = ['session', 'handle', 'handles', 'transaction', 'last', 'env', 'env_int', 'transport'] as const;
