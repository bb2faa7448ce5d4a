import assert from 'node:assert/strict';
import { runCli, scenarioDir } from '../support/cli.js';

/**
 * A scenario that lives longer than the session timeout keeps its session through automatic
 * keepalives; with `keepalive: false` the same wait lets Janus time the session out.
 */
describe('keepalives across a short session_timeout', function () {
  const requires = `requires:
  plugins: [janus.plugin.echotest]
  janus: { session_timeout: 2 }`;
  const files = scenarioDir({
    'kept.yaml': `name: the runner's keepalives keep an idle session alive
${requires}
steps:
  - request: create
  - sleep: 6s
  - request: { janus: attach, plugin: janus.plugin.echotest }
    expect: { janus: success }
`,
    'expires.yaml': `name: without keepalives Janus destroys the idle session
${requires}
keepalive: false
steps:
  - request: create
  - sleep: 6s
  - request: { janus: attach, plugin: janus.plugin.echotest }
    expect: { janus: error, error: { code: 458 } }
`,
  });
  after(() => files.remove());

  it('keeps the session with keepalives and loses it without, over http and ws, two scenarios at once', async () => {
    const run = await runCli(['run', files.dir, '--transport', 'http,ws', '--jobs', '4', '--timeout', '20s']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /4 passing/);
  });
});
