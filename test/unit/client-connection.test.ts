import assert from 'node:assert/strict';
import { ClosedConnection, JanusClient } from '../../src/janus/client.js';
import type { JanusMessage, Route } from '../../src/protocol/messages.js';
import { TransportFault, type CloseRequest, type TransportDefinition, type TransportSink } from '../../src/transports/contract.js';

/**
 * A small Janus behind a push transport: sessions live on the "server" whatever connection
 * made them, as in Janus with reclaim_session_timeout; every connection opened is kept.
 */
function fakeJanus() {
  const alive = new Set<number>();
  let next = 100;
  const connections: Array<{ sink: TransportSink; closedWith?: CloseRequest; sent: JanusMessage[] }> = [];
  const transport: TransportDefinition = {
    name: 'fake',
    schemes: ['fake'],
    secure: false,
    connection: { closeCodes: true },
    async connect(_options, sink) {
      const conn: (typeof connections)[number] = { sink, sent: [] };
      connections.push(conn);
      return {
        ignoresSignal: true,
        async send(payload: JanusMessage | string, route: Route) {
          const m = payload as JanusMessage;
          conn.sent.push({ ...m, ...(route.sessionId !== undefined && { session_id: route.sessionId }) });
          const sid = route.sessionId ?? (m.session_id as number | undefined);
          const reply = (r: JanusMessage) => queueMicrotask(() => sink.message({ transaction: m.transaction, ...r }));
          if (m.janus === 'create') {
            const id = next++;
            alive.add(id);
            reply({ janus: 'success', data: { id } });
          } else if (m.janus === 'keepalive') reply({ janus: 'ack', session_id: sid });
          else if (!alive.has(sid!)) reply({ janus: 'error', session_id: sid, error: { code: 458, reason: 'No such session' } });
          else if (m.janus === 'destroy') {
            alive.delete(sid!);
            reply({ janus: 'success', session_id: sid });
          } else reply({ janus: 'success', session_id: sid });
          return undefined;
        },
        async close(how?: CloseRequest) {
          conn.closedWith = how ?? {};
        },
      };
    },
  };
  return { transport, alive, connections };
}

let tx = 0;
const options = (extra: Partial<Parameters<typeof JanusClient.connect>[2]> = {}) => ({ api: 'janus' as const, nextTransaction: () => `t${++tx}`, pollAuth: {}, ...extra });
const connectOptions = { url: 'fake://x', api: 'janus' as const, tls: {}, connectTimeoutMs: 1000 };
const destroy = (sessionId: number): JanusMessage => ({ janus: 'destroy', session_id: sessionId, transaction: `d${sessionId}` });

describe('JanusClient: closing and reopening a connection', () => {
  it('a request on a closed connection ends at once with ClosedConnection, naming the close', async () => {
    const janus = fakeJanus();
    const client = await JanusClient.connect(janus.transport, connectOptions, options());
    await client.disconnect({ code: 3504, reason: 'Gateway timeout' });
    assert.deepEqual(janus.connections[0]!.closedWith, { code: 3504, reason: 'Gateway timeout' });
    const outcome = await client.request({ janus: 'info', transaction: 'x' }, {}, 'final', 1000);
    assert.ok('fault' in outcome && outcome.fault instanceof ClosedConnection);
    assert.match((outcome as { fault: Error }).fault.message, /closed by the client \(code 3504, Gateway timeout\)/);
  });

  it('sessions outlive the close; a claim binds them again; cleanup destroys each once on the open connection', async () => {
    const janus = fakeJanus();
    const changes: string[] = [];
    const client = await JanusClient.connect(janus.transport, connectOptions, options({ onConnectionChange: (c) => changes.push(c.event) }));
    await client.request({ janus: 'create', transaction: 'c1' }, {}, 'final', 1000);
    const [sid] = [...client.sessions];
    await client.disconnect({});
    assert.deepEqual([...client.sessions], [], 'no session is bound to a closed connection');
    await client.reopen();
    assert.deepEqual([...client.sessions], [], 'nor to the new one before a claim');
    await client.request({ janus: 'claim', session_id: sid, transaction: 'cl' }, {}, 'final', 1000);
    assert.deepEqual([...client.sessions], [sid]);
    const closed = await client.close(destroy, 1000);
    assert.deepEqual(closed, { destroyed: [sid], left: [] });
    assert.equal(janus.alive.size, 0);
    assert.deepEqual(changes, ['closed', 'opened']);
  });

  it('a client closed for good connects again to destroy what it still owns', async () => {
    const janus = fakeJanus();
    const client = await JanusClient.connect(janus.transport, connectOptions, options());
    await client.request({ janus: 'create', transaction: 'c1' }, {}, 'final', 1000);
    await client.disconnect({});
    const closed = await client.close(destroy, 1000);
    assert.equal(closed.destroyed.length, 1);
    assert.equal(janus.connections.length, 2, 'a connection for cleanup');
    assert.equal(janus.alive.size, 0);
  });

  it('a session another client claimed or destroyed is no longer this one\'s to clean up', async () => {
    const janus = fakeJanus();
    const clients: JanusClient[] = [];
    const taken = (by: number) => (sid: number) => clients.forEach((c, i) => i !== by && c.disown(sid));
    clients.push(await JanusClient.connect(janus.transport, connectOptions, options({ onSessionTaken: taken(0) })));
    clients.push(await JanusClient.connect(janus.transport, connectOptions, options({ onSessionTaken: taken(1) })));
    await clients[0]!.request({ janus: 'create', transaction: 'c1' }, {}, 'final', 1000);
    const [sid] = [...clients[0]!.sessions];
    await clients[1]!.request({ janus: 'claim', session_id: sid, transaction: 'cl' }, { sessionId: sid }, 'final', 1000);
    assert.deepEqual([...clients[0]!.sessions], []);
    const second = await clients[1]!.close(destroy, 1000);
    const first = await clients[0]!.close(destroy, 1000);
    assert.deepEqual([second.destroyed, first.destroyed], [[sid], []]);
    const destroys = janus.connections.flatMap((c) => c.sent).filter((m) => m.janus === 'destroy');
    assert.equal(destroys.length, 1, 'destroyed exactly once');
  });

  it('an Admin API destroy_session takes the session from its owner', async () => {
    const janus = fakeJanus();
    const taken: number[] = [];
    const owner = await JanusClient.connect(janus.transport, connectOptions, options());
    const admin = await JanusClient.connect(janus.transport, { ...connectOptions, api: 'admin' }, { ...options(), api: 'admin', onSessionTaken: (sid) => taken.push(sid) });
    await owner.request({ janus: 'create', transaction: 'c1' }, {}, 'final', 1000);
    const [sid] = [...owner.sessions];
    await admin.request({ janus: 'destroy_session', transaction: 'a1' }, { sessionId: sid }, 'final', 1000);
    assert.deepEqual(taken, [sid]);
    await admin.close(() => ({}), 0);
    await owner.close(destroy, 1000);
  });

  it('counts automatic keepalives and their acks; a server close becomes a close, not a fault, when the scenario expects it', async () => {
    const janus = fakeJanus();
    let fault: TransportFault | undefined;
    const client = await JanusClient.connect(janus.transport, connectOptions, options({ onServerClose: () => undefined, onFault: (f) => (fault = f) }));
    await client.request({ janus: 'create', transaction: 'c1' }, {}, 'final', 1000);
    client.startKeepalives(5);
    assert.ok(await client.whenKeepalives(() => client.keepalives.filter((k) => k.state === 'acked').length >= 3, 5000));
    janus.connections[0]!.sink.fault(new TransportFault('closed by server (code 4001)', { by: 'server', code: 4001 }));
    assert.ok(await client.whenClosed(1000));
    assert.deepEqual(client.closed, { by: 'server', code: 4001 });
    assert.equal(fault, undefined);
    assert.ok(client.keepalives.every((k) => k.state !== 'failed'), JSON.stringify(client.keepalives));
    await client.close(destroy, 1000);
    assert.equal(janus.alive.size, 0);
  });
});
