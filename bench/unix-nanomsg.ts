/**
 * Minimal hand-written clients for `npm run bench` over Unix sockets (SOCK_SEQPACKET) and
 * Nanomsg: a socket, a transaction map, the same exchange as the runner's scenario. Keyed by
 * transport name, for the bench to put beside the runner.
 */
import { createRequire } from 'node:module';

type Message = Record<string, unknown>;
export type Send = (msg: Message) => Promise<Message>;
export type Exchange = (send: Send) => Promise<void>;

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

/** Replies by transaction; the ack before an event is skipped, as the runner waits for the event. */
function correlator(write: (text: string) => void): { send: Send; receive: (data: Buffer) => void } {
  const waiting = new Map<string, (m: Message) => void>();
  let n = 0;
  return {
    receive: (data) => {
      const m = JSON.parse(data.toString()) as Message;
      if (m.janus !== 'ack') waiting.get(m.transaction as string)?.(m);
    },
    send: (msg) =>
      new Promise((resolve) => {
        const transaction = `t${n++}`;
        waiting.set(transaction, resolve);
        write(JSON.stringify({ ...msg, transaction }));
      }),
  };
}

export async function handWrittenUnix(url: string, exchange: Exchange): Promise<void> {
  const { SeqpacketSocket } = load('node-unix-socket') as { SeqpacketSocket: new () => SeqpacketSocket };
  const socket = new SeqpacketSocket();
  await new Promise<void>((resolve) => socket.connect(decodeURIComponent(new URL(url).pathname), resolve));
  const c = correlator((text) => socket.write(Buffer.from(text)));
  socket.on('data', c.receive);
  await exchange(c.send);
  socket.destroy();
}

export async function handWrittenNanomsg(url: string, exchange: Exchange): Promise<void> {
  const nano = load('nanomsg') as { socket(type: 'pair'): PairSocket };
  const socket = nano.socket('pair');
  socket.connect(url);
  const c = correlator((text) => socket.send(text));
  socket.on('data', c.receive);
  await exchange(c.send);
  socket.close();
}

/** The hand-written client of each transport this file covers. */
export const HAND_WRITTEN_CLIENTS: Record<string, (url: string, exchange: Exchange) => Promise<void>> = {
  unix: handWrittenUnix,
  nanomsg: handWrittenNanomsg,
};
