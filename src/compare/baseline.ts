import { readFileSync } from 'node:fs';
import { parseJsonText } from '../core/json-text.js';
import type { JanusApi } from '../protocol/messages.js';
import type { WireSummary } from './wire.js';

/**
 * A baseline: what one Janus sent and received for every step of every test of a suite, and
 * what that server is (its `info`, its Admin `get_status`). `record` writes it; `compare` runs
 * the suite again and diffs the new run against it. Values are kept as the server sent them
 * (secrets redacted); volatile values (ids, transactions, times) are turned into symbols only
 * when comparing, so the rules can improve without re-recording.
 *
 * Format `janus-scenarios-baseline`, version 2 (a reader takes versions 1 and 2 and refuses any other):
 *
 *     { format, version, tool: {name, version}, recordedAt (ISO), serverVersion?,
 *       inventory: { [transport]: { info?, adminStatus?, error?, asked?, servers? } },
 *       tests: [ { id, file, name, transport, status, failure?,
 *                  steps: [ { title, at: "file:line", durationMs?,
 *                             messages: [ { client, api, direction, message, route?, http?, ms?, wire? } ] } ] } ],
 *       unstable?: [ fingerprints of the differences seen between repeated recordings ] }
 *
 * Version 2 added `durationMs` (steps), `ms` and `wire` (messages); a version 1 baseline has
 * none, so its timing and wire are not compared.
 *
 * Messages exchanged after the scenario's last step (cleanup, session destroys, late events)
 * go in a last step titled `(cleanup)`.
 */
export const BASELINE_FORMAT = 'janus-scenarios-baseline';
export const BASELINE_VERSION = 2;
/** The versions a reader takes: what a later version added is optional. */
export const BASELINE_VERSIONS_READ: readonly number[] = [1, 2];

export interface Baseline {
  format: typeof BASELINE_FORMAT;
  version: number;
  tool: { name: string; version: string };
  recordedAt: string;
  serverVersion?: string;
  inventory: Record<string, ServerInventory>;
  tests: BaselineTest[];
  /**
   * `record --repeat N`: what differed between the recordings of the same server (a race, a
   * counter), as difference fingerprints (`test|step|message|pointer|class`). compare does not
   * report those: they are not a change of version.
   */
  unstable?: string[];
}

/** What a server says it is, on one transport. */
export interface ServerInventory {
  info?: Record<string, unknown>;
  /** Admin `get_status` (its `status` object), when an admin URL and secret were known. */
  adminStatus?: Record<string, unknown>;
  /** Why the inventory (or part of it) could not be taken: one line. */
  error?: string;
  /**
   * A managed Janus loads only what the run's scenarios need: the modules it was asked for, by
   * `info` list (`plugins`, `transports`, `events`, `loggers`). A module outside them is there or
   * not by the choice of scenarios and transports, not by the server: compare reports a module
   * added or removed only when every side that has this field asked for it. Absent for a
   * server given by --url (it loads what it is configured with) and in older baselines.
   */
  asked?: Record<string, string[]>;
  /**
   * Managed Janus instances: each one's `info` and `get_status`, by the settings its scenarios
   * started it with (`requires.janus`, event handlers, loggers, media, hashed into a key). `info` and
   * `adminStatus` above hold the first test's server's settings, which depend on the scenario
   * that came first (a part of the suite may begin with one that sets `session_timeout`): the
   * settings are compared between servers started the same way when both sides have these.
   */
  servers?: Record<string, { info?: Record<string, unknown>; adminStatus?: Record<string, unknown> }>;
}

export interface BaselineTest {
  id: string;
  file: string;
  name: string;
  transport: string;
  status: 'passed' | 'failed' | 'skipped';
  /** One line: why it failed or was skipped. */
  failure?: string;
  steps: BaselineStep[];
}

export interface BaselineStep {
  title: string;
  /** `file:line` of the step. */
  at: string;
  /** How long the step took, when it passed. */
  durationMs?: number;
  messages: BaselineMessage[];
}

export interface BaselineMessage {
  client: string;
  api: JanusApi;
  direction: 'out' | 'in';
  message: unknown;
  /** Where a request was addressed when the transport puts it in the URL (HTTP): session and handle. */
  route?: { sessionId?: number; handleId?: number };
  /** An `http:` step's request or response line (method, path, status), when there is one. */
  http?: unknown;
  /** When it was sent or received, in ms from the test's start (a request's latency is its reply's `ms` less its own). */
  ms?: number;
  /** What the wire showed for a message received: HTTP status, WebSocket framing, JSON layout. */
  wire?: WireSummary;
}

export const CLEANUP_STEP = '(cleanup)';

/**
 * Whether a test ran: a test skipped as a known issue of its Janus version (`known_bug`) ran to
 * its end and is recorded like any other, so it is compared (a bug a version brings or fixes is
 * what an upgrade changes); one skipped before it started (a plugin not installed, another
 * transport) has no message.
 */
export function testRan(test: BaselineTest): boolean {
  return test.status !== 'skipped' || test.steps.some((s) => s.messages.length > 0);
}

/** A test's verdict as a report shows it: `passed`, or the status and its one-line reason. */
export function verdictOf(test: BaselineTest): string {
  return test.status !== 'passed' && test.failure ? `${test.status}: ${test.failure}` : test.status;
}

/** Reads and checks a baseline file; a problem is one line (the caller exits 2). */
export function readBaseline(path: string): Baseline | { problem: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { problem: `cannot read baseline ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  const parsed = parseJsonText(text);
  if (!('value' in parsed)) return { problem: `${path}:${parsed.line}:${parsed.col}: not JSON: ${parsed.problem}` };
  const b = parsed.value as Partial<Baseline>;
  if (typeof b !== 'object' || b === null || b.format !== BASELINE_FORMAT) return { problem: `${path}: not a janus-scenarios baseline (no "format": "${BASELINE_FORMAT}")` };
  if (!BASELINE_VERSIONS_READ.includes(b.version as number)) return { problem: `${path}: baseline version ${String(b.version)}; this janus-scenarios reads versions ${BASELINE_VERSIONS_READ.join(' and ')} (record it again)` };
  if (!Array.isArray(b.tests) || typeof b.inventory !== 'object' || b.inventory === null) return { problem: `${path}: a baseline needs "tests" (a list) and "inventory" (an object)` };
  const shape = shapeProblem(b);
  if (shape) return { problem: `${path}: ${shape} (edited by hand, or not written by record? record it again)` };
  return b as Baseline;
}

/** What a field must be: a check, and its words. */
type Expected = [(v: unknown) => boolean, string];
const STRING: Expected = [(v) => typeof v === 'string', 'a string'];
const NUMBER: Expected = [(v) => typeof v === 'number' && Number.isFinite(v), 'a number'];
const OBJECT: Expected = [(v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'an object'];
const LIST: Expected = [Array.isArray, 'a list'];
const oneOf = (...values: string[]): Expected => [(v) => values.includes(v as string), values.map((x) => `"${x}"`).join(' or ')];

/** `where`: what `value` is not, or undefined; `optional` lets it be absent. */
function wrong(value: unknown, where: string, [is, words]: Expected, optional = false): string | undefined {
  if (optional && value === undefined) return undefined;
  if (is(value)) return undefined;
  const got = JSON.stringify(value);
  return `${where} should be ${words}, not ${got === undefined ? 'absent' : got.length > 40 ? `${got.slice(0, 40)}…` : got}`;
}

/**
 * Checks every test, step and message a compare reads: a value of another shape (steps: "x")
 * crashed the compare after the run, or was read as nothing (an inventory that is a number: no
 * inventory compared, and no difference reported).
 */
function shapeProblem(b: Partial<Baseline>): string | undefined {
  const top = wrong(b.serverVersion, 'serverVersion', STRING, true) ?? wrong(b.unstable, 'unstable', LIST, true) ?? b.unstable?.map((u, i) => wrong(u, `unstable[${i}]`, STRING)).find(Boolean);
  if (top) return top;
  for (const [transport, inv] of Object.entries(b.inventory ?? {})) {
    const at = `inventory.${transport}`;
    const problem = wrong(inv, at, OBJECT) ?? wrong(inv.info, `${at}.info`, OBJECT, true) ?? wrong(inv.adminStatus, `${at}.adminStatus`, OBJECT, true) ?? wrong(inv.error, `${at}.error`, STRING, true) ?? wrong(inv.asked, `${at}.asked`, OBJECT, true) ?? wrong(inv.servers, `${at}.servers`, OBJECT, true)
      ?? Object.entries(inv.servers ?? {}).map(([k, v]) => wrong(v, `${at}.servers[${k}]`, OBJECT) ?? wrong(v.info, `${at}.servers[${k}].info`, OBJECT, true) ?? wrong(v.adminStatus, `${at}.servers[${k}].adminStatus`, OBJECT, true)).find(Boolean)
      ?? Object.entries(inv.asked ?? {}).map(([k, v]) => wrong(v, `${at}.asked.${k}`, LIST) ?? v.map((x, i) => wrong(x, `${at}.asked.${k}[${i}]`, STRING)).find(Boolean)).find(Boolean);
    if (problem) return problem;
  }
  for (const [t, test] of (b.tests ?? []).entries()) {
    const problem = testProblem(test, `tests[${t}]`);
    if (problem) return problem;
  }
  return undefined;
}

function testProblem(test: BaselineTest, at: string): string | undefined {
  const own = wrong(test, at, OBJECT)
    ?? (['id', 'file', 'name', 'transport'] as const).map((k) => wrong(test[k], `${at}.${k}`, STRING)).find(Boolean)
    ?? wrong(test.status, `${at}.status`, oneOf('passed', 'failed', 'skipped'))
    ?? wrong(test.failure, `${at}.failure`, STRING, true)
    ?? wrong(test.steps, `${at}.steps`, LIST);
  if (own) return own;
  for (const [s, step] of test.steps.entries()) {
    const where = `${at}.steps[${s}]`;
    const problem = wrong(step, where, OBJECT) ?? wrong(step.title, `${where}.title`, STRING) ?? wrong(step.at, `${where}.at`, STRING) ?? wrong(step.durationMs, `${where}.durationMs`, NUMBER, true) ?? wrong(step.messages, `${where}.messages`, LIST)
      ?? step.messages.map((m, i) => messageProblem(m, `${where}.messages[${i}]`)).find(Boolean);
    if (problem) return problem;
  }
  return undefined;
}

function messageProblem(m: BaselineMessage, at: string): string | undefined {
  return wrong(m, at, OBJECT) ?? wrong(m.client, `${at}.client`, STRING) ?? wrong(m.api, `${at}.api`, oneOf('janus', 'admin')) ?? wrong(m.direction, `${at}.direction`, oneOf('out', 'in'))
    ?? wrong(m.ms, `${at}.ms`, NUMBER, true) ?? wrong(m.route, `${at}.route`, OBJECT, true) ?? wrong(m.wire, `${at}.wire`, OBJECT, true);
}
