import assert from 'node:assert/strict';
import type { TransportConnection, TransportSink } from '../../src/transports/contract.js';
import { registerBuiltinTransports } from '../../src/transports/registry.js';
import { httpTransport } from '../../src/transports/http.js';
import { HttpCall, httpOrigin } from '../../src/transports/http-client.js';
import { describeError } from '../../src/transports/wire.js';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { FakeJanus } from '../support/fake-janus.js';
import { assertOneLineFault, options, RecordingSink, sleep, transport, until } from '../support/transports.js';

registerBuiltinTransports();

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
      { behaviour: 'cutOff', reason: /: connection closed by server before a complete reply$/ },
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
    it('a reply that trickles on is abandoned when the caller stops waiting, not read to its own deadline', async () => {
      const conn = await transport('http').connect(options(fake.httpUrl), new RecordingSink());
      open.push(conn);
      fake.behaviour = 'trickle';
      const caller = new AbortController();
      const sent = conn.send({ janus: 'ping', transaction: 't' }, {}, caller.signal);
      await until('the reply to start trickling', () => fake.requests.some((r) => r.body.includes('"t"')));
      caller.abort();
      await assert.rejects(sent, (err) => assertOneLineFault(err, /abandoned: the caller stopped waiting$/));
      // The built-in transport would read on for 30 s: the server sees the exchange dropped now.
      await until('the server to see the exchange dropped', () => fake.abandoned === 1, 5_000);
    });

    it('a reply body above the size limit is a fault, the rest is not read', async () => {
      const small = httpTransport({ name: 'http-small', schemes: [], secure: false, maxMessageBytes: 64 * 1024 });
      const conn = await small.connect(options(fake.httpUrl), new RecordingSink());
      open.push(conn);
      fake.behaviour = 'endless';
      await assert.rejects(conn.send({ janus: 'ping', transaction: 'big' }, {}), (err) => assertOneLineFault(err, /: reply larger than 64 KiB \(the limit for one message\)$/));
    });

    it('a reply that announces a length above the size limit is a fault at once, its body not awaited', async () => {
      // The body never comes: a client that waited for it would fail with "no response" instead.
      const small = httpTransport({ name: 'http-small', schemes: [], secure: false, maxMessageBytes: 64 * 1024, requestTimeoutMs: 5_000 });
      const conn = await small.connect(options(fake.httpUrl), new RecordingSink());
      open.push(conn);
      fake.behaviour = 'announcedHuge';
      await assert.rejects(conn.send({ janus: 'ping', transaction: 'big' }, {}), (err) => assertOneLineFault(err, /: reply larger than 64 KiB \(the limit for one message\)$/));
      await until('the server to see the exchange dropped', () => fake.abandoned === 1);
    });

    it('requests share one kept-alive connection, and a poll held open gets a second one', async () => {
      const sink = new RecordingSink();
      const conn = await connectHttp(sink);
      const opened = fake.connectionsOpened;
      for (let i = 0; i < 5; i++) await conn.send({ janus: 'ping', transaction: `p${i}` }, {});
      assert.ok(fake.connectionsOpened - opened <= 1, `${fake.connectionsOpened - opened} connections for 5 requests in a row`);
      const patient = httpTransport({ name: 'http-patient', schemes: [], secure: false });
      const held = await patient.connect(options(fake.httpUrl), sink);
      open.push(held);
      held.track!(9, {});
      await until('the held poll', () => polls() === 1);
      // A POST beside the held poll is answered, not queued behind it.
      const reply = await held.send({ janus: 'ping', transaction: 'beside' }, { sessionId: 9 });
      assert.equal(reply?.transaction, 'beside');
    });
  });

  it('https: a server that accepts but never finishes the TLS handshake is a connect timeout', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      // Read (and drop) the ClientHello: only a socket that reads sees the client's end.
      socket.resume();
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const origin = await httpOrigin(new URL(`https://127.0.0.1:${(silent.address() as AddressInfo).port}/janus`), {}, 200);
      const call = new HttpCall(origin, 'GET', '/janus/info', undefined, undefined, 1024);
      await assert.rejects(call.reply, (err) => {
        assert.equal(describeError(err), 'connect timed out after 200 ms');
        return true;
      });
      // The half-open connection is not left behind.
      await until('the connection closed', () => sockets.size === 0);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  describe('http long-poll', () => {
    const cases = [
      { behaviour: 'garbage', reason: /^HTTP GET http:\/\/127\.0\.0\.1:\d+\/janus\/42 \(long-poll\): malformed JSON from server: / },
      { behaviour: 'status500', reason: /\(long-poll\): HTTP 500$/ },
      { behaviour: 'close', reason: /\(long-poll\): connection closed by server before a complete reply$/ },
      { behaviour: 'cutOff', reason: /\(long-poll\): connection closed by server before a complete reply$/ },
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
      await assert.rejects(connectWs(sink), (err) => assertOneLineFault(err, /: no handshake within \d+ ms$/));
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
