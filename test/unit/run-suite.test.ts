import assert from 'node:assert/strict';
import type { SuiteEvent, TestEnd } from '../../src/events/events.js';
import { Multiplexer, reporterErrorLine } from '../../src/events/multiplexer.js';
import { runSuite } from '../../src/suite/run-suite.js';
import { fakePlan, lines, recorder, result } from '../support/fake-plan.js';

/** runSuite on plans of stub scenarios: the order of the events, retries, bail, reporters that break, Ctrl-C. */
describe('runSuite', function () {
  this.timeout(20_000);

  it('emits run:begin, skips, each test with its steps and messages, then run:end, in order', async () => {
    const rec = recorder();
    const plan = fakePlan([
      {
        name: 'a',
        run: async ({ onEvent }) => {
          const span = { file: 'a.yaml', line: 3, col: 5, width: 6 };
          onEvent!({ type: 'step:start', title: 'create', span });
          onEvent!({ type: 'message', client: 'main', direction: 'out', message: { janus: 'create' }, at: 1, api: 'janus', transport: 'http' });
          onEvent!({ type: 'step:end', title: 'create', span, status: 'passed', durationMs: 2 });
          return result('a');
        },
      },
      { name: 's', skip: 'the server lacks janus.plugin.sip' },
      { name: 'b' },
    ]);
    const outcome = await runSuite(plan, { reporter: rec, seed: 'fixed' });
    assert.deepEqual(lines(rec.events), [
      'run:begin', 'test:end s 1 skipped',
      'test:begin a 1', 'step:begin a', 'message a', 'step:end a', 'test:end a 1 passed',
      'test:begin b 1', 'test:end b 1 passed',
      'run:end passed',
    ]);
    const begin = rec.events[0] as Extract<SuiteEvent, { type: 'run:begin' }>;
    assert.deepEqual(begin.tests.map((t) => t.id), ['a.yaml#a[http]', 's.yaml#s[http]', 'b.yaml#b[http]']);
    assert.equal(begin.seed, 'fixed');
    const message = rec.events.find((e) => e.type === 'message') as Extract<SuiteEvent, { type: 'message' }>;
    assert.deepEqual(message.entry, { client: 'main', direction: 'out', message: { janus: 'create' }, at: 1, api: 'janus' });
    const skip = rec.events[1] as TestEnd;
    assert.equal(skip.result.skipReason, 'the server lacks janus.plugin.sip');
    assert.equal(outcome.status, 'passed');
    assert.deepEqual(outcome.results.map((r) => `${r.name} ${r.status}`), ['a passed', 's skipped', 'b passed']);
    assert.equal(outcome.janusVersion, '1.1.2');
  });

  it('retries a failed test, each attempt a test:begin and a test:end; only the last counts', async () => {
    const rec = recorder();
    const plan = fakePlan([
      { name: 'flaky', run: async (_, n) => result('flaky', n === 1, 'assertion') },
      { name: 'broken', run: async () => result('broken', true, 'assertion') },
    ]);
    const outcome = await runSuite(plan, { reporter: rec, retries: 2 });
    assert.deepEqual(lines(rec.events).filter((l) => l.startsWith('test:') || l.startsWith('run:end')), [
      'test:begin flaky 1', 'test:end flaky 1 failed retrying', 'test:begin flaky 2', 'test:end flaky 2 passed',
      'test:begin broken 1', 'test:end broken 1 failed retrying', 'test:begin broken 2', 'test:end broken 2 failed retrying',
      'test:begin broken 3', 'test:end broken 3 failed',
      'run:end failed',
    ]);
    assert.deepEqual(outcome.results.map((r) => `${r.name} ${r.status}`), ['flaky passed', 'broken failed']);
  });

  it('--bail: after the first failure the running tests stop and no other starts', async () => {
    const rec = recorder();
    let bStarted!: () => void;
    const running = new Promise<void>((r) => (bStarted = r));
    const plan = fakePlan([
      { name: 'a', run: async () => (await running, result('a', true, 'assertion')) },
      {
        name: 'b',
        run: ({ signal }) => new Promise((resolve) => {
          signal.addEventListener('abort', () => resolve(result('b', true, 'interrupted')), { once: true });
          bStarted();
        }),
      },
      { name: 'c' },
    ]);
    const outcome = await runSuite(plan, { reporter: rec, bail: true, retries: 1, jobs: 2 });
    assert.deepEqual(lines(rec.events), [
      'run:begin', 'test:begin a 1', 'test:begin b 1', 'test:end a 1 failed retrying', 'test:begin a 2', 'test:end a 2 failed', 'test:end b 1 failed', 'run:end failed',
    ]);
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.results.find((r) => r.name === 'b')?.failure?.kind, 'interrupted');
  });

  it('a reporter that throws is reported once and dropped; the others hear the whole run', async () => {
    const complaints: string[] = [];
    const rec = recorder();
    class Broken {
      onTestEnd(): void {
        throw new Error('disk full\nsecond line');
      }
    }
    const rejecting = { onRunEnd: () => Promise.reject(new Error('cannot write')) };
    const reporter = new Multiplexer([new Broken(), rejecting, rec], (name, error) => complaints.push(reporterErrorLine(name, error)));
    const outcome = await runSuite(fakePlan([{ name: 'a' }, { name: 'b' }]), { reporter });
    assert.deepEqual(lines(rec.events), ['run:begin', 'test:begin a 1', 'test:end a 1 passed', 'test:begin b 1', 'test:end b 1 passed', 'run:end passed']);
    assert.deepEqual(complaints, ['error: the reporter Broken failed and was stopped: disk full', 'error: the reporter a reporter failed and was stopped: cannot write']);
    assert.equal(outcome.status, 'passed');
  });

  it('Ctrl-C: an interrupt event, the running test stops, no other starts, run:end interrupted', async () => {
    const rec = recorder();
    const stop = new AbortController();
    const plan = fakePlan([
      {
        name: 'a',
        run: ({ signal }) => new Promise((resolve) => {
          signal.addEventListener('abort', () => resolve(result('a', true, 'interrupted')), { once: true });
          setImmediate(() => stop.abort('SIGTERM'));
        }),
      },
      { name: 'b' },
    ]);
    const outcome = await runSuite(plan, { reporter: rec, retries: 3, signal: stop.signal });
    assert.deepEqual(lines(rec.events), ['run:begin', 'test:begin a 1', 'interrupt SIGTERM', 'test:end a 1 failed', 'run:end interrupted']);
    assert.equal(outcome.status, 'interrupted');
  });

  it('a plan whose server cannot be reached: run:begin, the fault, run:end fault; nothing starts', async () => {
    const rec = recorder();
    const plan = fakePlan([{ name: 'a' }], 'cannot reach Janus at ws://127.0.0.1:1: connection refused');
    const outcome = await runSuite(plan, { reporter: rec });
    assert.deepEqual(lines(rec.events), ['run:begin', 'fault cannot reach Janus at ws://127.0.0.1:1: connection refused', 'run:end fault']);
    assert.equal(plan.started, 0);
    assert.deepEqual(outcome.faults, ['cannot reach Janus at ws://127.0.0.1:1: connection refused']);
  });

  it('a scenario that fails as a server problem makes the run a fault', async () => {
    const plan = fakePlan([{ name: 'a', run: async () => ({ ...result('a', true), failure: { kind: 'infrastructure', summary: 'Janus died' } }) }]);
    assert.equal((await runSuite(plan)).status, 'fault');
  });

  it('the multiplexer passes nothing on after run:end (a second Ctrl-C ended the reports early)', async () => {
    const rec = recorder();
    const mux = new Multiplexer([rec]);
    await mux.emit({ type: 'run:end', at: 1, status: 'interrupted' });
    await mux.emit({ type: 'test:end', at: 2, testId: 'x', attempt: 1, result: result('x'), retrying: false });
    await mux.emit({ type: 'run:end', at: 3, status: 'passed' });
    assert.deepEqual(lines(rec.events), ['run:end interrupted']);
  });
});
