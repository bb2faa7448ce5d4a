import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { JanusMessage } from '../../src/protocol/messages.js';
import type { TransportSink } from '../../src/transports/contract.js';
import { wsTransport } from '../../src/transports/ws.js';
import { eventually } from '../support/admin.js';

/**
 * What a WebSocket server sends in the same write as its handshake's answer reaches the
 * connection: ws emits it a tick after 'open', before the transport's caller resumes, and a
 * connection that listened only then lost it (a server that speaks first would pass for silent).
 */

/** A server that answers the upgrade and sends `frames` (unmasked) in one write with it. */
async function speakingFirst(frames: Buffer[]): Promise<{ server: Server; url: string; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    let head = '';
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n') || head.startsWith('done')) return;
      const key = /sec-websocket-key: *(\S+)/i.exec(head)![1]!;
      const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      const answer = Buffer.from(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: janus-protocol\r\n\r\n`, 'latin1');
      socket.write(Buffer.concat([answer, ...frames]));
      head = 'done';
    });
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, sockets, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A final frame with this opcode (0x1 text, 0x8 close) and a short payload. */
function frame(opcode: number, payload: Buffer): Buffer {
  assert.ok(payload.length < 126, 'a short frame');
  return Buffer.concat([Buffer.from([0x80 | opcode, payload.length]), payload]);
}

const text = (message: object) => frame(0x1, Buffer.from(JSON.stringify(message), 'utf8'));

function closing(code: number, reason: string): Buffer {
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, 2);
  return frame(0x8, payload);
}

function recording(): TransportSink & { messages: JanusMessage[]; faults: string[] } {
  const messages: JanusMessage[] = [];
  const faults: string[] = [];
  return { messages, faults, message: (m) => messages.push(m), fault: (f) => faults.push(f.message), sessionGone: () => undefined };
}

describe('a WebSocket whose server speaks first', function () {
  this.timeout(20_000);

  for (const spare of [false, true]) {
    it(`hands what came with the handshake's answer to the connection, in order${spare ? ' (a plan run, which may take a spare)' : ''}`, async () => {
      const { server, sockets, url } = await speakingFirst([text({ janus: 'event', n: 1 }), text({ janus: 'event', n: 2 })]);
      const sink = recording();
      const ws = wsTransport({ name: 'ws', schemes: ['ws'], secure: false });
      try {
        const connection = await ws.connect({ url, api: 'janus', tls: {}, connectTimeoutMs: 5000, spare }, sink);
        assert.ok(await eventually(() => sink.messages.length === 2, 5000), `messages heard: ${JSON.stringify(sink.messages)}, faults: ${JSON.stringify(sink.faults)}`);
        assert.deepEqual(sink.messages.map((m) => m.n), [1, 2]);
        await connection.close({ now: true });
      } finally {
        await ws.release?.();
        for (const socket of sockets) socket.destroy();
        server.close();
      }
    });
  }

  it('reports a close that came with the handshake\'s answer, after the frame before it', async () => {
    const { server, sockets, url } = await speakingFirst([text({ janus: 'event', n: 1 }), closing(1001, 'going away')]);
    const sink = recording();
    const ws = wsTransport({ name: 'ws', schemes: ['ws'], secure: false });
    try {
      const connection = await ws.connect({ url, api: 'janus', tls: {}, connectTimeoutMs: 5000 }, sink);
      assert.ok(await eventually(() => sink.faults.length === 1, 5000), `faults: ${JSON.stringify(sink.faults)}`);
      assert.match(sink.faults[0]!, /connection closed by server \(code 1001, going away\)/);
      assert.deepEqual(sink.messages.map((m) => m.n), [1]);
      await connection.close({ now: true });
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });
});
