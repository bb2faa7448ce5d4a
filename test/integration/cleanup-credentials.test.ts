import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runCli } from '../support/cli.js';

const TOKENS = fileURLToPath(new URL('../../../scenarios/admin/tokens.yaml', import.meta.url));

/**
 * Cleanup destroys a session with the run's own credentials as well as the session's: the
 * tokens scenario opens its session with a token it then removes, and before, the cleanup's
 * destroy carried only that revoked token, got 403, and left the session on the server.
 */
describe('cleanup credentials', function () {
  this.timeout(60_000);

  it('a session opened with a token the scenario revoked is still destroyed: no session left, no warning', async function () {
    const run = await runCli(['run', TOKENS, '-t', 'http,ws', '--reporter', 'json:-']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const report = JSON.parse(run.stdout) as { sessionsLeft: number; scenarios: Array<{ status: string; warnings: string[] }> };
    assert.deepEqual(report.scenarios.map((s) => s.status), ['passed', 'passed']);
    assert.equal(report.sessionsLeft, 0, JSON.stringify(report.scenarios.map((s) => s.warnings)));
    assert.deepEqual(report.scenarios.flatMap((s) => s.warnings), []);
  });
});
