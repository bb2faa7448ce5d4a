import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startJanus, type ManagedJanus } from '../../src/managed/index.js';
import { runCli, startCli } from '../support/cli.js';
import { httpFlow, janodeFlow } from '../support/capture-clients.js';
import { listSessions } from '../support/admin.js';

/** Runs `capture` in a child process around `drive`, then stops it with SIGTERM: the files it wrote. */
async function capture(target: string, out: string, drive: (url: string) => Promise<unknown>): Promise<{ files: string[]; stdout: string }> {
  const cli = startCli(['capture', '--target', target, '--listen', '127.0.0.1:0', '--out', out]);
  try {
    let url: string | undefined;
    while (!url) {
      const m = /point the application at (\S+)/.exec(cli.output());
      if (m) url = m[1];
      else if (cli.child.exitCode !== null) assert.fail(`capture ended early: ${cli.output()}`);
      else await new Promise((r) => setTimeout(r, 20));
    }
    await drive(url);
  } finally {
    cli.child.kill('SIGTERM');
  }
  const done = await cli.done;
  assert.equal(done.code, 0, done.stderr);
  const files = [...done.stdout.matchAll(/^wrote (\S+)/gm)].map((m) => m[1]!);
  return { files, stdout: done.stdout };
}

describe('capture: a real client through the proxy becomes a scenario that replays', function () {
  this.timeout(120000);
  let janus: ManagedJanus;
  let out: string;
  before(async () => {
    janus = await startJanus({ plugins: ['janus.plugin.echotest', 'janus.plugin.videoroom'], transports: ['http', 'ws'], config: {} });
  });
  after(() => janus?.stop());
  beforeEach(() => (out = mkdtempSync(join(tmpdir(), 'jstest-capture-'))));
  afterEach(async () => {
    rmSync(out, { recursive: true, force: true });
    assert.deepEqual(await listSessions(janus.endpoints.adminHttp!, janus.adminSecret), [], 'a session was left behind');
  });

  const replay = (file: string, url: string, env: NodeJS.ProcessEnv = {}) => runCli(['run', file, '--url', url], { env });

  it('janode over WebSocket: two handles, a room Janus numbered, a pin; keepalives left out; a changed value fails', async () => {
    const { files } = await capture(janus.endpoints.ws!, out, janodeFlow);
    assert.equal(files.length, 1, 'one session, one file');
    const text = readFileSync(files[0]!, 'utf8');
    assert.doesNotMatch(text, /p1n-from-capture|r00m-secret-from-capture/, 'no secret is written');
    assert.doesNotMatch(text, /keepalive|transaction/);
    assert.match(text, /as: echotest/);
    assert.match(text, /as: videoroom/);
    assert.match(text, /save: \{ room: plugindata\.data\.room \}/);
    assert.match(text, /room: "\$\{room\}"/);
    const env = { CAPTURE_PIN: 'p1n-from-capture', CAPTURE_SECRET: 'r00m-secret-from-capture' };
    const validated = await runCli(['validate', files[0]!], { env });
    assert.equal(validated.code, 0, validated.stderr);
    const run = await replay(files[0]!, janus.endpoints.ws!, env);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    writeFileSync(files[0]!, text.replace('result: ok', 'result: changed'));
    const broken = await replay(files[0]!, janus.endpoints.ws!, env);
    assert.equal(broken.code, 1, broken.stdout + broken.stderr);
    assert.match(broken.stdout + broken.stderr, /changed/);
  });

  it('an HTTP client with a long-poll: events become waits, a plugin message that only got its ack ends at the ack', async () => {
    const { files } = await capture(janus.endpoints.http!, out, httpFlow);
    assert.equal(files.length, 1);
    const text = readFileSync(files[0]!, 'utf8');
    assert.doesNotMatch(text, /http-p1n|http-s3cret/);
    assert.match(text, /wait: \{ janus: detached \}/);
    const env = { CAPTURE_PIN: 'http-p1n', CAPTURE_SECRET: 'http-s3cret' };
    const run = await replay(files[0]!, janus.endpoints.http!, env);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    writeFileSync(files[0]!, text.replace('description: http room', 'description: another room'));
    const broken = await replay(files[0]!, janus.endpoints.http!, env);
    assert.equal(broken.code, 1, broken.stdout + broken.stderr);
  });
});
