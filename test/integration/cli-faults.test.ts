import assert from 'node:assert/strict';
import { FakeJanus } from '../support/fake-janus.js';
import { runCli, scenarioDir } from '../support/cli.js';

/**
 * Faults a real Janus cannot produce, from a fake server: malformed JSON and silence in the
 * middle of a run. The scenario that meets the fault fails with a one-line reason within its
 * limit, the others go on, and the run exits 3.
 */
describe('CLI against a misbehaving server', function () {
  let fake: FakeJanus;
  const files = scenarioDir({
    'a-garbage.yaml': `name: meets malformed JSON
steps:
  - request: { janus: poison-garbage }
`,
    'b-hang.yaml': `name: meets a server that never answers
steps:
  - request: { janus: poison-hang }
`,
    'c-fine.yaml': `name: a healthy exchange
steps:
  - request: { janus: ping }
    expect: { janus: success, transaction: "\${transaction}" }
`,
  });

  before(async () => {
    fake = await FakeJanus.start();
    fake.onHttpRequest = (req, f) => {
      f.behaviour = req.body.includes('poison-garbage') ? 'garbage' : req.body.includes('poison-hang') ? 'hang' : 'ok';
    };
  });
  after(async () => {
    await fake.close();
    files.remove();
  });

  it('fails only the scenarios that met the fault, each with a one-line reason, and exits 3', async () => {
    const run = await runCli(['run', files.dir, '--url', fake.httpUrl, '--step-timeout', '1s']);
    assert.equal(run.code, 3, run.stdout + run.stderr);
    assert.match(run.stdout, /server problem: HTTP POST http:\/\/127\.0\.0\.1:\d+\/janus: malformed JSON from server/);
    // The fake still answers other requests (a ping): the silence is that scenario's failure, not a server problem.
    assert.match(run.stdout, /failed: no reply to poison-hang .* within 1s; the server is up/);
    assert.match(run.stdout, /✔ a healthy exchange \[http\]/);
    assert.match(run.stdout, /1 passing/);
    assert.match(run.stdout, /2 failing/);
  });
});
