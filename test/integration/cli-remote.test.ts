import assert from 'node:assert/strict';
import { eventually } from '../support/admin.js';
import { echotestJanus } from '../support/echotest-janus.js';
import { runCli, scenarioDir, startCli } from '../support/cli.js';

/**
 * The CLI against a Janus started by the test itself (`--url`): results, failure text, exit
 * codes, and that every session a run creates is destroyed, pass, fail, timeout or Ctrl-C.
 */
describe('CLI against a running Janus (--url)', function () {
  const { urls: janusUrls, sessions } = echotestJanus();

  const files = scenarioDir({
    'left-open.yaml': `name: a session left open is destroyed by the runner
requires: { plugins: [janus.plugin.echotest] }
steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.echotest }
  - admin: list_sessions
    expect: { sessions: { $contains: ["\${session}"] } }
`,
    'wrong-result.yaml': `name: expects the wrong echotest result
steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.echotest }
  - request: { janus: message, body: { audio: true } }
    expect:
      janus: event
      plugindata: { data: { echotest: event, result: not-ok } }
`,
    'never-event.yaml': `name: waits for an event that never comes
steps:
  - request: create
  - wait: { janus: webrtcup }
    within: 300ms
`,
    'too-slow.yaml': `name: exceeds its time limit
timeout: 500ms
steps:
  - request: create
  - sleep: 5s
`,
    'sleeps.yaml': `name: sleeps with a session open
steps:
  - request: create
  - sleep: 30s
`,
  });
  after(() => files.remove());

  it('runs a scenario over http and ws and destroys the session it left open', async () => {
    const run = await runCli(['run', files.path('left-open.yaml'), ...janusUrls(), '--transport', 'http,ws']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /a session left open is destroyed by the runner \[http\]/);
    assert.match(run.stdout, /a session left open is destroyed by the runner \[ws\]/);
    assert.match(run.stdout, /2 passing/);
  });

  it('skips scenarios that need an event handler or a logger the server has not loaded, with the reason', async () => {
    const run = await runCli(['run', 'scenarios/admin/query-eventhandler.yaml', 'scenarios/admin/query-logger.yaml', ...janusUrls(), '--transport', 'http']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /skipped: the server lacks janus\.eventhandler\.sampleevh/);
    assert.match(run.stdout, /skipped: the server lacks janus\.logger\.jsonlog/);
    assert.match(run.stdout, /2 skipped/);
  });

  it('reports a failed match with file:line, expected, actual, diff and the last messages; exit 1', async () => {
    const run = await runCli(['run', files.path('wrong-result.yaml'), ...janusUrls(), '--transport', 'ws']);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /wrong-result\.yaml:5:\d+/);
    assert.match(run.stdout, /plugindata\.data\.result: expected "not-ok", got "ok"/);
    assert.match(run.stdout, /expected \(pattern\):/);
    assert.match(run.stdout, /diff \(- expected, \+ actual\):/);
    assert.match(run.stdout, /-\s+"result": "not-ok"/);
    assert.match(run.stdout, /\+\s+"result": "ok"/);
    assert.match(run.stdout, /last \d+ message\(s\) exchanged:[\s\S]*main <- \{"janus":"event"/);
  });

  it('fails a wait that never matches within its limit, naming the step', async () => {
    const run = await runCli(['run', files.path('never-event.yaml'), ...janusUrls(), '--transport', 'http']);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /no message matching the pattern arrived within 300ms/);
    assert.match(run.stdout, /never-event\.yaml:4:\d+/);
  });

  it('stops a scenario at its time limit and still cleans up', async () => {
    const run = await runCli(['run', files.path('too-slow.yaml'), ...janusUrls(), '--transport', 'ws']);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /timeout: the scenario exceeded its time limit of 500ms/);
  });

  it('on Ctrl-C destroys the sessions of the running scenario and exits 130', async () => {
    const cli = startCli(['run', files.path('sleeps.yaml'), ...janusUrls(), '--transport', 'http']);
    assert.ok(await eventually(async () => (await sessions()).length === 1), `no session appeared: ${cli.output()}`);
    cli.child.kill('SIGINT');
    const run = await cli.done;
    assert.equal(run.code, 130, run.stdout + run.stderr);
    assert.match(run.stderr, /interrupted/);
  });

  it('exits 3 with a one-line reason when the server cannot be reached', async () => {
    const run = await runCli(['run', files.path('left-open.yaml'), '--url', 'http://127.0.0.1:9/janus']);
    assert.equal(run.code, 3, run.stdout + run.stderr);
    assert.match(run.stderr, /^error: cannot reach Janus at http:\/\/127\.0\.0\.1:9\/janus: .*connection refused/m);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });
});
