import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { FakeJanus } from '../support/fake-janus.js';
import { scenarioDir, type CliRun } from '../support/cli.js';

/** The command line as tsc builds it (this tree's code; the package's bundle is built apart). */
const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** Runs the CLI; a run still going after `deadlineMs` is killed, and the test says it hung. */
function cli(args: string[], options: { cwd?: string; deadlineMs?: number } = {}): Promise<CliRun> {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const deadline = setTimeout(() => child.kill('SIGKILL'), options.deadlineMs ?? 30_000);
  return new Promise((resolve) => child.on('close', (code, signal) => {
    clearTimeout(deadline);
    resolve({ code, signal, stdout, stderr });
  }));
}

/** A loopback port nothing listens on: connection refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const STACK = /\n\s+at |internal error|node:internal/;

/**
 * The command line against files and arguments that are not what they should be: option files
 * that are named pipes or devices (refused at once, exit 2, never read), a config module that
 * throws, a malformed URL (exit 2, not 3), a report it cannot write (exit 3, nothing partial
 * left), and a server it cannot reach (every report says why).
 */
describe('CLI: option files, URLs and report files', function () {
  this.timeout(120_000);
  const files = scenarioDir({
    'ping.yaml': 'name: pings\nsteps:\n  - request: { janus: ping }\n',
    'throws.mjs': 'export default { get url() { throw new Error("boom\\nsecond line") } };\n',
  });
  const fifo = files.path('pipe.json');
  before(() => {
    execFileSync('mkfifo', [fifo]);
    mkdirSync(files.path('adir'));
  });
  after(() => files.remove());
  const ping = files.path('ping.yaml');

  it('a named pipe or a device given to --config, --ca, --transport-module, --reporter, compare --baseline or merge-reports: exit 2 in one line, not a hang', async function () {
    const url = `http://127.0.0.1:${await closedPort()}/janus`;
    const cases: Array<[string[], string]> = [
      [['run', ping, '--url', url, '--config', fifo], `error: --config ${fifo}: not a regular file (a named pipe)`],
      [['run', ping, '--url', url, '--config', '/dev/zero'], 'error: --config /dev/zero: not a regular file (a character device)'],
      [['run', ping, '--url', url.replace('http:', 'https:'), '--ca', fifo], `error: --ca ${fifo}: not a regular file (a named pipe)`],
      [['run', ping, '--url', url.replace('http:', 'https:'), '--ca', '/dev/zero'], 'error: --ca /dev/zero: not a regular file (a character device)'],
      [['run', ping, '--url', url, '--transport-module', '/dev/zero'], 'error: --transport-module /dev/zero: cannot load it: not a regular file (a character device)'],
      [['compare', ping, '--url', url, '--baseline', fifo], `error: cannot read baseline ${fifo}: not a regular file (a named pipe)`],
      [['compare', ping, '--url', url, '--baseline', '/dev/zero'], 'error: cannot read baseline /dev/zero: not a regular file (a character device)'],
      [['run', ping, '--url', url, '--reporter', fifo], `error: --reporter ${fifo}: cannot load it: not a regular file (a named pipe)`],
      [['run', ping, '--url', url, '--reporter', '/dev/zero'], 'error: --reporter /dev/zero: cannot load it: not a regular file (a character device)'],
      [['merge-reports', fifo, '--reporter', `json:${files.path('merged.json')}`], `error: ${fifo}: not a regular file (a named pipe)`],
      [['merge-reports', '/dev/zero', '--reporter', `json:${files.path('merged.json')}`], 'error: /dev/zero: not a regular file (a character device)'],
    ];
    for (const [args, line] of cases) {
      const run = await cli(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.signal ? `hung (killed with ${run.signal})` : run.stderr}`);
      assert.equal(run.stderr.split('\n')[0], line);
      assert.doesNotMatch(run.stderr, STACK);
    }
  });

  it('a config module whose export throws when read: exit 2, one line naming the file, no stack trace', async function () {
    const run = await cli(['run', ping, '--url', 'http://127.0.0.1:9/janus', '--config', files.path('throws.mjs')]);
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stderr.split('\n')[0], `error: ${files.path('throws.mjs')}: boom`);
    assert.doesNotMatch(run.stderr, STACK);
  });

  it('a malformed --url is a usage error (exit 2) with the reason, not "cannot reach Janus" (exit 3)', async function () {
    for (const [url, why] of [['http://', 'no host after "//"'], ['ws://[::1', 'the [ of an IPv6 address is not closed with ]']]) {
      const run = await cli(['run', ping, '--url', url!]);
      assert.equal(run.code, 2, run.stdout + run.stderr);
      assert.equal(run.stderr.split('\n')[0], `error: --url ${url}: invalid URL: ${why}`);
      assert.doesNotMatch(run.stdout + run.stderr, /cannot reach Janus/);
    }
  });

  describe('against a server', function () {
    let fake: FakeJanus;
    before(async () => (fake = await FakeJanus.start()));
    after(async () => fake.close());

    // A path that is a folder is refused before the run (cli-stuck-inputs); a full disk is found only when the report is written.
    it('a report file the disk has no room for: the others are written, no partial file is left, exit 3', async function () {
      const json = files.path('report.json');
      const run = await cli(['run', ping, '--url', fake.httpUrl, '--reporter', 'spec', '--reporter', 'junit:/dev/full', '--reporter', `json:${json}`]);
      assert.equal(run.code, 3, run.stdout + run.stderr);
      assert.match(run.stdout, /1 passing/);
      assert.match(run.stderr, /^error: the reporter junit:\/dev\/full failed and was stopped: --reporter junit:\/dev\/full: ENOSPC: cannot write \/dev\/full: no space left on the device$/m);
      assert.deepEqual(readdirSync(files.dir).filter((f) => f.includes('.partial-')), []);
      assert.equal((JSON.parse(readFileSync(json, 'utf8')) as { totals: { passed: number } }).totals.passed, 1);
    });
  });

  it('a server it cannot reach: the console, JUnit, JSON and TAP each say why; exit 3', async function () {
    const url = `http://127.0.0.1:${await closedPort()}/janus`;
    const [junit, json, tap] = ['r.xml', 'r.json', 'r.tap'].map((f) => files.path(f));
    const run = await cli(['run', ping, '--url', url, '--reporter', 'spec', '--reporter', `junit:${junit}`, '--reporter', `json:${json}`, '--reporter', `tap:${tap}`]);
    assert.equal(run.code, 3, run.stdout + run.stderr);
    const reason = /cannot reach Janus at http:\/\/127\.0\.0\.1:\d+\/janus: .*connection refused/;
    assert.match(run.stdout, new RegExp(`1 unfinished \\(not run: ${reason.source}\\)`));
    assert.doesNotMatch(run.stdout, /was stopped/);
    assert.match(readFileSync(junit, 'utf8'), new RegExp(`<error type="infrastructure" message="${reason.source}">`));
    const report = JSON.parse(readFileSync(json, 'utf8')) as { scenarios: Array<{ status: string; failure?: { kind: string; summary: string } }>; faults?: string[] };
    assert.equal(report.scenarios[0]!.status, 'unfinished');
    assert.equal(report.scenarios[0]!.failure!.kind, 'infrastructure');
    assert.match(report.scenarios[0]!.failure!.summary, reason);
    assert.match(report.faults![0]!, reason);
    assert.match(readFileSync(tap, 'utf8'), new RegExp(`^ {2}message: "${reason.source}"$`, 'm'));
  });
});
