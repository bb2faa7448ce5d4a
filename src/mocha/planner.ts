import type { TestInfo } from '../events/events.js';
import type { ScenarioResult } from '../run/events.js';

/** Where and how the scenarios run: the CLI's run options, as values. */
export interface DescribeOptions {
  /** Default ['http', 'ws'], or the transports of `urls`. */
  transports?: string[];
  /** A Janus already running (one URL per transport); without it a managed Janus is started. */
  urls?: string[];
  adminUrls?: string[];
  /** Default: JANUS_API_SECRET, JANUS_TOKEN, JANUS_ADMIN_SECRET from the environment. */
  secrets?: { apisecret?: string; token?: string; admin_secret?: string };
  /** Only scenarios with one of these tags. */
  tags?: string[];
  /** Only tests whose file, name and transport contain this text. */
  grep?: string;
  retries?: number;
  seed?: string;
  stepTimeoutMs?: number;
  scenarioTimeoutMs?: number;
  janusBinary?: string;
  /** Who plans the run; default: the library's planner. */
  planner?: ScenarioPlanner;
}

/**
 * What describeScenarios needs of planning (load the files, then scenario × transport, skips
 * with reasons, targets and instance grouping, locks): the CLI's planning behind a small seam.
 */
export interface ScenarioPlanner {
  /** Loads and plans; invalid files reject with the rendered diagnostics, before any network I/O. */
  plan(inputs: string[], options: DescribeOptions): Promise<SuitePlan>;
}

export interface SuitePlan {
  /** In plan order; a test known to be skipped has its `skipReason`. */
  tests: PlannedScenario[];
  /** Starts what the tests need (managed Janus instances, a preflight of a remote one). */
  start(): Promise<void>;
  /** Stops it all: nothing the run started is left. */
  close(): Promise<void>;
}

export interface PlannedScenario {
  info: TestInfo;
  /** Runs one attempt, after `start`; a skip learnt only then is a result of status 'skipped'. */
  run(signal?: AbortSignal): Promise<ScenarioResult>;
  /** The server's version_string, once started. */
  serverVersion?(): string | undefined;
}
