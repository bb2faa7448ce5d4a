import assert from 'node:assert/strict';
import { JanusClient } from '../../src/janus/client.js';
import type { JanusMessage, Route } from '../../src/protocol/messages.js';
import type { TransportDefinition, TransportSink } from '../../src/transports/contract.js';

/**
 * Over a polling transport (HTTP), a long-poll costs Janus a connection and a thread: the client
 * asks for one only while events are wanted. A request answered by an event (ack first) keeps
 * its session's poll going until the event came, and no longer; a step that reads events keeps
 * it going from then on; cleanup sends no detach to end a poll that is not running.
 */

interface PollingFake extends TransportDefinition {
  sink?: TransportSink;
  sent: Array<{ janus: unknown; route: Route }>;
  /** The `wanted` predicate of each session's current poll, while one runs. */
  polls: Map<number, () => boolean>;
}

/** Answers like Janus over HTTP: create and attach with ids, message with an ack (its event comes by poll), others with success. */
function pollingFake(): PollingFake {
  const fake: PollingFake = {
    name: 'polling-fake',
    schemes: ['polling-fake'],
    secure: false,
    sent: [],
    polls: new Map(),
    async connect(_options, sink) {
      fake.sink = sink;
      return {
        async send(payload, route) {
          const request = payload as JanusMessage;
          fake.sent.push({ janus: request.janus, route });
          const janus = request.janus === 'message' ? 'ack' : 'success';
          return { janus, transaction: request.transaction, ...(janus === 'success' && { data: { id: request.janus === 'create' ? 10 : 20 } }) };
        },
        track(sessionId, _auth, wanted = () => true) {
          if (!fake.polls.has(sessionId)) fake.polls.set(sessionId, wanted);
        },
        untrack(sessionId) {
          return fake.polls.delete(sessionId);
        },
        async close() {},
      };
    },
  };
  return fake;
}

/** What the fake's poll does after a batch: asks whether another poll is wanted, and stops if not. */
function pollReturns(fake: PollingFake, sessionId: number, events: JanusMessage[]): void {
  for (const event of events) fake.sink!.message(event);
  const wanted = fake.polls.get(sessionId);
  if (wanted && !wanted()) fake.polls.delete(sessionId);
}

describe('long-polls only while events are wanted', function () {
  const options = { api: 'janus' as const, nextTransaction: () => 'k', pollAuth: {} };
  const connect = { url: 'polling-fake://', api: 'janus' as const, tls: {}, connectTimeoutMs: 1000 };

  async function withSession(fake: PollingFake): Promise<JanusClient> {
    const client = await JanusClient.connect(fake, connect, options);
    const created = await client.request({ janus: 'create', transaction: 'c' }, {}, 'final', 5000);
    assert.ok('exchange' in created);
    await client.request({ janus: 'attach', plugin: 'janus.plugin.echotest', transaction: 'a' }, { sessionId: 10 }, 'final', 5000);
    return client;
  }

  it('creates and attaches start no poll; an acked request polls its session until its event came, then stops', async function () {
    const fake = pollingFake();
    const client = await withSession(fake);
    assert.equal(fake.polls.size, 0, 'no poll before anything waits for an event');
    const outcome = client.request({ janus: 'message', body: { audio: true }, transaction: 'm' }, { sessionId: 10, handleId: 20 }, 'final', 5000);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(fake.polls.get(10)?.(), true, 'the ack starts the poll that brings the event');
    pollReturns(fake, 10, [{ janus: 'event', session_id: 10, sender: 20, transaction: 'm', plugindata: { plugin: 'janus.plugin.echotest', data: { result: 'ok' } } }]);
    const result = await outcome;
    assert.ok('exchange' in result && result.exchange.reply.janus === 'event', JSON.stringify(result));
    assert.equal(fake.polls.size, 0, 'no further poll once the event came');
    await client.request({ janus: 'detach', transaction: 'd' }, { sessionId: 10, handleId: 20 }, 'final', 5000);
    await client.close((sessionId) => ({ janus: 'destroy', session_id: sessionId, transaction: 'x' }), 1000);
    assert.deepEqual(fake.sent.map((s) => s.janus), ['create', 'attach', 'message', 'detach', 'destroy'], 'cleanup detaches nothing to end a poll that does not run');
  });

  it('a poll that brings another event first goes on until the awaited one came', async function () {
    const fake = pollingFake();
    const client = await withSession(fake);
    const outcome = client.request({ janus: 'message', body: { audio: true }, transaction: 'm' }, { sessionId: 10, handleId: 20 }, 'final', 5000);
    await new Promise((resolve) => setImmediate(resolve));
    pollReturns(fake, 10, [{ janus: 'webrtcup', session_id: 10, sender: 20 }]);
    assert.equal(fake.polls.get(10)?.(), true, 'still waiting for the event');
    pollReturns(fake, 10, [{ janus: 'event', session_id: 10, sender: 20, transaction: 'm' }]);
    assert.ok('exchange' in (await outcome));
    assert.equal(fake.polls.size, 0);
    assert.equal(client.mailbox.peek((m) => m.janus === 'webrtcup')?.janus, 'webrtcup', 'the other event is kept for a later step');
    await client.close((sessionId) => ({ janus: 'destroy', session_id: sessionId, transaction: 'x' }), 1000);
  });

  it('once a step reads events, the session is polled from then on, and cleanup ends the poll with a detach', async function () {
    const fake = pollingFake();
    const client = await withSession(fake);
    void client.mailbox;
    assert.equal(fake.polls.get(10)?.(), true);
    pollReturns(fake, 10, [{ janus: 'webrtcup', session_id: 10, sender: 20 }]);
    assert.equal(fake.polls.get(10)?.(), true, 'polling goes on after a batch');
    await client.close((sessionId) => ({ janus: 'destroy', session_id: sessionId, transaction: 'x' }), 1000);
    assert.deepEqual(fake.sent.map((s) => s.janus), ['create', 'attach', 'detach', 'destroy'], 'the running poll is ended by a detach before the destroy');
  });
});
