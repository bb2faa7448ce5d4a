import type { Channel, ChannelModel, ConsumeMessage, Options } from 'amqplib';
import { optionOr, parseBrokerUrl, withoutCredentials, type BrokerUrl } from './broker-url.js';
import { TransportFault, type ConnectOptions, type TransportDefinition } from './contract.js';
import { MAX_MESSAGE_BYTES } from './limits.js';
import { BrokerHub, ChannelConnection, HubCache } from './shared-channel.js';
import { loadAmqp } from './libraries.js';
import { describeError } from './wire.js';

/**
 * Janus RabbitMQ transport (janus_rabbitmq.c): Janus consumes requests from the queue
 * `to_janus` (published to the default exchange, routing key = queue name; the routing key is
 * how Janus tells the Admin queue `to_janus_admin` apart) and publishes every reply and event
 * with routing key `from_janus`: to the default exchange, so into the queue of that name, or to
 * `janus_exchange` when one is configured.
 *
 * URL: `amqp://user:password@host:5672/vhost?to_janus=...&from_janus=...&exchange=...`
 * (`amqps://` for TLS). Without `exchange` the replies are consumed from the queue `from_janus`;
 * a queue hands each message to one consumer only, so all connections of this process to the
 * same queue share one consumer, which passes every message to each of them (each keeps its
 * own, see shared-channel.ts). With `exchange` (the Janus's `janus_exchange`, of type direct,
 * topic or fanout) the process binds a private queue of its own to it, so other runners on the
 * same Janus see every message too.
 */

export const RABBITMQ_OPTIONS = ['to_janus', 'from_janus', 'exchange', 'heartbeat'] as const;

export function defaultQueues(api: ConnectOptions['api']): { toJanus: string; fromJanus: string } {
  return api === 'admin' ? { toJanus: 'to-janus-admin', fromJanus: 'from-janus-admin' } : { toJanus: 'to-janus', fromJanus: 'from-janus' };
}

export interface RabbitSettings {
  toJanus: string;
  fromJanus: string;
  exchange: string | undefined;
  vhost: string;
  heartbeatS: number;
}

export function rabbitSettings(broker: BrokerUrl, api: ConnectOptions['api']): RabbitSettings {
  const queues = defaultQueues(api);
  const heartbeat = Number(optionOr(broker, 'heartbeat', '0'));
  if (!Number.isInteger(heartbeat) || heartbeat < 0) throw new TransportFault(`RabbitMQ ${broker.shown}: option heartbeat must be a whole number of seconds`);
  const path = broker.url.pathname.replace(/^\//, '');
  const exchange = broker.options.get('exchange');
  return {
    toJanus: optionOr(broker, 'to_janus', queues.toJanus),
    fromJanus: optionOr(broker, 'from_janus', queues.fromJanus),
    exchange: exchange === undefined || exchange === '' ? undefined : exchange,
    // amqp://host/ and amqp://host name the default vhost "/"; %2F spells it too.
    vhost: path === '' ? '/' : decodeURIComponent(path),
    heartbeatS: heartbeat,
  };
}

export function rabbitmqTransport(options: { name: string; maxMessageBytes?: number } = { name: 'rabbitmq' }): TransportDefinition {
  return {
    name: options.name,
    schemes: ['amqp', 'amqps'],
    secure: false,
    connect: async (connectOptions, sink) => {
      const broker = parseBrokerUrl('RabbitMQ', connectOptions.url, RABBITMQ_OPTIONS);
      const settings = rabbitSettings(broker, connectOptions.api);
      const label = `RabbitMQ ${broker.shown}`;
      const reason = (text: string): string => withoutCredentials(text, broker);
      let hub: ReplyHub;
      try {
        hub = await hubFor(broker, settings, connectOptions, options.maxMessageBytes ?? MAX_MESSAGE_BYTES);
      } catch (err) {
        throw new TransportFault(`${label}: ${reason(openReason(err, settings))}`);
      }
      return new ChannelConnection({
        label,
        faultText: reason,
        open: (endpoint) => hub.open(endpoint),
        release: (channel) => hub.release(channel),
        send: (body) => {
          try {
            hub.publish(settings.toJanus, body);
          } catch (err) {
            throw new TransportFault(`${label}: publish to '${settings.toJanus}' failed: ${reason(describeError(err))}`);
          }
        },
      }, sink);
    },
  };
}

/**
 * One AMQP connection and consumer per broker and reply source in this process, shared by the
 * connections to it: it reads the reply stream once and routes each message to its connection
 * (see shared-channel.ts), and publishes their requests.
 */
class ReplyHub extends BrokerHub {
  private constructor(
    key: string,
    private readonly model: ChannelModel,
    private readonly channel: Channel,
    private readonly settings: RabbitSettings,
    private readonly maxBytes: number,
  ) {
    super(() => hubs.forget(key));
    const lost = (reason: string): void => this.lose(reason);
    model.on('error', (err: Error) => lost(`connection error: ${describeError(err)}`));
    model.on('close', () => lost('connection closed by broker'));
    channel.on('error', (err: Error) => lost(`channel error: ${describeError(err)}`));
    channel.on('close', () => lost('channel closed by broker'));
  }

  static async open(key: string, broker: BrokerUrl, settings: RabbitSettings, options: ConnectOptions, maxBytes: number): Promise<ReplyHub> {
    const connect: Options.Connect = {
      protocol: broker.url.protocol.replace(/:$/, ''),
      hostname: broker.url.hostname,
      port: broker.url.port === '' ? (broker.url.protocol === 'amqps:' ? 5671 : 5672) : Number(broker.url.port),
      username: broker.username ?? 'guest',
      password: broker.password ?? 'guest',
      vhost: settings.vhost,
      heartbeat: settings.heartbeatS,
    };
    const model = await withDeadline(
      // The signal reaches the socket (net.connect destroys it on abort): amqplib's connect takes none of its own.
      (await loadAmqp()).connect(connect, { timeout: options.connectTimeoutMs, ...(options.signal && { signal: options.signal }), ...(options.tls.ca && { ca: options.tls.ca }), rejectUnauthorized: !options.tls.insecure }),
      options.connectTimeoutMs,
      options.signal,
    );
    try {
      const channel = await model.createChannel();
      const hub = new ReplyHub(key, model, channel, settings, maxBytes);
      const queue = await replyQueue(channel, settings);
      await channel.consume(queue, (message) => hub.dispatch(message), { noAck: true, exclusive: false });
      return hub;
    } catch (err) {
      await model.close().catch(() => undefined);
      throw err;
    }
  }

  protected async end(): Promise<void> {
    await this.model.close().catch(() => undefined);
  }

  publish(queue: string, body: string): void {
    if (this.gone) throw new Error('connection is closed');
    this.channel.sendToQueue(queue, Buffer.from(body), { contentType: 'application/json' });
  }

  private dispatch(message: ConsumeMessage | null): void {
    // amqplib passes null when the broker cancelled the consumer (the queue was deleted).
    if (message === null) return this.lose('the broker cancelled the consumer (reply queue deleted?)');
    this.router.routePayload(message.content, this.maxBytes, `queue '${this.settings.fromJanus}'`);
  }
}

/** Where the replies are read: a private queue bound to Janus's exchange, or Janus's own reply queue. */
async function replyQueue(channel: Channel, settings: RabbitSettings): Promise<string> {
  if (settings.exchange === undefined) {
    // Declared the way Janus declares it (not durable, not exclusive, no auto-delete): either may come first.
    await channel.assertQueue(settings.fromJanus, { durable: false, exclusive: false, autoDelete: false });
    return settings.fromJanus;
  }
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
  await channel.bindQueue(queue, settings.exchange, settings.fromJanus);
  return queue;
}

const hubs = new HubCache<ReplyHub>();

async function hubFor(broker: BrokerUrl, settings: RabbitSettings, options: ConnectOptions, maxBytes: number): Promise<ReplyHub> {
  const u = broker.url;
  const key = JSON.stringify([u.protocol, u.hostname, u.port, broker.username, broker.password, settings.vhost, settings.fromJanus, settings.exchange, settings.heartbeatS, options.tls]);
  return hubs.get(key, () => ReplyHub.open(key, broker, settings, options, maxBytes));
}

/** amqplib's errors in one line; the server's reply text names the refused login or the missing exchange. */
function openReason(err: unknown, settings: RabbitSettings): string {
  const text = describeError(err);
  if (/ACCESS.REFUSED/i.test(text)) return 'login refused: bad user name or password';
  if (/NOT_ALLOWED|NOT.ALLOWED/i.test(text) && /vhost/i.test(text)) return `access to vhost '${settings.vhost}' refused`;
  if (settings.exchange !== undefined && /NOT_FOUND.*exchange/i.test(text)) return `no exchange '${settings.exchange}' on the broker (is Janus's janus_exchange set, and Janus connected?)`;
  return text;
}

function withDeadline<T>(promise: Promise<T>, ms: number, signal?: AbortSignal): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  // A Ctrl-C stops the wait at once, whatever amqplib is doing; a connection that still comes is closed.
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no connection within ${ms} ms`)), ms + 250);
    onAbort = () => reject(new Error('the opening was interrupted'));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
  // A connection that completes after the deadline is closed, never left open.
  promise.then(
    (value) => {
      if (timer === undefined) void (value as { close?: () => Promise<void> }).close?.().catch(() => undefined);
    },
    () => undefined,
  );
  return Promise.race([promise, deadline]).finally(() => {
    clearTimeout(timer);
    timer = undefined;
    signal?.removeEventListener('abort', onAbort!);
  });
}
