import type { JanusTransportName } from './needs.js';

/** Where a managed Janus listens. URLs use 127.0.0.1, which the generated certificate covers. */
export interface ManagedEndpoints {
  http?: string;
  https?: string;
  ws?: string;
  wss?: string;
  adminHttp?: string;
  adminHttps?: string;
  adminWs?: string;
  adminWss?: string;
  /** Broker transports: the broker's URL with the instance's topics or queues as options. */
  mqtt?: string;
  adminMqtt?: string;
  rabbitmq?: string;
  adminRabbitmq?: string;
}

/** Janus's own TCP listeners (the broker transports connect out instead). */
export type ListenerName = Exclude<keyof ManagedEndpoints, 'mqtt' | 'adminMqtt' | 'rabbitmq' | 'adminRabbitmq'>;

/** One TCP listener of the HTTP or WebSockets transport. */
export interface Listener {
  name: ListenerName;
  family: 'http' | 'ws';
  tls: boolean;
  admin: boolean;
  port: number;
}

const HOST = '127.0.0.1';

/**
 * The listeners for a set of API transports. Admin listeners come with their family (admin
 * HTTP with http or https, admin WS with ws or wss), and an admin TLS listener with each TLS
 * transport, so scenarios can use the Admin API over the transport they are testing.
 */
export function listenerNames(transports: readonly JanusTransportName[]): ListenerName[] {
  const on = new Set(transports);
  const names: ListenerName[] = [];
  if (on.has('http')) names.push('http');
  if (on.has('https')) names.push('https');
  if (on.has('http') || on.has('https')) names.push('adminHttp');
  if (on.has('https')) names.push('adminHttps');
  if (on.has('ws')) names.push('ws');
  if (on.has('wss')) names.push('wss');
  if (on.has('ws') || on.has('wss')) names.push('adminWs');
  if (on.has('wss')) names.push('adminWss');
  return names;
}

export function makeListener(name: ListenerName, port: number): Listener {
  return {
    name,
    port,
    family: name === 'http' || name === 'https' || name.startsWith('adminHttp') ? 'http' : 'ws',
    tls: name === 'https' || name === 'wss' || name === 'adminHttps' || name === 'adminWss',
    admin: name.startsWith('admin'),
  };
}

export function listenerUrl(l: Listener): string {
  const scheme = l.family === 'http' ? (l.tls ? 'https' : 'http') : l.tls ? 'wss' : 'ws';
  const path = l.family === 'http' ? (l.admin ? '/admin' : '/janus') : '';
  return `${scheme}://${HOST}:${l.port}${path}`;
}

export function endpointsOf(listeners: readonly Listener[]): ManagedEndpoints {
  const endpoints: ManagedEndpoints = {};
  for (const l of listeners) endpoints[l.name] = listenerUrl(l);
  return endpoints;
}

export function findListener(listeners: readonly Listener[], name: ListenerName): Listener | undefined {
  return listeners.find((l) => l.name === name);
}
