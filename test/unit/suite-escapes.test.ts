import assert from 'node:assert/strict';
import { AsyncResource } from 'node:async_hooks';
import { runSuite } from '../../src/suite/run-suite.js';
import { fakePlan, lines, recorder, result } from '../support/fake-plan.js';

/**
 * An exception that escapes every catch while scenarios run in the pool (a user transport's
 * sink that throws from its socket callback, here a timer in the scenario's own context) fails
 * the scenario it came from, once, never another; one that belongs to no running scenario is
 * the run's own line, a fault. The run ends either way, and the catch-all is gone afterwards.
 */
describe('uncaught errors while a suite runs', function () {
  this.timeout(20_000);

  it('fail the scenario they came from, once, and stop it; the others pass; an unowned one is a fault', async () => {
    let escapedFromB!: () => void;
    const bEscaped = new Promise<void>((r) => (escapedFromB = r));
    const outside = new AsyncResource('outside-every-scenario');
    const plan = fakePlan([
      // A waits while B, running beside it, throws from a callback of its own.
      { name: 'a', run: async () => (await bEscaped, result('a')) },
      {
        name: 'b',
        run: ({ signal }) => new Promise((resolve) => {
          setImmediate(() => {
            escapedFromB();
            throw new Error('sink broke\nat some internal line');
          });
          // Like runScenario: the stop signal ends it at the step it was in.
          signal.addEventListener('abort', () => resolve(result('b', true)), { once: true });
        }),
      },
      {
        name: 'c',
        run: async () => {
          await bEscaped;
          await new Promise<void>((resolve) => outside.runInAsyncScope(() => setImmediate(() => {
            resolve();
            void Promise.reject(new Error('nobody owns this'));
          })));
          return result('c');
        },
      },
    ]);
    const listenersBefore = process.listeners('uncaughtException').length;
    const rec = recorder();
    const outcome = await runSuite(plan, { reporter: rec, jobs: 3 });
    assert.deepEqual(outcome.results.map((r) => `${r.name} ${r.status} ${r.failure?.summary ?? ''}`.trim()), ['a passed', 'b failed uncaught error: sink broke', 'c passed']);
    const b = outcome.results[1]!;
    assert.equal(b.failure?.kind, 'assertion');
    assert.deepEqual(b.failure?.span, { file: 'b.yaml', line: 5, col: 5, width: 1 }, 'where it stood');
    assert.deepEqual(outcome.faults, ['uncaught error: nobody owns this']);
    assert.equal(outcome.status, 'fault');
    assert.deepEqual(lines(rec.events).slice(-2), ['fault uncaught error: nobody owns this', 'run:end fault']);
    assert.equal(process.listeners('uncaughtException').length, listenersBefore, 'the catch-all is gone afterwards');
  });

  it('two suites at once: each escape fails its own scenario, and the catch-all goes when both are done', async () => {
    const listenersBefore = process.listeners('unhandledRejection');
    const throwing = (name: string) => fakePlan([{
      name,
      run: ({ signal }) => new Promise((resolve) => {
        signal.addEventListener('abort', () => resolve(result(name, true)), { once: true });
        setImmediate(() => void Promise.reject(new Error(`${name} broke`)));
      }),
    }, { name: `${name}-ok` }]);
    const [one, two] = await Promise.all([runSuite(throwing('one'), { jobs: 2 }), runSuite(throwing('two'), { jobs: 2 })]);
    assert.deepEqual(one.results.map((r) => `${r.name} ${r.failure?.summary ?? r.status}`), ['one uncaught error: one broke', 'one-ok passed']);
    assert.deepEqual(two.results.map((r) => `${r.name} ${r.failure?.summary ?? r.status}`), ['two uncaught error: two broke', 'two-ok passed']);
    assert.deepEqual([one.faults, two.faults], [[], []]);
    assert.deepEqual(process.listeners('unhandledRejection'), listenersBefore);
  });
});
