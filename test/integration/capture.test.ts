import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startJanus, type ManagedJanus } from '../../src/managed/index.js';
import { runCli, startCli } from '../support/cli.js';
import { capture } from '../support/capture-cli.js';
import { httpFlow, janodeFlow } from '../support/capture-clients.js';
import { listSessions } from '../support/admin.js';
import { createServer, type ServerResponse } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { startProxy, TrafficLog } from '../../src/capture/index.js';

describe('capture: a real client through the proxy becomes a scenario that replays', function () {
  this.timeout(300000);
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

  it('an HTTP client with a long-poll: events become waits; the replay passes, a changed value fails', async () => {
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

/** A WebSocket client that sends one request at a time and waits for the reply with its transaction. */
async function wsClient(url: string, protocol: string): Promise<{ ask: (m: Record<string, unknown>) => Promise<Record<string, unknown>>; close: () => void; closeWith: (code: number, reason: string) => Promise<void> }> {
  const socket = new WebSocket(url, protocol);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  let n = 0;
  const ask = (m: Record<string, unknown>) => new Promise<Record<string, unknown>>((resolve) => {
    const transaction = `${protocol}-${++n}`;
    const onMessage = (data: Buffer) => {
      const reply = JSON.parse(data.toString()) as Record<string, unknown>;
      if (reply.transaction === transaction && reply.janus !== 'ack') {
        socket.off('message', onMessage);
        resolve(reply);
      }
    };
    socket.on('message', onMessage);
    socket.send(JSON.stringify({ ...m, transaction }));
  });
  const closeWith = (code: number, reason: string) => new Promise<void>((resolve) => {
    socket.once('close', () => resolve());
    socket.close(code, reason);
  });
  return { ask, close: () => socket.close(), closeWith };
}

describe('capture: the Admin API beside the Janus API', function () {
  this.timeout(300000);
  let janus: ManagedJanus;
  let out: string;
  before(async () => {
    janus = await startJanus({ plugins: ['janus.plugin.echotest'], transports: ['ws'], config: {} });
  });
  after(() => janus?.stop());
  beforeEach(() => (out = mkdtempSync(join(tmpdir(), 'jstest-capture-'))));
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  it('admin requests about a captured session become admin: steps of its scenario, without the admin secret', async () => {
    const cli = startCli(['capture', '--target', janus.endpoints.ws!, '--listen', '127.0.0.1:0', '--target', janus.endpoints.adminWs!, '--listen', '127.0.0.1:0', '--out', out]);
    try {
      let urls: string[] = [];
      while (urls.length < 2) {
        urls = [...cli.output().matchAll(/point the application at (\S+)/g)].map((m) => m[1]!);
        if (cli.child.exitCode !== null) assert.fail(cli.output());
        await new Promise((r) => setTimeout(r, 20));
      }
      const app = await wsClient(urls[0]!, 'janus-protocol');
      const admin = await wsClient(urls[1]!, 'janus-admin-protocol');
      const sid = ((await app.ask({ janus: 'create' })).data as { id: number }).id;
      const hid = ((await app.ask({ janus: 'attach', session_id: sid, plugin: 'janus.plugin.echotest' })).data as { id: number }).id;
      const info = await admin.ask({ janus: 'handle_info', session_id: sid, handle_id: hid, admin_secret: janus.adminSecret });
      assert.equal(info.janus, 'success');
      await app.ask({ janus: 'destroy', session_id: sid });
      app.close();
      admin.close();
    } finally {
      cli.child.kill('SIGTERM');
    }
    const done = await cli.done;
    assert.equal(done.code, 0, done.stderr);
    assert.ok(!(done.stdout + done.stderr).includes(janus.adminSecret), 'the admin secret is printed');
    const file = /^wrote (\S+)/m.exec(done.stdout)![1]!;
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes(janus.adminSecret), 'the admin secret is written');
    assert.match(text, /admin: handle_info/);
    const run = await runCli(['run', file, '--url', janus.endpoints.ws!, '--admin-url', janus.endpoints.adminWs!, '--admin-secret', janus.adminSecret]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
  });
});

describe('capture: a reconnect that claims the session on a second socket', function () {
  this.timeout(300000);
  let janus: ManagedJanus;
  let out: string;
  before(async () => {
    janus = await startJanus({ plugins: ['janus.plugin.echotest'], transports: ['http', 'ws'], config: {} });
  });
  after(() => janus?.stop());
  beforeEach(() => (out = mkdtempSync(join(tmpdir(), 'jstest-capture-'))));
  afterEach(async () => {
    rmSync(out, { recursive: true, force: true });
    assert.deepEqual(await listSessions(janus.endpoints.adminHttp!, janus.adminSecret), [], 'a session was left behind');
  });

  it('becomes a second client that addresses the first one\'s session and handle, and replays', async () => {
    const { files } = await capture(janus.endpoints.ws!, out, async (url) => {
      const first = await wsClient(url, 'janus-protocol');
      const sid = ((await first.ask({ janus: 'create' })).data as { id: number }).id;
      const hid = ((await first.ask({ janus: 'attach', session_id: sid, plugin: 'janus.plugin.echotest' })).data as { id: number }).id;
      // Janus drops a closed connection's sessions unless reclaim_session_timeout is set: claim first.
      const second = await wsClient(url, 'janus-protocol');
      const claimed = await second.ask({ janus: 'claim', session_id: sid });
      assert.equal(claimed.janus, 'success', JSON.stringify(claimed));
      assert.equal((await second.ask({ janus: 'message', session_id: sid, handle_id: hid, body: { audio: true } })).janus, 'event');
      await second.ask({ janus: 'destroy', session_id: sid });
      first.close();
      second.close();
    });
    const text = readFileSync(files[0]!, 'utf8');
    assert.match(text, /clients: \[ main, reconnected \]/);
    assert.match(text, /session_id: "\$\{main\.session\}"/);
    const run = await runCli(['run', files[0]!, '--url', janus.endpoints.ws!]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    writeFileSync(files[0]!, text.replace('result: ok', 'result: changed'));
    const broken = await runCli(['run', files[0]!, '--url', janus.endpoints.ws!]);
    assert.equal(broken.code, 1, broken.stdout + broken.stderr);
  });
});

describe('capture: an app that closes its socket and claims the session on a new one (janus.js reconnect)', function () {
  this.timeout(300000);
  let janus: ManagedJanus;
  let out: string;
  before(async () => {
    janus = await startJanus({ plugins: ['janus.plugin.echotest'], transports: ['http', 'ws'], config: { reclaim_session_timeout: 10 } });
  });
  after(() => janus?.stop());
  beforeEach(() => (out = mkdtempSync(join(tmpdir(), 'jstest-capture-'))));
  afterEach(async () => {
    rmSync(out, { recursive: true, force: true });
    assert.deepEqual(await listSessions(janus.endpoints.adminHttp!, janus.adminSecret), [], 'a session was left behind');
  });

  it('becomes close (with the code sent), reopen and claim on the same client, and replays; a changed value fails', async () => {
    const { files } = await capture(janus.endpoints.ws!, out, async (url) => {
      const first = await wsClient(url, 'janus-protocol');
      const sid = ((await first.ask({ janus: 'create' })).data as { id: number }).id;
      const hid = ((await first.ask({ janus: 'attach', session_id: sid, plugin: 'janus.plugin.echotest' })).data as { id: number }).id;
      await first.closeWith(3504, 'Gateway timeout');
      const again = await wsClient(url, 'janus-protocol');
      const claimed = await again.ask({ janus: 'claim', session_id: sid });
      assert.equal(claimed.janus, 'success', JSON.stringify(claimed));
      assert.equal((await again.ask({ janus: 'message', session_id: sid, handle_id: hid, body: { audio: true } })).janus, 'event');
      await again.ask({ janus: 'destroy', session_id: sid });
      again.close();
    });
    const text = readFileSync(files[0]!, 'utf8');
    assert.doesNotMatch(text, /clients:/);
    assert.match(text, /- close: \{ code: 3504, reason: Gateway timeout \}\n {2}- reopen: true\n {2}- request: claim/);
    const run = await runCli(['run', files[0]!, '--url', janus.endpoints.ws!]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    writeFileSync(files[0]!, text.replace('code: 3504', 'code: 3505').replace('result: ok', 'result: changed'));
    const broken = await runCli(['run', files[0]!, '--url', janus.endpoints.ws!]);
    assert.equal(broken.code, 1, broken.stdout + broken.stderr);
  });
});

describe('capture: the WebSocket relay', () => {
  it('keeps the subprotocol and passes close codes both ways', async () => {
    const upstream = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (p) => [...p][0] ?? false });
    await new Promise((r) => upstream.once('listening', r));
    const seen: { protocol: string; code?: number }[] = [];
    upstream.on('connection', (s) => {
      const entry: { protocol: string; code?: number } = { protocol: s.protocol };
      seen.push(entry);
      s.on('message', () => s.close(3504, 'session timed out'));
      s.on('close', (code) => (entry.code = code));
    });
    const port = (upstream.address() as { port: number }).port;
    const proxy = await startProxy({ target: `ws://127.0.0.1:${port}`, host: '127.0.0.1', port: 0, log: new TrafficLog() });
    try {
      const closedByJanus = new WebSocket(proxy.url, 'janus-protocol');
      await new Promise((r) => closedByJanus.once('open', r));
      assert.equal(closedByJanus.protocol, 'janus-protocol');
      const code = new Promise((r) => closedByJanus.once('close', r));
      closedByJanus.send('{"janus":"ping","transaction":"x"}');
      assert.equal(await code, 3504);
      const closedByApp = new WebSocket(proxy.url, 'janus-admin-protocol');
      await new Promise((r) => closedByApp.once('open', r));
      closedByApp.close(4321);
      while (seen.length < 2 || seen[1]!.code === undefined) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(seen, [{ protocol: 'janus-protocol', code: 3504 }, { protocol: 'janus-admin-protocol', code: 4321 }]);
    } finally {
      await proxy.close();
      await new Promise((r) => upstream.close(r));
    }
  });
});

describe('capture: the HTTP relay', () => {
  it('drops the request to Janus when the app drops its long-poll, so a held poll keeps nothing open', async () => {
    let held: ServerResponse | undefined;
    // A Janus that holds every long-poll, as Janus does for up to 30 s when no event comes.
    const upstream = createServer((_req, res) => (held = res));
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const port = (upstream.address() as { port: number }).port;
    const proxy = await startProxy({ target: `http://127.0.0.1:${port}/janus`, host: '127.0.0.1', port: 0, log: new TrafficLog() });
    try {
      const app = new AbortController();
      const poll = fetch(`${proxy.url}/123?maxev=1`, { signal: app.signal }).catch(() => 'dropped');
      while (!held) await new Promise((r) => setTimeout(r, 10));
      const upstreamClosed = new Promise((r) => held!.once('close', r));
      app.abort();
      assert.equal(await poll, 'dropped');
      await upstreamClosed;
      assert.equal(held.writableFinished, false, 'Janus never answered: the relay gave up the request');
    } finally {
      await proxy.close();
      upstream.closeAllConnections();
      await new Promise((r) => upstream.close(r));
    }
  });
});
