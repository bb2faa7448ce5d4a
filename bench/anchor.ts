/**
 * The anchor flow every measurement of the bench repeats: create → attach echotest → message
 * with an ack and an event → detach → destroy, every reply checked.
 */

/** The flow's steps, as the runner runs them: each reply matched, every message schema-checked (strict). */
const FLOW_STEPS = `  - request: create
    expect: { janus: success, data: { id: $integer } }
  - request: { janus: attach, plugin: janus.plugin.echotest }
    expect: { janus: success, data: { id: $integer } }
  - request: { janus: message, body: { audio: true } }
    expect: { janus: event, plugindata: { data: { result: ok } } }
  - request: detach
    expect: { janus: success }
  - request: destroy
    expect: { janus: success }
`;

/** A scenario running the flow `flows` times in a row over one connection. */
export function anchorScenario(flows: number): string {
  return `name: anchor flow x${flows}\nrequires: { plugins: [janus.plugin.echotest] }\nsteps:\n${FLOW_STEPS.repeat(flows)}`;
}

export type Message = Record<string, unknown>;

/** A hand-written client: opens one connection to `url`, runs the flow `flows` times over it, closes it. */
export type FlowClient = (url: string, flows: number) => Promise<void>;

/** How a hand-written client checks each reply: the verb it must be, the transaction it must carry. */
export function checkReply(reply: Message, janus: string, transaction: string): Message {
  if (reply.janus !== janus || reply.transaction !== transaction) {
    throw new Error(`expected ${janus} for ${transaction}, got ${JSON.stringify(reply).slice(0, 200)}`);
  }
  return reply;
}

/** `data.id` of a success, which must be an integer. */
export function idOf(reply: Message): number {
  const id = (reply.data as { id?: unknown } | undefined)?.id;
  if (!Number.isInteger(id)) throw new Error(`no integer data.id in ${JSON.stringify(reply).slice(0, 200)}`);
  return id as number;
}

/** The echotest's answer to `{ audio: true }`: an event whose plugin data says `result: ok`. */
export function checkEchoEvent(event: Message, transaction: string): void {
  checkReply(event, 'event', transaction);
  const data = (event.plugindata as { data?: { result?: unknown } } | undefined)?.data;
  if (data?.result !== 'ok') throw new Error(`echotest did not answer ok: ${JSON.stringify(event).slice(0, 200)}`);
}

/**
 * `{ ...msg, transaction }` without the spread: V8 (Node 20) takes microseconds to build a spread
 * of objects of many shapes, which would slow the yardstick (the runner avoids it too).
 */
export function withTransaction(msg: Message, transaction: string): Message {
  const out = Object.assign({}, msg);
  out.transaction = transaction;
  return out;
}

/**
 * The flow `flows` times over a message socket (WebSocket, Unix socket, Nanomsg): a transaction
 * map, acks skipped (the flow waits for the event), every reply checked.
 */
export async function flowsOverSocket(write: (text: string) => void, onText: (receive: (text: string) => void) => void, flows: number): Promise<void> {
  const waiting = new Map<string, (m: Message) => void>();
  onText((text) => {
    const m = JSON.parse(text) as Message;
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
      write(JSON.stringify(withTransaction(msg, transaction)));
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
