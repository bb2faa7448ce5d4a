import type { SuiteEvent, TestInfo } from '../../src/events/events.js';
import type { ScenarioResult } from '../../src/run/events.js';

/** The run's own secret (as --api-secret gives it) and one a scenario marks `secrets:`. */
export const RUN_SECRET = 'Rk7vX2mKp9Qa';
export const SCENARIO_SECRET = 'Zr4Tq8Lw3nBy';
export const FILE_A = 'scenarios/a.yaml';
export const FILE_B = 'scenarios/b.yaml';

export function info(file: string, name: string, transport = 'http', skipReason?: string): TestInfo {
  return { id: `${file}#${name}[${transport}]`, file, name, transport, title: `${name} [${transport}]`, tags: ['t'], ...(skipReason && { skipReason }) };
}

export function result(test: TestInfo, overrides: Partial<ScenarioResult> = {}): ScenarioResult {
  return {
    file: test.file, name: test.name, transport: test.transport, status: 'passed', startedAt: 1_000, durationMs: 20,
    cleanupFailures: [], transcript: [], saved: {}, destroyedSessions: [], sessionsLeft: [], schemaWarnings: [], secretValues: [RUN_SECRET],
    ...overrides,
  };
}

export const PASSES = info(FILE_A, 'passes');
export const MISMATCH = info(FILE_A, 'mismatches');
export const SKIPPED = info(FILE_A, 'ws only', 'http', 'runs only on ws');
export const RETRIED = info(FILE_B, 'flaky');
export const INTERRUPTED = info(FILE_B, 'sleeps');
export const NEVER = info(FILE_B, 'never starts');
export const TESTS = [PASSES, MISMATCH, SKIPPED, RETRIED, INTERRUPTED, NEVER];

/** A message that carries both secrets, as a transcript entry. */
function sent(at: number): ScenarioResult['transcript'][number] {
  return { at, client: 'default', api: 'janus', direction: 'out', message: { janus: 'create', transaction: `t-${SCENARIO_SECRET}`, apisecret: RUN_SECRET } };
}

/**
 * A run of six tests that covers every case: a pass, a mismatch (a secret in its messages,
 * failure and saved values), a planned skip, a retry whose second attempt passes, a test Ctrl-C
 * stops while it runs (its messages known only from `message` events) and one that never
 * starts. Tests finish out of plan order.
 */
export function syntheticRun(): SuiteEvent[] {
  const mismatch = result(MISMATCH, {
    status: 'failed', startedAt: 1_100, durationMs: 35, stepMessages: 1,
    transcript: [sent(1_110), { at: 1_120, client: 'default', api: 'janus', direction: 'in', message: { janus: 'success', transaction: `t-${SCENARIO_SECRET}`, data: { id: 5 } } }],
    failure: {
      kind: 'assertion', summary: `the reply to create did not match (sent ${SCENARIO_SECRET})`, span: { file: FILE_A, line: 7, col: 5, width: 1 }, stepTitle: 'create',
      expected: { janus: 'error', token: SCENARIO_SECRET }, actual: { janus: 'success', token: SCENARIO_SECRET }, mismatches: [{ at: 'janus', expected: '"error"', actual: 'success' }],
    },
    saved: { pin: SCENARIO_SECRET, session: 5 },
    secretValues: [RUN_SECRET, SCENARIO_SECRET],
  });
  return [
    { type: 'run:begin', at: 1_000, tests: TESTS, transports: ['http'], seed: 'seed-1' },
    { type: 'test:end', at: 1_001, testId: SKIPPED.id, attempt: 1, result: result(SKIPPED, { status: 'skipped', skipReason: 'runs only on ws', durationMs: 0 }), retrying: false },
    { type: 'test:begin', at: 1_002, testId: PASSES.id, attempt: 1 },
    { type: 'test:begin', at: 1_003, testId: MISMATCH.id, attempt: 1 },
    { type: 'message', at: 1_110, testId: MISMATCH.id, entry: sent(1_110) },
    // The mismatch finishes first: reporters that print in order hold it until `passes` is done.
    { type: 'test:end', at: 1_140, testId: MISMATCH.id, attempt: 1, result: mismatch, retrying: false, serverVersion: '1.1.2' },
    { type: 'test:end', at: 1_150, testId: PASSES.id, attempt: 1, result: result(PASSES, { startedAt: 1_002, durationMs: 148, transcript: [sent(1_010)] }), retrying: false, serverVersion: '1.1.2' },
    { type: 'test:begin', at: 1_200, testId: RETRIED.id, attempt: 1 },
    { type: 'test:end', at: 1_210, testId: RETRIED.id, attempt: 1, result: result(RETRIED, { status: 'failed', startedAt: 1_200, durationMs: 10, failure: { kind: 'timeout', summary: `first attempt timed out (sent ${SCENARIO_SECRET})`, span: { file: FILE_B, line: 9, col: 5, width: 1 } }, secretValues: [RUN_SECRET, SCENARIO_SECRET] }), retrying: true },
    { type: 'test:begin', at: 1_220, testId: RETRIED.id, attempt: 2 },
    { type: 'test:end', at: 1_250, testId: RETRIED.id, attempt: 2, result: result(RETRIED, { startedAt: 1_220, durationMs: 30 }), retrying: false },
    { type: 'test:begin', at: 1_300, testId: INTERRUPTED.id, attempt: 1 },
    { type: 'step:begin', at: 1_301, testId: INTERRUPTED.id, title: 'sleep', span: { file: FILE_B, line: 4, col: 5, width: 1 } },
    { type: 'message', at: 1_305, testId: INTERRUPTED.id, entry: sent(1_305) },
    { type: 'interrupt', at: 1_400, signal: 'SIGINT' },
    { type: 'run:end', at: 1_500, status: 'interrupted', janusVersion: '1.1.2' },
  ];
}

/** Every window of `size` characters of a secret: none may appear in any output. */
export function secretPieces(size = 6): string[] {
  return [RUN_SECRET, SCENARIO_SECRET].flatMap((s) => Array.from({ length: s.length - size + 1 }, (_, i) => s.slice(i, i + size)));
}

/** A sink that keeps what is written. */
export class Sink {
  text = '';
  isTTY = false;
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}
