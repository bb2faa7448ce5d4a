/**
 * Minimal hand-written clients for `npm run bench` over Unix sockets (SOCK_SEQPACKET) and
 * Nanomsg: a socket, a transaction map, the anchor flow. The native bindings are loaded when a
 * client is used (registered in hand-written.ts).
 */
import { createRequire } from 'node:module';
import { flowsOverSocket, type FlowClient } from './anchor.js';

const load = createRequire(import.meta.url);

interface SeqpacketSocket {
  on(event: 'data', listener: (data: Buffer) => void): void;
  connect(path: string, cb: () => void): void;
  write(buf: Buffer): void;
  destroy(): void;
}
interface PairSocket {
  on(event: 'data', listener: (data: Buffer) => void): void;
  connect(address: string): void;
  send(data: string): void;
  close(): void;
}

export const unixFlows: FlowClient = async (url, flows) => {
  const { SeqpacketSocket } = load('node-unix-socket') as { SeqpacketSocket: new () => SeqpacketSocket };
  const socket = new SeqpacketSocket();
  await new Promise<void>((resolve) => socket.connect(decodeURIComponent(new URL(url).pathname), resolve));
  try {
    await flowsOverSocket((text) => socket.write(Buffer.from(text)), (receive) => socket.on('data', (data) => receive(data.toString())), flows);
  } finally {
    socket.destroy();
  }
};

export const nanomsgFlows: FlowClient = async (url, flows) => {
  const nano = load('nanomsg') as { socket(type: 'pair'): PairSocket };
  const socket = nano.socket('pair');
  socket.connect(url);
  try {
    await flowsOverSocket((text) => socket.send(text), (receive) => socket.on('data', (data) => receive(data.toString())), flows);
  } finally {
    socket.close();
  }
};

/** Whether a native binding is installed (nanomsg is optional: it needs a compiler). */
export function installed(pkg: string): boolean {
  try {
    load.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}
