import type Mocha from 'mocha';
import type { SuiteEvent, TestInfo } from '../events/events.js';
import type { ScenarioResult } from '../run/events.js';

const KEY = Symbol.for('janus-scenarios.scenario-test');

/** What a mocha test made from a scenario carries, for reporters under plain mocha. */
export interface ScenarioTestData {
  info: TestInfo;
  /** The result of its last attempt, set before mocha hears of the attempt's end. */
  result?: ScenarioResult;
  serverVersion?: string;
}

type Tagged = Mocha.Runnable & { [KEY]?: ScenarioTestData };

export function attachScenario(test: Mocha.Test, data: ScenarioTestData): void {
  (test as Tagged)[KEY] = data;
}

export function scenarioOf(test: Mocha.Runnable): ScenarioTestData | undefined {
  return (test as Tagged)[KEY];
}

const RUN_BEGIN = 'start';
const RUN_END = 'end';
const TEST_BEGIN = 'test';
const TEST_PASS = 'pass';
const TEST_FAIL = 'fail';
const TEST_PENDING = 'pending';
const TEST_RETRY = 'retry';

/**
 * Turns a mocha run into the suite's events, for our reporters under plain mocha (the wrappers
 * at dist/reporters/*.js): scenario tests (made by describeScenarios) report their own results;
 * any other test is reported from what mocha knows of it. A failing hook is a `fault`; tests it
 * kept from running are unfinished. `emit` receives every event in order; the promise it returns
 * for `run:end` is what `done()` waits for.
 */
export function forwardMochaRun(runner: Mocha.Runner, emit: (event: SuiteEvent) => void | Promise<void>, options: { run?: boolean } = {}): { finished: Promise<void> } {
  // `run: false`: the caller says when the run begins and ends; only the tests' events are forwarded.
  const ownRun = options.run ?? true;
  const infos = new Map<Mocha.Test, TestInfo>();
  const attempts = new Map<Mocha.Test, number>();
  const ended = new Set<Mocha.Test>();
  let faulted = false;
  let resolveFinished!: () => void;
  const finished = new Promise<void>((resolve) => (resolveFinished = resolve));
  const infoOf = (test: Mocha.Test): TestInfo => {
    let info = infos.get(test);
    if (!info) {
      info = scenarioOf(test)?.info ?? plainInfo(test);
      infos.set(test, info);
    }
    return info;
  };
  const end = (test: Mocha.Test, result: ScenarioResult, retrying: boolean): void => {
    if (!retrying) ended.add(test);
    const serverVersion = scenarioOf(test)?.serverVersion;
    void emit({ type: 'test:end', at: Date.now(), testId: infoOf(test).id, attempt: attempts.get(test) ?? 1, result, retrying, ...(serverVersion && { serverVersion }) });
  };

  runner.once(RUN_BEGIN, () => {
    if (!ownRun) return;
    const tests = allTests(runner.suite).map(infoOf);
    void emit({ type: 'run:begin', at: Date.now(), tests, transports: [...new Set(tests.map((t) => t.transport).filter(Boolean))] });
  });
  runner.on(TEST_BEGIN, (test: Mocha.Test) => {
    attempts.set(test, (attempts.get(test) ?? 0) + 1);
    void emit({ type: 'test:begin', at: Date.now(), testId: infoOf(test).id, attempt: attempts.get(test)! });
  });
  runner.on(TEST_PASS, (test: Mocha.Test) => end(test, resultOf(test, infoOf(test), 'passed'), false));
  runner.on(TEST_PENDING, (test: Mocha.Test) => {
    if (!ended.has(test)) end(test, resultOf(test, infoOf(test), 'skipped'), false);
  });
  runner.on(TEST_RETRY, (test: Mocha.Test, error: unknown) => end(test, resultOf(test, infoOf(test), 'failed', error), true));
  runner.on(TEST_FAIL, (runnable: Mocha.Runnable, error: unknown) => {
    if ((runnable as Mocha.Runnable & { type?: string }).type !== 'test') {
      faulted = true;
      void emit({ type: 'fault', at: Date.now(), message: `${runnable.fullTitle()}: ${firstLine(error)}` });
      return;
    }
    const test = runnable as Mocha.Test;
    if (!ended.has(test)) end(test, resultOf(test, infoOf(test), 'failed', error), false);
  });
  runner.once(RUN_END, () => {
    if (!ownRun) return resolveFinished();
    const stopped = [...infos.keys()].some((t) => !ended.has(t));
    const failed = [...infos.keys()].some((t) => t.state === 'failed');
    const status = faulted ? 'fault' : stopped ? 'interrupted' : failed ? 'failed' : 'passed';
    void Promise.resolve(emit({ type: 'run:end', at: Date.now(), status })).finally(resolveFinished);
  });
  return { finished };
}

function allTests(suite: Mocha.Suite): Mocha.Test[] {
  return [...suite.tests, ...suite.suites.flatMap(allTests)];
}

/** A test that is not a scenario: its full title is its name, it has no transport. */
function plainInfo(test: Mocha.Test): TestInfo {
  const parent = test.parent?.fullTitle() ?? '';
  const name = parent ? `${parent} ${test.title}` : test.title;
  const file = test.file ?? parent;
  return { id: `${file}#${name}[]`, file, name, transport: '', title: name, tags: [] };
}

/** A scenario test's own result (the attempt that just ended), or one made from mocha's state. */
function resultOf(test: Mocha.Test, info: TestInfo, status: ScenarioResult['status'], error?: unknown): ScenarioResult {
  const own = scenarioOf(test)?.result;
  if (own && status !== 'skipped') return own;
  const durationMs = test.duration ?? 0;
  return {
    file: info.file,
    name: info.name,
    transport: info.transport,
    status,
    ...(status === 'skipped' && info.skipReason && { skipReason: info.skipReason }),
    startedAt: Date.now() - durationMs,
    durationMs,
    ...(status === 'failed' && { failure: { kind: 'assertion' as const, summary: firstLine(error) } }),
    cleanupFailures: [],
    transcript: [],
    saved: {},
    destroyedSessions: [],
    sessionsLeft: [],
    schemaWarnings: [],
    secretValues: [],
  };
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? '';
}
