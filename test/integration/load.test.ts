import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../support/admin.js';
import { runCli, scenarioDir, startCli, tmpdirPerTest } from '../support/cli.js';
import { echotestJanus } from '../support/echotest-janus.js';

/**
 * `load`: a few seconds of a few users each, against a Janus whose sessions are counted after
 * every test (echotestJanus fails a test that leaves one). Verdicts only: no timing is asserted.
 */
describe('load mode', function () {
  const files = scenarioDir({
    'flow.yaml': `name: a short flow
requires: { plugins: [janus.plugin.echotest] }
steps:
  - request: create
    expect: { janus: success }
  - request: { janus: attach, plugin: janus.plugin.echotest }
    expect: { janus: success }
  - name: echo
    request: { janus: message, body: { audio: true } }
    expect: { janus: event, plugindata: { data: { result: ok } } }
  - request: destroy
    expect: { janus: success }
`,
    'holds.yaml': `name: holds its session
requires: { plugins: [janus.plugin.echotest] }
steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.echotest }
  - sleep: 1m
`,
    'fails.yaml': `name: expects what never comes
steps:
  - request: create
    expect: { janus: error }
`,
  });
  const janus = echotestJanus();
  const tmp = tmpdirPerTest();
  after(() => files.remove());
  const report = (name: string) => join(files.dir, name);
  const readReport = (name: string) => JSON.parse(readFileSync(report(name), 'utf8')) as Record<string, any>;
  const short = ['--users', '3', '--duration', '2s', '--graceful-stop', '10s'];

  it('passes when its thresholds hold, and reports per-step percentiles and no session left', async () => {
    const run = await runCli(['load', files.path('flow.yaml'), ...short, ...janus.urls(), '--transport', 'ws', '--threshold', 'p99<60s', '--threshold', 'step[echo].max<60s', '--threshold', 'errors==0', '--report-json', report('pass.json'), '--report-html', report('pass.html')], { env: tmp.env() });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const r = readReport('pass.json');
    assert.equal(r.format, 'janus-scenarios-load/1');
    assert.equal(r.status, 'passed');
    assert.ok(r.iterations.passed > 0 && r.iterations.failed === 0, JSON.stringify(r.iterations));
    const echo = r.steps.find((s: { label: string }) => s.label === 'echo');
    assert.equal(echo.latency.count, echo.passed, 'one sample per passed step');
    assert.ok(echo.latency.p50 > 0 && echo.latency.p50 <= echo.latency.p99 && echo.latency.p99 <= echo.latency.max, JSON.stringify(echo.latency));
    assert.equal(r.sessions.leftOnServer, 0);
    assert.deepEqual(r.thresholds.map((t: { ok: boolean }) => t.ok), [true, true, true]);
    const html = readFileSync(report('pass.html'), 'utf8');
    assert.match(html, /<svg/);
    assert.doesNotMatch(html, /<script src=|<link [^>]*href="http|@import/, 'the page fetches nothing');
  });

  it('fails with exit 1 when a threshold is not met, over HTTP too', async () => {
    const run = await runCli(['load', files.path('flow.yaml'), ...short, ...janus.urls(), '--transport', 'http', '--threshold', 'p50<1us', '--report-json', report('fail.json')], { env: tmp.env() });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /FAIL p50<1us: measured [0-9.]+ms fails/);
    assert.equal(readReport('fail.json').status, 'failed');
  });

  it('fails with exit 1 when iterations fail, and says where', async () => {
    const run = await runCli(['load', files.path('fails.yaml'), ...short, ...janus.urls(), '--transport', 'ws'], { env: tmp.env() });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /\d+ x assertion at "[^"]*create[^"]*": /);
    assert.match(run.stdout, /iteration\(s\) failed/);
  });

  it('refuses a bad threshold with exit 2 before reaching any server', async () => {
    for (const threshold of ['p95<', 'p95<5%', 'latency<5ms', 'step[no such step].p95<5ms']) {
      const run = await runCli(['load', files.path('flow.yaml'), '--url', 'ws://127.0.0.1:9', '--threshold', threshold], { env: tmp.env() });
      assert.equal(run.code, 2, `${threshold}: ${run.stdout}${run.stderr}`);
      assert.match(run.stderr, /^error: --threshold "/m, threshold);
      assert.doesNotMatch(run.stderr, /\n\s+at /);
    }
  });

  // A path that is a folder is refused before the run (cli-stuck-inputs); a full disk is found only when the report is written.
  it('a report that cannot be written: exit 3 with one line in words, no partial file, the other report written', async function () {
    const run = await runCli(['load', files.path('flow.yaml'), '--users', '1', '--duration', '1s', ...janus.urls(), '--transport', 'ws', '--report-json', '/dev/full', '--report-html', report('written.html')], { env: tmp.env() });
    assert.equal(run.code, 3, run.stdout + run.stderr);
    assert.match(run.stderr, /^error: cannot write \/dev\/full: no space left on the device$/m);
    assert.match(readFileSync(report('written.html'), 'utf8'), /<svg/);
    assert.deepEqual(readdirSync(files.dir).filter((f) => f.includes('.partial-')), []);
  });

  it('exits 3 with one line when the server cannot be reached', async () => {
    const run = await runCli(['load', files.path('flow.yaml'), '--url', 'ws://127.0.0.1:9', '--users', '2', '--duration', '1s'], { env: tmp.env() });
    assert.equal(run.code, 3, run.stdout + run.stderr);
    assert.match(run.stderr, /^error: cannot reach Janus at ws:\/\/127\.0\.0\.1:9/m);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });

  it('when interrupted writes its report, destroys every session and exits 130', async () => {
    const cli = startCli(['load', files.path('holds.yaml'), '--users', '3', '--duration', '1m', ...janus.urls(), '--transport', 'http', '--report-json', report('interrupted.json')], { env: tmp.env() });
    assert.ok(await eventually(async () => (await janus.sessions()).length === 3, 20_000), `the users' sessions did not appear: ${cli.output()}`);
    cli.child.kill('SIGINT');
    const run = await cli.done;
    assert.equal(run.code, 130, run.stdout + run.stderr);
    const r = readReport('interrupted.json');
    assert.equal(r.status, 'interrupted');
    assert.equal(r.sessions.leftOnServer, 0);
    assert.equal(r.iterations.interrupted, 3);
    assert.deepEqual(await janus.sessions(), []);
  });

  it('starts a managed Janus when no --url is given, and counts its sessions through its Admin API', async () => {
    const run = await runCli(['load', files.path('flow.yaml'), '--users', '2', '--duration', '1s', '--transport', 'http', '--report-json', report('managed.json')], { env: tmp.env() });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const r = readReport('managed.json');
    assert.equal(r.target.managed, true);
    assert.equal(r.sessions.leftOnServer, 0);
    assert.equal(r.sessions.checkedVia, 'Admin API list_sessions');
  });
});
