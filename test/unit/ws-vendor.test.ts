import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Duplex, Writable } from 'node:stream';
import * as wsPackage from 'ws';
import WebSocket, { WebSocketServer } from 'ws';
import type { TransportSink } from '../../src/transports/contract.js';
import { wsTransport } from '../../src/transports/ws.js';
import { eventually } from '../support/admin.js';

/**
 * The bundled WebSocket client (scripts/bundle-vendor.mjs, `edits`) ends no stream that is
 * already ended: Node builds an error with a stack trace for each such call and throws it away,
 * three a connection in the ws package as published, a tenth of a millisecond of CPU.
 */

/** Counts end() calls on client-side streams already ended while `work` runs (the server's are the ws package's own). */
async function endsOfEndedStreams(work: () => Promise<void>): Promise<number> {
  let count = 0;
  const writableEnd = Writable.prototype.end;
  const duplexEnd = Duplex.prototype.end;
  // Accepted sockets carry their server; the server's frame parsers are the package's Receiver (not in its types).
  const Receiver = (wsPackage as unknown as { Receiver: new () => Writable }).Receiver;
  const clientSide = (stream: object) => !('_server' in stream && (stream as { _server: unknown })._server) && !(stream instanceof Receiver);
  const counting = <End>(end: End): End =>
    function (this: Writable, ...args: unknown[]) {
      if (this.writableEnded && clientSide(this)) count++;
      return (end as (...a: unknown[]) => Writable).apply(this, args);
    } as End;
  Writable.prototype.end = counting(writableEnd);
  Duplex.prototype.end = counting(duplexEnd);
  try {
    await work();
  } finally {
    Writable.prototype.end = writableEnd;
    Duplex.prototype.end = duplexEnd;
  }
  return count;
}

const sink: TransportSink = { message: () => undefined, fault: () => undefined, sessionGone: () => undefined };

describe('the bundled WebSocket client', function () {
  this.timeout(20_000);
  let wss: WebSocketServer;
  let url: string;
  const serverClosed: Promise<unknown>[] = [];
  before(async () => {
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: () => 'janus-protocol' });
    await once(wss, 'listening');
    url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    wss.on('connection', (socket) => serverClosed.push(once(socket, 'close')));
  });
  after(() => new Promise((resolve) => wss.close(resolve)));

  /** Both ends' sockets gone: the client's 'end' and 'close' handlers have run by then. */
  const bothClosed = async (clientClosed: () => boolean) => {
    await Promise.all(serverClosed.splice(0));
    assert.ok(await eventually(clientClosed), 'the client socket closed');
  };

  it('closes politely without ending its socket or its frame parser a second time', async () => {
    const ws = wsTransport({ name: 'ws', schemes: ['ws'], secure: false });
    const count = await endsOfEndedStreams(async () => {
      const connection = await ws.connect({ url, api: 'janus', tls: {}, connectTimeoutMs: 5000 }, sink);
      await connection.send({ janus: 'keepalive', transaction: 't' }, {});
      await connection.close();
      await bothClosed(() => wss.clients.size === 0);
    });
    assert.equal(count, 0);
  });

  it('(control) the ws package as published does end them a second time, which is what the edit saves', async () => {
    // If this fails, a new ws no longer does so and the edit in scripts/bundle-vendor.mjs can go.
    let closed = false;
    const count = await endsOfEndedStreams(async () => {
      const client = new WebSocket(url, 'janus-protocol');
      await once(client, 'open');
      client.on('close', () => (closed = true));
      client.close(1000);
      await bothClosed(() => closed);
    });
    assert.ok(count >= 1, `ends of ended streams: ${count}`);
  });

  it('masks as the package does on this Node, which has no native masking in node:http for buffer-util to ask for', async () => {
    // The edit of buffer-util in scripts/bundle-vendor.mjs stops ws asking node:http for them.
    // If this fails, a new Node has them: the edit would then lose ws a faster mask, and must go.
    const http = await import('node:http');
    assert.equal((http as Record<string, unknown>).websocketMask, undefined);
    assert.equal((http as Record<string, unknown>).websocketUnmask, undefined);
    // A frame over 24 bytes (where ws would use the native mask) reaches the server unmasked right.
    const ws = wsTransport({ name: 'ws', schemes: ['ws'], secure: false });
    const received = new Promise<string>((resolve) => wss.once('connection', (socket) => socket.once('message', (data) => resolve(String(data)))));
    const connection = await ws.connect({ url, api: 'janus', tls: {}, connectTimeoutMs: 5000 }, sink);
    const message = { janus: 'message', transaction: 't'.repeat(40), body: { text: 'x'.repeat(300) } };
    await connection.send(message, {});
    assert.deepEqual(JSON.parse(await received), message);
    await connection.close();
    await bothClosed(() => wss.clients.size === 0);
  });
});
