import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import WebSocket, { WebSocketServer } from 'ws';
import type { JanusMessage } from '../../src/protocol/messages.js';
import type { ConnectOptions, TransportConnection, TransportSink } from '../../src/transports/contract.js';
import { wsTransport } from '../../src/transports/ws.js';
import { SpareSockets } from '../../src/transports/ws-spare.js';
import { eventually } from '../support/admin.js';

/**
 * A WebSocket connection is opened ahead as a client closes its own, and handed to the next
 * connect() to the same server: it must be a connection of its own that nothing was said on,
 * never one the server spoke on or closed, and it must never keep the process alive.
 */

interface ServerSide {
  socket: WebSocket;
  received: string[];
  closed: boolean;
  closeCode?: number;
}

/** A WebSocket server speaking janus-protocol that records each connection and what came on it. */
async function server(onConnection: (side: ServerSide) => void = () => undefined) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: (protocols) => (protocols.has('janus-protocol') ? 'janus-protocol' : false) });
  await once(wss, 'listening');
  const sides: ServerSide[] = [];
  wss.on('connection', (socket) => {
    const side: ServerSide = { socket, received: [], closed: false };
    sides.push(side);
    socket.on('message', (data) => side.received.push(data.toString()));
    socket.on('close', (code) => {
      side.closed = true;
      side.closeCode = code;
    });
    onConnection(side);
  });
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  return {
    url,
    sides,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(resolve));
    },
  };
}

const quietSink = (): TransportSink & { messages: JanusMessage[]; faults: string[] } => {
  const messages: JanusMessage[] = [];
  const faults: string[] = [];
  return { messages, faults, message: (m) => messages.push(m), fault: (f) => faults.push(f.message), sessionGone: () => undefined };
};

const options = (url: string, spare: boolean): ConnectOptions => ({ url, api: 'janus', tls: {}, connectTimeoutMs: 5000, spare });

async function sendOn(connection: TransportConnection, janus: string): Promise<void> {
  await connection.send({ janus, transaction: janus }, {});
}

describe('WebSocket connections opened ahead (spares)', function () {
  this.timeout(20_000);
  const ws = wsTransport({ name: 'ws', schemes: ['ws'], secure: false });

  it('opens the next connection as a client closes its own, and hands it to the next connect as a connection of its own', async () => {
    const s = await server();
    try {
      const first = await ws.connect(options(s.url, true), quietSink());
      await sendOn(first, 'one');
      await first.close();
      assert.ok(await eventually(() => s.sides.length === 2 && !s.sides[1]!.closed), 'a second connection was opened after the first closed');
      const second = await ws.connect(options(s.url, true), quietSink());
      await sendOn(second, 'two');
      assert.ok(await eventually(() => s.sides[1]!.received.length === 1));
      assert.deepEqual(s.sides.map((side) => side.received.map((t) => JSON.parse(t).janus)), [['one'], ['two']], 'each message on its own connection');
      assert.equal(s.sides[0]!.closed, true, 'the first connection is closed');
      await second.close();
    } finally {
      await s.close();
    }
  });

  it('never hands over a spare the server spoke on or closed: the next connect opens a fresh one', async () => {
    // The second connection (the spare) gets a frame at once; the third (opened after it is dropped) is served normally.
    let n = 0;
    const s = await server((side) => {
      n++;
      if (n === 2) side.socket.send(JSON.stringify({ janus: 'event', note: 'unasked' }));
      if (n === 4) side.socket.close(1001, 'going away');
    });
    try {
      const first = await ws.connect(options(s.url, true), quietSink());
      await first.close();
      // Within a second: a spare not taken closes by itself after two, whatever it heard.
      assert.ok(await eventually(() => s.sides.length === 2 && s.sides[1]!.closed, 1000), 'the spare that was spoken on is closed by the client');
      const sink = quietSink();
      const second = await ws.connect(options(s.url, true), sink);
      await sendOn(second, 'two');
      assert.ok(await eventually(() => s.sides.length === 3 && s.sides[2]!.received.length === 1), 'the request went on a fresh connection');
      assert.deepEqual(sink.messages, [], 'what came on the dropped spare reaches no client');
      await second.close();
      // The next spare (the fourth connection) is closed by the server before it is taken.
      assert.ok(await eventually(() => s.sides.length === 4 && s.sides[3]!.closed));
      const third = await ws.connect(options(s.url, true), quietSink());
      await sendOn(third, 'three');
      assert.ok(await eventually(() => s.sides.length === 5 && s.sides[4]!.received.length === 1), 'a spare the server closed is not taken');
      await third.close();
    } finally {
      await s.close();
    }
  });

  it('opens nothing ahead for a caller that did not ask (the load mode), nor for another server', async () => {
    const s = await server();
    const other = await server();
    try {
      const first = await ws.connect(options(s.url, false), quietSink());
      await first.close();
      const second = await ws.connect(options(s.url, false), quietSink());
      await sendOn(second, 'two');
      assert.ok(await eventually(() => s.sides[1]?.received.length === 1));
      await second.close();
      assert.ok(await eventually(() => s.sides.every((side) => side.closed)));
      assert.equal(s.sides.length, 2, 'one connection per connect');
      // A spare made for one server serves no other.
      const a = await ws.connect(options(s.url, true), quietSink());
      await a.close();
      assert.ok(await eventually(() => s.sides.length === 4), 'the spare for this server');
      const b = await ws.connect(options(other.url, true), quietSink());
      await sendOn(b, 'elsewhere');
      assert.ok(await eventually(() => other.sides[0]?.received.length === 1));
      assert.equal(s.sides[3]!.received.length, 0, 'the spare for the first server carried nothing');
      await b.close();
    } finally {
      await s.close();
      await other.close();
    }
  });

  /** A spare held by `spares` for key 'k', opened to `url`. */
  function holdSpare(spares: SpareSockets, url: string): void {
    spares.replenish('k', async (opened) => {
      const socket = new WebSocket(url, 'janus-protocol');
      socket.once('open', () => opened({ socket }));
    });
  }

  for (const [title, idleMs, speaks] of [
    ['drops a spare the server speaks on at once, long before its idle time', 600_000, true],
    ['closes a spare not taken within its idle time', 50, false],
  ] as const) {
    it(title, async () => {
      const s = await server((side) => speaks && side.socket.send(JSON.stringify({ janus: 'event', note: 'unasked' })));
      try {
        const spares = new SpareSockets(idleMs);
        holdSpare(spares, s.url);
        assert.ok(await eventually(() => s.sides.length === 1 && s.sides[0]!.closed), 'the spare was closed');
        assert.equal(spares.take('k'), undefined);
      } finally {
        await s.close();
      }
    });
  }

  it('closes the spares it holds with a close handshake when released, and holds none opened after', async () => {
    const s = await server();
    try {
      const first = await ws.connect(options(s.url, true), quietSink());
      await first.close();
      assert.ok(await eventually(() => s.sides.length === 2), 'a spare was opened');
      await ws.release!();
      assert.ok(await eventually(() => s.sides[1]!.closed));
      assert.deepEqual(s.sides.map((side) => side.closeCode), [1000, 1000], 'both closed with a close frame, none cut');
      // After a release the transport works as before: a connect opens a new connection.
      const second = await ws.connect(options(s.url, true), quietSink());
      await sendOn(second, 'two');
      assert.ok(await eventually(() => s.sides[2]?.received.length === 1));
      await second.close();
      await ws.release!();
      assert.ok(await eventually(() => s.sides.length === 4 && s.sides.every((side) => side.closeCode === 1000)), 'the spare opened as the release ran was closed too');
    } finally {
      await s.close();
    }
  });

  it('never keeps the process alive: a process whose last connection closed exits by itself', async () => {
    const s = await server();
    try {
      const ws = fileURLToPath(new URL('../../src/transports/ws.js', import.meta.url));
      const script = `const { wsTransport } = await import(${JSON.stringify(ws)});
        const t = wsTransport({ name: 'ws', schemes: ['ws'], secure: false });
        const sink = { message() {}, fault() {}, sessionGone() {} };
        const c = await t.connect({ url: ${JSON.stringify(s.url)}, api: 'janus', tls: {}, connectTimeoutMs: 5000, spare: true }, sink);
        await c.close();`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
      const limit = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
      clearTimeout(limit);
      assert.equal(signal, null, 'the process had to be killed: something kept it alive');
      assert.equal(code, 0);
    } finally {
      await s.close();
    }
  });
});
