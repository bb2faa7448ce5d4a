import { randomBytes } from 'node:crypto';
import type { IClientOptions, IClientPublishOptions, MqttClient } from 'mqtt';
import { choiceOption, optionOr, parseBrokerUrl, withoutCredentials, type BrokerUrl } from './broker-url.js';
import { TransportFault, type ConnectOptions, type TransportDefinition } from './contract.js';
import { MAX_MESSAGE_BYTES } from './limits.js';
import { BrokerHub, ChannelConnection, HubCache } from './shared-channel.js';
import { loadMqtt } from './libraries.js';
import { describeError } from './wire.js';

/**
 * Janus MQTT transport (janus_mqtt.c): Janus subscribes to one topic (`subscribe_topic`, where
 * clients publish requests) and publishes every reply and event of the Janus API to another
 * (`publish_topic`); the Admin API has its own pair. All clients share the reply topic (Janus
 * sees them as one transport session): this process reads each reply topic once, with one MQTT
 * client of a unique client id (a broker disconnects the older of two clients with the same
 * id), and routes each message to its connection (see shared-channel.ts).
 *
 * URL: `mqtt://[user:password@]host:1883?to_janus=...&from_janus=...&qos=0&version=3.1.1`
 * (`mqtts://` for TLS). With `version=5` a request also carries a response topic of the
 * client's own (MQTT 5 request/response): a Janus configured with `mqtt_version = "5"` sends its
 * replies there; events without a transaction still come on `from_janus`.
 */

export const MQTT_OPTIONS = ['to_janus', 'from_janus', 'qos', 'version', 'client_id', 'keepalive'] as const;

/** Janus's sample configuration names these topics; the Admin API's have `-admin`. */
export function defaultTopics(api: ConnectOptions['api']): { toJanus: string; fromJanus: string } {
  return api === 'admin' ? { toJanus: 'to-janus-admin', fromJanus: 'from-janus-admin' } : { toJanus: 'to-janus', fromJanus: 'from-janus' };
}

export interface MqttSettings {
  toJanus: string;
  fromJanus: string;
  /** QoS of our publications and subscriptions. Each leg at QoS 1 or 2 costs a broker round trip. */
  qos: 0 | 1 | 2;
  version: '3.1.1' | '5';
  clientId: string;
  keepaliveS: number;
}

/** Reads the transport's settings from the URL; throws a TransportFault for bad options. */
export function mqttSettings(broker: BrokerUrl, api: ConnectOptions['api']): MqttSettings {
  const topics = defaultTopics(api);
  const keepalive = Number(optionOr(broker, 'keepalive', '30'));
  if (!Number.isInteger(keepalive) || keepalive < 0) throw new TransportFault(`MQTT ${broker.shown}: option keepalive must be a whole number of seconds`);
  const toJanus = optionOr(broker, 'to_janus', topics.toJanus);
  const fromJanus = optionOr(broker, 'from_janus', topics.fromJanus);
  for (const topic of [toJanus, fromJanus]) {
    if (/[+#]/.test(topic)) throw new TransportFault(`MQTT ${broker.shown}: topic '${topic}' must not contain the wildcards + or #`);
  }
  return {
    toJanus,
    fromJanus,
    qos: Number(choiceOption('MQTT', broker, 'qos', ['0', '1', '2'], '0')) as 0 | 1 | 2,
    version: choiceOption('MQTT', broker, 'version', ['3.1.1', '5'], '3.1.1'),
    // Unique per client: the broker drops the older of two connections with one id.
    clientId: `${optionOr(broker, 'client_id', 'janus-scenarios')}-${randomBytes(6).toString('hex')}`,
    keepaliveS: keepalive,
  };
}

export function mqttTransport(options: { name: string; maxMessageBytes?: number } = { name: 'mqtt' }): TransportDefinition {
  return {
    name: options.name,
    schemes: ['mqtt', 'mqtts'],
    secure: false,
    connect: async (connectOptions, sink) => {
      const broker = parseBrokerUrl('MQTT', connectOptions.url, MQTT_OPTIONS);
      const settings = mqttSettings(broker, connectOptions.api);
      const hub = await hubFor(broker, settings, connectOptions, options.maxMessageBytes ?? MAX_MESSAGE_BYTES);
      const label = `MQTT ${broker.shown}`;
      return new ChannelConnection({
        label,
        open: (endpoint) => hub.open(endpoint),
        release: (channel) => hub.release(channel),
        send: async (body) => {
          try {
            await hub.publish(body);
          } catch (err) {
            throw new TransportFault(`${label}: publish to '${settings.toJanus}' failed: ${withoutCredentials(describeError(err), broker)}`);
          }
        },
      }, sink);
    },
  };
}

/** The client's own response topic (MQTT 5): beside the shared one, never matching another client's. */
function responseTopic(settings: MqttSettings): string {
  return `${settings.fromJanus}/${settings.clientId}`;
}

async function openClient(broker: BrokerUrl, settings: MqttSettings, options: ConnectOptions): Promise<MqttClient> {
  const server = new URL(broker.url.href);
  server.username = '';
  server.password = '';
  server.search = '';
  const clientOptions: IClientOptions = {
    clientId: settings.clientId,
    protocolVersion: settings.version === '5' ? 5 : 4,
    clean: true,
    // A lost connection is a fault of the run, never retried behind the scenario's back.
    reconnectPeriod: 0,
    connectTimeout: options.connectTimeoutMs,
    keepalive: settings.keepaliveS,
    ...(broker.username !== undefined && { username: broker.username }),
    ...(broker.password !== undefined && { password: broker.password }),
    ...(options.tls.ca && { ca: options.tls.ca }),
    rejectUnauthorized: !options.tls.insecure,
  };
  const { signal } = options;
  if (signal?.aborted) throw new TransportFault(`MQTT ${broker.shown}: the opening was interrupted`);
  const client = (await loadMqtt()).connect(server.href, clientOptions);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no CONNACK within ${options.connectTimeoutMs} ms`)), options.connectTimeoutMs + 250);
      const onAbort = (): void => {
        settle();
        reject(new Error('the opening was interrupted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        client.off('connect', onConnect);
        client.off('error', onError);
        client.off('close', onClose);
      };
      const onConnect = (): void => {
        settle();
        resolve();
      };
      const onError = (err: Error): void => {
        settle();
        reject(err);
      };
      const onClose = (): void => {
        settle();
        reject(new Error('connection closed by broker before CONNACK'));
      };
      client.once('connect', onConnect);
      client.once('error', onError);
      client.once('close', onClose);
    });
    const topics = settings.version === '5' ? [settings.fromJanus, responseTopic(settings)] : [settings.fromJanus];
    const grants = await client.subscribeAsync(topics, { qos: settings.qos });
    const refused = grants.find((g) => g.qos === 128);
    if (refused) throw new Error(`the broker refused the subscription to '${refused.topic}'`);
  } catch (err) {
    client.end(true);
    throw new TransportFault(`MQTT ${broker.shown}: ${withoutCredentials(connectReason(err), broker)}`);
  }
  return client;
}

/** CONNACK return codes (3.1.1) and reason codes (5) that refuse a client, in words. */
function connectReason(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (code === 4 || code === 134) return 'connection refused: bad user name or password';
  if (code === 5 || code === 135) return 'connection refused: not authorized';
  return describeError(err);
}

/**
 * One MQTT client per broker and reply topic in this process, shared by the connections to it:
 * it reads the shared reply stream once and routes each message (see shared-channel.ts), and
 * publishes their requests. Connecting costs ~100 ms, paid once per run, not per scenario.
 */
class MqttHub extends BrokerHub {
  /** The packet ids of the QoS 1 messages received (see redelivered). */
  private readonly qos1Ids = new Set<number>();

  constructor(
    key: string,
    private readonly client: MqttClient,
    readonly broker: BrokerUrl,
    readonly settings: MqttSettings,
    private readonly maxBytes: number,
  ) {
    super(() => hubs.forget(key));
    const lost = (reason: string): void => this.lose(withoutCredentials(reason, broker));
    client.on('message', (_topic: string, payload: Buffer, packet: PublishFlags) => this.receive(payload, packet));
    client.on('error', (err: Error) => lost(`connection error: ${describeError(err)}`));
    client.on('close', () => lost('connection closed by broker'));
    client.on('disconnect', () => lost('disconnected by broker'));
  }

  async publish(body: string): Promise<void> {
    if (this.gone || !this.client.connected) throw new Error('connection is not open');
    const publish: IClientPublishOptions = { qos: this.settings.qos };
    if (this.settings.version === '5') publish.properties = { responseTopic: responseTopic(this.settings) };
    await this.client.publishAsync(this.settings.toJanus, body, publish);
  }

  protected async end(lost: boolean): Promise<void> {
    if (lost) {
      this.client.end(true);
      return;
    }
    await new Promise<void>((resolve) => {
      // A broker that does not answer the DISCONNECT must not hold the run.
      const grace = setTimeout(() => this.client.end(true, () => resolve()), 2000);
      this.client.end(false, () => {
        clearTimeout(grace);
        resolve();
      });
    });
  }

  private receive(payload: Buffer, packet: PublishFlags): void {
    if (this.gone || this.redelivered(packet)) return;
    this.router.routePayload(payload, this.maxBytes, `topic '${this.settings.fromJanus}'`);
  }

  /**
   * At QoS 1 a broker that misses our PUBACK sends the message again, flagged dup, under the same
   * packet id (the library hands it over twice; QoS 2 it delivers once). A Janus reply passed on
   * twice would be a second answer to one request, which the client blames on the server (exit
   * 3): a dup under an id this client has had a message under is dropped. The broker reuses an
   * id only once it has our PUBACK, and then without the flag; the ids are 16 bits, so the set
   * stays small.
   */
  private redelivered(packet: PublishFlags): boolean {
    if (packet.qos !== 1 || packet.messageId === undefined) return false;
    const seen = this.qos1Ids.has(packet.messageId);
    this.qos1Ids.add(packet.messageId);
    return seen && packet.dup === true;
  }
}

/** What of a PUBLISH packet tells a redelivery (the library passes the packet with each message). */
type PublishFlags = { qos?: number; dup?: boolean; messageId?: number };

const hubs = new HubCache<MqttHub>();

async function hubFor(broker: BrokerUrl, settings: MqttSettings, options: ConnectOptions, maxBytes: number): Promise<MqttHub> {
  const u = broker.url;
  const key = JSON.stringify([u.protocol, u.hostname, u.port, broker.username, broker.password, settings.toJanus, settings.fromJanus, settings.qos, settings.version, settings.keepaliveS, options.tls]);
  return hubs.get(key, () => openClient(broker, settings, options).then((client) => new MqttHub(key, client, broker, settings, maxBytes)));
}
