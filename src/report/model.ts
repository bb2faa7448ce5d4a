import type { LoadProblem } from '../core/diagnostic.js';
import type { FailureKind, KnownIssue } from '../run/events.js';

/**
 * The report of one run, as every file reporter sees it: built once from the suite's events
 * (src/report/builder.ts), with secrets already redacted. JSON is this object; HTML embeds it; JUnit
 * and TAP are rendered from it. Changing a field name here changes the JSON format.
 */
export interface RunReport {
  format: 'janus-scenarios/report@1';
  tool: { name: 'janus-scenarios'; version: string };
  /** ISO 8601. */
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Ctrl-C, SIGTERM or a server that died: scenarios that never finished are 'unfinished'. */
  interrupted: boolean;
  /** From the server's `info`, when known. */
  janusVersion?: string;
  transports: string[];
  seed?: string;
  totals: Record<ScenarioStatus, number>;
  /** Sessions the cleanup of all scenarios could not destroy: they may still exist on the server. */
  sessionsLeft: number;
  /**
   * Errors no scenario could take, one line each (the server could not be reached or started);
   * the scenarios they kept from running are unfinished with the first as their `failure`. Absent when none.
   */
  faults?: string[];
  /**
   * 'load-failed': the scenario files failed to load, so nothing ran (the run exited 2) and
   * `scenarios` is empty; `loadProblems` says why. Absent for a run that loaded its files.
   */
  status?: 'load-failed';
  /** With status 'load-failed': each problem as the console showed it (file:line:col, message), and how many there are in all. */
  loadProblems?: { count: number; problems: LoadProblem[] };
  scenarios: ScenarioReport[];
}

export type ScenarioStatus = 'passed' | 'failed' | 'skipped' | 'unfinished';

export interface ScenarioReport {
  /** Stable within a run: `${file}#${name}[${transport}]`. */
  id: string;
  /** What mocha shows: `${name} [${transport}]`. */
  title: string;
  file: string;
  name: string;
  transport: string;
  tags: string[];
  status: ScenarioStatus;
  skipReason?: string;
  /** A `known_bug:` mark that held for the server's version: the bug showed, or it is fixed. */
  knownIssue?: KnownIssue;
  durationMs: number;
  /** Epoch ms when the scenario started, when it started at all. */
  startedAt?: number;
  failure?: ReportedFailure;
  /** With continueOnMismatch (record, compare): the failures of the steps after the first failed one, in order. Absent when none. */
  laterFailures?: ReportedFailure[];
  cleanupFailures: ReportedFailure[];
  /**
   * With `--retries`, a test that ran more than once: its number of attempts (absent after one),
   * the rest of this report being its last attempt's.
   */
  attempts?: number;
  /** The failure of each attempt before the last, oldest first (with `attempts`). A test that passed after one is flaky. */
  earlierFailures?: ReportedFailure[];
  /** Every message exchanged, in order. */
  messages: ReportedMessage[];
  /** Values saved by the scenario, redacted. */
  saved: Record<string, unknown>;
  schemaWarnings: string[];
  /** What the cleanup could not do (a session it could not destroy, and why); never changes the status. */
  warnings: string[];
}

export interface ReportedFailure {
  kind: FailureKind;
  /** One line. */
  summary: string;
  /** `file:line:col` of the failing step. */
  location?: string;
  stepTitle?: string;
  expected?: unknown;
  actual?: unknown;
  /** Each field that did not match: its path in the message, what was expected, what came. */
  mismatches?: Array<{ at: string; expected: string; actual: unknown }>;
  /** The same, one line each as the console prints them (`path: expected X, got Y`). */
  mismatchLines?: string[];
  /** A unified text diff of expected against actual, when both exist. */
  diff?: string;
  schemaViolations?: string[];
  /** The full human-readable failure, as the console prints it (no colours). */
  text: string;
}

export interface ReportedMessage {
  /** Milliseconds since the scenario started. */
  atMs: number;
  /** Which client of the scenario ('default' when there is one). */
  client: string;
  /** 'out': the client sent it to Janus; 'in': Janus sent it. */
  direction: 'out' | 'in';
  /** 'janus' or 'admin'. */
  api: string;
  /** The transport it went over: 'http', 'unix', ... (reports written before it was kept have none). */
  transport?: string;
  /** Parsed JSON, or the raw text when it was not JSON. */
  message: unknown;
  /** An `http:` step's request (method, path) or response (status). */
  http?: { method?: string; path?: string; status?: number };
  /** Not a message: the connection closed (who closed it, its code and reason) or opened again; `message` says so in words. */
  connection?: { event: 'closed' | 'opened'; by?: 'client' | 'server'; code?: number; reason?: string };
}
