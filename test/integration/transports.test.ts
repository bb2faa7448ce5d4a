import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JanusMessage, Route } from '../../src/janus/protocol.js';
import {
  TransportFault,
  type ConnectOptions,
  type TransportConnection,
  type TransportDefinition,
  type TransportSink,
} from '../../src/transports/contract.js';
import { BUILTIN_TRANSPORTS, registerBuiltinTransports } from '../../src/transports/builtin.js';
import { httpTransport } from '../../src/transports/http.js';
import { getTransport, transportForScheme } from '../../src/transports/registry.js';
import { FakeJanus } from '../support/fake-janus.js';

/* ---------- a throw-away Janus (the real launcher lives in src/managed) ---------- */

const JANUS_MODULES = '/usr/lib/x86_64-linux-gnu/janus';
const ADMIN_SECRET = 'adminpw';

interface LocalJanus {
  ports: Record<'http' | 'https' | 'adminHttp' | 'ws' | 'wss' | 'adminWs', number>;
  certPem: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

async function startJanus(): Promise<LocalJanus> {
  const dir = mkdtempSync(path.join(tmpdir(), 'janus-transports-'));
  const ports = {
    http: await freePort(), https: await freePort(), adminHttp: await freePort(),
    ws: await freePort(), wss: await freePort(), adminWs: await freePort(),
  };
  for (const sub of ['plugins', 'transports', 'events', 'loggers']) mkdirSync(path.join(dir, sub));
  symlinkSync(`${JANUS_MODULES}/plugins/libjanus_echotest.so`, path.join(dir, 'plugins/libjanus_echotest.so'));
  for (const t of ['http', 'websockets']) {
    symlinkSync(`${JANUS_MODULES}/transports/libjanus_${t}.so`, path.join(dir, `transports/libjanus_${t}.so`));
  }
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
  const write = (name: string, text: string) => writeFileSync(path.join(dir, name), text);
  write('janus.jcfg', `general: { configs_folder = "${dir}" plugins_folder = "${dir}/plugins"
  transports_folder = "${dir}/transports" events_folder = "${dir}/events" loggers_folder = "${dir}/loggers"
  log_to_stdout = true debug_level = 4 debug_colors = false admin_secret = "${ADMIN_SECRET}" session_timeout = 60
  interface = "127.0.0.1" }
media: { } nat: { ignore_mdns = true } plugins: { } transports: { } events: { }\n`);
  write('janus.plugin.echotest.jcfg', 'general: { }\n');
  const certificates = `certificates: { cert_pem = "${cert}" cert_key = "${key}" }`;
  write('janus.transport.http.jcfg', `general: { json = "plain" base_path = "/janus" http = true port = ${ports.http}
  ip = "127.0.0.1" https = true secure_port = ${ports.https} secure_ip = "127.0.0.1" }
admin: { admin_base_path = "/admin" admin_http = true admin_port = ${ports.adminHttp} admin_ip = "127.0.0.1" admin_https = false }
${certificates}\n`);
  write('janus.transport.websockets.jcfg', `general: { json = "plain" ws = true ws_port = ${ports.ws} ws_ip = "127.0.0.1"
  wss = true wss_port = ${ports.wss} wss_ip = "127.0.0.1" ws_logging = "err,warn" }
admin: { admin_ws = true admin_ws_port = ${ports.adminWs} admin_ws_ip = "127.0.0.1" admin_wss = false }
${certificates}\n`);

  const log: string[] = [];
  const child: ChildProcess = spawn('/usr/bin/janus', ['-F', dir, '-C', path.join(dir, 'janus.jcfg'), '-o'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (const port of Object.values(ports)) {
    while (!(await canConnect(port))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`Janus did not open port ${port}:\n${log.join('').slice(-2000)}`);
      }
      await sleep(25);
    }
  }
  return { ports, certPem: readFileSync(cert, 'utf8'), stop };
}

/* ---------- helpers ---------- */

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls a condition; the deadline only stops a broken test from hanging, it asserts nothing about speed. */
async function until(what: string, condition: () => boolean, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(10);
  }
}

class RecordingSink implements TransportSink {
  readonly messages: JanusMessage[] = [];
  readonly faults: TransportFault[] = [];
  readonly gone: number[] = [];
  message(msg: JanusMessage): void {
    this.messages.push(msg);
  }
  fault(fault: TransportFault): void {
    this.faults.push(fault);
  }
  sessionGone(sessionId: number): void {
    this.gone.push(sessionId);
  }
  async next(what: string, predicate: (msg: JanusMessage) => boolean): Promise<JanusMessage> {
    await until(what, () => this.messages.some(predicate));
    return this.messages.find(predicate)!;
  }
}

function options(url: string, extra: Partial<ConnectOptions> = {}): ConnectOptions {
  return { url, api: 'janus', tls: {}, connectTimeoutMs: 3000, ...extra };
}

function transport(name: string): TransportDefinition {
  const def = getTransport(name);
  assert.ok(def, `transport ${name} is registered`);
  return def;
}

function assertOneLineFault(err: unknown, pattern: RegExp): true {
  assert.ok(err instanceof TransportFault, `expected a TransportFault, got ${String(err)}`);
  assert.doesNotMatch(err.message, /\n/);
  assert.match(err.message, pattern);
  return true;
}

let txn = 0;
const nextTransaction = () => `t${++txn}`;

/** Request/reply over a push transport: the reply is the non-event with the same transaction. */
async function wsRequest(conn: TransportConnection, sink: RecordingSink, body: JanusMessage, route: Route = {}) {
  const transaction = nextTransaction();
  assert.equal(await conn.send({ ...body, transaction }, route), undefined);
  return sink.next(`reply to ${String(body.janus)}`, (m) => m.transaction === transaction && m.janus !== 'event');
}

async function httpRequest(conn: TransportConnection, body: JanusMessage, route: Route = {}) {
  const reply = await conn.send({ ...body, transaction: nextTransaction() }, route);
  assert.ok(reply, 'HTTP POST resolves with the reply');
  return reply;
}

function idFrom(reply: JanusMessage): number {
  const id = (reply.data as { id?: unknown } | undefined)?.id;
  assert.equal(typeof id, 'number', `reply carries data.id: ${JSON.stringify(reply)}`);
  return id as number;
}

registerBuiltinTransports();
registerBuiltinTransports(); // twice on purpose: must be idempotent

describe('built-in transports: registry', () => {
  it('registers http, https, ws and wss once, findable by scheme', () => {
    assert.deepEqual(BUILTIN_TRANSPORTS.map((t) => t.name), ['http', 'https', 'ws', 'wss']);
    for (const scheme of ['http', 'https', 'ws', 'wss']) assert.equal(transportForScheme(`${scheme}:`)?.name, scheme);
    assert.equal(transport('https').secure, true);
    assert.equal(transport('ws').secure, false);
  });
});

/* ---------- against a real Janus 1.1.2 ---------- */

describe('transports against a real Janus', function () {
  let janus: LocalJanus;
  const open: TransportConnection[] = [];
  const connect = async (name: string, opts: ConnectOptions, sink: TransportSink) => {
    const conn = await transport(name).connect(opts, sink);
    open.push(conn);
    return conn;
  };
  const httpUrl = () => `http://127.0.0.1:${janus.ports.http}/janus`;
  const wsUrl = () => `ws://127.0.0.1:${janus.ports.ws}/`;

  before(async function () {
    this.timeout(30_000);
    janus = await startJanus();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });
  after(async function () {
    this.timeout(15_000);
    await janus?.stop();
  });

  it('http: create, attach, message gets an ack from the POST and the echotest event from the long-poll', async () => {
    const sink = new RecordingSink();
    const conn = await connect('http', options(httpUrl()), sink);
    const sessionId = idFrom(await httpRequest(conn, { janus: 'create' }));
    conn.track!(sessionId, {});
    const handleId = idFrom(await httpRequest(conn, { janus: 'attach', plugin: 'janus.plugin.echotest' }, { sessionId }));
    const ack = await conn.send({ janus: 'message', transaction: 'echo-1', body: { audio: true } }, { sessionId, handleId });
    assert.equal(ack?.janus, 'ack');
    assert.equal(ack?.transaction, 'echo-1');
    const event = await sink.next('echotest event', (m) => m.janus === 'event' && m.transaction === 'echo-1');
    assert.equal(event.sender, handleId);
    assert.deepEqual((event.plugindata as { data: unknown }).data, { echotest: 'event', result: 'ok' });
    assert.equal((await httpRequest(conn, { janus: 'destroy' }, { sessionId })).janus, 'success');
    conn.untrack!(sessionId);
    assert.deepEqual(sink.faults, []);
  });

  it('http: events queued before the poll arrive flattened from one maxev batch, in order', async () => {
    const sink = new RecordingSink();
    const conn = await connect('http', options(httpUrl()), sink);
    const sessionId = idFrom(await httpRequest(conn, { janus: 'create' }));
    const handleId = idFrom(await httpRequest(conn, { janus: 'attach', plugin: 'janus.plugin.echotest' }, { sessionId }));
    const transactions = ['batch-1', 'batch-2', 'batch-3'];
    for (const transaction of transactions) {
      await conn.send({ janus: 'message', transaction, body: { audio: true } }, { sessionId, handleId });
    }
    conn.track!(sessionId, {});
    await until('three events', () => sink.messages.length >= 3);
    assert.deepEqual(sink.messages.map((m) => [m.janus, m.transaction]), transactions.map((t) => ['event', t]));
    await httpRequest(conn, { janus: 'destroy' }, { sessionId });
    assert.deepEqual(sink.faults, []);
  });

  it('http: a long-poll on a destroyed session reports sessionGone, not a fault', async () => {
    const sink = new RecordingSink();
    const conn = await connect('http', options(httpUrl()), sink);
    const sessionId = idFrom(await httpRequest(conn, { janus: 'create' }));
    assert.equal((await httpRequest(conn, { janus: 'destroy' }, { sessionId })).janus, 'success');
    conn.track!(sessionId, {});
    await until('sessionGone', () => sink.gone.length > 0);
    assert.deepEqual(sink.gone, [sessionId]);
    assert.deepEqual(sink.faults, []);
  });

  it('http: Janus errors are replies, not faults; a raw string is posted verbatim', async () => {
    const conn = await connect('http', options(httpUrl()), new RecordingSink());
    const reply = await conn.send('{"janus":"create","transaction":"raw"', {});
    assert.equal(reply?.janus, 'error');
    assert.equal((reply?.error as { code: number }).code, 454);
    const missing = await conn.send({ janus: 'keepalive', transaction: 'k' }, { sessionId: 1 });
    assert.equal((missing?.error as { code: number }).code, 458);
  });

  it('ws: create, attach, message with ids in the body; ack and event arrive on the socket', async () => {
    const sink = new RecordingSink();
    const conn = await connect('ws', options(wsUrl()), sink);
    const sessionId = idFrom(await wsRequest(conn, sink, { janus: 'create' }));
    const handleId = idFrom(await wsRequest(conn, sink, { janus: 'attach', plugin: 'janus.plugin.echotest' }, { sessionId }));
    await conn.send({ janus: 'message', transaction: 'ws-echo', body: { audio: true } }, { sessionId, handleId });
    const ack = await sink.next('ack', (m) => m.janus === 'ack' && m.transaction === 'ws-echo');
    assert.equal(ack.session_id, sessionId);
    const event = await sink.next('event', (m) => m.janus === 'event' && m.transaction === 'ws-echo');
    assert.deepEqual((event.plugindata as { data: unknown }).data, { echotest: 'event', result: 'ok' });
    // An explicit session_id in the payload wins over the route: Janus sees no session.
    const explicit = await wsRequest(conn, sink, { janus: 'attach', plugin: 'janus.plugin.echotest', session_id: null }, { sessionId });
    assert.equal((explicit.error as { code: number }).code, 457);
    await wsRequest(conn, sink, { janus: 'destroy' }, { sessionId });
    assert.deepEqual(sink.faults, []);
  });

  it('admin API over http and ws: list_sessions with admin_secret', async () => {
    const httpSink = new RecordingSink();
    const adminHttp = await connect('http', options(`http://127.0.0.1:${janus.ports.adminHttp}/admin`, { api: 'admin' }), httpSink);
    const viaHttp = await httpRequest(adminHttp, { janus: 'list_sessions', admin_secret: ADMIN_SECRET });
    assert.equal(viaHttp.janus, 'success');
    assert.ok(Array.isArray(viaHttp.sessions));
    const wsSink = new RecordingSink();
    const adminWs = await connect('ws', options(`ws://127.0.0.1:${janus.ports.adminWs}/`, { api: 'admin' }), wsSink);
    const viaWs = await wsRequest(adminWs, wsSink, { janus: 'list_sessions', admin_secret: ADMIN_SECRET });
    assert.equal(viaWs.janus, 'success');
    assert.ok(Array.isArray(viaWs.sessions));
    const denied = await wsRequest(adminWs, wsSink, { janus: 'list_sessions', admin_secret: 'wrong' });
    assert.equal((denied.error as { code: number }).code, 403);
  });

  it('ws: the wrong subprotocol makes connect reject with a one-line fault', async () => {
    const sink = new RecordingSink();
    await assert.rejects(
      transport('ws').connect(options(`ws://127.0.0.1:${janus.ports.adminWs}/`, { api: 'janus' }), sink),
      (err) => assertOneLineFault(err, /handshake dropped by server.*janus-protocol/),
    );
    await assert.rejects(
      transport('ws').connect(options(wsUrl(), { api: 'admin' }), sink),
      (err) => assertOneLineFault(err, /janus-admin-protocol/),
    );
  });

  describe('TLS with a self-signed certificate', () => {
    const cases = [
      { name: 'https', url: () => `https://127.0.0.1:${janus.ports.https}/janus` },
      { name: 'wss', url: () => `wss://localhost:${janus.ports.wss}/` },
    ];
    for (const { name, url } of cases) {
      it(`${name}: verifies against the given CA, fails without it, passes with insecure`, async () => {
        const sink = new RecordingSink();
        await connect(name, options(url(), { tls: { ca: [janus.certPem] } }), sink);
        await assert.rejects(transport(name).connect(options(url()), sink), (err) => assertOneLineFault(err, /TLS: self-signed certificate/));
        const insecure = await connect(name, options(url(), { tls: { insecure: true } }), sink);
        if (name === 'https') assert.equal((await httpRequest(insecure, { janus: 'info' })).janus, 'server_info');
        else assert.equal((await wsRequest(insecure, sink, { janus: 'info' })).janus, 'server_info');
        assert.deepEqual(sink.faults, []);
      });
    }
  });
});

/* ---------- against a misbehaving fake server ---------- */

describe('transports against a misbehaving server', function () {
  this.timeout(10_000);
  let fake: FakeJanus;
  const open: TransportConnection[] = [];
  // Short limits so that "answers nothing" fails fast; the built-ins wait longer.
  const impatientHttp = httpTransport({ name: 'http-test', schemes: [], secure: false, requestTimeoutMs: 300, pollTimeoutMs: 300 });
  const connectHttp = async (sink: TransportSink) => {
    const conn = await impatientHttp.connect(options(fake.httpUrl), sink);
    open.push(conn);
    return conn;
  };
  const connectWs = async (sink: TransportSink) => {
    const conn = await transport('ws').connect(options(fake.wsUrl, { connectTimeoutMs: 500 }), sink);
    open.push(conn);
    return conn;
  };
  const polls = () => fake.requests.filter((r) => r.method === 'GET' && r.path.includes('maxev')).length;

  beforeEach(async () => {
    fake = await FakeJanus.start();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
    await fake.close();
  });

  describe('http send', () => {
    const cases = [
      { behaviour: 'garbage', reason: /^HTTP POST http:\/\/127\.0\.0\.1:\d+\/janus\/7\/8: malformed JSON from server: / },
      { behaviour: 'empty', reason: /: empty reply from server$/ },
      { behaviour: 'status500', reason: /: HTTP 500$/ },
      { behaviour: 'close', reason: /: connection closed by server before a complete reply$/ },
      { behaviour: 'hang', reason: /: no response within 300 ms$/ },
    ] as const;
    for (const { behaviour, reason } of cases) {
      it(`${behaviour}: the send rejects with a one-line TransportFault`, async () => {
        const conn = await connectHttp(new RecordingSink());
        fake.behaviour = behaviour;
        await assert.rejects(conn.send({ janus: 'message', transaction: 'x', body: {} }, { sessionId: 7, handleId: 8 }), (err) =>
          assertOneLineFault(err, reason));
      });
    }

    it('posts to the route path and leaves the payload as given', async () => {
      const conn = await connectHttp(new RecordingSink());
      const payload = { janus: 'keepalive', transaction: 'k1' };
      const reply = await conn.send(payload, { sessionId: 7 });
      assert.deepEqual(reply, { janus: 'success', transaction: 'k1', echo: payload });
      assert.deepEqual(fake.requests.at(-1), { method: 'POST', path: '/janus/7', body: JSON.stringify(payload) });
      await conn.send('not json at all', {});
      assert.deepEqual(fake.requests.at(-1), { method: 'POST', path: '/janus', body: 'not json at all' });
    });

    it('connect fails fast when nothing listens, or when the server never answers', async () => {
      const port = fake.port;
      await fake.close();
      await assert.rejects(impatientHttp.connect(options(`http://127.0.0.1:${port}/janus`), new RecordingSink()), (err) =>
        assertOneLineFault(err, /^HTTP GET http:\/\/127\.0\.0\.1:\d+\/janus\/info: connection refused$/));
      fake = await FakeJanus.start();
      fake.behaviour = 'hang';
      await assert.rejects(impatientHttp.connect(options(fake.httpUrl, { connectTimeoutMs: 300 }), new RecordingSink()), (err) =>
        assertOneLineFault(err, /no response within 300 ms$/));
    });

    it('a send after close rejects instead of reaching the server', async () => {
      const conn = await connectHttp(new RecordingSink());
      await conn.close();
      await conn.close();
      await assert.rejects(conn.send({ janus: 'ping', transaction: 'p' }, {}), (err) => assertOneLineFault(err, /connection is closed$/));
    });
  });

  describe('http long-poll', () => {
    const cases = [
      { behaviour: 'garbage', reason: /^HTTP GET http:\/\/127\.0\.0\.1:\d+\/janus\/42 \(long-poll\): malformed JSON from server: / },
      { behaviour: 'status500', reason: /\(long-poll\): HTTP 500$/ },
      { behaviour: 'close', reason: /\(long-poll\): connection closed by server before a complete reply$/ },
      { behaviour: 'hang', reason: /\(long-poll\): no response within 300 ms$/ },
    ] as const;
    for (const { behaviour, reason } of cases) {
      it(`${behaviour}: one sink.fault, and the loop stops`, async () => {
        const sink = new RecordingSink();
        const conn = await connectHttp(sink);
        fake.behaviour = behaviour;
        conn.track!(42, { apisecret: 'SECRET-a1', token: 'TOKEN-b2' });
        await until('a fault', () => sink.faults.length > 0);
        const pollsAtFault = polls();
        await sleep(100);
        assert.equal(sink.faults.length, 1);
        assertOneLineFault(sink.faults[0], reason);
        assert.doesNotMatch(sink.faults[0].message, /SECRET-a1|TOKEN-b2/);
        assert.equal(polls(), pollsAtFault, 'no polls after the fault');
        assert.ok(pollsAtFault <= 2, 'at most one retry');
      });
    }

    it('flattens a batch, drops poll keepalives, and passes the secrets in the query', async () => {
      const sink = new RecordingSink();
      const conn = await connectHttp(sink);
      fake.pollReplies.push(
        JSON.stringify([{ janus: 'event', n: 1 }, { janus: 'keepalive' }, { janus: 'webrtcup', n: 2 }]),
        JSON.stringify({ janus: 'keepalive' }),
        JSON.stringify({ janus: 'hangup', n: 3 }),
      );
      conn.track!(42, { apisecret: 'SECRET-a1', token: 'TOKEN-b2' });
      conn.track!(42, { apisecret: 'SECRET-a1', token: 'TOKEN-b2' }); // one loop per session
      await until('three messages', () => sink.messages.length >= 3);
      assert.deepEqual(sink.messages.map((m) => m.n), [1, 2, 3]);
      const first = fake.requests.find((r) => r.method === 'GET' && r.path.includes('maxev'));
      assert.equal(first?.path, '/janus/42?maxev=10&apisecret=SECRET-a1&token=TOKEN-b2');
      await until('the held poll', () => polls() === 4);
      assert.deepEqual(sink.faults, []);
    });

    it('untrack and close abort a pending poll at once, without a fault', async () => {
      const sink = new RecordingSink();
      const patient = httpTransport({ name: 'http-patient', schemes: [], secure: false });
      const conn = await patient.connect(options(fake.httpUrl), sink);
      conn.track!(1, {});
      await until('the poll', () => polls() === 1);
      conn.untrack!(1);
      await until('the aborted poll', () => fake.abandoned === 1);
      conn.track!(2, {});
      conn.track!(3, {});
      await until('two polls', () => polls() === 3);
      await conn.close();
      await until('the aborted polls', () => fake.abandoned === 3);
      await sleep(50);
      assert.deepEqual(sink.faults, []);
      assert.deepEqual(sink.gone, []);
    });

    it('a 404 reports sessionGone once and stops the loop; tracking again starts a new one', async () => {
      const sink = new RecordingSink();
      const conn = await connectHttp(sink);
      fake.behaviour = 'notFound';
      conn.track!(5, {});
      await until('sessionGone', () => sink.gone.length === 1);
      await sleep(50);
      assert.equal(polls(), 1);
      fake.behaviour = 'ok';
      fake.pollReplies.push(JSON.stringify({ janus: 'event', n: 1 }));
      conn.track!(5, {});
      await until('the event', () => sink.messages.length === 1);
      assert.deepEqual(sink.gone, [5]);
      assert.deepEqual(sink.faults, []);
    });
  });

  describe('ws', () => {
    it('adds ids from the route unless the payload has them, sends exact JSON, leaves the payload alone', async () => {
      const sink = new RecordingSink();
      const conn = await connectWs(sink);
      const payload = { janus: 'message', transaction: 'w1', body: { audio: true } };
      await conn.send(payload, { sessionId: 5, handleId: 6 });
      const explicit = { janus: 'attach', transaction: 'w2', session_id: null };
      await conn.send(explicit, { sessionId: 5 });
      await conn.send('{"janus":"ping"} ', {});
      await until('three frames', () => fake.frames.length === 3);
      assert.equal(fake.frames[0], JSON.stringify({ ...payload, session_id: 5, handle_id: 6 }));
      assert.equal(fake.frames[1], JSON.stringify(explicit));
      assert.equal(fake.frames[2], '{"janus":"ping"} ');
      assert.deepEqual(payload, { janus: 'message', transaction: 'w1', body: { audio: true } });
      await until('replies', () => sink.messages.length === 3);
      assert.equal(sink.messages[0].transaction, 'w1');
    });

    const cases = [
      { behaviour: 'garbage', reason: /^WebSocket ws:\/\/127\.0\.0\.1:\d+: malformed JSON from server: / },
      { behaviour: 'close', reason: /: connection closed by server \(code 1006\)$/ },
      { behaviour: 'status500', reason: /: connection closed by server \(code 1011, internal error\)$/ },
    ] as const;
    for (const { behaviour, reason } of cases) {
      it(`${behaviour}: exactly one sink.fault`, async () => {
        const sink = new RecordingSink();
        const conn = await connectWs(sink);
        fake.behaviour = behaviour;
        await conn.send({ janus: 'ping', transaction: 'p' }, {});
        await until('a fault', () => sink.faults.length > 0);
        await sleep(50);
        assert.equal(sink.faults.length, 1);
        assertOneLineFault(sink.faults[0], reason);
      });
    }

    it('handshake: refused, dropped and never answered each reject connect', async () => {
      const sink = new RecordingSink();
      fake.handshake = 'drop';
      await assert.rejects(connectWs(sink), (err) => assertOneLineFault(err, /handshake dropped by server \(socket hang up/));
      fake.handshake = 'hang';
      await assert.rejects(connectWs(sink), (err) => assertOneLineFault(err, /handshake failed: Opening handshake has timed out$/));
      const port = fake.port;
      await fake.close();
      await assert.rejects(transport('ws').connect(options(`ws://127.0.0.1:${port}/`), sink), (err) =>
        assertOneLineFault(err, /^WebSocket ws:\/\/127\.0\.0\.1:\d+: handshake failed: connection refused$/));
      fake = await FakeJanus.start();
      assert.deepEqual(sink.faults, []);
    });

    it('close is idempotent, emits no fault, and later sends reject', async () => {
      const sink = new RecordingSink();
      const conn = await connectWs(sink);
      await Promise.all([conn.close(), conn.close()]);
      await conn.close();
      await assert.rejects(conn.send({ janus: 'ping', transaction: 'p' }, {}), (err) => assertOneLineFault(err, /connection is not open$/));
      assert.deepEqual(sink.faults, []);
    });
  });
});
