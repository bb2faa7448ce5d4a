/**
 * Bench pair for the MQTT transport: the runner (QoS 0, the managed Janus's MQTT transport on a
 * managed mosquitto) against a minimal hand-written `mqtt` client doing the same exchange
 * (create, attach echotest, message until its event, detach, destroy) on the same Janus, in
 * the same process, alternating rounds; prints the ratio.
 *
 * Both keep one MQTT connection for all rounds: the runner reads each reply topic with one
 * client per process, and a hand-written client would not reconnect per exchange either.
 * `benchPair` is what the bench driver registers: it runs the runner's scenario and
 * `handWritten(url).once()` alternately on the URL of the runner's target.
 */
import mqtt, { type MqttClient } from 'mqtt';

export interface BenchPair {
  transport: string;
  /** One exchange by hand against the URL the runner uses; `close` ends what it keeps open. */
  handWritten(url: string): { once(): Promise<void>; close(): Promise<void> };
}

type Message = Record<string, unknown>;

export const benchPair: BenchPair = {
  transport: 'mqtt',
  handWritten(url) {
    let client: Promise<MqttClient> | undefined;
    const waiting = new Map<string, (m: Message) => void>();
    const u = new URL(url);
    const toJanus = u.searchParams.get('to_janus') ?? 'to-janus';
    const fromJanus = u.searchParams.get('from_janus') ?? 'from-janus';
    const connect = async (): Promise<MqttClient> => {
      const c = await mqtt.connectAsync(`mqtt://${u.host}`, { clientId: `bench-${process.pid}-${Date.now()}`, reconnectPeriod: 0 });
      c.on('message', (_topic, payload) => {
        const m = JSON.parse(payload.toString()) as Message;
        if (m.janus !== 'ack') waiting.get(m.transaction as string)?.(m);
      });
      await c.subscribeAsync(fromJanus, { qos: 0 });
      return c;
    };
    let n = 0;
    const send = async (msg: Message): Promise<Message> => {
      const c = await (client ??= connect());
      return new Promise((resolve) => {
        const transaction = `bench-${n++}`;
        waiting.set(transaction, (m) => {
          waiting.delete(transaction);
          resolve(m);
        });
        c.publish(toJanus, JSON.stringify({ ...msg, transaction }), { qos: 0 });
      });
    };
    return {
      async once() {
        const created = await send({ janus: 'create' });
        const session_id = (created.data as { id: number }).id;
        const attached = await send({ janus: 'attach', plugin: 'janus.plugin.echotest', session_id });
        const handle_id = (attached.data as { id: number }).id;
        const event = await send({ janus: 'message', body: { audio: true }, session_id, handle_id });
        if (event.janus !== 'event') throw new Error(`expected an event, got ${JSON.stringify(event)}`);
        await send({ janus: 'detach', session_id, handle_id });
        await send({ janus: 'destroy', session_id });
      },
      async close() {
        if (client) await (await client).endAsync();
      },
    };
  },
};
