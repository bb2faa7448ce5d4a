import assert from 'node:assert/strict';
import { JanusClient, RefusedRequest, type Direction } from '../../src/janus/client.js';
import type { JanusMessage } from '../../src/protocol/messages.js';
import { TransportFault, type TransportDefinition, type TransportSink } from '../../src/transports/contract.js';

/**
 * A request goes on the wire before the client records it and starts its wait: what a
 * transport reports from inside its send (an answer, a fault, a session gone) is held until
 * the request is registered, so the request still gets it, and the transcript still shows the
 * request before its answer.
 */

type Report = (sink: TransportSink, request: JanusMessage) => void;

/** A transport that, inside send(), does what `report` says, and records when the send itself ran. */
function reportingInsideSend(report: Report, log: string[]): TransportDefinition {
  return {
    name: 'inside',
    schemes: ['inside'],
    secure: false,
    async connect(_options, sink) {
      return {
        ignoresSignal: true,
        send(payload) {
          log.push('wire');
          report(sink, payload as JanusMessage);
          return Promise.resolve(undefined);
        },
        async close() {},
      };
    },
  };
}

const connectOptions = { url: 'inside://x', api: 'janus' as const, tls: {}, connectTimeoutMs: 1000 };

async function clientWith(report: Report) {
  const log: string[] = [];
  const onTraffic = (direction: Direction, message: JanusMessage | string) => log.push(`${direction} ${(message as JanusMessage).janus}`);
  const client = await JanusClient.connect(reportingInsideSend(report, log), connectOptions, { api: 'janus', nextTransaction: () => 'k', pollAuth: {}, onTraffic });
  return { client, log };
}

describe('JanusClient: a request on the wire first', () => {
  it('the send comes before the record of the request; an answer given inside the send still ends the request, after it in the transcript', async () => {
    const { client, log } = await clientWith((sink, m) => sink.message({ janus: 'success', transaction: m.transaction, data: { id: 5 } }));
    const outcome = await client.request({ janus: 'create', transaction: 'a' }, {}, 'final', 2000);
    assert.ok('exchange' in outcome, JSON.stringify(outcome));
    assert.equal(outcome.exchange.reply.janus, 'success');
    // A reply's books (its traffic record among them) are kept once it answered its request: here, when caught up.
    client.catchUp();
    assert.deepEqual(log, ['wire', 'out create', 'in success']);
    assert.ok(client.sessions.has(5), 'the session the answer made is known (and would be cleaned up)');
  });

  it('an ack then an event given inside the send end a request that waits for its event', async () => {
    const { client } = await clientWith((sink, m) => {
      sink.message({ janus: 'ack', transaction: m.transaction, session_id: 1 });
      sink.message({ janus: 'event', transaction: m.transaction, session_id: 1, sender: 2, plugindata: { plugin: 'p', data: {} } });
    });
    const outcome = await client.request({ janus: 'message', transaction: 'b', body: {} }, { sessionId: 1, handleId: 2 }, 'final', 2000);
    assert.ok('exchange' in outcome, JSON.stringify(outcome));
    assert.equal(outcome.exchange.reply.janus, 'event');
    assert.equal(outcome.exchange.ack?.janus, 'ack');
  });

  it('a fault reported inside the send ends the request with it at once, not at its time limit', async () => {
    const { client } = await clientWith((sink) => sink.fault(new TransportFault('connection reset')));
    const outcome = await client.request({ janus: 'create', transaction: 'c' }, {}, 'final', 60_000);
    assert.ok('fault' in outcome && outcome.fault.message === 'connection reset', JSON.stringify(outcome));
    assert.equal(client.fault?.message, 'connection reset');
  });

  it('a request whose record throws rejects, and an answer held meanwhile is no one\'s (it does not end a later request)', async () => {
    const log: string[] = [];
    let throwOnce = true;
    const onTraffic = (direction: Direction) => {
      if (direction === 'out' && throwOnce) {
        throwOnce = false;
        throw new Error('cannot record');
      }
    };
    const transport = reportingInsideSend((sink, m) => sink.message({ janus: 'success', transaction: m.transaction, data: { id: 9 } }), log);
    const client = await JanusClient.connect(transport, connectOptions, { api: 'janus', nextTransaction: () => 'k', pollAuth: {}, onTraffic });
    await assert.rejects(client.request({ janus: 'create', transaction: 'd' }, {}, 'final', 2000), /cannot record/);
    const next = await client.request({ janus: 'create', transaction: 'e' }, {}, 'final', 2000);
    assert.ok('exchange' in next && next.exchange.transaction === 'e', JSON.stringify(next));
  });
});

describe('JanusClient: two requests in flight under one transaction', () => {
  it('refuses the second, unsent, as the scenario\'s doing; the first still ends at its time limit, and then the transaction is free again', async () => {
    const { client, log } = await clientWith(() => {});
    const first = client.request({ janus: 'info', transaction: 'same' }, {}, 'final', 50);
    const second = await client.request({ janus: 'ping', transaction: 'same' }, {}, 'final', 50);
    assert.ok('fault' in second && second.fault instanceof RefusedRequest, JSON.stringify(second));
    assert.match(second.fault.message, /another request sent with transaction "same" still waits for its reply/);
    assert.deepEqual(log, ['wire', 'out info'], 'the second was not sent');
    // Before, the second took the first's place: the first never ended, not even at its time limit.
    const firstOutcome = await Promise.race([first, new Promise((resolve) => setTimeout(() => resolve('still waiting'), 2000))]);
    assert.ok(typeof firstOutcome === 'object' && firstOutcome !== null && 'timedOut' in firstOutcome, JSON.stringify(firstOutcome));
    const again = await client.request({ janus: 'ping', transaction: 'same' }, {}, 'final', 50);
    assert.ok(!('fault' in again), 'an ended request\'s transaction can be used again');
  });
});
