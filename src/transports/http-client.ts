import type { Agent, ClientRequest, IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

import type { TlsOptions } from './contract.js';
import { TooLargeError } from './limits.js';
import { loadNodeHttp, type NodeHttp } from './libraries.js';

/**
 * The HTTP client of the http/https transports and the `http` step, on Node's own node:http and
 * node:https: built into Node (its C llhttp parser), so a run over HTTP loads no client library.
 * One exchange is one request and its whole reply body, read under a size limit, ended early
 * only by its caller (HttpCall.abort) or by the connection failing.
 */

/** Where requests go: the parts of a URL node:http takes, and the process's agent for it. */
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

/**
 * One keep-alive Agent per scheme, TLS setting and connect timeout for the whole process: HTTP
 * connections to Janus carry no session state, and reusing kept-alive sockets saves a TCP (and
 * TLS) handshake per scenario. Idle sockets do not keep the process alive (node:http unrefs them).
 *
 * No cap on sockets per server (maxSockets stays Infinity): every tracked session holds a
 * long-poll GET open for up to 30 s beside its POSTs, and a load run has up to 20,000 users; a
 * cap below that would queue POSTs behind held polls until they time out. What bounds them is
 * the number of sessions the run itself opens.
 */
const agents = new Map<string, Agent>();

/** The origin of an http: or https: URL, with the process's agent for its TLS setting. */
export async function httpOrigin(url: URL, tls: TlsOptions, connectTimeoutMs: number): Promise<HttpOrigin> {
  const secure = url.protocol === 'https:';
  const client = await loadNodeHttp(secure);
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
  return { request: client.request, agent: agentFor(client, secure, tls, connectTimeoutMs), hostname, port };
}

function agentFor(client: NodeHttp, secure: boolean, tls: TlsOptions, connectTimeoutMs: number): Agent {
  const key = JSON.stringify(secure ? [true, tls.ca ?? [], tls.insecure ?? false, connectTimeoutMs] : [false, connectTimeoutMs]);
  let agent = agents.get(key);
  if (!agent) {
    const options = { keepAlive: true, maxSockets: Infinity };
    // node:https's Agent takes the TLS options of the sockets it opens; node:http's has none.
    const tlsOptions = { ...options, ca: tls.ca, rejectUnauthorized: !tls.insecure };
    agent = new client.Agent(secure ? tlsOptions : options);
    limitConnectTime(agent, secure ? 'secureConnect' : 'connect', connectTimeoutMs);
    closeWhenIdle(agent);
    agents.set(key, agent);
  }
  return agent;
}

/** node:http has no connect timeout of its own: each new socket gets one, up to its handshake. */
function limitConnectTime(agent: Agent, connected: 'connect' | 'secureConnect', timeoutMs: number): void {
  const create = agent.createConnection.bind(agent);
  agent.createConnection = (options, callback) => {
    const socket = create(options, callback);
    if (socket) {
      const timer = setTimeout(() => socket.destroy(new ConnectTimeoutError(timeoutMs)), timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        socket.off(connected, done);
        socket.off('close', done);
      };
      socket.once(connected, done);
      socket.once('close', done);
    }
    return socket as Duplex;
  };
}

/**
 * An idle socket's timer runs only while it is free: the agent's own `timeout` option would keep
 * one on every socket in use too, refreshed by each read and write of every request.
 */
function closeWhenIdle(agent: Agent): void {
  // Typed as returning nothing, yet node:http reads its answer: false closes the socket.
  const pooled = agent as unknown as { keepSocketAlive(socket: Socket): boolean; reuseSocket(socket: Socket, request: ClientRequest): void };
  const keepSocketAlive = pooled.keepSocketAlive.bind(agent);
  const reuseSocket = pooled.reuseSocket.bind(agent);
  pooled.keepSocketAlive = (socket) => {
    if (!keepSocketAlive(socket)) return false;
    // node:http destroys a free socket whose timer fires.
    socket.setTimeout(IDLE_SOCKET_MS);
    return true;
  };
  pooled.reuseSocket = (socket, request) => {
    socket.setTimeout(0);
    reuseSocket(socket, request);
  };
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
