import WebSocket from 'ws';
import { checkEchoEvent, checkReply, idOf, type FlowClient, type Message } from './anchor.js';

/** Over WebSocket: one socket, a transaction map, acks skipped; waits for the close handshake as the runner does. */
export const wsFlows: FlowClient = async (url, flows) => {
  const ws = new WebSocket(url, 'janus-protocol');
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const waiting = new Map<string, (m: Message) => void>();
  ws.on('message', (data) => {
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
      ws.send(JSON.stringify({ ...msg, transaction }));
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
  await new Promise((resolve) => {
    ws.once('close', resolve);
    ws.close(1000);
  });
};
