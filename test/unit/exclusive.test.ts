import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { ExclusiveLock } from '../../src/run/exclusive.js';

describe('exclusive scenarios (readers-writer lock)', function () {
  it('lets ordinary runs overlap, and runs an exclusive one alone', async function () {
    const lock = new ExclusiveLock();
    let running = 0;
    let maxTogether = 0;
    const seenByExclusive: number[] = [];
    const job = (exclusive: boolean) => lock.run(exclusive, async () => {
      running++;
      maxTogether = Math.max(maxTogether, running);
      if (exclusive) seenByExclusive.push(running);
      await delay(5);
      running--;
    });
    await Promise.all([job(false), job(false), job(true), job(false), job(true), job(false)]);
    assert.ok(maxTogether >= 2, 'ordinary runs overlap');
    assert.deepEqual(seenByExclusive, [1, 1], 'each exclusive run was alone');
  });
});
