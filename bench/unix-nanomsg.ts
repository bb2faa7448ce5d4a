/**
 * Minimal hand-written clients for `npm run bench` over Unix sockets (SOCK_SEQPACKET) and
 * Nanomsg: a socket, a transaction map, the anchor flow. The native bindings are loaded when a
 * client is used (registered in hand-written.ts).
 */
import { createRequire } from 'node:module';
import { checkEchoEvent, checkReply, idOf, type FlowClient, type Message } from './anchor.js';

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

/** The flow `flows` times over a message socket: replies by transaction, the ack before an event skipped. */
async function flowsOver(write: (text: string) => void, onData: (receive: (data: Buffer) => void) => void, flows: number): Promise<void> {
  const waiting = new Map<string, (m: Message) => void>();
  onData((data) => {
    const m = JSON.parse(data.toString()) as Message;
    if (m.janus !== 'ack') waiting.get(m.transaction as string)?.(m);
  });
  let n = 0;
  const send = (msg: Message): Promise<{ reply: Message; transaction: string }> =>
    new Promise((resolve) => {
      const transaction = `t${n++}`;
      waiting.set(transaction, (reply) => {
        waiting.delete(transaction);
        resolve({ reply, transaction });
      });
      write(JSON.stringify({ ...msg, transaction }));
    });
  const success = async (msg: Message): Promise<Message> => {
    const { reply, transaction } = await send(msg);
    return checkReply(reply, 'success', transaction);
  };
  for (let i = 0; i < flows; i++) {
    const session_id = idOf(await success({ janus: 'create' }));
    const handle_id = idOf(await success({ janus: 'attach', plugin: 'janus.plugin.echotest', session_id }));
    const { reply, transaction } = await send({ janus: 'message', body: { audio: true }, session_id, handle_id });
    checkEchoEvent(reply, transaction);
    await success({ janus: 'detach', session_id, handle_id });
    await success({ janus: 'destroy', session_id });
  }
}

export const unixFlows: FlowClient = async (url, flows) => {
  const { SeqpacketSocket } = load('node-unix-socket') as { SeqpacketSocket: new () => SeqpacketSocket };
  const socket = new SeqpacketSocket();
  await new Promise<void>((resolve) => socket.connect(decodeURIComponent(new URL(url).pathname), resolve));
  try {
    await flowsOver((text) => socket.write(Buffer.from(text)), (receive) => socket.on('data', receive), flows);
  } finally {
    socket.destroy();
  }
};

export const nanomsgFlows: FlowClient = async (url, flows) => {
  const nano = load('nanomsg') as { socket(type: 'pair'): PairSocket };
  const socket = nano.socket('pair');
  socket.connect(url);
  try {
    await flowsOver((text) => socket.send(text), (receive) => socket.on('data', receive), flows);
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
