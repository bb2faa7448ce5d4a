import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Agent, request } from 'undici';
import WebSocket from 'ws';
import {
  JanusStartError,
  type ManagedJanus,
  killAllJanusSync,
  needsKey,
  startJanus,
  stopAllJanus,
} from '../../src/managed/index.js';

/* Real Janus 1.1.2 on loopback; nothing here asserts on timing. */

type Json = Record<string, any>;

async function getJson(url: string, dispatcher?: Agent): Promise<Json> {
  const res = await request(url, dispatcher ? { dispatcher } : {});
  return (await res.body.json()) as Json;
}

async function postJson(url: string, body: Json, dispatcher?: Agent): Promise<Json> {
  const res = await request(url, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
    ...(dispatcher && { dispatcher }),
  });
  return (await res.body.json()) as Json;
}

/** Sends one request over a Janus WebSocket and returns the reply with the same transaction. */
function wsRequest(url: string, body: Json, options: { protocol?: string; ca?: string } = {}): Promise<Json> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options.protocol ?? 'janus-protocol', options.ca ? { ca: options.ca } : {});
    const transaction = `t${Math.random()}`;
    socket.once('open', () => socket.send(JSON.stringify({ ...body, transaction })));
    socket.on('message', (data) => {
      const msg = JSON.parse(String(data)) as Json;
      if (msg['transaction'] !== transaction) return;
      socket.close();
      resolve(msg);
    });
    socket.once('error', reject);
  });
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portOf(url: string): string {
  return new URL(url).port;
}

describe('managed Janus', function () {
  after(() => stopAllJanus());

  describe('echotest over http and ws', function () {
    let janus: ManagedJanus;
    before(async function () {
      janus = await startJanus({ plugins: ['janus.plugin.echotest'], transports: ['http', 'ws'], config: {} });
    });
    after(() => janus.stop());

    it('lives in a private temp folder and exposes loopback endpoints', function () {
      assert.equal(dirname(janus.dir), tmpdir());
      assert.match(basename(janus.dir), /^janus-scenarios-/);
      assert.ok(existsSync(join(janus.dir, 'janus.jcfg')));
      assert.match(janus.endpoints.http!, /^http:\/\/127\.0\.0\.1:\d+\/janus$/);
      assert.match(janus.endpoints.adminHttp!, /^http:\/\/127\.0\.0\.1:\d+\/admin$/);
      assert.match(janus.endpoints.ws!, /^ws:\/\/127\.0\.0\.1:\d+$/);
      assert.match(janus.endpoints.adminWs!, /^ws:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(janus.endpoints.https, undefined);
      assert.equal(janus.endpoints.wss, undefined);
      assert.equal(janus.caPem, undefined);
      assert.match(janus.log(), /JANUS EchoTest plugin initialized/);
    });

    it('GET /info lists the echotest plugin and nothing else', async function () {
      const info = await getJson(`${janus.endpoints.http}/info`);
      assert.equal(info['janus'], 'server_info');
      assert.deepEqual(Object.keys(info['plugins']), ['janus.plugin.echotest']);
      assert.deepEqual(Object.keys(info['transports']).sort(), ['janus.transport.http', 'janus.transport.websockets']);
      assert.deepEqual(info['events'], {});
      assert.deepEqual(info['loggers'], {});
    });

    it('answers ping over ws with janus-protocol', async function () {
      const reply = await wsRequest(janus.endpoints.ws!, { janus: 'ping' });
      assert.equal(reply['janus'], 'pong');
    });

    it('accepts the admin secret on admin HTTP and admin WS', async function () {
      const overHttp = await postJson(janus.endpoints.adminHttp!, { janus: 'list_sessions', transaction: 'a1', admin_secret: janus.adminSecret });
      assert.equal(overHttp['janus'], 'success');
      assert.deepEqual(overHttp['sessions'], []);
      const overWs = await wsRequest(
        janus.endpoints.adminWs!,
        { janus: 'list_sessions', admin_secret: janus.adminSecret },
        { protocol: 'janus-admin-protocol' },
      );
      assert.equal(overWs['janus'], 'success');
    });

    it('rejects a wrong admin secret', async function () {
      const reply = await postJson(janus.endpoints.adminHttp!, { janus: 'list_sessions', transaction: 'a2', admin_secret: 'wrong' });
      assert.equal(reply['janus'], 'error');
      assert.equal(reply['error']['code'], 403);
    });
  });

  describe('config overrides', function () {
    let janus: ManagedJanus;
    before(async function () {
      janus = await startJanus({
        plugins: ['janus.plugin.echotest'],
        transports: ['http'],
        config: { session_timeout: 7, api_secret: 's3cret', admin_secret: 'adm"in\\pw' },
      });
    });
    after(() => janus.stop());

    it('shows them in server_info', async function () {
      const info = await getJson(`${janus.endpoints.http}/info`);
      assert.equal(info['session-timeout'], 7);
      assert.equal(info['api_secret'], true);
      assert.deepEqual(janus.config, { session_timeout: 7, api_secret: 's3cret', admin_secret: 'adm"in\\pw' });
    });

    it('enforces api_secret', async function () {
      const denied = await postJson(janus.endpoints.http!, { janus: 'create', transaction: 'c1' });
      assert.equal(denied['error']['code'], 403);
      const created = await postJson(janus.endpoints.http!, { janus: 'create', transaction: 'c2', apisecret: 's3cret' });
      assert.equal(created['janus'], 'success');
    });

    it('uses the given admin secret verbatim, quotes included', async function () {
      assert.equal(janus.adminSecret, 'adm"in\\pw');
      const reply = await postJson(janus.endpoints.adminHttp!, { janus: 'list_sessions', transaction: 'a3', admin_secret: 'adm"in\\pw' });
      assert.equal(reply['janus'], 'success');
      assert.equal(reply['sessions'].length, 1);
    });
  });

  describe('https and wss', function () {
    let janus: ManagedJanus;
    let agent: Agent;
    before(async function () {
      janus = await startJanus({ plugins: ['janus.plugin.echotest'], transports: ['https', 'wss'], config: {} });
      agent = new Agent({ connect: { ca: janus.caPem! } });
    });
    after(async () => {
      await agent.close();
      await janus.stop();
    });

    it('exposes only TLS API endpoints plus the admin listeners of both families', function () {
      assert.match(janus.caPem!, /^-----BEGIN CERTIFICATE-----/);
      assert.deepEqual(Object.keys(janus.endpoints).sort(), ['adminHttp', 'adminHttps', 'adminWs', 'adminWss', 'https', 'wss']);
      assert.match(janus.endpoints.https!, /^https:\/\/127\.0\.0\.1:\d+\/janus$/);
      assert.match(janus.endpoints.wss!, /^wss:\/\/127\.0\.0\.1:\d+$/);
    });

    it('verifies https against caPem', async function () {
      const info = await getJson(`${janus.endpoints.https}/info`, agent);
      assert.equal(info['janus'], 'server_info');
      await assert.rejects(getJson(`${janus.endpoints.https}/info`), /self-signed|certificate/i);
    });

    it('verifies wss against caPem', async function () {
      const reply = await wsRequest(janus.endpoints.wss!, { janus: 'ping' }, { ca: janus.caPem! });
      assert.equal(reply['janus'], 'pong');
    });

    it('serves the Admin API over TLS', async function () {
      const overHttps = await postJson(janus.endpoints.adminHttps!, { janus: 'list_sessions', transaction: 'a4', admin_secret: janus.adminSecret }, agent);
      assert.equal(overHttps['janus'], 'success');
      const overWss = await wsRequest(
        janus.endpoints.adminWss!,
        { janus: 'list_sessions', admin_secret: janus.adminSecret },
        { protocol: 'janus-admin-protocol', ca: janus.caPem! },
      );
      assert.equal(overWss['janus'], 'success');
    });
  });

  describe('every bundled plugin', function () {
    const plugins = [
      'janus.plugin.videoroom', 'janus.plugin.audiobridge', 'janus.plugin.streaming', 'janus.plugin.textroom',
      'janus.plugin.videocall', 'janus.plugin.recordplay', 'janus.plugin.sip', 'janus.plugin.nosip',
      'janus.plugin.voicemail', 'janus.plugin.echotest', 'janus.plugin.echolua', 'janus.plugin.echojs',
    ];
    let janus: ManagedJanus;
    before(async function () {
      janus = await startJanus({ plugins, transports: ['http'], config: {} });
    });
    after(() => janus.stop());

    it('loads them all, with no stock rooms and nothing written to the cwd', async function () {
      const info = await getJson(`${janus.endpoints.http}/info`);
      assert.deepEqual(Object.keys(info['plugins']).sort(), [...plugins].sort());
      // Stock Record&Play would create ./html/recordings; Janus runs in its folder, so look there too.
      assert.equal(existsSync(join(process.cwd(), 'html')), false);
      assert.equal(existsSync(join(janus.dir, 'html')), false);
      assert.ok(existsSync(join(janus.dir, 'recordings')));
      const rooms = await postJson(janus.endpoints.adminHttp!, {
        janus: 'message_plugin', transaction: 'm1', admin_secret: janus.adminSecret,
        plugin: 'janus.plugin.videoroom', request: { request: 'list' },
      });
      assert.deepEqual(rooms['response'], { videoroom: 'success', list: [] });
      const mountpoints = await postJson(janus.endpoints.adminHttp!, {
        janus: 'message_plugin', transaction: 'm2', admin_secret: janus.adminSecret,
        plugin: 'janus.plugin.streaming', request: { request: 'list' },
      });
      assert.deepEqual(mountpoints['response'], { streaming: 'list', list: [] });
      assert.doesNotMatch(janus.log(), /\[ERR\]|\[FATAL\]/);
    });
  });

  describe('event handlers and loggers', function () {
    let janus: ManagedJanus;
    before(async function () {
      janus = await startJanus({
        plugins: ['janus.plugin.echotest'],
        transports: ['http'],
        config: {},
        eventhandlers: { 'janus.eventhandler.sampleevh': { grouping: false } },
        loggers: { 'janus.logger.jsonlog': {} },
      });
    });
    after(() => janus.stop());

    it('loads just those, with broadcasting on, and the JSON log inside the instance folder', async function () {
      const info = await getJson(`${janus.endpoints.http}/info`);
      assert.equal(info['event_handlers'], true);
      assert.deepEqual(Object.keys(info['events']), ['janus.eventhandler.sampleevh']);
      assert.deepEqual(Object.keys(info['loggers']), ['janus.logger.jsonlog']);
      assert.deepEqual(readdirSync(join(janus.dir, 'events')), ['libjanus_sampleevh.so']);
      assert.deepEqual(readdirSync(join(janus.dir, 'loggers')), ['libjanus_jsonlog.so']);
      assert.match(readFileSync(join(janus.dir, 'janus.eventhandler.sampleevh.jcfg'), 'utf8'), /grouping = false/);
      assert.ok(existsSync(join(janus.dir, 'jsonlog.json')));
    });

    it('answers queries to both through the Admin API', async function () {
      const evh = await postJson(janus.endpoints.adminHttp!, {
        janus: 'query_eventhandler', transaction: 'q1', admin_secret: janus.adminSecret,
        handler: 'janus.eventhandler.sampleevh', request: { request: 'tweak', grouping: true },
      });
      assert.deepEqual(evh['response'], { result: 200 });
      const logger = await postJson(janus.endpoints.adminHttp!, {
        janus: 'query_logger', transaction: 'q2', admin_secret: janus.adminSecret,
        logger: 'janus.logger.jsonlog', request: { request: 'info' },
      });
      assert.deepEqual(logger['response'], { result: 200 });
    });
  });

  describe('lifecycle', function () {
    it('stop() leaves no process and no folder, and can be called again', async function () {
      const janus = await startJanus({ plugins: ['janus.plugin.echotest'], transports: ['http'], config: {} });
      assert.ok(processExists(janus.pid));
      await janus.stop();
      assert.throws(() => process.kill(janus.pid, 0));
      assert.equal(existsSync(janus.dir), false);
      await janus.stop();
    });

    it('stop() cleans up after a Janus that already died', async function () {
      const janus = await startJanus({ plugins: ['janus.plugin.echotest'], transports: ['ws'], config: {} });
      process.kill(janus.pid, 'SIGKILL');
      await janus.stop();
      assert.throws(() => process.kill(janus.pid, 0));
      assert.equal(existsSync(janus.dir), false);
    });

    it('starts with wss alone, checking readiness over TLS WebSockets', async function () {
      const janus = await startJanus({ plugins: ['janus.plugin.echotest'], transports: ['wss'], config: {} });
      try {
        assert.deepEqual(Object.keys(janus.endpoints).sort(), ['adminWs', 'adminWss', 'wss']);
        const reply = await wsRequest(janus.endpoints.wss!, { janus: 'ping' }, { ca: janus.caPem! });
        assert.equal(reply['janus'], 'pong');
      } finally {
        await janus.stop();
      }
    });

    it('runs two instances at once on different ports', async function () {
      const needs = { plugins: ['janus.plugin.echotest'], transports: ['http', 'ws'] as const, config: {} };
      const [a, b] = await Promise.all([startJanus({ ...needs, transports: [...needs.transports] }), startJanus({ ...needs, transports: [...needs.transports] })]);
      try {
        assert.notEqual(a.pid, b.pid);
        assert.notEqual(a.dir, b.dir);
        const ports = [...Object.values(a.endpoints), ...Object.values(b.endpoints)].map(portOf);
        assert.equal(new Set(ports).size, ports.length);
        for (const janus of [a, b]) assert.equal((await getJson(`${janus.endpoints.http}/info`))['janus'], 'server_info');
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    });

    it('stopAllJanus() and killAllJanusSync() end every instance', async function () {
      const a = await startJanus({ plugins: ['janus.plugin.echotest'], transports: ['http'], config: {} });
      const b = await startJanus({ plugins: ['janus.plugin.echotest'], transports: ['http'], config: {} });
      await stopAllJanus();
      for (const janus of [a, b]) assert.equal(existsSync(janus.dir), false);
      const c = await startJanus({ plugins: ['janus.plugin.echotest'], transports: ['http'], config: {} });
      killAllJanusSync();
      assert.equal(existsSync(c.dir), false);
      await c.stop(); // waits for the SIGKILLed child to be reaped
      assert.throws(() => process.kill(c.pid, 0));
    });
  });

  describe('start failures', function () {
    it('names the fix when the binary is missing', async function () {
      await assert.rejects(
        startJanus({ plugins: ['janus.plugin.echotest'], transports: ['http'], config: {} }, { binary: '/nonexistent/janus' }),
        (err: unknown) => {
          assert.ok(err instanceof JanusStartError);
          assert.match(err.message, /\/nonexistent\/janus/);
          assert.match(err.message, /npm run ensure-janus/);
          assert.match(err.message, /apt-get install -y janus/);
          assert.doesNotMatch(err.message, /\n/);
          return true;
        },
      );
    });

    // "not found" sent the user to install a Janus that was there all along, one folder down.
    it('a folder or a file that is not executable given as the binary says so, and names the binary in the folder', async function () {
      const root = mkdtempSync(join(tmpdir(), 'jstest-binary-'));
      try {
        mkdirSync(join(root, 'bin'));
        writeFileSync(join(root, 'bin', 'janus'), '#!/bin/sh\n', { mode: 0o755 });
        writeFileSync(join(root, 'janus.jcfg'), '');
        const reason = (binary: string) => startJanus({ plugins: ['janus.plugin.echotest'], transports: ['http'], config: {} }, { binary }).then(
          () => assert.fail('started'),
          (err: unknown) => (assert.ok(err instanceof JanusStartError, String(err)), err.message),
        );
        assert.equal(await reason(root), `Janus binary '${root}' is a folder; its janus is ${join(root, 'bin', 'janus')}`);
        assert.equal(await reason(join(root, 'janus.jcfg')), `Janus binary '${join(root, 'janus.jcfg')}' is not executable`);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });

    it('rejects a plugin that is not installed', async function () {
      await assert.rejects(
        startJanus({ plugins: ['janus.plugin.nonesuch'], transports: ['http'], config: {} }),
        (err: unknown) => err instanceof JanusStartError && /janus\.plugin\.nonesuch/.test(err.message),
      );
    });

    it('rejects an event handler or logger that is not installed, or not named as one', async function () {
      await assert.rejects(
        startJanus({ plugins: [], transports: ['http'], config: {}, eventhandlers: { 'janus.eventhandler.nonesuch': {} } }),
        (err: unknown) => err instanceof JanusStartError && /'janus\.eventhandler\.nonesuch' is not installed/.test(err.message),
      );
      await assert.rejects(
        startJanus({ plugins: [], transports: ['http'], config: {}, loggers: { 'janus.plugin.echotest': {} } }),
        (err: unknown) => err instanceof JanusStartError && /not a Janus logger package name/.test(err.message),
      );
    });

    it('rejects an unknown transport', async function () {
      await assert.rejects(
        startJanus({ plugins: ['janus.plugin.echotest'], transports: ['carrier-pigeon' as 'http'], config: {} }),
        (err: unknown) => err instanceof JanusStartError && /unknown transport 'carrier-pigeon'/.test(err.message),
      );
    });

    it('gives up after readyTimeoutMs and cleans up', async function () {
      await assert.rejects(
        startJanus({ plugins: ['janus.plugin.echotest'], transports: ['http'], config: {} }, { readyTimeoutMs: 1 }),
        // Either limit may come first (the one of silence, or the whole start's, a few ms): Janus logs as it starts.
        (err: unknown) => err instanceof JanusStartError && /not ready within (1 ms of its last sign of progress|\d+ ms) \(waiting for /.test(err.message),
      );
      await stopAllJanus(); // nothing left to stop: the failed attempt removed itself
    });

    it('reports an early exit with the gist of the log', async function () {
      // Janus exits at once when it cannot create its pid file (and so writes nothing).
      await assert.rejects(
        startJanus({ plugins: ['janus.plugin.echotest'], transports: ['http'], config: { pid_file: '/nonexistent/janus.pid' } }),
        (err: unknown) => {
          assert.ok(err instanceof JanusStartError);
          assert.match(err.message, /exited during startup \(code 1\): .*PID file \/nonexistent\/janus\.pid/);
          assert.doesNotMatch(err.message, /\x1b|\n/);
          return true;
        },
      );
    });
  });

  describe('needsKey', function () {
    it('keys on config only, independent of key order', function () {
      const a = needsKey({ plugins: ['janus.plugin.echotest'], transports: ['http'], config: { api_secret: 'x', session_timeout: 7 } });
      const b = needsKey({ plugins: ['janus.plugin.videoroom'], transports: ['ws'], config: { session_timeout: 7, api_secret: 'x' } });
      const c = needsKey({ plugins: ['janus.plugin.echotest'], transports: ['http'], config: { session_timeout: 8, api_secret: 'x' } });
      assert.equal(a, b);
      assert.notEqual(a, c);
      assert.equal(needsKey({ plugins: [], transports: [], config: {} }), needsKey({ plugins: ['x'], transports: ['http'], config: {} }));
    });

    it('keys on event handlers and loggers and their settings too', function () {
      const none = needsKey({ plugins: [], transports: [], config: {} });
      const evh = needsKey({ plugins: [], transports: [], config: {}, eventhandlers: { 'janus.eventhandler.sampleevh': {} } });
      const tweaked = needsKey({ plugins: [], transports: [], config: {}, eventhandlers: { 'janus.eventhandler.sampleevh': { grouping: false } } });
      const logger = needsKey({ plugins: [], transports: [], config: {}, loggers: { 'janus.logger.jsonlog': {} } });
      assert.equal(new Set([none, evh, tweaked, logger]).size, 4);
      assert.equal(needsKey({ plugins: [], transports: [], config: {}, eventhandlers: {}, loggers: {} }), none);
    });
  });
});
