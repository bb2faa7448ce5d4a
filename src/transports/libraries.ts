import type { default as WebSocketClass } from 'ws';

/**
 * The client libraries of the built-in transports, loaded on first use: a command that connects
 * nowhere (`--help`, `validate`, `schema`) never loads them, and a run over WebSocket never
 * loads the HTTP client. Each is imported once per process.
 */
let undici: Promise<typeof import('undici')> | undefined;
let ws: Promise<typeof WebSocketClass> | undefined;

export function loadUndici(): Promise<typeof import('undici')> {
  undici ??= import('undici');
  return undici;
}

export function loadWebSocket(): Promise<typeof WebSocketClass> {
  ws ??= import('ws').then((m) => m.default);
  return ws;
}

let mqtt: Promise<typeof import('mqtt')> | undefined;
let amqplib: Promise<typeof import('amqplib')> | undefined;

/** The MQTT client, for the mqtt transport only. */
export function loadMqtt(): Promise<typeof import('mqtt')> {
  mqtt ??= import('mqtt');
  return mqtt;
}

/** The AMQP client, for the rabbitmq transport only. */
export function loadAmqp(): Promise<typeof import('amqplib')> {
  amqplib ??= import('amqplib');
  return amqplib;
}
