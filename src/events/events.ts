import type { LoadProblem } from '../core/diagnostic.js';
import type { SourceSpan } from '../core/source.js';
import type { Route } from '../protocol/messages.js';
import type { ScenarioResult, TranscriptEntry } from '../run/events.js';

/**
 * The one stream a suite run produces, in the order things happen. Every consumer (the console,
 * the file reports, coverage, the blob of a shard, the mocha bridge, the bench, the tests) reads
 * this and nothing else. Every event is plain JSON: a blob is these events, one per line, and
 * `merge-reports` replays blobs into the same reporters.
 *
 * | event        | when                                                   | carries                          |
 * |--------------|--------------------------------------------------------|----------------------------------|
 * | `run:begin`  | once, after planning, before any test starts           | every planned test, in order     |
 * | `test:begin` | a test (scenario × transport) starts an attempt         | test id, attempt (1-based)       |
 * | `step:begin` | a step of that test starts                              | title, source position            |
 * | `message`    | a message went out or came in                           | the transcript entry, its route  |
 * | `step:end`   | the step finished                                       | passed or failed, duration       |
 * | `test:end`   | an attempt finished; skipped tests end without a begin | the result; whether it retries   |
 * | `fault`      | an error no test could take (the run cannot be trusted) | one line                         |
 * | `interrupt`  | Ctrl-C or SIGTERM: running tests stop, no new one starts | the signal                      |
 * | `run:end`    | once, last                                              | the run's status                 |
 * | `load:problems` | instead of all the others: scenario files failed to load, nothing runs | each problem (file:line:col) |
 *
 * Events of tests running at once interleave; each names its test by `testId`.
 * A run whose scenario files fail to load (exit 2, before any network I/O) is the one event
 * `load:problems` and nothing else: the file reporters write their report of it (the problems as
 * failures), so that a report a CI job reads is never the previous run's; the console, which
 * prints the problems itself, does not listen to it.
 * Values marked secret are still in events in memory; whatever writes events out redacts them.
 */
export type SuiteEvent = RunBegin | TestBegin | StepBegin | MessageEvent | StepEnd | TestEnd | FaultEvent | InterruptEvent | RunEnd | LoadProblemsEvent;

/** A planned test: one scenario on one transport. */
export interface TestInfo {
  /** Stable across runs and machines: `${file}#${name}[${transport}]` (file relative to the cwd). */
  id: string;
  file: string;
  name: string;
  transport: string;
  /** What the console shows: `${name} [${transport}]`. */
  title: string;
  tags: string[];
  /** Known before the run: why it will not run. */
  skipReason?: string;
}

export interface RunBegin {
  type: 'run:begin';
  /** Epoch ms. */
  at: number;
  tests: TestInfo[];
  transports: string[];
  seed?: string;
  /** `--shard i/n`: this run is share `index` (1-based) of `total`. */
  shard?: {
    index: number;
    total: number;
    /**
     * The ids of every planned test of the whole run (all shares), in planned order: lets
     * merge-reports check that it has every share of the same plan, and order the merged run
     * as one machine would have.
     */
    allTestIds?: string[];
  };
}

export interface TestBegin {
  type: 'test:begin';
  at: number;
  testId: string;
  /** 1 for the first attempt; retries count up. */
  attempt: number;
}

export interface StepBegin {
  type: 'step:begin';
  at: number;
  testId: string;
  title: string;
  span: SourceSpan;
}

export interface MessageEvent {
  type: 'message';
  at: number;
  testId: string;
  entry: TranscriptEntry;
  route?: Route;
}

export interface StepEnd {
  type: 'step:end';
  at: number;
  testId: string;
  title: string;
  span: SourceSpan;
  status: 'passed' | 'failed';
  durationMs: number;
}

export interface TestEnd {
  type: 'test:end';
  at: number;
  testId: string;
  attempt: number;
  /** A skipped test ends with a result of status 'skipped' and its reason. */
  result: ScenarioResult;
  /** This attempt failed and another follows (`--retries`). */
  retrying: boolean;
  /** The server's version_string, when known. */
  serverVersion?: string;
}

export interface FaultEvent {
  type: 'fault';
  at: number;
  /** One line, redacted by whoever prints it. */
  message: string;
  /** The test it concerns, if any. */
  testId?: string;
}

export interface InterruptEvent {
  type: 'interrupt';
  at: number;
  signal: string;
}

export interface RunEnd {
  type: 'run:end';
  at: number;
  /** 'fault': the server could not be reached or started, or an error escaped every test. */
  status: 'passed' | 'failed' | 'interrupted' | 'fault';
  janusVersion?: string;
}

export interface LoadProblemsEvent {
  type: 'load:problems';
  at: number;
  /** The problems the console printed, in its order (at most SHOWN_PER_FILE of a file's, then a note of how many more); redacted. */
  problems: LoadProblem[];
  /** How many problems there are in all. */
  count: number;
  /** `--shard i/n`: the share this run was to be (where a blob goes). */
  shard?: { index: number; total: number };
}
