import type { Socket } from 'node:net';
import type WebSocket from 'ws';
import type { JanusMessage, Route } from '../protocol/messages.js';
import {
  TransportFault,
  type CloseRequest,
  type ConnectionClose,
  type ConnectOptions,
  type TransportConnection,
  type TransportDefinition,
  type TransportSink,
} from './contract.js';
import { describeBytes, MAX_MESSAGE_BYTES } from './limits.js';
import { decodeMessages, describeError, displayUrlOf, parsedUrl, routedText } from './wire.js';
import { loadNodeNet, loadNodeTls, loadWebSocket } from './libraries.js';
import { openHandshake, type HandshakeLibraries } from './ws-handshake.js';
import { closeHandshake, SpareSockets, type OpenedSpare } from './ws-spare.js';

/**
 * Janus WebSocket transport: one socket per connection, ids in the JSON body, replies and
 * events pushed on the same socket (so send() resolves with undefined).
 */

export interface WsTransportOptions {
  name: string;
  schemes: readonly string[];
  secure: boolean;
  /** A frame larger than this is a fault (default MAX_MESSAGE_BYTES). */
  maxMessageBytes?: number;
}

/** Why an opening ended when its caller's signal did. */
const INTERRUPTED = 'the opening was interrupted';

export function wsTransport(options: WsTransportOptions): TransportDefinition {
  const spares = new SpareSockets();
  const maxBytes = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  return {
    name: options.name,
    schemes: options.schemes,
    secure: options.secure,
    connection: { closeCodes: true },
    connect: async (connectOptions, sink) => {
      const key = connectOptions.spare === true ? spareKey(connectOptions) : undefined;
      const spare = key === undefined || connectOptions.signal?.aborted ? undefined : spares.take(key);
      // The spare outlives this connection's caller: it answers to no signal of theirs.
      const next = key === undefined ? undefined : () => spares.replenish(key, (opened) => openSocket({ ...connectOptions, signal: undefined }, maxBytes, (socket, _shown, tcp) => opened({ socket, tcp }), true));
      const connection = (socket: WebSocket, shownUrl: string) => new WsConnection(socket, shownUrl, sink, maxBytes, connectOptions.wireFrames === true, next);
      return spare ? connection(spare, displayUrlOf(connectOptions.url)) : openSocket(connectOptions, maxBytes, connection);
    },
    release: () => spares.release(),
  };
}

/** Connections that differ in none of these are alike: a spare opened for one serves the other. */
function spareKey(options: ConnectOptions): string {
  const { ca, insecure } = options.tls;
  return ca === undefined && insecure === undefined ? `${options.api} ${options.url}` : `${options.api} ${options.url} ${JSON.stringify([ca, insecure])}`;
}

/** Janus refuses the handshake unless the subprotocol matches the port's API. */
export function subprotocolFor(api: ConnectOptions['api']): string {
  return api === 'admin' ? 'janus-admin-protocol' : 'janus-protocol';
}

/**
 * Opens a WebSocket (see ws-handshake.ts) and gives it to `opened` as it opens, not a turn
 * later: ws emits what came with the handshake's answer (a frame, a close) a tick after, and it
 * must find the socket listened to (a connection's listeners, a spare's watch). `ahead`: a spare
 * (see SpareSockets), so neither its TCP socket nor its timer keeps the process alive; `opened`
 * gets the TCP socket to ref when a client takes it.
 */
async function openSocket<T>(options: ConnectOptions, maxPayload: number, opened: (socket: WebSocket, shownUrl: string, tcp: Socket) => T, ahead = false): Promise<T> {
  let parsed: { url: URL; shown: string };
  try {
    parsed = parsedUrl(options.url);
  } catch {
    throw new TransportFault(`WebSocket: invalid URL ${JSON.stringify(options.url)}`);
  }
  const { url, shown: shownUrl } = parsed;
  const secure = url.protocol === 'wss:';
  if (!secure && url.protocol !== 'ws:') throw new TransportFault(`WebSocket: ${shownUrl} is not a ws:// or wss:// URL`);
  const protocol = subprotocolFor(options.api);
  const libraries = (secure ? librariesSecure : librariesPlain) ?? await loadLibraries(secure);
  const { signal } = options;
  if (signal?.aborted) throw new TransportFault(`WebSocket ${shownUrl}: ${INTERRUPTED}`);
  return new Promise((resolve, reject) => {
    // One timer for the whole opening (DNS, TCP, TLS, the HTTP upgrade).
    const timer = setTimeout(() => fail(`no handshake within ${options.connectTimeoutMs} ms`), options.connectTimeoutMs);
    if (ahead) timer.unref();
    const onAbort = () => fail(INTERRUPTED);
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (reason: string) => {
      settle();
      handshake.abandon();
      reject(new TransportFault(`WebSocket ${shownUrl}: ${reason}`));
    };
    const handshake = openHandshake({ url, protocol, tls: options.tls, maxPayload }, libraries, {
      opened: (socket, tcp) => {
        settle();
        resolve(opened(socket, shownUrl, tcp));
      },
      failed: (err) => fail(handshakeReason(err, protocol, !secure)),
    });
    if (ahead) handshake.tcp.unref();
  });
}

/** What a handshake needs, once loaded: later openings start within the call that asks for them. */
let librariesPlain: HandshakeLibraries | undefined;
let librariesSecure: HandshakeLibraries | undefined;

async function loadLibraries(secure: boolean): Promise<HandshakeLibraries> {
  const [WebSocketClass, net, tls] = await Promise.all([loadWebSocket(), loadNodeNet(), secure ? loadNodeTls() : undefined]);
  const libraries = { WebSocket: WebSocketClass, net, tls };
  if (secure) librariesSecure = libraries;
  else librariesPlain = libraries;
  return libraries;
}

function handshakeReason(err: Error, protocol: string, plain: boolean): string {
  // Janus drops a handshake with a missing or wrong subprotocol without answering.
  if (err.message === 'socket hang up') {
    return `handshake dropped by server (socket hang up; does this port speak "${protocol}"?)`;
  }
  // Janus's wss port resets a plain handshake: the usual mistake behind it is ws:// for wss://.
  const tlsPort = plain && (err as { code?: unknown }).code === 'ECONNRESET' ? ' (is it a wss port? give wss://)' : '';
  // An HTTP status where the upgrade should be: a plain web server, Janus's HTTP port among them (its 404).
  const httpPort = /^Unexpected server response: \d+$/.test(err.message) ? ` (the port answers plain HTTP: is it Janus's HTTP port? give ${plain ? 'http' : 'https'}://HOST:PORT/janus)` : '';
  return `handshake failed: ${describeError(err)}${tlsPort}${httpPort}`;
}

class WsConnection implements TransportConnection {
  readonly ignoresSignal = true;
  private closed = false;
  private faulted = false;
  private closing?: Promise<void>;

  constructor(
    private readonly socket: WebSocket,
    private readonly shownUrl: string,
    private readonly sink: TransportSink,
    private readonly maxBytes: number,
    private readonly wireFrames: boolean,
    /** Opens the next connection ahead, as this one closes (see SpareSockets). */
    private readonly openNext?: () => void,
  ) {
    socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => this.receive(data, isBinary));
    socket.on('error', (err: Error) => this.reportOnce(this.errorReason(err)));
    socket.on('close', (code: number, reason: Buffer) => {
      const text = reason.toString('utf8');
      const why = text.length > 0 ? `, ${text}` : '';
      this.reportOnce(`connection closed by server (code ${code}${why})`, { by: 'server', code, ...(text.length > 0 && { reason: text }) });
    });
  }

  send(payload: JanusMessage | string, route: Route): Promise<JanusMessage | undefined> {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) {
      return Promise.reject(new TransportFault(`WebSocket ${this.shownUrl}: connection is not open`));
    }
    // Exactly the JSON text: Janus 1.1.2 drops a frame with trailing whitespace (error 454).
    const frame = typeof payload === 'string' ? payload : routedText(payload, route);
    // No write callback: a socket that fails under a write emits 'error' or 'close', a fault of
    // the connection that ends every request waiting on it; a callback per frame costs a tick.
    try {
      this.socket.send(frame);
    } catch (err) {
      return Promise.reject(new TransportFault(`WebSocket ${this.shownUrl}: send failed: ${describeError(err)}`));
    }
    return Promise.resolve(undefined);
  }

  close(how: CloseRequest = {}): Promise<void> {
    this.closing ??= this.shutdown(how);
    return this.closing;
  }

  private async shutdown(how: CloseRequest): Promise<void> {
    this.closed = true;
    if (this.socket.readyState === this.socket.CLOSED) return;
    // A connection the server still serves is closed by its client: the next one may follow.
    if (!how.now && !this.faulted && this.socket.readyState === this.socket.OPEN) this.openNext?.();
    if (!how.now) return closeHandshake(this.socket, how.code, how.reason, true);
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.terminate();
    });
  }

  private receive(data: WebSocket.RawData, binary: boolean): void {
    if (this.closed) return;
    const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    const text = bytes.toString('utf8');
    let messages: JanusMessage[];
    try {
      messages = decodeMessages(text, true, this.wireFrames ? { binary } : undefined);
    } catch (err) {
      this.sink.fault(new TransportFault(`WebSocket ${this.shownUrl}: ${(err as Error).message}`));
      return;
    }
    const share = bytes.length / messages.length;
    for (const message of messages) this.sink.message(message, share);
  }

  private errorReason(err: Error): string {
    if ((err as { code?: unknown }).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
      return `a frame larger than ${describeBytes(this.maxBytes)} (the limit for one message); connection closed`;
    }
    return `connection error: ${describeError(err)}`;
  }

  /** A socket that dies emits 'error' and then 'close': the caller hears about it once. */
  private reportOnce(reason: string, closed?: ConnectionClose): void {
    if (this.closed || this.faulted) return;
    this.faulted = true;
    this.sink.fault(new TransportFault(`WebSocket ${this.shownUrl}: ${reason}`, closed));
  }
}
