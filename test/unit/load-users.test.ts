import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { loadFiles } from '../../src/compile/load-files.js';
import { LoadMetrics } from '../../src/load-test/metrics.js';
import { runUsers, type Iterate, type UserSchedule } from '../../src/load-test/virtual-users.js';
import type { ScenarioResult } from '../../src/run/events.js';
import { knownSchema } from '../../src/schemas/catalogue.js';
import { scenarioDir } from '../support/cli.js';

/** The virtual users of `load` when every iteration fails on a server problem. */
describe('load: virtual users after a server problem', function () {
  this.timeout(20_000);
  const files = scenarioDir({ 'ping.yaml': 'name: ping\nsteps:\n  - request: ping\n' });
  after(() => files.remove());

  function metrics(): LoadMetrics {
    const loaded = loadFiles([files.path('ping.yaml')], { knownSchema });
    assert.deepEqual(loaded.diagnostics, []);
    return new LoadMetrics(loaded.scenarios[0]!, performance.now(), 100);
  }

  /** An iteration that fails at once, as against a server that is gone. */
  const failing = (count: { n: number }): Iterate => async () => {
    count.n++;
    return { status: 'failed', failure: { kind: 'infrastructure', summary: 'connection refused' }, cleanupFailures: [], transcript: [], saved: {}, destroyedSessions: [], sessionsLeft: [] } as unknown as ScenarioResult;
  };

  // Two users, 1.5 s: each backs off 1 s after a server problem, then tries again (twice each).
  const schedule: UserSchedule = { users: 2, rampMs: 0, durationMs: 1500, gracefulStopMs: 1000 };

  it('a server that is only unreachable is tried again after the back-off', async () => {
    const count = { n: 0 };
    const status = await runUsers(schedule, failing(count), metrics(), new AbortController().signal, () => false);
    assert.equal(status, 'completed');
    assert.ok(count.n >= 4, `${count.n} iterations`);
  });

  it('a server known dead (a managed Janus that crashed) stops every user after its first failure', async () => {
    const count = { n: 0 };
    const m = metrics();
    const status = await runUsers(schedule, failing(count), m, new AbortController().signal, () => true);
    assert.equal(status, 'completed');
    assert.equal(count.n, 2, 'one iteration per user, no more');
    assert.equal(m.iterations.failed, 2);
  });
});
