import assert from 'node:assert/strict';
import { AbortWatch, Deadlines, type Expiring } from '../../src/core/waiting.js';
import { until } from '../support/transports.js';

/** A wait that records when it expired. */
function wait(name: string, inMs: number, expired: Array<{ name: string; at: number; deadline: number }>): Expiring {
  const deadline = Date.now() + inMs;
  return { deadline, expire: () => expired.push({ name, at: Date.now(), deadline }) };
}

describe('waits sharing one timer and one abort listener', function () {
  this.timeout(20_000);

  it('expires every wait once, never before its deadline, earliest first, whatever order they came in', async () => {
    const expired: Array<{ name: string; at: number; deadline: number }> = [];
    const deadlines = new Deadlines();
    deadlines.add(wait('late', 120, expired));
    deadlines.add(wait('early', 20, expired));
    deadlines.add(wait('middle', 60, expired));
    await until('all three expired', () => expired.length === 3);
    assert.deepEqual(expired.map((e) => e.name), ['early', 'middle', 'late']);
    for (const e of expired) assert.ok(e.at >= e.deadline, `${e.name} expired ${e.deadline - e.at} ms early`);
    deadlines.clear();
  });

  it('a wait deleted before its deadline never expires, and the others still do', async () => {
    const expired: Array<{ name: string; at: number; deadline: number }> = [];
    const deadlines = new Deadlines();
    const answered = wait('answered', 10, expired);
    deadlines.add(answered);
    deadlines.add(wait('silent', 40, expired));
    deadlines.delete(answered);
    await until('the silent one expired', () => expired.length === 1);
    // A wait added after the timer went idle is timed again.
    deadlines.add(wait('later', 10, expired));
    await until('the later one expired', () => expired.length === 2);
    assert.deepEqual(expired.map((e) => e.name), ['silent', 'later']);
    deadlines.clear();
  });

  it('an abort expires every wait on that signal once, and none on another or already ended', async () => {
    const expired: Array<{ name: string; at: number; deadline: number }> = [];
    const watch = new AbortWatch();
    const a = new AbortController();
    const b = new AbortController();
    const ended = wait('ended', 60_000, expired);
    watch.add(a.signal, wait('one', 60_000, expired));
    watch.add(a.signal, wait('two', 60_000, expired));
    watch.add(a.signal, ended);
    watch.add(b.signal, wait('other signal', 60_000, expired));
    watch.delete(a.signal, ended);
    a.abort();
    a.abort();
    assert.deepEqual(expired.map((e) => e.name).sort(), ['one', 'two']);
  });
});
