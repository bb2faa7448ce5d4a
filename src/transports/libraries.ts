import { createRequire } from 'node:module';
import { TransportFault } from './contract.js';
import { oneLine } from './wire.js';
import type { default as WebSocketClass } from 'ws';

/** node:http or node:https: the same request(), over TCP or TLS (the sockets come from http-pool.ts). */
export type NodeHttp = Pick<typeof import('node:http'), 'request'>;
/** node:net, for the http transport's own connections (node:http has loaded it by then). */
export type NodeNet = Pick<typeof import('node:net'), 'connect' | 'isIP'>;
/** node:tls, for the https transport's own connections. */
export type NodeTls = Pick<typeof import('node:tls'), 'connect'>;

/**
 * The client libraries of the built-in transports, loaded on first use: a command that connects
 * nowhere (`--help`, `validate`, `schema`) never loads them, and a run over WebSocket never
 * loads the HTTP client. Each is imported once per process.
 */
let http: Promise<NodeHttp> | undefined;
let https: Promise<NodeHttp> | undefined;
let tls: Promise<NodeTls> | undefined;
let net: Promise<NodeNet> | undefined;
let ws: Promise<typeof WebSocketClass> | undefined;

/**
 * Node's own HTTP client (the http/https transports, the http step): built in, yet importing
 * node:https (TLS) costs milliseconds that a run over plain HTTP or WebSocket need not pay.
 */
export function loadNodeHttp(secure: boolean): Promise<NodeHttp> {
  if (secure) return (https ??= builtin('node:https'));
  return (http ??= builtin('node:http'));
}

export function loadNodeNet(): Promise<NodeNet> {
  return (net ??= builtin('node:net'));
}

export function loadNodeTls(): Promise<NodeTls> {
  return (tls ??= builtin('node:tls'));
}

/**
 * A module of Node's own, required: the first import() of a process starts Node's ES module
 * loader (4 to 5 ms, a dozen modules of its own), which a command that imports nothing else
 * need not pay. Promised all the same, as the packages beside them are.
 */
const requireBuiltin = createRequire(import.meta.url);

function builtin<T>(name: string): Promise<T> {
  return Promise.resolve().then(() => requireBuiltin(name) as T);
}

export function loadWebSocket(): Promise<typeof WebSocketClass> {
  ws ??= import('../vendor/ws.js').then((m) => m.default);
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

/**
 * Native bindings (Unix sockets, Nanomsg), CommonJS packages without type definitions: the
 * caller names the part it uses. A missing one is a one-line fault naming the package and how to
 * get it (nanomsg is an optional dependency: it is built with node-gyp, which needs a compiler).
 */
const natives = new Map<string, Promise<unknown>>();
/** The bindings loaded so far: a connection then opens within the call that asks for it. */
const loadedNatives = new Map<string, unknown>();

export function loadNative<T>(pkg: string, howToGet: string): Promise<T> {
  let loading = natives.get(pkg);
  if (!loading) {
    // A specifier in a variable: TypeScript looks for no type definitions of the package.
    const specifier: string = pkg;
    loading = import(specifier).then(
      (m: { default?: unknown }) => {
        const module = m.default ?? m;
        loadedNatives.set(pkg, module);
        return module;
      },
      (err: NodeJS.ErrnoException) => {
        const missing = err?.code === 'ERR_MODULE_NOT_FOUND' && new RegExp(`'${pkg}'`).test(err.message);
        throw new TransportFault(missing ? `the ${pkg} package is not installed; ${howToGet}` : `the ${pkg} package cannot be loaded (${oneLine(String(err?.message ?? err), 160)}); ${howToGet}`);
      },
    );
    natives.set(pkg, loading);
  }
  return loading as Promise<T>;
}

/** A binding once loadNative has loaded it; undefined before. */
export function loadedNative<T>(pkg: string): T | undefined {
  return loadedNatives.get(pkg) as T | undefined;
}
