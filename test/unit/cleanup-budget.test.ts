import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFiles } from '../../src/compile/load-files.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { getTransport, registerTransport } from '../../src/transports/registry.js';
import { answeringTransport } from '../support/answering-transport.js';

/**
 * `cleanup:` steps run with a time budget of their own (5 s, here made shorter): a cleanup step
 * that would wait longer is cut off there, and the sessions left are destroyed all the same.
 * Without the budget, the cleanup below would sleep a minute, past this test's time limit.
 */

const TRANSPORT = 'cleanup-budget';

describe('the time budget of cleanup steps', function () {
  this.timeout(20_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'janus-scenarios-cleanup-budget-'));
    if (!getTransport(TRANSPORT)) registerTransport(answeringTransport(TRANSPORT, 'later'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('cuts off a cleanup step that outlasts it, and still destroys the session left', async () => {
    const file = join(dir, 'slow-cleanup.yaml');
    writeFileSync(file, 'name: slow cleanup\nsteps:\n  - request: create\ncleanup:\n  - sleep: 60s\n');
    const loaded = loadFiles([file], { cwd: dir });
    assert.deepEqual(loaded.diagnostics, []);
    const result = await runScenario(loaded.scenarios[0]!, { transport: TRANSPORT, url: `${TRANSPORT}://x`, tls: {}, secrets: {} }, { seed: 's', stepTimeoutMs: 5000, scenarioTimeoutMs: 120_000, cleanupBudgetMs: 300 });
    assert.equal(result.status, 'passed', result.failure?.summary);
    assert.deepEqual(result.destroyedSessions, [7]);
    assert.deepEqual(result.sessionsLeft, []);
  });
});
