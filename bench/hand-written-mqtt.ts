import mqtt from 'mqtt';
import { flowsOverSocket, type FlowClient } from './anchor.js';

/**
 * Over MQTT with QoS 0: one client, Janus's request and reply topics from the runner's URL, a
 * transaction map. Janus answers every MQTT client on one topic, so replies are told apart by
 * transaction, as the runner does.
 */
export const mqttFlows: FlowClient = async (url, flows) => {
  const u = new URL(url);
  const toJanus = u.searchParams.get('to_janus') ?? 'to-janus';
  const fromJanus = u.searchParams.get('from_janus') ?? 'from-janus';
  const client = await mqtt.connectAsync(`mqtt://${u.host}`, { clientId: `bench-${process.pid}-${Date.now()}`, reconnectPeriod: 0 });
  try {
    await client.subscribeAsync(fromJanus, { qos: 0 });
    await flowsOverSocket((text) => client.publish(toJanus, text, { qos: 0 }), (receive) => client.on('message', (_topic, payload) => receive(payload.toString())), flows);
  } finally {
    await client.endAsync();
  }
};
