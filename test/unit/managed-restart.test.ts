import assert from 'node:assert/strict';
import type { ManagedJanus } from '../../src/managed/index.js';
import { MAX_RESTARTS, Restartable } from '../../src/plan/managed.js';

/** A stand-in for a started Janus: it dies when told, and counts its stops. */
function fakeJanus(n: number): ManagedJanus & { die(): void; stops: number } {
  let dead = false;
  const fake = {
    pid: 1000 + n,
    stops: 0,
    die: () => (dead = true),
    janusGone: () => dead,
    janusDied: async () => dead,
    deathReason: async () => (dead ? `the managed Janus died during the run (signal SIGSEGV); instance ${n}` : undefined),
    stop: async () => void fake.stops++,
  };
  return fake as unknown as ManagedJanus & { die(): void; stops: number };
}

describe('managed Janus started again after a crash (plan)', function () {
  it('a Janus that runs is left alone; a dead one is replaced once, however many tests ask at once', async () => {
    const started: ReturnType<typeof fakeJanus>[] = [];
    const first = fakeJanus(0);
    const r = new Restartable(first, async () => {
      const next = fakeJanus(started.length + 1);
      started.push(next);
      return next;
    });
    assert.equal(await r.restartIfGone(), undefined);
    assert.equal(started.length, 0);
    first.die();
    const answers = await Promise.all([r.restartIfGone(), r.restartIfGone(), r.restartIfGone()]);
    assert.deepEqual(answers, [undefined, undefined, undefined]);
    assert.equal(started.length, 1, 'one new Janus for three tests');
    assert.equal(r.janus, started[0]);
    assert.equal(first.stops, 1, 'the dead one is cleared away');
    await r.stop();
    assert.equal(started[0]!.stops, 1);
  });

  it(`after ${MAX_RESTARTS} restarts the next death is final, named with the reason`, async () => {
    let current = fakeJanus(0);
    const r = new Restartable(current, async () => (current = fakeJanus(1)));
    for (let i = 0; i < MAX_RESTARTS; i++) {
      current.die();
      assert.equal(await r.restartIfGone(), undefined, `restart ${i + 1}`);
    }
    current.die();
    const why = await r.restartIfGone();
    assert.match(why ?? '', /died during the run \(signal SIGSEGV\).*; it died 4 times in this run, and is not started again/);
  });

  it('a start that fails is named after the death it follows', async () => {
    const first = fakeJanus(0);
    const r = new Restartable(first, async () => {
      throw new Error('Janus could not bind its ports');
    });
    first.die();
    assert.match(await r.restartIfGone() ?? '', /signal SIGSEGV\); instance 0; starting it again failed: Janus could not bind its ports/);
  });
});
