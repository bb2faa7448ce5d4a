import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/*
 * A raw TCP server that plays a WebSocket server's side of the opening handshake as a test
 * scripts it (any answer, in any pieces, frames with it), and records what the client sent:
 * for the tests of the WebSocket transport's handshake and of what comes with its answer.
 */

export interface Upgrade {
  head: string;
  key: string;
  socket: Socket;
}

export type Answer = (upgrade: Upgrade) => Buffer[];

/** A server that answers each upgrade with `answer`'s pieces, one write each, a turn apart; it records the requests and the first frame after them. */
export async function answering(answer: Answer): Promise<{ server: Server; url: string; upgrades: Upgrade[]; frames: Buffer[]; closed: () => number; stop: () => void }> {
  const upgrades: Upgrade[] = [];
  const frames: Buffer[] = [];
  const sockets: Socket[] = [];
  let closed = 0;
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('close', () => closed++);
    let bytes = Buffer.alloc(0);
    let upgraded = false;
    socket.on('data', (chunk) => {
      bytes = Buffer.concat([bytes, chunk]);
      if (upgraded) {
        frames.push(bytes);
        bytes = Buffer.alloc(0);
        return;
      }
      const end = bytes.indexOf('\r\n\r\n');
      if (end < 0) return;
      upgraded = true;
      const head = bytes.toString('latin1', 0, end);
      bytes = bytes.subarray(end + 4);
      const upgrade = { head, key: /^sec-websocket-key: *(\S+)$/im.exec(head)?.[1] ?? '', socket };
      upgrades.push(upgrade);
      writeInTurns(socket, answer(upgrade));
    });
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const stop = () => {
    for (const socket of sockets) socket.destroy();
    server.close();
  };
  return { server, upgrades, frames, closed: () => closed, stop, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A piece of an answer that ends the connection (FIN) instead of writing. */
export const END = Buffer.alloc(0);

function writeInTurns(socket: Socket, pieces: Buffer[]): void {
  const [first, ...rest] = pieces;
  if (first === undefined || socket.destroyed) return;
  if (first === END) return void socket.end();
  socket.write(first);
  setImmediate(() => writeInTurns(socket, rest));
}

export const acceptOf = (key: string) => createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');

/** A 101 answer with these header fields (Upgrade, the accept and the subprotocol by default). */
export function switching(upgrade: Upgrade, fields: Record<string, string | undefined> = {}): string {
  const all: Record<string, string | undefined> = { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Accept': acceptOf(upgrade.key), 'Sec-WebSocket-Protocol': 'janus-protocol', ...fields };
  const lines = Object.entries(all).filter(([, value]) => value !== undefined).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 101 Switching Protocols\r\n${lines.join('')}\r\n`;
}

/** A final, unmasked (server's) frame with this opcode (0x1 text, 0x8 close) and a short payload. */
export function frame(opcode: number, payload: Buffer): Buffer {
  if (payload.length >= 126) throw new Error('a short frame only');
  return Buffer.concat([Buffer.from([0x80 | opcode, payload.length]), payload]);
}

export const text = (message: object): Buffer => frame(0x1, Buffer.from(JSON.stringify(message), 'utf8'));

export function closing(code: number, reason: string): Buffer {
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, 2);
  return frame(0x8, payload);
}
