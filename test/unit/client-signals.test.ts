import assert from 'node:assert/strict';
import { JanusClient } from '../../src/janus/client.js';
import type { JanusMessage, Route } from '../../src/protocol/messages.js';
import type { TransportDefinition } from '../../src/transports/contract.js';

/**
 * The signal a request hands its transport ends the transport's side of the exchange. A
 * controller whose exchange finished unaborted, with nothing listening on its signal, serves the
 * next request (making one costs microseconds); one that was aborted, or that a transport still
 * listens on, never does: a transport can never see an abort meant for another exchange.
 */
interface SignalFake extends TransportDefinition {
  signals: AbortSignal[];
  /** How the next send ends: answered at once, answered but leaving an abort listener behind, or never. */
  mode: 'answer' | 'keep-listener' | 'hang';
}

function signalFake(): SignalFake {
  const fake: SignalFake = {
    name: 'signal-fake',
    schemes: ['signal-fake'],
    secure: false,
    signals: [],
    mode: 'answer',
    async connect() {
      return {
        send(payload: JanusMessage | string, _route: Route, signal?: AbortSignal) {
          fake.signals.push(signal!);
          const request = payload as JanusMessage;
          if (fake.mode === 'hang') return new Promise(() => {});
          if (fake.mode === 'keep-listener') signal!.addEventListener('abort', () => {});
          return Promise.resolve({ janus: 'success', transaction: request.transaction });
        },
        async close() {},
      };
    },
  };
  return fake;
}

describe('exchange signals', function () {
  const options = { api: 'janus' as const, nextTransaction: () => 'k', pollAuth: {} };
  const connect = { url: 'signal-fake://', api: 'janus' as const, tls: {}, connectTimeoutMs: 1000 };
  const ask = (client: JanusClient, transaction: string, timeoutMs = 1000) => client.request({ janus: 'info', transaction }, {}, 'final', timeoutMs);

  it('a finished exchange passes its signal, never aborted, to the next request', async function () {
    const fake = signalFake();
    const client = await JanusClient.connect(fake, connect, options);
    for (const t of ['a', 'b', 'c']) assert.ok('exchange' in (await ask(client, t)));
    assert.equal(fake.signals.length, 3);
    assert.equal(fake.signals[1], fake.signals[0]);
    assert.equal(fake.signals[2], fake.signals[0]);
    assert.equal(fake.signals[0]!.aborted, false);
  });

  it('a signal a transport still listens on is not reused', async function () {
    const fake = signalFake();
    const client = await JanusClient.connect(fake, connect, options);
    fake.mode = 'keep-listener';
    await ask(client, 'a');
    fake.mode = 'answer';
    await ask(client, 'b');
    assert.notEqual(fake.signals[1], fake.signals[0]);
  });

  it('the signal of an exchange still in flight when its request ends is aborted, and the next request gets another', async function () {
    const fake = signalFake();
    const client = await JanusClient.connect(fake, connect, options);
    fake.mode = 'hang';
    const outcome = await ask(client, 'a', 30);
    assert.ok('timedOut' in outcome);
    assert.equal(fake.signals[0]!.aborted, true);
    fake.mode = 'answer';
    await ask(client, 'b');
    assert.notEqual(fake.signals[1], fake.signals[0]);
    assert.equal(fake.signals[1]!.aborted, false);
  });
});
