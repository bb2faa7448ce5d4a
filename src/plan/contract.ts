import type { CompiledScenario } from '../compile/scenario.js';
import type { Environment } from '../core/environment.js';
import type { TestInfo } from '../events/events.js';
import type { RunEvent, ScenarioResult } from '../run/events.js';
import type { RunOptions, RunTarget } from '../run/run-scenario.js';
import type { SchemaMode } from '../schemas/checker.js';
import type { TlsOptions } from '../transports/contract.js';
import type { TargetSettings } from './targets.js';

/** What a suite is planned against and how each test runs; every field has a default. */
export interface PlanSettings {
  /** Default: those of `urls`, else http and ws. */
  transports?: string[];
  /** A running Janus (`--url`, one per transport); without any, managed instances are started. */
  urls?: string[];
  adminUrls?: string[];
  secrets?: TargetSettings['secrets'];
  tls?: TlsOptions;
  janusBinary?: string;
  /** janus.jcfg settings for every managed Janus (a scenario's `requires.janus` wins). */
  janusConfig?: TargetSettings['janusConfig'];
  /** Plugins the managed Janus leaves out, as if not installed: their scenarios are skipped. */
  janusWithout?: string[];
  grep?: string;
  invert?: boolean;
  tags?: string[];
  /** `--shard i/n`: plan only this share of the tests (whole files, the same split everywhere). */
  shard?: { index: number; total: number };
  /** Default 5 s. */
  stepTimeoutMs?: number;
  /** Ctrl-C while the first contact with a `--url` server waits: planSuite rejects with ContactInterrupted. */
  signal?: AbortSignal;
  /** Default 60 s. */
  scenarioTimeoutMs?: number;
  /** Default 'strict'. */
  schemaMode?: SchemaMode;
  /** Scenarios go on after a step whose message did not match (record, compare); default off: a run stops at the first failure. */
  continueOnMismatch?: boolean;
  /** Keep the wire's shape of every message received (record, compare): see ConnectOptions.wireFrames. */
  wireFrames?: boolean;
  env?: Environment;
  validateSchema?: RunOptions['validateSchema'];
  onSchemaValid?: RunOptions['onSchemaValid'];
}

/** One scenario on one transport; `info.skipReason` says when it is known not to run. */
export interface PlannedTest {
  info: TestInfo;
  scenario: CompiledScenario;
}

/**
 * The tests of a suite, in order, before any of them runs: what `--list` prints and what
 * `runSuite` runs. Planning starts nothing; `start` starts what the tests run on.
 */
export interface Plan {
  tests: PlannedTest[];
  transports: string[];
  /** A share of a sharded run: which one, and every test id of the whole run in plan order. */
  shard?: { index: number; total: number; allTestIds: string[] };
  /** The server could not be reached (or Janus is not installed): one line; nothing can run. */
  fault?: string;
  start(): Promise<StartedPlan>;
}

/** The servers started (managed Janus instances, peer hosts), and how a test runs on them. */
export interface StartedPlan {
  /** One attempt of a test; never throws for anything a server does. One lock per Janus keeps `requires.exclusive` alone on it. */
  run(test: PlannedTest, attempt: Attempt): Promise<ScenarioResult>;
  /** Where the test runs (its URL, secrets, the server's version_string), unless it is skipped or its Janus did not start. */
  target(test: PlannedTest): RunTarget | undefined;
  close(): Promise<void>;
}

export interface Attempt {
  seed: string;
  /** Fires when the attempt must stop (Ctrl-C, or an uncaught error charged to it). */
  signal: AbortSignal;
  onEvent?: (event: RunEvent) => void;
}

export const DEFAULT_STEP_TIMEOUT_MS = 5000;
export const DEFAULT_SCENARIO_TIMEOUT_MS = 60_000;
