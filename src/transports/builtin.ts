import type { TransportDefinition } from './contract.js';
import { httpTransport } from './http.js';
import { mqttTransport } from './mqtt.js';
import { rabbitmqTransport } from './rabbitmq.js';
import { nanomsgTransport } from './nanomsg.js';
import { unixTransport } from './unix.js';
import { wsTransport } from './ws.js';

/**
 * The transports janus-scenarios ships with; the TLS variants differ only in scheme. Unix
 * sockets take SOCK_DGRAM from their URL (`?type=dgram`); the managed Janus uses SOCK_SEQPACKET.
 */
export const BUILTIN_TRANSPORTS: readonly TransportDefinition[] = [
  httpTransport({ name: 'http', schemes: ['http'], secure: false }),
  httpTransport({ name: 'https', schemes: ['https'], secure: true }),
  wsTransport({ name: 'ws', schemes: ['ws'], secure: false }),
  wsTransport({ name: 'wss', schemes: ['wss'], secure: true }),
  mqttTransport({ name: 'mqtt' }),
  rabbitmqTransport({ name: 'rabbitmq' }),
  unixTransport({ name: 'unix' }),
  nanomsgTransport({ name: 'nanomsg' }),
];
