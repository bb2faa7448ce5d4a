import assert from 'node:assert/strict';
import { AsyncResource } from 'node:async_hooks';
import type Mocha from 'mocha';
import { runWithMocha, type PlannedTest } from '../../src/mocha/adapter.js';
import type { ScenarioResult } from '../../src/run/events.js';

/**
 * An exception that escapes every catch while scenarios run in the pool (a user transport's
 * sink that throws from its socket callback, here a timer in the scenario's own context) fails
 * the scenario it came from, once, never the test mocha happens to be at; one that belongs to no
 * running scenario is the run's own line. The run ends either way.
 */
function result(name: string, failed = false): ScenarioResult {
  return {
    file: `${name}.yaml`, name, transport: 'http', status: failed ? 'failed' : 'passed', startedAt: 0, durationMs: 0,
    failure: failed ? { kind: 'interrupted', summary: 'interrupted', span: { file: `${name}.yaml`, line: 5, col: 5 }, stepTitle: 'wait' } : undefined,
    cleanupFailures: [], sessionsLeft: [], transcript: [], saved: {}, destroyedSessions: [], schemaWarnings: [], secretValues: [],
  } as ScenarioResult;
}

function planned(name: string, run: PlannedTest['run']): PlannedTest {
  return { info: { id: `${name}.yaml#${name}[http]`, file: `${name}.yaml`, name, transport: 'http', title: name, tags: [] }, run };
}

const events: string[] = [];
class Recorder {
  constructor(runner: Mocha.Runner) {
    runner.on('pass', (t) => events.push(`pass ${t.title}`));
    runner.on('fail', (t, err: Error) => events.push(`fail ${t.title}: ${err.message.split('\n')[0]}`));
  }
}

describe('uncaught errors while scenarios run under mocha', function () {
  this.timeout(20_000);
  beforeEach(() => (events.length = 0));

  it('fail the scenario they came from, once, and stop it; the test mocha was at passes', async () => {
    let escapedFromB!: () => void;
    const bEscaped = new Promise<void>((r) => (escapedFromB = r));
    // Mocha waits on A while B, running beside it, throws from a callback of its own.
    const a = planned('a', async () => {
      await bEscaped;
      return result('a');
    });
    const b = planned('b', (signal) => new Promise((resolve) => {
      setImmediate(() => {
        escapedFromB();
        throw new Error('sink broke\nat some internal line');
      });
      // Like runScenario: the stop signal ends it at the step it was in.
      signal!.addEventListener('abort', () => resolve(result('b', true)), { once: true });
    }));
    const outside = new AsyncResource('outside-every-scenario');
    const c = planned('c', async () => {
      await bEscaped;
      await new Promise<void>((resolve) => outside.runInAsyncScope(() => setImmediate(() => {
        resolve();
        void Promise.reject(new Error('nobody owns this'));
      })));
      return result('c');
    });
    const listenersBefore = process.listeners('uncaughtException').length;
    const run = await runWithMocha([a, b, c], { reporters: [Recorder], reporterOptions: {}, bail: false, retries: 0, jobs: 3 });
    assert.deepEqual(events, ['pass a', 'fail b: failed: uncaught error: sink broke', 'pass c']);
    assert.equal(run.failures, 1);
    const b2 = run.results.find((r) => r.name === 'b')!;
    assert.equal(b2.failure?.kind, 'assertion');
    assert.deepEqual(b2.failure?.span, { file: 'b.yaml', line: 5, col: 5 }, 'where it stood');
    assert.deepEqual(run.escaped, ['uncaught error: nobody owns this']);
    assert.equal(process.listeners('uncaughtException').length, listenersBefore, 'the catch-all is gone afterwards');
  });
});
