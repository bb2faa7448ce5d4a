import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startJanus, type ManagedJanus } from '../../src/managed/index.js';
import { fileURLToPath } from 'node:url';
import { FakeJanus } from '../support/fake-janus.js';
import { CLI, runCli, startCli } from '../support/cli.js';
import type { RunReport } from '../../src/report/model.js';
import { checkJunit, FIXTURES, parseTap, readJsonReport } from '../support/reports.js';
import { eventually, listSessions } from '../support/admin.js';

/**
 * Every report format from one run over http and ws against a real Janus that wants an api
 * secret and a token: well-formed by a schema or a parser, complete, and free of secrets.
 */
describe('Reports', function () {
  let janus: ManagedJanus;
  let urls: string[];
  let out: string;
  const apiSecret = `api-${Math.random().toString(36).slice(2)}`;
  const token = `tok-${Math.random().toString(36).slice(2)}`;
  const pin = `pin-${Math.random().toString(36).slice(2)}`;
  const files = (name: string) => ['--reporter', `junit:${join(out, name, 'junit.xml')}`, '--reporter', `json:${join(out, name, 'report.json')}`, '--reporter', `tap:${join(out, name, 'report.tap')}`, '--reporter', `html:${join(out, name, 'report.html')}`];
  const read = (name: string, file: string) => readFileSync(join(out, name, file), 'utf8');

  before(async () => {
    janus = await startJanus({ plugins: ['janus.plugin.echotest'], transports: ['http', 'ws'], config: { api_secret: apiSecret, token_auth: true } });
    const added = await request(janus.endpoints.adminHttp!, {
      method: 'POST',
      body: JSON.stringify({ janus: 'add_token', token, transaction: 'add-token', admin_secret: janus.adminSecret }),
    });
    assert.equal(((await added.body.json()) as { janus: string }).janus, 'success');
    urls = ['--url', janus.endpoints.http!, '--url', janus.endpoints.ws!, '--admin-url', janus.endpoints.adminHttp!, '--api-secret', apiSecret, '--token', token, '--admin-secret', janus.adminSecret];
    out = mkdtempSync(join(tmpdir(), 'jstest-reports-'));
  });
  after(async () => {
    await janus?.stop();
    rmSync(out, { recursive: true, force: true });
  });

  it('passing, failing and skipped scenarios over two transports: console, JUnit, JSON and TAP at once', async () => {
    const run = await runCli(['run', join(FIXTURES, 'basic'), ...urls, '--reporter', 'spec', ...files('basic')]);
    assert.equal(run.code, 1, run.stdout + run.stderr);

    const junit = checkJunit(join(out, 'basic', 'junit.xml'));
    assert.match(junit, /<testsuites name="janus-scenarios" tests="6" failures="2" errors="0" skipped="1"/);
    assert.match(junit, /<testcase name="ping gets a pong \[http\]"/);
    assert.match(junit, /<testcase name="ping gets a pong \[ws\]"/);
    assert.match(junit, /<skipped message="runs only on ws"\/>/);
    assert.match(junit, /<failure type="assertion" message="[^"]*fails\.yaml:7:5: the reply to main message did not match">[^<]*fails\.yaml:7:5/);
    assert.match(junit, /-\s+"result": "not-ok"\n\s+\+\s+"result": "ok"/);

    const report = readJsonReport(join(out, 'basic', 'report.json'));
    assert.deepEqual(report.totals, { passed: 3, failed: 2, skipped: 1, unfinished: 0 });
    assert.deepEqual(report.transports, ['http', 'ws']);
    assert.equal(report.interrupted, false);
    const byTitle = new Map(report.scenarios.map((s) => [s.title, s]));
    const failed = byTitle.get('expects the wrong echotest result [ws]')!;
    assert.equal(failed.status, 'failed');
    assert.match(failed.failure!.location!, /fails\.yaml:7:5$/);
    assert.deepEqual(failed.failure!.mismatches, [{ at: 'plugindata.data.result', expected: '"not-ok"', actual: 'ok' }]);
    assert.match(failed.failure!.diff!, /^-\s+"result": "not-ok"\n\+\s+"result": "ok"$/m);
    assert.equal(typeof failed.saved.sid, 'number');
    const passed = byTitle.get('ping gets a pong [http]')!;
    assert.equal(passed.status, 'passed');
    assert.deepEqual(passed.messages.map((m) => `${m.direction} ${(m.message as { janus: string }).janus}`).slice(0, 4), ['out create', 'in success', 'out ping', 'in pong']);
    assert.ok(passed.startedAt! >= Date.parse(report.startedAt));
    assert.equal(byTitle.get('a WebSocket-only keepalive [http]')!.skipReason, 'runs only on ws');

    const tap = parseTap(read('basic', 'report.tap'));
    assert.deepEqual([tap.count, tap.pass, tap.fail, tap.skip], [6, 4, 2, 1]);
    assert.deepEqual(tap.skips.map((s) => s.skip), ['runs only on ws']);
    assert.match(String((tap.failures[0] as { diag?: { at?: string } }).diag?.at), /fails\.yaml:7:5$/);
    assert.deepEqual(htmlReport(read('basic', 'report.html')).totals, report.totals);

    // The console alone tells which step failed, why, and what Janus sent; without a TTY, no colour.
    const console = run.stdout;
    assert.match(console, /✔ ping gets a pong \[http\] \d+ms {2}\[\d\/6, \d passed.*; \d+(ms|\.\ds)\]/);
    assert.match(console, /- a WebSocket-only keepalive \[http\] skipped: runs only on ws/);
    assert.match(console, /at \S*fails\.yaml:7:5 \(step: main message\)/);
    assert.match(console, /plugindata\.data\.result: expected "not-ok", got "ok"/);
    assert.match(console, /expected \(pattern\):[\s\S]*actual:[\s\S]*diff \(- expected, \+ actual\):/);
    assert.match(console, /last \d+ message\(s\) exchanged:[\s\S]*main <- \{"janus":"event"/);
    assert.match(console, /saved values:\n\s+sid = \d+/);
    assert.match(console, /3 passing[\s\S]*2 failing[\s\S]*1 skipped\n\s+1 × runs only on ws[\s\S]*slowest:/);
    assert.doesNotMatch(run.stdout + run.stderr, /\u001b\[/);
  });

  it('colour only on a terminal, and not with NO_COLOR', async () => {
    // Without CI: Node's hasColors() gives a terminal no colours when CI names no known vendor.
    const onTerminal = (env: NodeJS.ProcessEnv) => new Promise<string>((resolve) => {
      const command = [process.execPath, CLI, 'run', join(FIXTURES, 'basic', 'passes.yaml'), ...urls].join(' ');
      const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...process.env, TERM: 'xterm', CI: undefined, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.on('close', () => resolve(text));
    });
    assert.match(await onTerminal({ NO_COLOR: '' }), /\u001b\[32m✔\u001b\[39m ping gets a pong \[http\]/);
    const plain = await onTerminal({ NO_COLOR: '1' });
    assert.match(plain, /✔ ping gets a pong \[http\]/);
    assert.doesNotMatch(plain, /\u001b\[/);
  });

  it('under plain mocha, a reporter from dist/reporters renders the scenarios the adapter added', async () => {
    const junit = join(out, 'plain', 'junit.xml');
    const mocha = fileURLToPath(new URL('../../../node_modules/mocha/bin/mocha.js', import.meta.url));
    const spec = fileURLToPath(new URL('../fixtures/reports/plain-mocha/scenarios.spec.js', import.meta.url));
    const child = spawn(process.execPath, [mocha, '--no-config', spec, '--reporter', './dist/reporters/junit.js', '--reporter-option', `output=${junit}`], {
      env: { ...process.env, JS_PLAIN_URL: janus.endpoints.ws!, JANUS_API_SECRET: apiSecret, JANUS_TOKEN: token },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(code, 1, output);
    const xml = checkJunit(junit);
    assert.match(xml, /tests="3" failures="1" errors="0" skipped="0"/);
    assert.match(xml, /<testcase name="ping gets a pong \[ws\]"/);
    assert.match(xml, /fails\.yaml:7:5/);
    assert.ok(!xml.includes(apiSecret) && !xml.includes(token), 'a secret from the environment reached the report');
  });

  it('no secret reaches any report or the console: api secret, admin secret, token, secret variables', async () => {
    const run = await runCli(['run', join(FIXTURES, 'secrets'), ...urls, '--reporter', 'spec', ...files('secrets')], { env: { JS_REPORT_PIN: pin } });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const outputs: Record<string, string> = { stdout: run.stdout, stderr: run.stderr, junit: checkJunit(join(out, 'secrets', 'junit.xml')), json: read('secrets', 'report.json'), tap: read('secrets', 'report.tap'), html: read('secrets', 'report.html') };
    parseTap(outputs.tap!);
    for (const [name, text] of Object.entries(outputs)) {
      for (const secret of [apiSecret, janus.adminSecret, token, pin]) assert.ok(!text.includes(secret), `${name} shows the secret ${secret}`);
    }
    // The secrets did go through the run, and were replaced where they appeared.
    const report = readJsonReport(join(out, 'secrets', 'report.json'));
    const sent = report.scenarios[0]!.messages.filter((m) => m.direction === 'out').map((m) => m.message as Record<string, unknown>);
    assert.ok(sent.some((m) => m.apisecret === '[redacted]' && m.token === '[redacted]'), JSON.stringify(sent));
    assert.ok(sent.some((m) => m.admin_secret === '[redacted]'));
    assert.ok(sent.some((m) => m.janus === 'ping' && m.transaction === '[redacted]'));
    assert.match(run.stdout, /transaction: expected "\[redacted\]-but-not-this", got "\[redacted\]"/);
  });

  it('Ctrl-C: finished scenarios keep their results, the others are unfinished, every file is well-formed; exit 130', async () => {
    for (const presses of [1, 2]) {
      const name = `interrupted-${presses}`;
      const sessions = () => listSessions(janus.endpoints.adminHttp!, janus.adminSecret);
      const before = new Set(await sessions());
      // One at a time, so that the third scenario is running and the last ones never start.
      const cli = startCli(['run', join(FIXTURES, 'interrupted'), ...urls, '--jobs', '1', ...files(name)]);
      await until(() => /✔ finishes before the interruption \[ws\]/.test(cli.output()), cli.output);
      // The sleeping scenario is under way once it has a session: the finished ones destroyed theirs.
      const started = await eventually(async () => (await sessions()).some((id) => !before.has(id)), 20_000);
      assert.ok(started, `the sleeping scenario made no session: ${cli.output()}`);
      for (let i = 0; i < presses; i++) cli.child.kill('SIGINT');
      const run = await cli.done;
      assert.equal(run.code, 130, run.stdout + run.stderr);

      const report = readJsonReport(join(out, name, 'report.json'));
      assert.equal(report.interrupted, true);
      assert.deepEqual(report.scenarios.map((s) => `${s.title}: ${s.status}`), [
        'finishes before the interruption [http]: passed',
        'finishes before the interruption [ws]: passed',
        'is running when the run is interrupted [http]: unfinished',
        'is running when the run is interrupted [ws]: unfinished',
        'never starts [http]: unfinished',
        'never starts [ws]: unfinished',
      ]);
      const running = report.scenarios[2]!;
      assert.ok(running.startedAt, 'the running scenario has a start time');
      assert.equal(report.scenarios[4]!.startedAt, undefined);
      if (presses === 1) {
        assert.equal(running.failure?.kind, 'interrupted');
        assert.match(running.failure!.location!, /b-sleeps\.yaml:4:5$/);
        assert.ok(running.messages.length >= 2, 'the running scenario keeps its messages');
      }
      assert.match(checkJunit(join(out, name, 'junit.xml')), /tests="6" failures="0" errors="4" skipped="0"/);
      const tap = parseTap(read(name, 'report.tap'));
      assert.deepEqual([tap.pass, tap.fail], [2, 4]);
      assert.equal(htmlReport(read(name, 'report.html')).interrupted, true);
    }
  });
});

/** The report an HTML file embeds; the page itself is checked in Chromium by html-report.test.ts. */
function htmlReport(html: string): RunReport {
  assert.match(html, /^<!doctype html>/i);
  assert.match(html, /<\/html>\s*$/);
  const data = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html);
  assert.ok(data, 'the page embeds the report');
  return JSON.parse(data[1]!) as RunReport;
}

async function until(check: () => boolean, output: () => string, limitMs = 20_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > end) assert.fail(`timed out waiting; output so far:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Reports when the server dies in the middle of a run', function () {
  let fake: FakeJanus;
  let out: string;
  before(async () => {
    fake = await FakeJanus.start();
    fake.onHttpRequest = (req, f) => {
      if (!req.body.includes('poison-die')) return;
      f.behaviour = 'close';
      void f.close();
    };
    out = mkdtempSync(join(tmpdir(), 'jstest-reports-'));
  });
  after(async () => {
    await fake.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('keeps what finished, reports the rest as server problems in well-formed files; exit 3', async () => {
    const reporters = ['junit', 'json', 'tap'].flatMap((r) => ['--reporter', `${r}:${join(out, `report.${r}`)}`]);
    // One at a time: the first finishes before the second kills the server.
    const run = await runCli(['run', join(FIXTURES, 'server-dies'), '--url', fake.httpUrl, '--step-timeout', '1s', '--jobs', '1', ...reporters]);
    assert.equal(run.code, 3, run.stdout + run.stderr);
    const report = readJsonReport(join(out, 'report.json'));
    assert.deepEqual(report.scenarios.map((s) => `${s.name}: ${s.status} ${s.failure?.kind ?? ''}`.trim()), [
      'finishes while the server is alive: passed',
      'meets the server as it dies: failed infrastructure',
      'finds no server: failed infrastructure',
    ]);
    assert.ok(report.scenarios[0]!.messages.length >= 2);
    assert.match(checkJunit(join(out, 'report.junit')), /tests="3" failures="0" errors="2" skipped="0"/);
    const tap = parseTap(readFileSync(join(out, 'report.tap'), 'utf8'));
    assert.deepEqual([tap.pass, tap.fail], [1, 2]);
  });
});
