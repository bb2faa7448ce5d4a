import { setTimeout as delay } from 'node:timers/promises';

import { textOf, type JanusMessage, type Route } from '../protocol/messages.js';
import {
  TransportFault,
  type ConnectOptions,
  type PollAuth,
  type TransportConnection,
  type TransportDefinition,
  type TransportSink,
} from './contract.js';
import { Deadlines } from '../core/waiting.js';
import { MAX_MESSAGE_BYTES, TooLargeError } from './limits.js';
import { decodeMessages, describeError } from './wire.js';
import { HttpCall, httpOrigin, IncompleteReplyError, isResetError, type HttpOrigin, type HttpReply } from './http-client.js';

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
    connection: { closeCodes: false, sessionsFollow: true },
    connect: (connectOptions, sink) => HttpConnection.open(connectOptions, sink, limits),
  };
}

/** How long close() lets polls that were told to finish do so before it cuts them off. */
const FINISHING_GRACE_MS = 1000;

/** Raised when our own deadline, not the server or the caller, ended an exchange. */
class NoResponseError extends Error {}

/** The caller stopped waiting (its step's time limit, Ctrl-C): the exchange was abandoned. */
class CallerGone extends Error {
  constructor() {
    super('abandoned: the caller stopped waiting');
  }
}

/**
 * A long-poll loop's off switch: a flag, and the GET in flight to end. Not an AbortController:
 * making one's signal costs Node 20 tens of microseconds, and a session's poll starts with every
 * session (and again after each event a step waited for).
 */
class PollSwitch {
  off = false;
  /** The poll's GET in flight, ended at once when the switch goes off. */
  call?: HttpCall;
  private readonly offListeners: Array<() => void> = [];

  turnOff(): void {
    if (this.off) return;
    this.off = true;
    this.call?.abort(new PollStopped());
    for (const listener of this.offListeners.splice(0)) listener();
  }

  /** Resolves once the switch is off (at once if it is). */
  whenOff(): Promise<void> {
    return this.off ? Promise.resolve() : new Promise((resolve) => this.offListeners.push(resolve));
  }
}

/** A poll's GET ended because its loop was told to stop. */
class PollStopped extends Error {
  constructor() {
    super('long-poll stopped');
  }
}

class HttpConnection implements TransportConnection {
  // Every POST is an exchange of its own: a failed long-poll does not stop the next one.
  readonly sendsAfterFaults = true;
  /** The off switches of the running long-poll loops, by session id. */
  private readonly polls = new Map<number, PollSwitch>();
  /** Polls told to finish by themselves (untrack with `finishing`), and when they have. */
  private readonly finishing = new Map<PollSwitch, Promise<void>>();
  /** POSTs in flight, so close() can end them. */
  private readonly inflight = new Set<HttpCall>();
  /** The deadlines of the exchanges in flight, on one timer. */
  private readonly deadlines = new Deadlines();
  /**
   * The base path, without a trailing slash ("" for a bare origin): request paths are built from
   * it as text. The base keeps only origin + path: the API is named by the path (/janus, /admin).
   */
  private readonly basePath: string;
  /** The origin as fault messages show it: no user-info (which may hold secrets). */
  private readonly shownOrigin: string;
  private closed = false;
  private closing?: Promise<void>;

  private constructor(
    url: URL,
    private readonly origin: HttpOrigin,
    private readonly sink: TransportSink,
    private readonly limits: Limits,
    private readonly wireFrames: boolean,
  ) {
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.shownOrigin = `${url.protocol}//${url.host}`;
  }

  static async open(options: ConnectOptions, sink: TransportSink, limits: Limits): Promise<HttpConnection> {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new TransportFault(`HTTP: invalid URL ${JSON.stringify(options.url)}`);
    }
    const origin = await httpOrigin(parsed, options.tls, options.connectTimeoutMs);
    const connection = new HttpConnection(parsed, origin, sink, limits, options.wireFrames === true);
    try {
      await connection.probe(options.connectTimeoutMs, options.signal);
    } catch (err) {
      await connection.close();
      throw err;
    }
    return connection;
  }

  /** GET <base>/info answers on both the Janus and Admin bases; any HTTP status means reachable. */
  private async probe(timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
    const path = `${this.basePath}/info`;
    let reply: HttpReply;
    try {
      reply = await this.exchange('GET', path, undefined, signal, timeoutMs);
    } catch (err) {
      throw new TransportFault(`HTTP GET ${this.shown(path)}: ${this.reasonFor(err, timeoutMs)}${this.tlsPortHint(err)}`);
    }
    // Janus never answers with a web page (its 404 has no body); Janus's WebSocket port does (403
    // from libwebsockets), and every request after it would fail without saying why.
    if (reply.status !== 200 && String(reply.headers['content-type'] ?? '').startsWith('text/html')) {
      throw new TransportFault(`HTTP GET ${this.shown(path)}: HTTP ${reply.status} with a web page, not Janus's HTTP API (is it a WebSocket port? give ws://)`);
    }
  }

  /**
   * A TLS port (Janus's https port among them) given plain HTTP hangs up without a byte: the
   * usual mistake behind it is http:// for https://. Said at the first contact only.
   */
  private tlsPortHint(err: unknown): string {
    return err instanceof IncompleteReplyError && this.shownOrigin.startsWith('http:') ? ' (is it an https port? give https://)' : '';
  }

  /** `--url http://host:8088`: Janus serves nothing at /, its API is under a path of its own. */
  private noBasePathHint(): string {
    return ` (Janus serves its API under a path, /janus by default: ${this.shownOrigin}/janus; its Admin API under /admin)`;
  }

  async send(payload: JanusMessage | string, route: Route, signal?: AbortSignal): Promise<JanusMessage | undefined> {
    const path = this.pathFor(route);
    const where = (): string => `HTTP POST ${this.shown(path)}`;
    if (this.closed) throw new TransportFault(`${where()}: connection is closed`);
    const body = typeof payload === 'string' ? payload : textOf(payload);
    let reply: HttpReply;
    try {
      reply = await this.exchange('POST', path, body, signal, this.limits.requestTimeoutMs, { abandonable: true });
    } catch (err) {
      throw new TransportFault(`${where()}: ${this.reasonFor(err, this.limits.requestTimeoutMs)}`);
    }
    if (reply.status !== 200) throw new TransportFault(`${where()}: HTTP ${reply.status}${reply.status === 404 && this.basePath === '' ? this.noBasePathHint() : ''}`);
    try {
      return decodeMessages(reply.text, false, this.wireFrames ? { status: reply.status } : undefined)[0];
    } catch (err) {
      throw new TransportFault(`${where()}: ${(err as Error).message}`);
    }
  }

  track(sessionId: number, auth: PollAuth, wanted: () => boolean = () => true): void {
    if (this.closed || this.polls.has(sessionId)) return;
    const poll = new PollSwitch();
    this.polls.set(sessionId, poll);
    this.pollLoop(sessionId, auth, poll, wanted).catch((err: unknown) => {
      // Only a throwing sink gets here; an unhandled rejection would take the whole run down.
      if (this.polls.get(sessionId) === poll) this.polls.delete(sessionId);
      if (!this.closed) this.sink.fault(new TransportFault(`HTTP long-poll for session ${sessionId} stopped: ${describeError(err)}`));
    });
  }

  untrack(sessionId: number, options: { finishing?: boolean } = {}): boolean {
    const poll = this.polls.get(sessionId);
    this.polls.delete(sessionId);
    if (!poll) return false;
    // A poll cut off stays held by Janus 1.1.2 for 30 s, half-closed; one that ends by itself
    // (an event came) leaves a connection to reuse.
    if (options.finishing) this.finishing.set(poll, poll.whenOff());
    else poll.turnOff();
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
    for (const poll of this.finishing.keys()) poll.turnOff();
    this.closed = true;
    for (const poll of this.polls.values()) poll.turnOff();
    this.polls.clear();
    for (const call of this.inflight) call.abort(new Error('connection closed by client'));
  }

  private async pollLoop(sessionId: number, auth: PollAuth, poll: PollSwitch, wanted: () => boolean): Promise<void> {
    const sessionPath = `${this.basePath}/${sessionId}`;
    let path = `${sessionPath}?maxev=${this.limits.maxEvents}`;
    if (auth.apisecret !== undefined) path += `&apisecret=${encodeURIComponent(auth.apisecret)}`;
    if (auth.token !== undefined) path += `&token=${encodeURIComponent(auth.token)}`;
    // Shown without the query: it carries the secrets.
    const where = `HTTP GET ${this.shown(sessionPath)} (long-poll)`;
    const stopped = () => poll.off || this.closed;
    const finished = () => {
      if (!this.finishing.has(poll)) return false;
      this.finishing.delete(poll);
      poll.turnOff();
      return true;
    };
    const stop = () => {
      if (this.polls.get(sessionId) === poll) this.polls.delete(sessionId);
    };
    let retriedReset = false;
    while (!stopped()) {
      let reply: HttpReply;
      try {
        reply = await this.exchange('GET', path, undefined, undefined, this.limits.pollTimeoutMs, { poll });
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
        messages = decodeMessages(reply.text, true, this.wireFrames ? { status: reply.status } : undefined);
      } catch (err) {
        stop();
        this.sink.fault(new TransportFault(`${where}: ${(err as Error).message}`));
        return;
      }
      // Its characters, not its bytes: near enough for a bound, and no second pass over the text.
      const share = reply.text.length / messages.length;
      for (const message of messages) {
        // Idle polls end with {"janus":"keepalive"}: the transport's own noise, not an event.
        if (message.janus === 'keepalive') continue;
        if (stopped()) return;
        this.sink.message(message, share);
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
   * Only an exchange still in flight is aborted: requests are the runner's hot path.
   */
  private async exchange(
    method: 'GET' | 'POST',
    path: string,
    body: string | undefined,
    signal: AbortSignal | undefined,
    timeoutMs: number,
    options: { abandonable?: boolean; poll?: PollSwitch } = {},
  ): Promise<HttpReply> {
    if (signal?.aborted) throw options.abandonable ? new CallerGone() : signal.reason;
    const { poll } = options;
    if (poll?.off) throw new PollStopped();
    const call = new HttpCall(this.origin, method, path, body === undefined ? undefined : JSON_CONTENT, body, this.limits.maxMessageBytes);
    const deadline = { deadline: Date.now() + timeoutMs, expire: () => call.abort(new NoResponseError()) };
    this.deadlines.add(deadline);
    const forwardAbort = () => call.abort(options.abandonable ? new CallerGone() : signal!.reason);
    signal?.addEventListener('abort', forwardAbort, { once: true });
    if (options.abandonable) this.inflight.add(call);
    if (poll) poll.call = call;
    try {
      return await call.reply;
    } finally {
      this.deadlines.delete(deadline);
      signal?.removeEventListener('abort', forwardAbort);
      this.inflight.delete(call);
      if (poll?.call === call) poll.call = undefined;
    }
  }

  private reasonFor(err: unknown, timeoutMs: number): string {
    if (err instanceof NoResponseError) return `no response within ${timeoutMs} ms`;
    if (err instanceof TooLargeError) return err.message;
    if (err instanceof CallerGone) return err.message;
    if (this.closed) return 'connection closed by client';
    return describeError(err);
  }

  /** HTTP addresses sessions and handles by path: <base>/<sessionId>/<handleId>, as text. */
  private pathFor(route: Route): string {
    if (route.sessionId === undefined) {
      if (route.handleId !== undefined) {
        throw new TransportFault(`HTTP cannot address handle ${route.handleId} without a session id in the path`);
      }
      return this.basePath === '' ? '/' : this.basePath;
    }
    return route.handleId === undefined ? `${this.basePath}/${route.sessionId}` : `${this.basePath}/${route.sessionId}/${route.handleId}`;
  }

  /** A path as fault messages show it: no query (it may carry secrets), no trailing slash. */
  private shown(path: string): string {
    return `${this.shownOrigin}${path}`.replace(/\/+$/, '');
  }
}

const JSON_CONTENT = Object.freeze({ 'content-type': 'application/json' });
