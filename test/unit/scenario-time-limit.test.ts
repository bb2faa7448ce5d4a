import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFiles } from '../../src/compile/load-files.js';
import { runScenario } from '../../src/run/run-scenario.js';
import type { ScenarioResult } from '../../src/run/events.js';
import { registerTransport } from '../../src/transports/registry.js';
import { answeringTransport } from '../support/answering-transport.js';

/**
 * The scenarios' time limits share one timer (armed for the earliest): a run with a short limit
 * started beside one with a long limit still stops at its own, and a run that ends in time is
 * never stopped by a limit that comes later.
 */
describe('scenario time limits, side by side', function () {
  this.timeout(20_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'janus-scenarios-time-limit-'));
    registerTransport(answeringTransport('time-limit', 'later'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function run(name: string, timeout: string, sleep: string): Promise<ScenarioResult> {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, `name: ${name}\nkeepalive: false\ntimeout: ${timeout}\nsteps:\n  - request: create\n  - sleep: ${sleep}\n  - request: destroy\n`);
    const loaded = loadFiles([file], { cwd: dir });
    assert.deepEqual(loaded.diagnostics, []);
    return runScenario(loaded.scenarios[0]!, { transport: 'time-limit', url: 'time-limit://x', tls: {}, secrets: {} }, { seed: 's', stepTimeoutMs: 5000, scenarioTimeoutMs: 30_000 });
  }

  it('a short limit started after a long one stops its own run; the long one is left to finish', async () => {
    const long = run('long', '20s', '400ms');
    const short = run('short', '200ms', '10s');
    const [l, s] = await Promise.all([long, short]);
    assert.equal(s.status, 'failed');
    assert.equal(s.failure?.kind, 'timeout');
    assert.match(s.failure!.summary, /the scenario exceeded its time limit of 200ms/);
    assert.equal(s.failure?.span?.line, 6, 'the sleep it stopped');
    assert.equal(l.status, 'passed', l.failure?.summary);
  });

  it('runs one after another each get their own limit', async () => {
    for (let i = 0; i < 3; i++) {
      const passed = await run(`in-time-${i}`, '10s', '10ms');
      assert.equal(passed.status, 'passed', passed.failure?.summary);
    }
    const stopped = await run('too-long', '150ms', '10s');
    assert.equal(stopped.failure?.kind, 'timeout');
  });
});
