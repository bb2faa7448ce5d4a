import assert from 'node:assert/strict';
import { wsTransport } from '../../src/transports/ws.js';
import { eventually } from '../support/admin.js';
import { answering, closing, switching, text } from '../support/raw-ws-server.js';
import { RecordingSink } from '../support/transports.js';

/**
 * What a WebSocket server sends in the same write as its handshake's answer reaches the
 * connection: ws emits it a tick after 'open', before the transport's caller resumes, and a
 * connection that listened only then lost it (a server that speaks first would pass for silent).
 */

/** A server that answers the upgrade and sends `frames` (unmasked) in one write with it. */
function speakingFirst(frames: Buffer[]): ReturnType<typeof answering> {
  return answering((upgrade) => [Buffer.concat([Buffer.from(switching(upgrade), 'latin1'), ...frames])]);
}

describe('a WebSocket whose server speaks first', function () {
  this.timeout(20_000);

  for (const spare of [false, true]) {
    it(`hands what came with the handshake's answer to the connection, in order${spare ? ' (a plan run, which may take a spare)' : ''}`, async () => {
      const { stop, url } = await speakingFirst([text({ janus: 'event', n: 1 }), text({ janus: 'event', n: 2 })]);
      const sink = new RecordingSink();
      const ws = wsTransport({ name: 'ws', schemes: ['ws'], secure: false });
      try {
        const connection = await ws.connect({ url, api: 'janus', tls: {}, connectTimeoutMs: 5000, spare }, sink);
        assert.ok(await eventually(() => sink.messages.length === 2, 5000), `messages heard: ${JSON.stringify(sink.messages)}, faults: ${JSON.stringify(sink.faults.map((f) => f.message))}`);
        assert.deepEqual(sink.messages.map((m) => m.n), [1, 2]);
        await connection.close({ now: true });
      } finally {
        await ws.release?.();
        stop();
      }
    });
  }

  it('reports a close that came with the handshake\'s answer, after the frame before it', async () => {
    const { stop, url } = await speakingFirst([text({ janus: 'event', n: 1 }), closing(1001, 'going away')]);
    const sink = new RecordingSink();
    const ws = wsTransport({ name: 'ws', schemes: ['ws'], secure: false });
    try {
      const connection = await ws.connect({ url, api: 'janus', tls: {}, connectTimeoutMs: 5000 }, sink);
      assert.ok(await eventually(() => sink.faults.length === 1, 5000), `faults: ${JSON.stringify(sink.faults.map((f) => f.message))}`);
      assert.match(sink.faults[0]!.message, /connection closed by server \(code 1001, going away\)/);
      assert.deepEqual(sink.messages.map((m) => m.n), [1]);
      await connection.close({ now: true });
    } finally {
      stop();
    }
  });
});
