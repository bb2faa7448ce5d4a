import type { Agent, ClientRequest, IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';

import type { TlsOptions } from './contract.js';
import { TooLargeError } from './limits.js';
import { SocketPool, type OpenSocket } from './http-pool.js';
import { loadNodeHttp, loadNodeNet, loadNodeTls, type NodeHttp, type NodeNet, type NodeTls } from './libraries.js';

/**
 * The HTTP client of the http/https transports and the `http` step, on Node's own node:http and
 * node:https: built into Node (its C llhttp parser), so a run over HTTP loads no client library.
 * One exchange is one request and its whole reply body, read under a size limit, ended early
 * only by its caller (HttpCall.abort) or by the connection failing.
 */

/** Where requests go: the parts of a URL node:http takes, and the process's pool of sockets for it (its agent). */
export interface HttpOrigin {
  request: NodeHttp['request'];
  agent: Agent;
  /** Without the brackets of an IPv6 literal: node:http adds them back in the Host header. */
  hostname: string;
  port: number;
}

export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** No connection (TCP, and TLS for https) within the connect timeout. */
export class ConnectTimeoutError extends Error {
  readonly code = 'ERR_CONNECT_TIMEOUT';
  constructor(timeoutMs: number) {
    super(`connect timed out after ${timeoutMs} ms`);
  }
}

/** The server closed the connection before the reply was complete ("socket hang up", "aborted"). */
export class IncompleteReplyError extends Error {
  readonly code = 'ERR_INCOMPLETE_REPLY';
  constructor() {
    super('connection closed by server before a complete reply');
  }
}

/**
 * An idle kept-alive socket is closed after this long (undici's default): well before servers close
 * theirs (Janus 1.1.2: 120 s, nginx: 75 s), so a request rarely meets a socket the server is
 * closing at that very moment.
 */
const IDLE_SOCKET_MS = 4_000;
/** TCP keep-alive probes on an idle connection after this long, as node:http's Agent sends them. */
const TCP_KEEPALIVE_MS = 1_000;

/**
 * One pool of kept-alive sockets per scheme, TLS setting and connect timeout for the whole
 * process: HTTP connections to Janus carry no session state, and reusing kept-alive sockets saves
 * a TCP (and TLS) handshake per scenario. Idle sockets do not keep the process alive.
 *
 * No cap on sockets per server: every tracked session holds a long-poll GET open for up to 30 s
 * beside its POSTs, and a load run has up to 20,000 users; a cap below that would queue POSTs
 * behind held polls until they time out. What bounds them is the number of sessions the run itself opens.
 */
const pools = new Map<string, SocketPool>();

/** The origin of an http: or https: URL, with the process's pool for its TLS setting. */
export async function httpOrigin(url: URL, tls: TlsOptions, connectTimeoutMs: number): Promise<HttpOrigin> {
  const secure = url.protocol === 'https:';
  const client = await loadNodeHttp(secure);
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
  return { request: client.request, agent: await poolFor(secure, tls, connectTimeoutMs), hostname, port };
}

async function poolFor(secure: boolean, tls: TlsOptions, connectTimeoutMs: number): Promise<Agent> {
  const key = JSON.stringify(secure ? [true, tls.ca ?? [], tls.insecure ?? false, connectTimeoutMs] : [false, connectTimeoutMs]);
  let pool = pools.get(key);
  if (!pool) {
    const net = await loadNodeNet();
    const open = secure ? tlsOpener(await loadNodeTls(), net, tls, connectTimeoutMs) : tcpOpener(net, connectTimeoutMs);
    pool = new SocketPool(secure ? 'https:' : 'http:', secure ? 443 : 80, open, IDLE_SOCKET_MS);
    pools.set(key, pool);
  }
  // node:http takes any object with an Agent's addRequest() and the fields ClientRequest reads.
  return pool as unknown as Agent;
}

function tcpOpener(net: NodeNet, connectTimeoutMs: number): OpenSocket {
  return (host, port) => limitConnectTime(net.connect({ host, port, noDelay: true, keepAlive: true, keepAliveInitialDelay: TCP_KEEPALIVE_MS }), 'connect', connectTimeoutMs);
}

/** As node:https's Agent connects: SNI unless the host is an IP address, HTTP/1.1 by ALPN, the last session resumed. */
function tlsOpener(tls: NodeTls, net: NodeNet, settings: TlsOptions, connectTimeoutMs: number): OpenSocket {
  const sessions = new Map<string, Buffer>();
  return (host, port) => {
    const origin = `${host}:${port}`;
    const socket = tls.connect({
      host,
      port,
      ...(net.isIP(host) === 0 && { servername: host }),
      ca: settings.ca,
      rejectUnauthorized: !settings.insecure,
      ALPNProtocols: ['http/1.1'],
      session: sessions.get(origin),
    });
    // tls.connect takes these as calls, not options (they apply once the TCP socket is there).
    socket.setNoDelay(true);
    socket.setKeepAlive(true, TCP_KEEPALIVE_MS);
    socket.on('session', (session: Buffer) => sessions.set(origin, session));
    return limitConnectTime(socket, 'secureConnect', connectTimeoutMs);
  };
}

/** node:http has no connect timeout of its own: each new socket gets one, up to its handshake. */
function limitConnectTime(socket: Socket, connected: 'connect' | 'secureConnect', timeoutMs: number): Socket {
  const timer = setTimeout(() => socket.destroy(new ConnectTimeoutError(timeoutMs)), timeoutMs);
  const done = (): void => {
    clearTimeout(timer);
    socket.off(connected, done);
    socket.off('close', done);
  };
  socket.once(connected, done);
  socket.once('close', done);
  return socket;
}

/**
 * One request and its reply: `reply` resolves with the status, headers and whole body, or rejects
 * with the network error, TooLargeError, or the reason given to abort(). A body larger than the
 * limit is never buffered: the exchange ends at the first byte past it.
 */
export class HttpCall {
  readonly reply: Promise<HttpReply>;
  private request?: ClientRequest;
  private settled = false;
  private resolveReply!: (reply: HttpReply) => void;
  private rejectReply!: (err: unknown) => void;

  constructor(origin: HttpOrigin, method: string, path: string, headers: OutgoingHttpHeaders | undefined, body: string | undefined, private readonly limitBytes: number) {
    this.reply = new Promise<HttpReply>((resolve, reject) => {
      this.resolveReply = resolve;
      this.rejectReply = reject;
    });
    let request: ClientRequest;
    try {
      request = origin.request({ agent: origin.agent, hostname: origin.hostname, port: origin.port, method, path, headers });
    } catch (err) {
      // node:http checks the method, path and headers before any I/O (a header with a newline).
      this.fail(err);
      return;
    }
    this.request = request;
    request.on('error', (err) => this.fail(networkError(err)));
    request.on('response', (response: IncomingMessage) => this.read(response));
    request.end(body);
  }

  /** Ends the exchange now with `reason`, unless its reply is already complete. */
  abort(reason: unknown): void {
    if (this.settled) return;
    this.fail(reason);
    this.request?.destroy();
  }

  private read(response: IncomingMessage): void {
    const limit = this.limitBytes;
    response.on('error', (err) => this.fail(networkError(err)));
    // An announced length past the limit: refused before a byte of the body is read.
    if (Number(response.headers['content-length']) > limit) {
      this.tooLarge();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) this.tooLarge();
      else chunks.push(chunk);
    });
    response.on('end', () => {
      if (this.settled) return;
      this.settled = true;
      const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
      this.resolveReply({ status: response.statusCode ?? 0, headers: response.headers, text });
    });
    // A body cut off: Node 20 ends some without 'error' (the socket closed while paused).
    response.on('close', () => {
      if (!response.complete) this.fail(new IncompleteReplyError());
    });
  }

  private tooLarge(): void {
    this.abort(new TooLargeError(this.limitBytes));
  }

  private fail(err: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.rejectReply(err);
  }
}

/**
 * node:http's own errors for a connection the server closed early ("socket hang up" before the
 * reply, "aborted" during its body) carry ECONNRESET like a real TCP reset; they are told apart by
 * the system call a real one names.
 */
function networkError(err: Error & { code?: string; syscall?: string }): Error {
  if (err.code === 'ECONNRESET' && err.syscall === undefined) return new IncompleteReplyError();
  return err;
}

/** A kept-alive socket closed by the server just as it was reused: worth one more try. */
export function isResetError(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return code === 'ECONNRESET' || code === 'EPIPE' || err instanceof IncompleteReplyError;
}
