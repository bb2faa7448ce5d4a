import type { SourceSpan } from '../core/source.js';
import type { Direction } from '../janus/client.js';
import type { HttpExchange, JanusApi, JanusMessage, Route } from '../protocol/messages.js';
import type { Mismatch } from '../match/contract.js';

/** Transcript readers find it with the other result types; it is defined with the wire shapes. */
export type { HttpExchange };

/** The typed result events the engine emits; reporters and the mocha adapter consume them. */
export type RunEvent =
  | { type: 'scenario:start'; file: string; name: string; transport: string }
  | { type: 'step:start'; title: string; span: SourceSpan }
  | { type: 'step:end'; title: string; span: SourceSpan; status: 'passed' | 'failed'; durationMs: number }
  | { type: 'message'; client: string; direction: Direction; message: JanusMessage | string; at: number; api: JanusApi; route?: Route; transport: string; connection?: ConnectionEvent }
  | { type: 'scenario:end'; result: ScenarioResult };

/** 'interrupted': Ctrl-C or SIGTERM stopped the scenario before it finished. */
export type FailureKind = 'assertion' | 'infrastructure' | 'timeout' | 'interrupted';

export interface Failure {
  kind: FailureKind;
  /** One line. */
  summary: string;
  span?: SourceSpan;
  stepTitle?: string;
  expected?: unknown;
  actual?: unknown;
  mismatches?: Mismatch[];
  /** Every schema violation of the step, one line each. */
  schemaViolations?: string[];
  /** The step got its message and only the contents differ: a run with `continueOnMismatch` goes on after it. */
  continuable?: boolean;
  /**
   * A request's reply did not come within the step's time limit though the server is up: a
   * timeout, which a `known_bug` mark never takes for the bug (a bug shows in what the server
   * says, not in how long it takes).
   */
  slow?: boolean;
  /**
   * The step could not do what it says for a reason of the scenario's own: a request on a
   * connection it closed, or under a transaction still in use; a no_event on a connection it
   * closed. A `known_bug` mark never takes it for the bug: the server said nothing.
   */
  ownMistake?: boolean;
}

export interface TranscriptEntry {
  at: number;
  client: string;
  api: JanusApi;
  /** The transport the message went over (the Admin API's may differ from the test's). Absent in transcripts recorded before it was kept. */
  transport?: string;
  direction: Direction;
  message: JanusMessage | string;
  /** An `http:` step's request (method, path) or response (status), besides any JSON body. */
  http?: HttpExchange;
  /** Not a message: the client's connection was closed or opened (`message` then says so in words). */
  connection?: ConnectionEvent;
}

/** A connection closed (by the client or the server, with the WebSocket close code and reason) or opened again. */
export interface ConnectionEvent {
  event: 'closed' | 'opened';
  by?: 'client' | 'server';
  code?: number;
  reason?: string;
}

export interface ScenarioResult {
  file: string;
  name: string;
  transport: string;
  status: 'passed' | 'failed' | 'skipped';
  skipReason?: string;
  /** Epoch ms. */
  startedAt: number;
  durationMs: number;
  failure?: Failure;
  /**
   * With `continueOnMismatch` (record, compare): the failures of the steps after the first
   * failed one, in order. The last may be one the scenario could not go on after.
   */
  laterFailures?: Failure[];
  /** Problems in cleanup steps or while destroying sessions, after the main failure if any. */
  cleanupFailures: Failure[];
  transcript: TranscriptEntry[];
  /**
   * How many transcript entries the scenario's own steps exchanged; what follows is cleanup
   * (cleanup steps, session destroys) and late events. Failure texts show messages up to here.
   */
  stepMessages?: number;
  saved: Record<string, unknown>;
  /** Sessions the engine destroyed because the scenario left them alive. */
  destroyedSessions: number[];
  /**
   * Sessions the engine's cleanup could not destroy (no answer, an error, a dead connection):
   * they may still exist on the server. A warning, never a change of verdict.
   */
  sessionsLeft: Array<{ client: string; sessionId: number; reason: string }>;
  /** Schema violations that did not fail the run (--schema warn, or after the last step). */
  schemaWarnings: string[];
  /**
   * Values no report may show: the secrets the scenario ran with (api secret, token, admin
   * secret) and the values of the names it marks `secrets:`. Reporters redact them.
   */
  secretValues: string[];
  /**
   * A `known_bug:` mark that held for the server's version: the bug showed (status 'skipped',
   * its reason "known issue: ...", `failure` how it showed), or it did not (status 'failed':
   * fixed in this version, the mark should go).
   */
  knownIssue?: KnownIssue;
}

export interface KnownIssue {
  what: string;
  /** The versions the mark names, as written. */
  janus: string;
  link?: string;
  /** Where the mark is written: file:line:col. */
  location: string;
  /** 'present': the bug showed; 'fixed': the marked step or scenario passed. */
  outcome: 'present' | 'fixed';
  /** How the bug showed (the failure it caused). */
  failure?: Failure;
}
