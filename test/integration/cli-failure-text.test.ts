import assert from 'node:assert/strict';
import { startJanus, type ManagedJanus } from '../../src/managed/index.js';
import { runCli, scenarioDir } from '../support/cli.js';

/** A failure against a real Janus reads true: resolved diff, the messages up to the failure, http steps. */
describe('CLI: failure texts from a real run', function () {
  let janus: ManagedJanus;
  const files = scenarioDir({
    'wrong.yaml': `name: an http step, then a wrong expectation
requires: { plugins: [janus.plugin.echotest], transports: [http] }
steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.echotest }
    save: { handle_id: data.id }
  - http: { method: POST, body: { janus: info, transaction: h-info } }
    expect: { status: 200, body: { janus: server_info } }
  - request: { janus: message, body: { audio: true } }
    expect:
      janus: event
      session_id: "\${session}"
      sender: "\${handle_id}"
      plugindata: { plugin: janus.plugin.echotest, data: { echotest: event, result: not-ok } }
`,
  });
  before(async () => {
    janus = await startJanus({ plugins: ['janus.plugin.echotest'], transports: ['http'], config: {} });
  });
  after(async () => {
    await janus?.stop();
    files.remove();
  });

  it('diffs resolved values, lists the messages up to the failure with the http step, not the cleanup', async () => {
    const run = await runCli(['run', files.dir, '--url', janus.endpoints.http!]);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const diff = run.stdout.slice(run.stdout.indexOf('diff (- expected, + actual'), run.stdout.indexOf('last '));
    const changed = diff.split('\n').filter((l) => /^\s+[-+] /.test(l)).map((l) => l.trim().replace(/^([-+])\s+/, '$1 '));
    assert.deepEqual(changed, ['- "result": "not-ok"', '+ "result": "ok"'], diff);
    assert.doesNotMatch(diff, /\$\{/);
    const last = run.stdout.slice(run.stdout.indexOf('last '), run.stdout.indexOf('saved values'));
    assert.match(last, /main -> HTTP POST \/janus \{"janus":"info","transaction":"h-info"\}/);
    assert.match(last, /main <- HTTP 200 \{"janus":"server_info"/);
    assert.match(last, /main <- \{"janus":"event".*"result":"ok"/);
    assert.match(last, /\(then \d+ message\(s\) of cleanup, not shown here\)/);
    assert.doesNotMatch(last, /"janus":"destroy"/);
  });
});
