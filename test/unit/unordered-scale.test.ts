import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';

/**
 * `$anyOrder` and `$contains` give each pattern a distinct element. Tried by every placement,
 * a mismatch costs factorial time in the patterns that fit many elements: 11 `$integer` and
 * one "x" against 12 integers took 45 s, 14 hours, with the event loop blocked, so neither the
 * step's nor the scenario's time limit could end it. Matched in a worker, so a matcher that
 * never returns fails the test by name instead of hanging the run.
 */
const WATCHDOG_MS = 60_000;

function matchInWorker(pattern: unknown, actual: unknown): Promise<number> {
  const compiler = new URL('../../src/match/compile-pattern.js', import.meta.url).href;
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    import(workerData.compiler).then(({ createPatternCompiler }) => {
      const c = createPatternCompiler(() => undefined, (_p, m) => { throw new Error(m); }, () => true);
      const out = [];
      c.compile(workerData.pattern, ['expect'], false)(workerData.actual, '', { resolve: () => undefined, validateSchema: () => [] }, out);
      parentPort.postMessage(out.length);
    });`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { compiler, pattern, actual } });
    const watchdog = setTimeout(() => void worker.terminate().then(() => reject(new Error(`the match did not end within ${WATCHDOG_MS / 1000} s`))), WATCHDOG_MS);
    worker.once('message', (n: number) => {
      clearTimeout(watchdog);
      void worker.terminate().then(() => resolve(n));
    });
    worker.once('error', (e) => {
      clearTimeout(watchdog);
      reject(e);
    });
  });
}

describe('$anyOrder and $contains over many interchangeable elements', function () {
  this.timeout(WATCHDOG_MS + 10_000);
  const integers = Array.from({ length: 40 }, (_, i) => i);

  it('$anyOrder: 39 patterns that fit every element and one that fits none fail, in polynomial time', async function () {
    assert.equal(await matchInWorker({ $anyOrder: [...Array(39).fill('$integer'), 'x'] }, integers), 1);
  });

  it('$contains: 30 such patterns and one that fits none fail, in polynomial time', async function () {
    assert.equal(await matchInWorker({ $contains: [...Array(30).fill('$integer'), 'x'] }, integers), 1);
  });

  it('a placement that needs an element given away is still found', async function () {
    // The first pattern fits 0 or 1, the second only 0: the first must take 1.
    assert.equal(await matchInWorker({ $anyOrder: [{ $lte: 1 }, 0] }, [0, 1]), 0);
    assert.equal(await matchInWorker({ $contains: [...Array(39).fill('$integer'), 39] }, integers), 0);
  });
});
