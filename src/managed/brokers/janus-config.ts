import type { JcfgSection } from '../jcfg.js';
import type { BrokerKind } from './contract.js';

/**
 * How one managed Janus uses the shared brokers: topics and queues named after the instance
 * (several instances share a broker), the Janus transport's jcfg, and the URLs clients use.
 */
export interface BrokerRoutes {
  toJanus: string;
  fromJanus: string;
  toJanusAdmin: string;
  fromJanusAdmin: string;
  /** RabbitMQ only: the exchange Janus publishes to, so each client can bind a queue of its own. */
  exchange: string;
}

/** The Janus transport library (libjanus_<stem>.so) served by each broker. */
export const BROKER_OF_TRANSPORT: Record<'mqtt' | 'rabbitmq', BrokerKind> = { mqtt: 'mosquitto', rabbitmq: 'rabbitmq' };

/** MQTT topics are levels separated by '/'; AMQP names by convention use '.'. */
export function brokerRoutes(instance: string, transport: 'mqtt' | 'rabbitmq'): BrokerRoutes {
  const sep = transport === 'mqtt' ? '/' : '.';
  const base = `janus-scenarios${sep}${instance}`;
  return {
    toJanus: `${base}${sep}to-janus`,
    fromJanus: `${base}${sep}from-janus`,
    toJanusAdmin: `${base}${sep}to-janus-admin`,
    fromJanusAdmin: `${base}${sep}from-janus-admin`,
    exchange: base,
  };
}

/**
 * janus.transport.mqtt.jcfg: QoS 0 both ways (each QoS 1 leg costs ~44 ms, a broker round trip
 * behind Nagle and delayed ACKs), a client id of its own, no status messages.
 */
export function mqttJcfg(port: number, routes: BrokerRoutes, instance: string): Record<string, JcfgSection> {
  return {
    general: {
      enabled: true,
      json: 'plain',
      url: `tcp://127.0.0.1:${port}`,
      client_id: `janus-${instance}`,
      subscribe_topic: routes.toJanus,
      subscribe_qos: 0,
      publish_topic: routes.fromJanus,
      publish_qos: 0,
      // Janus's default keeps nothing across its reconnects, which is what a test wants.
      cleansession: 1,
    },
    admin: {
      admin_enabled: true,
      subscribe_topic: routes.toJanusAdmin,
      subscribe_qos: 0,
      publish_topic: routes.fromJanusAdmin,
      publish_qos: 0,
    },
    status: { enabled: false },
  };
}

/** janus.transport.rabbitmq.jcfg: replies go to a direct exchange, routed by the from_janus keys. */
export function rabbitmqJcfg(port: number, routes: BrokerRoutes): Record<string, JcfgSection> {
  return {
    general: {
      enabled: true,
      json: 'plain',
      host: '127.0.0.1',
      port,
      username: 'guest',
      password: 'guest',
      to_janus: routes.toJanus,
      from_janus: routes.fromJanus,
      janus_exchange: routes.exchange,
      janus_exchange_type: 'direct',
      // Replies go to the exchange; a from_janus queue would only fill up unread.
      declare_outgoing_queue: false,
    },
    admin: {
      admin_enabled: true,
      to_janus_admin: routes.toJanusAdmin,
      from_janus_admin: routes.fromJanusAdmin,
      declare_outgoing_queue_admin: false,
    },
  };
}

export function mqttUrl(port: number, routes: BrokerRoutes, admin: boolean): string {
  const query = new URLSearchParams({ to_janus: admin ? routes.toJanusAdmin : routes.toJanus, from_janus: admin ? routes.fromJanusAdmin : routes.fromJanus });
  return `mqtt://127.0.0.1:${port}?${query}`;
}

export function rabbitmqUrl(port: number, routes: BrokerRoutes, admin: boolean): string {
  const query = new URLSearchParams({
    to_janus: admin ? routes.toJanusAdmin : routes.toJanus,
    from_janus: admin ? routes.fromJanusAdmin : routes.fromJanus,
    exchange: routes.exchange,
  });
  return `amqp://127.0.0.1:${port}/?${query}`;
}

/**
 * Log lines that show the transport is serving: Janus subscribes to its MQTT topics only after
 * connecting (a request published before is lost); RabbitMQ connects while loading.
 */
export function readyLines(transport: 'mqtt' | 'rabbitmq', routes: BrokerRoutes): string[] {
  return transport === 'mqtt'
    ? [`successfully subscribed to MQTT topic: ${routes.toJanus}`, `successfully subscribed to MQTT topic: ${routes.toJanusAdmin}`]
    : ['Setup of RabbitMQ integration completed'];
}

/** Log lines after which the transport will never serve. */
export const TRANSPORT_FAILURE = /Can't connect to RabbitMQ server.*|Can't connect to MQTT broker.*|Missing .* for (MQTT|RabbitMQ) integration.*/;
