import { EventEmitter } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import type { Agent } from 'undici';

import type { JanusMessage, Route } from '../protocol/messages.js';
import {
  TransportFault,
  type ConnectOptions,
  type PollAuth,
  type TlsOptions,
  type TransportConnection,
  type TransportDefinition,
  type TransportSink,
} from './contract.js';
import { Deadlines } from '../core/waiting.js';
import { MAX_MESSAGE_BYTES, readLimited, TooLargeError } from './limits.js';
import { decodeMessages, describeError, displayUrl } from './wire.js';
import { loadUndici, type Undici } from './libraries.js';

/**
 * Janus REST transport: each request is a POST whose reply body is the synchronous reply;
 * events come from one long-poll GET loop per tracked session.
 */

export interface HttpTransportOptions {
  name: string;
  schemes: readonly string[];
  secure: boolean;
  /** A POST with no complete reply by then is a fault. Janus answers even slow plugins quickly. */
  requestTimeoutMs?: number;
  /** Janus holds an idle long-poll 30 s before answering keepalive; wait longer than that. */
  pollTimeoutMs?: number;
  /** `maxev` for the long-poll: more than 1 makes Janus answer with an array. */
  maxEvents?: number;
  /** A reply body larger than this is a fault (default MAX_MESSAGE_BYTES). */
  maxMessageBytes?: number;
}

interface Limits {
  requestTimeoutMs: number;
  pollTimeoutMs: number;
  maxEvents: number;
  maxMessageBytes: number;
}

export function httpTransport(options: HttpTransportOptions): TransportDefinition {
  const limits: Limits = {
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    pollTimeoutMs: options.pollTimeoutMs ?? 45_000,
    maxEvents: options.maxEvents ?? 10,
    maxMessageBytes: options.maxMessageBytes ?? MAX_MESSAGE_BYTES,
  };
  return {
    name: options.name,
    schemes: options.schemes,
    secure: options.secure,
    connection: { closeCodes: false },
    connect: (connectOptions, sink) => HttpConnection.open(connectOptions, sink, limits),
  };
}

interface HttpReply {
  status: number;
  text: string;
}

/** How long close() lets polls that were told to finish do so before it cuts them off. */
const FINISHING_GRACE_MS = 1000;

/** Raised when our own deadline, not the server or the caller, ended an exchange. */
class NoResponseError extends Error {}

/**
 * What ends one exchange (its deadline, its caller, close()): undici's `signal` option takes an
 * emitter with `aborted` and `reason` as well as an AbortSignal. Exchanges are the runner's hot
 * path, and an AbortController costs microseconds to make and tens of them to abort.
 */
class ExchangeEnd extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;

  /** Without a reason undici rejects with its RequestAbortedError. */
  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}

/** The caller stopped waiting (its step's time limit, Ctrl-C): the exchange was abandoned. */
class CallerGone extends Error {
  constructor() {
    super('abandoned: the caller stopped waiting');
  }
}

class HttpConnection implements TransportConnection {
  private readonly base: URL;
  /** Abort controllers of the running long-poll loops, by session id. */
  private readonly polls = new Map<number, AbortController>();
  /** Polls told to finish by themselves (untrack with `finishing`), and when they have. */
  private readonly finishing = new Map<AbortController, Promise<void>>();
  /** POSTs in flight, so close() can end them. */
  private readonly inflight = new Set<ExchangeEnd>();
  /** The deadlines of the exchanges in flight, on one timer. */
  private readonly deadlines = new Deadlines();
  /** The base as text, without a trailing slash: request URLs are built from it. */
  private readonly baseHref: string;
  private closed = false;
  private closing?: Promise<void>;

  private constructor(
    url: string,
    private readonly agent: Agent,
    private readonly request: Undici['request'],
    private readonly sink: TransportSink,
    private readonly limits: Limits,
  ) {
    const parsed = new URL(url);
    // The base keeps only origin + path: the API is named by the path (/janus, /admin).
    this.base = new URL(`${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`);
    this.baseHref = this.base.href.replace(/\/+$/, '');
  }

  static async open(options: ConnectOptions, sink: TransportSink, limits: Limits): Promise<HttpConnection> {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new TransportFault(`HTTP: invalid URL ${JSON.stringify(options.url)}`);
    }
    const undici = await loadUndici();
    const connection = new HttpConnection(parsed.href, agentFor(undici, options.tls, options.connectTimeoutMs), undici.request, sink, limits);
    try {
      await connection.probe(options.connectTimeoutMs);
    } catch (err) {
      await connection.close();
      throw err;
    }
    return connection;
  }

  /** GET <base>/info answers on both the Janus and Admin bases; any HTTP status means reachable. */
  private async probe(timeoutMs: number): Promise<void> {
    const url = this.urlFor(['info']);
    const controller = new AbortController();
    try {
      await this.exchange('GET', url, undefined, controller.signal, timeoutMs);
    } catch (err) {
      throw new TransportFault(`HTTP GET ${displayUrl(url)}: ${this.reasonFor(err, timeoutMs)}`);
    }
  }

  async send(payload: JanusMessage | string, route: Route, signal?: AbortSignal): Promise<JanusMessage | undefined> {
    const url = this.hrefFor(route);
    const where = (): string => `HTTP POST ${displayUrl(new URL(url))}`;
    if (this.closed) throw new TransportFault(`${where()}: connection is closed`);
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    let reply: HttpReply;
    try {
      reply = await this.exchange('POST', url, body, signal, this.limits.requestTimeoutMs, { abandonable: true });
    } catch (err) {
      throw new TransportFault(`${where()}: ${this.reasonFor(err, this.limits.requestTimeoutMs)}`);
    }
    if (reply.status !== 200) throw new TransportFault(`${where()}: HTTP ${reply.status}`);
    try {
      return decodeMessages(reply.text, false, { status: reply.status })[0];
    } catch (err) {
      throw new TransportFault(`${where()}: ${(err as Error).message}`);
    }
  }

  track(sessionId: number, auth: PollAuth, wanted: () => boolean = () => true): void {
    if (this.closed || this.polls.has(sessionId)) return;
    const controller = new AbortController();
    this.polls.set(sessionId, controller);
    this.pollLoop(sessionId, auth, controller, wanted).catch((err: unknown) => {
      // Only a throwing sink gets here; an unhandled rejection would take the whole run down.
      if (this.polls.get(sessionId) === controller) this.polls.delete(sessionId);
      if (!this.closed) this.sink.fault(new TransportFault(`HTTP long-poll for session ${sessionId} stopped: ${describeError(err)}`));
    });
  }

  untrack(sessionId: number, options: { finishing?: boolean } = {}): boolean {
    const controller = this.polls.get(sessionId);
    this.polls.delete(sessionId);
    if (!controller) return false;
    // A poll cut off stays held by Janus 1.1.2 for 30 s, half-closed; one that ends by itself
    // (an event came) leaves a connection to reuse.
    if (options.finishing) this.finishing.set(controller, new Promise((resolve) => controller.signal.addEventListener('abort', () => resolve(), { once: true })));
    else controller.abort();
    return true;
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    // Polls told to finish get a moment to do so (the event that ends them is on its way).
    if (this.finishing.size > 0) {
      const grace = new AbortController();
      await Promise.race([Promise.all(this.finishing.values()), delay(FINISHING_GRACE_MS, undefined, { signal: grace.signal }).catch(() => undefined)]);
      grace.abort();
    }
    for (const controller of this.finishing.keys()) controller.abort();
    this.closed = true;
    for (const controller of this.polls.values()) controller.abort();
    this.polls.clear();
    for (const controller of this.inflight) controller.abort();
  }

  private async pollLoop(sessionId: number, auth: PollAuth, controller: AbortController, wanted: () => boolean): Promise<void> {
    const url = this.urlFor([String(sessionId)]);
    url.searchParams.set('maxev', String(this.limits.maxEvents));
    if (auth.apisecret !== undefined) url.searchParams.set('apisecret', auth.apisecret);
    if (auth.token !== undefined) url.searchParams.set('token', auth.token);
    // displayUrl drops the query: it carries the secrets.
    const where = `HTTP GET ${displayUrl(url)} (long-poll)`;
    const stopped = () => controller.signal.aborted || this.closed;
    const finished = () => {
      if (!this.finishing.has(controller)) return false;
      this.finishing.delete(controller);
      controller.abort();
      return true;
    };
    const stop = () => {
      if (this.polls.get(sessionId) === controller) this.polls.delete(sessionId);
    };
    let retriedReset = false;
    while (!stopped()) {
      let reply: HttpReply;
      try {
        reply = await this.exchange('GET', url, undefined, controller.signal, this.limits.pollTimeoutMs);
      } catch (err) {
        if (stopped()) return;
        // A kept-alive socket may have been closed just as we reused it: one retry, no storm.
        if (isResetError(err) && !retriedReset) {
          retriedReset = true;
          continue;
        }
        stop();
        this.sink.fault(new TransportFault(`${where}: ${this.reasonFor(err, this.limits.pollTimeoutMs)}`));
        return;
      }
      retriedReset = false;
      if (stopped()) return;
      if (reply.status === 404) {
        stop();
        this.sink.sessionGone(sessionId);
        return;
      }
      let messages: JanusMessage[];
      try {
        if (reply.status !== 200) throw new Error(`HTTP ${reply.status}`);
        messages = decodeMessages(reply.text, true, { status: reply.status });
      } catch (err) {
        stop();
        this.sink.fault(new TransportFault(`${where}: ${(err as Error).message}`));
        return;
      }
      for (const message of messages) {
        // Idle polls end with {"janus":"keepalive"}: the transport's own noise, not an event.
        if (message.janus === 'keepalive') continue;
        if (stopped()) return;
        this.sink.message(message);
      }
      if (finished()) return;
      // Nobody waits for events any more: no new poll (Janus queues them) until track() again.
      if (!wanted()) {
        stop();
        return;
      }
    }
  }

  /**
   * One request/response with a deadline; the body is read under the same deadline. A POST is
   * `abandonable`: its caller's signal ends it as abandoned (CallerGone), and close() ends it.
   * One AbortController per exchange: requests are the runner's hot path.
   */
  private async exchange(
    method: 'GET' | 'POST',
    url: URL | string,
    body: string | undefined,
    signal: AbortSignal | undefined,
    timeoutMs: number,
    options: { abandonable?: boolean } = {},
  ): Promise<HttpReply> {
    const end = new ExchangeEnd();
    const deadline = { deadline: Date.now() + timeoutMs, expire: () => end.abort(new NoResponseError()) };
    this.deadlines.add(deadline);
    const forwardAbort = () => end.abort(options.abandonable ? new CallerGone() : signal!.reason);
    signal?.addEventListener('abort', forwardAbort, { once: true });
    if (signal?.aborted) forwardAbort();
    if (options.abandonable) this.inflight.add(end);
    try {
      const response = await this.request(url, {
        dispatcher: this.agent,
        method,
        body,
        headers: body === undefined ? undefined : JSON_CONTENT,
        signal: end,
      });
      const text = await readBody(response, this.limits.maxMessageBytes);
      return { status: response.statusCode, text };
    } catch (err) {
      // undici rejects with the abort reason; make the deadline recognisable whatever it does.
      if (end.reason instanceof NoResponseError && !signal?.aborted) throw end.reason;
      if (end.reason instanceof CallerGone) throw end.reason;
      throw err;
    } finally {
      this.deadlines.delete(deadline);
      signal?.removeEventListener('abort', forwardAbort);
      this.inflight.delete(end);
    }
  }

  private reasonFor(err: unknown, timeoutMs: number): string {
    if (err instanceof NoResponseError) return `no response within ${timeoutMs} ms`;
    if (err instanceof TooLargeError) return err.message;
    if (err instanceof CallerGone) return err.message;
    if (this.closed) return 'connection closed by client';
    return describeError(err);
  }

  /** A request's URL as text: undici parses it once (a URL object built here would be parsed, then changed). */
  private hrefFor(route: Route): string {
    const path = pathFor(route);
    return path.length === 0 ? this.baseHref : `${this.baseHref}/${path.join('/')}`;
  }

  private urlFor(segments: string[]): URL {
    const url = new URL(this.base.href);
    // A bare origin has pathname "/": strip it so segments never produce "//".
    if (segments.length > 0) url.pathname = `${url.pathname.replace(/\/+$/, '')}/${segments.join('/')}`;
    return url;
  }
}

/**
 * One undici Agent per TLS setting for the whole process: HTTP connections to Janus carry no
 * session state, and reusing kept-alive sockets saves a TCP (and TLS) handshake per scenario.
 * Closing a connection aborts its own requests; idle sockets do not keep the process alive.
 */
const agents = new Map<string, Agent>();

/** The process's undici Agent for a TLS setting; the http step sends through it too. */
export async function httpAgentFor(tls: TlsOptions, connectTimeoutMs: number): Promise<Agent> {
  return agentFor(await loadUndici(), tls, connectTimeoutMs);
}

function agentFor(undici: Undici, tls: TlsOptions, connectTimeoutMs: number): Agent {
  const key = JSON.stringify([tls.ca ?? [], tls.insecure ?? false, connectTimeoutMs]);
  let agent = agents.get(key);
  if (!agent) {
    agent = new undici.Agent({ connect: { timeout: connectTimeoutMs, ca: tls.ca, rejectUnauthorized: !tls.insecure } });
    agents.set(key, agent);
  }
  return agent;
}

/** HTTP addresses sessions and handles by path: <base>/<sessionId>/<handleId>. */
function pathFor(route: Route): string[] {
  if (route.sessionId === undefined) {
    if (route.handleId !== undefined) {
      throw new TransportFault(`HTTP cannot address handle ${route.handleId} without a session id in the path`);
    }
    return [];
  }
  return route.handleId === undefined ? [String(route.sessionId)] : [String(route.sessionId), String(route.handleId)];
}

const JSON_CONTENT = Object.freeze({ 'content-type': 'application/json' });

/**
 * A reply body as text, at most `limitBytes`. With a Content-Length within the limit the body is
 * read in one go (undici never gives more than the length it announced); otherwise chunk by
 * chunk, counting.
 */
function readBody(response: Awaited<ReturnType<Undici['request']>>, limitBytes: number): Promise<string> {
  const length = Number(response.headers['content-length']);
  if (Number.isInteger(length) && length >= 0 && length <= limitBytes) return response.body.text();
  return readLimited(response.body, limitBytes);
}

function isResetError(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return code === 'ECONNRESET' || code === 'UND_ERR_SOCKET';
}
