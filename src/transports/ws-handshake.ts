import { createHash, randomFillSync } from 'node:crypto';
import type { Socket } from 'node:net';
import type WebSocket from 'ws';
import type { TlsOptions } from './contract.js';
import type { NodeNet, NodeTls } from './libraries.js';

/**
 * The WebSocket opening handshake (RFC 6455, 4.1) made on a TCP or TLS socket of our own, and
 * ws's WebSocket put on that socket once the server has answered it. ws's own client makes the
 * upgrade with node:http (a ClientRequest with its headers' checks, the HTTP parser, an
 * IncomingMessage): for the one request and the one answer of a handshake that cost about
 * 65 to 130 µs of CPU a connection more than writing the request and reading the answer here
 * (measured in one process against a local ws server, open, one message, close: 612 against
 * 481 to 549 µs), as much as a short scenario's own work.
 *
 * The request is the one ws sends (no extension offered: Janus's libwebsockets accepts none),
 * and the answer is checked as ws checks it; a failure is an Error worded as ws and node:http
 * word theirs, which the transport turns into its reasons.
 */
export interface HandshakeTarget {
  url: URL;
  protocol: string;
  tls: TlsOptions;
  /** ws closes with 1009 past this, instead of buffering a frame whole. */
  maxPayload: number;
}

/** The modules a handshake uses, loaded by the transport (node:tls only for wss). */
export interface HandshakeLibraries {
  WebSocket: typeof WebSocket;
  net: NodeNet;
  tls?: NodeTls;
}

/** What a handshake ends with: the open WebSocket and its socket, or why it failed. Once. */
export interface HandshakeEnd {
  opened(socket: WebSocket, tcp: Socket): void;
  failed(err: Error): void;
}

/**
 * Connects and makes the handshake; returns the socket, for its caller to unref (a spare) or
 * destroy (a time limit, an interrupt: `abandon`). Nothing is reported after an abandon.
 */
export function openHandshake(target: HandshakeTarget, libraries: HandshakeLibraries, end: HandshakeEnd): { tcp: Socket; abandon(): void } {
  const key = nextKey();
  const tcp = connectTo(target, libraries);
  let answer: Buffer | undefined;
  let over = false;
  const finish = (): void => {
    over = true;
    tcp.off('data', onData).off('end', onEnd).off('close', onEnd).off('error', onError);
  };
  const stop = (): boolean => {
    if (over) return false;
    finish();
    tcp.on('error', () => undefined);
    tcp.destroy();
    return true;
  };
  const fail = (err: Error): void => void (stop() && end.failed(err));
  const onError = (err: Error): void => fail(err);
  // node:http's words for a server that closed without answering.
  const onEnd = (): void => fail(new Error('socket hang up'));
  const onData = (chunk: Buffer): void => {
    answer = answer === undefined ? chunk : Buffer.concat([answer, chunk]);
    // As node:http's parser: another protocol's server (an SSH banner) fails at its first bytes.
    if (!startsAsHttp(answer)) return fail(notHttp());
    const headEnd = answer.indexOf('\r\n\r\n');
    if (headEnd < 0) {
      if (answer.length > MAX_ANSWER_HEAD) fail(new Error(`the answer to the upgrade has a header over ${MAX_ANSWER_HEAD / 1024} KiB`));
      return;
    }
    const problem = answerProblem(answer.toString('latin1', 0, headEnd), key, target.protocol);
    if (problem !== undefined) return fail(problem);
    let socket: UnopenedWebSocket;
    try {
      socket = clientWebSocket(libraries.WebSocket, target.protocol);
    } catch (err) {
      return fail(err as Error);
    }
    // Ours off first: ws takes the bytes after the answer's header (a frame that came with it) at once.
    finish();
    socket.setSocket(tcp, answer.subarray(headEnd + 4), { allowSynchronousEvents: true, maxBufferedChunks: 256 * 1024, maxFragments: 16 * 1024, maxPayload: target.maxPayload, skipUTF8Validation: false });
    end.opened(socket as unknown as WebSocket, tcp);
  };
  tcp.on('data', onData).on('end', onEnd).on('close', onEnd).on('error', onError);
  tcp.write(requestText(target, key));
  return { tcp, abandon: () => void stop() };
}

/** node:http's default limit on an answer's header. */
const MAX_ANSWER_HEAD = 16 * 1024;

function connectTo({ url, tls }: HandshakeTarget, libraries: HandshakeLibraries): Socket {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const secure = url.protocol === 'wss:';
  const port = Number(url.port || (secure ? 443 : 80));
  if (!secure) return libraries.net.connect({ host, port, noDelay: true });
  const socket = libraries.tls!.connect({
    host,
    port,
    // As node:https (and ws) connect: SNI unless the host is an IP address.
    ...(libraries.net.isIP(host) === 0 && { servername: host }),
    ca: tls.ca,
    rejectUnauthorized: !tls.insecure,
  });
  socket.setNoDelay(true);
  return socket;
}

/** The upgrade request ws sends: the same header fields, the URL's user and password as Basic credentials as node:http sends them. */
function requestText({ url, protocol }: HandshakeTarget, key: string): string {
  const credentials = url.username || url.password ? `Authorization: Basic ${Buffer.from(`${url.username}:${url.password}`).toString('base64')}\r\n` : '';
  return `GET ${url.pathname}${url.search} HTTP/1.1\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${key}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Protocol: ${protocol}\r\nHost: ${url.host}\r\n${credentials}\r\n`;
}

/** What is wrong with the answer's status line and header fields, in ws's and node:http's words; undefined for a good 101. */
function answerProblem(head: string, key: string, protocol: string): Error | undefined {
  const lines = head.split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(lines[0]!);
  if (status === null) return notHttp();
  if (status[1] !== '101') return new Error(`Unexpected server response: ${Number(status[1])}`);
  const fields = headerFields(lines);
  if (fields.get('upgrade')?.toLowerCase() !== 'websocket') return new Error('Invalid Upgrade header');
  if (fields.get('sec-websocket-accept') !== acceptFor(key)) return new Error('Invalid Sec-WebSocket-Accept header');
  const chosen = fields.get('sec-websocket-protocol');
  if (chosen === undefined) return new Error('Server sent no subprotocol');
  if (chosen !== protocol) return new Error('Server sent an invalid subprotocol');
  if (fields.has('sec-websocket-extensions')) return new Error('Server sent a Sec-WebSocket-Extensions header but no extension was requested');
  return undefined;
}

const HTTP_START = Buffer.from('HTTP/');

function startsAsHttp(answer: Buffer): boolean {
  const n = Math.min(answer.length, HTTP_START.length);
  return answer.compare(HTTP_START, 0, n, 0, n) === 0;
}

/** node:http's error for an answer that is not HTTP, with its code (the transport words it). */
function notHttp(): Error {
  return Object.assign(new Error('Parse Error: Expected HTTP/'), { code: 'HPE_INVALID_CONSTANT' });
}

/** Header fields by lower-case name; a field given twice has its values joined with ", " (as node:http does for most). */
function headerFields(lines: string[]): Map<string, string> {
  const fields = new Map<string, string>();
  for (let i = 1; i < lines.length; i++) {
    const colon = lines[i]!.indexOf(':');
    if (colon <= 0) continue;
    const name = lines[i]!.slice(0, colon).trim().toLowerCase();
    const value = lines[i]!.slice(colon + 1).trim();
    const before = fields.get(name);
    fields.set(name, before === undefined ? value : `${before}, ${value}`);
  }
  return fields;
}

const ACCEPT_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function acceptFor(key: string): string {
  return createHash('sha1').update(key + ACCEPT_GUID).digest('base64');
}

/**
 * A handshake key: 16 random bytes, base64. Taken from a pool filled 64 keys at a time, as ws
 * takes its frames' masks: randomBytes(16) alone costs a job of Node's crypto each time.
 */
function nextKey(): string {
  if (keyAt === keyPool.length) {
    randomFillSync(keyPool);
    keyAt = 0;
  }
  keyAt += 16;
  return keyPool.toString('base64', keyAt - 16, keyAt);
}

const keyPool = Buffer.alloc(16 * 64);
let keyAt = keyPool.length;

/** What of ws's WebSocket this uses beyond its typings: how its server side puts one on a socket. */
interface UnopenedWebSocket {
  _isServer: boolean;
  _protocol: string;
  setSocket(socket: Socket, head: Buffer, options: Record<string, unknown>): void;
}

/**
 * A WebSocket of ws, to be put on the socket the handshake was made on (setSocket), as ws's
 * client puts one there after its own handshake, with the same settings. One made without an
 * address is a server's (it would not mask its frames): it is made a client's first.
 */
function clientWebSocket(WebSocketClass: typeof WebSocket, protocol: string): UnopenedWebSocket {
  const socket = new (WebSocketClass as unknown as new (address: null, protocols: undefined, options: object) => UnopenedWebSocket)(null, undefined, { autoPong: true, maxPendingAutoPongs: 60, closeTimeout: 30_000 });
  // A ws whose WebSocket no longer has these would send unmasked frames: fail at once instead.
  if (socket._isServer !== true || typeof socket.setSocket !== 'function') throw new Error('this version of ws cannot be given an open socket');
  socket._isServer = false;
  socket._protocol = protocol;
  return socket;
}
