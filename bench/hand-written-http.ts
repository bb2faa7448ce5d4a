import { Agent, request } from 'undici';
import { checkEchoEvent, checkReply, idOf, withTransaction, type FlowClient, type Message } from './anchor.js';

/**
 * Over HTTP: a POST per request (its body is the reply), and for the message's event one
 * long-poll GET once the ack came; kept-alive connections of one agent, closed at the end.
 */
export const httpFlows: FlowClient = async (base, flows) => {
  const agent = new Agent();
  let n = 0;
  const post = async (msg: Message, path: string, janus: string): Promise<Message> => {
    const transaction = `t${n++}`;
    const res = await request(base + path, { dispatcher: agent, method: 'POST', body: JSON.stringify(withTransaction(msg, transaction)) });
    return checkReply((await res.body.json()) as Message, janus, transaction);
  };
  try {
    for (let i = 0; i < flows; i++) {
      const sid = idOf(await post({ janus: 'create' }, '', 'success'));
      const hid = idOf(await post({ janus: 'attach', plugin: 'janus.plugin.echotest' }, `/${sid}`, 'success'));
      const ack = await post({ janus: 'message', body: { audio: true } }, `/${sid}/${hid}`, 'ack');
      const poll = await request(`${base}/${sid}?maxev=10`, { dispatcher: agent });
      const events = (await poll.body.json()) as Message[];
      const event = events.find((e) => e.janus === 'event');
      if (!event) throw new Error(`no event in ${JSON.stringify(events).slice(0, 200)}`);
      checkEchoEvent(event, ack.transaction as string);
      await post({ janus: 'detach' }, `/${sid}/${hid}`, 'success');
      await post({ janus: 'destroy' }, `/${sid}`, 'success');
    }
  } finally {
    await agent.close();
  }
};
