import assert from 'node:assert/strict';
import type { JanusMessage, Route } from '../../src/protocol/messages.js';
import type { ConnectOptions, TransportConnection, TransportSink } from '../../src/transports/contract.js';
import { BUILTIN_TRANSPORTS } from '../../src/transports/builtin.js';
import { registerBuiltinTransports, transportForScheme } from '../../src/transports/registry.js';
import { type ManagedJanus, startJanus } from '../../src/managed/index.js';
import { assertOneLineFault, options, RecordingSink, transport, until } from '../support/transports.js';

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

/** The same URL with host localhost instead of 127.0.0.1. */
function byName(url: string): string {
  const named = new URL(url);
  named.hostname = 'localhost';
  return named.href;
}

registerBuiltinTransports();
registerBuiltinTransports(); // twice on purpose: must be idempotent

describe('built-in transports: registry', () => {
  it('registers every built-in transport once, each findable by its schemes', () => {
    assert.deepEqual(BUILTIN_TRANSPORTS.map((t) => t.name), ['http', 'https', 'ws', 'wss', 'mqtt', 'rabbitmq', 'unix', 'nanomsg']);
    const schemes = { http: 'http', https: 'https', ws: 'ws', wss: 'wss', mqtt: 'mqtt', amqp: 'rabbitmq', unix: 'unix', ipc: 'nanomsg', tcp: 'nanomsg' };
    for (const [scheme, name] of Object.entries(schemes)) assert.equal(transportForScheme(`${scheme}:`)?.name, name, scheme);
    assert.equal(transport('https').secure, true);
    assert.equal(transport('ws').secure, false);
  });
});

/* ---------- against a real Janus 1.1.2, started by the project's launcher ---------- */

describe('transports against a real Janus', function () {
  let janus: ManagedJanus;
  const open: TransportConnection[] = [];
  const connect = async (name: string, opts: ConnectOptions, sink: TransportSink) => {
    const conn = await transport(name).connect(opts, sink);
    open.push(conn);
    return conn;
  };
  const endpoint = (name: keyof ManagedJanus['endpoints']) => {
    const url = janus.endpoints[name];
    assert.ok(url, `the launcher exposes ${name}`);
    return url;
  };
  const httpUrl = () => endpoint('http');
  const wsUrl = () => endpoint('ws');
  const caPem = () => {
    assert.ok(janus.caPem, 'the launcher returns the certificate when https or wss is on');
    return janus.caPem;
  };

  before(async function () {
    this.timeout(30_000);
    janus = await startJanus({ plugins: ['janus.plugin.echotest'], transports: ['http', 'https', 'ws', 'wss'], config: {} });
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
    const adminHttp = await connect('http', options(endpoint('adminHttp'), { api: 'admin' }), httpSink);
    const viaHttp = await httpRequest(adminHttp, { janus: 'list_sessions', admin_secret: janus.adminSecret });
    assert.equal(viaHttp.janus, 'success');
    assert.ok(Array.isArray(viaHttp.sessions));
    const wsSink = new RecordingSink();
    const adminWs = await connect('ws', options(endpoint('adminWs'), { api: 'admin' }), wsSink);
    const viaWs = await wsRequest(adminWs, wsSink, { janus: 'list_sessions', admin_secret: janus.adminSecret });
    assert.equal(viaWs.janus, 'success');
    assert.ok(Array.isArray(viaWs.sessions));
    const denied = await wsRequest(adminWs, wsSink, { janus: 'list_sessions', admin_secret: 'wrong' });
    assert.equal((denied.error as { code: number }).code, 403);
  });

  it('ws: the wrong subprotocol makes connect reject with a one-line fault', async () => {
    const sink = new RecordingSink();
    await assert.rejects(
      transport('ws').connect(options(endpoint('adminWs'), { api: 'janus' }), sink),
      (err) => assertOneLineFault(err, /handshake dropped by server.*janus-protocol/),
    );
    await assert.rejects(
      transport('ws').connect(options(wsUrl(), { api: 'admin' }), sink),
      (err) => assertOneLineFault(err, /janus-admin-protocol/),
    );
  });

  describe('TLS with a self-signed certificate', () => {
    const cases = [
      { name: 'https', url: () => endpoint('https') },
      // By name rather than 127.0.0.1, so the DNS entry of the certificate's SANs is verified too.
      { name: 'wss', url: () => byName(endpoint('wss')) },
    ];
    for (const { name, url } of cases) {
      it(`${name}: verifies against the given CA, fails without it, passes with insecure`, async () => {
        const sink = new RecordingSink();
        await connect(name, options(url(), { tls: { ca: [caPem()] } }), sink);
        await assert.rejects(transport(name).connect(options(url()), sink), (err) => assertOneLineFault(err, /TLS: self-signed certificate/));
        const insecure = await connect(name, options(url(), { tls: { insecure: true } }), sink);
        if (name === 'https') assert.equal((await httpRequest(insecure, { janus: 'info' })).janus, 'server_info');
        else assert.equal((await wsRequest(insecure, sink, { janus: 'info' })).janus, 'server_info');
        assert.deepEqual(sink.faults, []);
      });
    }
  });
});
