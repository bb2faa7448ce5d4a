import { randomBytes } from 'node:crypto';
import type { JanusMessage, Route } from '../protocol/messages.js';
import { TransportFault, type TransportConnection, type TransportSink } from './contract.js';
import { describeBytes, UNTAKEN_LIMITS } from './limits.js';
import { decodeMessages, parseJsonObject } from './wire.js';
import { withRouteIds } from './wire.js';
import { copyRecord } from '../core/own.js';

/**
 * Broker transports (MQTT, RabbitMQ) share one reply stream between all clients: Janus handles
 * them as a single transport session and publishes every reply and event of an API to one topic
 * or routing key. The runner reads each stream once per process (see the hubs in mqtt.ts and
 * rabbitmq.ts) and this router hands each message to the connection it belongs to, the way
 * Janus routes on connection-based transports:
 *
 * - a reply (ack, success, error, pong...) goes to the connection that sent the request. Each
 *   connection tags the transactions it sends with a prefix of its own, stripped again on the
 *   way back (Janus echoes a transaction verbatim and reads nothing into it);
 * - an event of a session (event, webrtcup, hangup, detached, timeout...) goes to the
 *   connection that created or last claimed the session, like a WebSocket's;
 * - a reply without a transaction (Janus leaves it out of errors it raises while reading the
 *   envelope, and raw requests may have none) goes to the connection with the oldest request
 *   still unanswered.
 *
 * Messages for no connection of this process (another runner's) are dropped.
 */
export interface ChannelEndpoint {
  /** `bytes`: as TransportSink.message has it. */
  message(msg: JanusMessage, bytes?: number): void;
  fault(reason: string): void;
}

/**
 * How long a stream's broker connection outlives its last user: the next scenario reuses it.
 * Short, because the process waits for it before it exits.
 */
export const HUB_LINGER_MS = 300;

/**
 * One broker client per address in this process, shared by the connections to it: it reads the
 * shared reply stream once and routes each message (ReplyRouter), and closes a moment after its
 * last connection is released. A subclass connects, publishes, and says how to end its client.
 */
export abstract class BrokerHub {
  protected readonly router = new ReplyRouter();
  protected gone = false;
  private linger?: NodeJS.Timeout;

  /** `forget` takes the hub out of its transport's cache once it is gone. */
  constructor(private readonly forget: () => void) {}

  /** A new connection on this stream; it keeps the client from closing. */
  open(endpoint: ChannelEndpoint): SharedChannel {
    clearTimeout(this.linger);
    return this.router.open(endpoint);
  }

  /**
   * A connection is done. The last one ends the client after a moment: scenarios run one after
   * the other, and reconnecting for each would cost ~100 ms apiece.
   */
  release(channel: SharedChannel): void {
    channel.close();
    if (this.router.size > 0 || this.gone) return;
    clearTimeout(this.linger);
    this.linger = setTimeout(() => {
      if (this.router.size > 0 || this.gone) return;
      this.gone = true;
      this.forget();
      void this.end(false);
    }, HUB_LINGER_MS);
  }

  /** The broker connection is lost: every connection on it fails with the reason. */
  protected lose(reason: string): void {
    if (this.gone) return;
    this.gone = true;
    clearTimeout(this.linger);
    this.forget();
    this.router.faultAll(reason);
    void this.end(true);
  }

  /** Ends the client: politely once unused, at once when the connection was lost. */
  protected abstract end(lost: boolean): Promise<void>;
}

/** A transport's hubs by key: one opening or open per key; a failed open is forgotten. */
export class HubCache<H> {
  private readonly hubs = new Map<string, Promise<H>>();

  get(key: string, open: () => Promise<H>): Promise<H> {
    let hub = this.hubs.get(key);
    if (!hub) {
      hub = open();
      this.hubs.set(key, hub);
      hub.catch(() => this.hubs.delete(key));
    }
    return hub;
  }

  forget(key: string): void {
    this.hubs.delete(key);
  }
}

/** What Janus sends on its own, about a session; everything else answers a request. */
const EVENT_VERBS = new Set(['event', 'webrtcup', 'media', 'slowlink', 'hangup', 'detached', 'timeout', 'trickle']);
/** A request unanswered for this long no longer claims transaction-less replies. */
const UNANSWERED_LIMIT_MS = 10_000;
const TAG = /^([0-9a-f]{12})\//;
/** How long a reply without a transaction waits for the requests it may answer to be told apart. */
const HOLD_LIMIT_MS = 2_000;

interface Held {
  message: JanusMessage;
  bytes: number | undefined;
  /** The unanswered requests it may answer. */
  candidates: Set<Unanswered>;
  timer: NodeJS.Timeout;
}

/** Whether the requests (none, or some) all belong to one connection. */
function oneConnection(requests: Iterable<Unanswered>): boolean {
  let tag: string | undefined;
  for (const request of requests) {
    if (tag !== undefined && request.tag !== tag) return false;
    tag = request.tag;
  }
  return true;
}

interface Unanswered {
  tag: string;
  wire: string | undefined;
  at: number;
  create: boolean;
}

export class ReplyRouter {
  private readonly channels = new Map<string, ChannelEndpoint>();
  private readonly owners = new Map<number, string>();
  private readonly unanswered: Unanswered[] = [];
  /** Replies without a transaction that more than one connection may own, oldest first. */
  private held: Held[] = [];
  private heldBytes = 0;

  /**
   * `holdMs`: how long a reply without a transaction may be held (see routeUntransacted);
   * `limits`: how many (and how many bytes) may be held at once, as a mailbox keeps.
   */
  constructor(
    private readonly holdMs = HOLD_LIMIT_MS,
    private readonly limits: Readonly<{ messages: number; bytes: number }> = UNTAKEN_LIMITS,
  ) {}

  get size(): number {
    return this.channels.size;
  }

  /** A new connection on this stream. */
  open(endpoint: ChannelEndpoint): SharedChannel {
    let tag: string;
    do tag = randomBytes(6).toString('hex');
    while (this.channels.has(tag));
    this.channels.set(tag, endpoint);
    return new SharedChannel(tag, this);
  }

  /** Routes one message from the stream to its connection; `bytes`, the size it came in, goes with it. */
  route(message: JanusMessage, bytes?: number): void {
    const verb = typeof message.janus === 'string' ? message.janus : undefined;
    const tx = typeof message.transaction === 'string' ? message.transaction : undefined;
    const tagged = tx === undefined ? undefined : TAG.exec(tx);
    const visible: JanusMessage = tagged ? untagged(message, tx!.slice(tagged[0].length)) : message;
    const sessionId = typeof message.session_id === 'number' ? message.session_id : undefined;
    if (verb !== undefined && EVENT_VERBS.has(verb) && sessionId !== undefined && this.owners.has(sessionId)) {
      return this.deliver(this.owners.get(sessionId)!, visible, bytes);
    }
    if (tagged) {
      this.answered(tx!, message);
      return this.deliver(tagged[1]!, visible, bytes);
    }
    if (tx !== undefined) return; // another process's transaction
    if ((verb === undefined || !EVENT_VERBS.has(verb)) && this.routeUntransacted(message, bytes)) return;
    if (sessionId !== undefined && this.owners.has(sessionId)) this.deliver(this.owners.get(sessionId)!, message, bytes);
  }

  /**
   * A reply without a transaction (Janus leaves it out of errors it raises before reading the
   * request) answers one of the requests still unanswered. A request sent without a transaction
   * can only be answered so: the oldest of those takes it. Otherwise, when unanswered requests
   * of several connections could own it, it is held: the request it answers gets no other
   * reply, while the others get theirs (an ack, a success) in a moment; once the requests of one
   * connection are all that is left, it goes there. A reply held `holdMs` goes to the
   * oldest request left. False when no request is unanswered.
   */
  private routeUntransacted(message: JanusMessage, bytes: number | undefined): boolean {
    this.pruneUnanswered();
    if (this.unanswered.length === 0) return false;
    const bare = this.unanswered.find((u) => u.wire === undefined);
    const candidates = bare ? [bare] : this.unanswered;
    if (oneConnection(candidates)) {
      this.settle(candidates[0]!, message, bytes);
      return true;
    }
    const held: Held = { message, bytes, candidates: new Set(candidates), timer: setTimeout(() => this.release(held), this.holdMs) };
    held.timer.unref();
    this.held.push(held);
    this.heldBytes += bytes ?? 0;
    this.checkFlood();
    return true;
  }

  /**
   * Past the limits a mailbox has, the server floods with replies nobody can be told to own:
   * they are dropped and every connection fails (a server problem), as a mailbox's would.
   */
  private checkFlood(): void {
    const over = this.held.length > this.limits.messages ? `more than ${this.limits.messages} replies` : this.heldBytes > this.limits.bytes ? `more than ${describeBytes(this.limits.bytes)} of replies` : undefined;
    if (over === undefined) return;
    for (const held of this.held) clearTimeout(held.timer);
    this.held = [];
    this.heldBytes = 0;
    this.faultAll(`the server sent ${over} without a transaction that no connection could be told to own, the most held: they were dropped`);
  }

  /** A held reply goes to the oldest request it may still answer; that request is answered. */
  private release(held: Held): void {
    const i = this.held.indexOf(held);
    if (i < 0) return;
    this.held.splice(i, 1);
    this.heldBytes -= held.bytes ?? 0;
    clearTimeout(held.timer);
    const oldest = this.unanswered.find((u) => held.candidates.has(u));
    if (oldest) this.settle(oldest, held.message, held.bytes);
  }

  /** A request no longer waiting (answered, or its connection closed): held replies that are down to one connection go there. */
  private eliminated(request: Unanswered): void {
    for (const held of [...this.held]) {
      if (!held.candidates.delete(request)) continue;
      if (oneConnection(held.candidates)) this.release(held);
    }
  }

  private settle(request: Unanswered, message: JanusMessage, bytes: number | undefined): void {
    const i = this.unanswered.indexOf(request);
    if (i >= 0) this.unanswered.splice(i, 1);
    this.eliminated(request);
    this.deliver(request.tag, message, bytes);
  }

  /**
   * Routes one payload of the stream (a JSON message, or several): one too large, or not JSON,
   * fails every connection on the stream, naming `source` (the topic or queue).
   */
  routePayload(payload: Buffer, maxBytes: number, source: string): void {
    if (payload.length > maxBytes) return this.faultAll(`a message larger than ${describeBytes(maxBytes)} (the limit for one message)`);
    let messages: JanusMessage[];
    try {
      messages = decodeMessages(payload.toString('utf8'), false);
    } catch (err) {
      return this.faultAll(`${source}: ${(err as Error).message}`);
    }
    const share = payload.length / messages.length;
    for (const message of messages) this.route(message, share);
  }

  /** The stream failed: every connection on it hears the reason. */
  faultAll(reason: string): void {
    for (const endpoint of [...this.channels.values()]) endpoint.fault(reason);
  }

  /** @internal SharedChannel's bookkeeping. */
  sent(tag: string, wire: string | undefined, create: boolean, sessionId: number | undefined): void {
    this.unanswered.push({ tag, wire, at: Date.now(), create });
    if (sessionId !== undefined && !this.owners.has(sessionId)) this.owners.set(sessionId, tag);
  }

  /** @internal */
  claimed(tag: string, sessionId: number): void {
    this.owners.set(sessionId, tag);
  }

  /** @internal */
  close(tag: string): void {
    this.channels.delete(tag);
    for (const [sessionId, owner] of this.owners) if (owner === tag) this.owners.delete(sessionId);
    const gone = this.unanswered.filter((u) => u.tag === tag);
    for (const request of gone) this.unanswered.splice(this.unanswered.indexOf(request), 1);
    for (const request of gone) this.eliminated(request);
  }

  private deliver(tag: string, message: JanusMessage, bytes: number | undefined): void {
    this.channels.get(tag)?.message(message, bytes);
  }

  /** A reply to a tagged request: it is answered (an ack too), and a create's reply names the session. */
  private answered(wire: string, message: JanusMessage): void {
    const i = this.unanswered.findIndex((u) => u.wire === wire);
    if (i < 0) return;
    const request = this.unanswered[i]!;
    this.unanswered.splice(i, 1);
    this.eliminated(request);
    const id = (message.data as { id?: unknown } | undefined)?.id;
    if (request.create && message.janus === 'success' && typeof id === 'number') this.owners.set(id, request.tag);
  }

  private pruneUnanswered(): void {
    const now = Date.now();
    while (this.unanswered.length > 0 && now - this.unanswered[0]!.at > UNANSWERED_LIMIT_MS) this.unanswered.shift();
  }
}

/** One connection's side of a shared stream: tags what it sends, and learns what it owns. */
export class SharedChannel {
  private readonly claims = new Map<string, number>();

  constructor(
    readonly tag: string,
    private readonly router: ReplyRouter,
  ) {}

  /** The text to put on the wire for a request, with its transaction tagged. */
  outgoing(payload: JanusMessage | string, route: Route): string {
    const object = typeof payload === 'string' ? parseJsonObject(payload) : payload;
    const sessionId = route.sessionId ?? (typeof object?.session_id === 'number' ? object.session_id : undefined);
    if (object === undefined || typeof object.transaction !== 'string') {
      this.router.sent(this.tag, undefined, false, sessionId);
      return typeof payload === 'string' ? payload : JSON.stringify(payload);
    }
    const wire = `${this.tag}/${object.transaction}`;
    this.router.sent(this.tag, wire, object.janus === 'create', sessionId);
    if (object.janus === 'claim' && sessionId !== undefined) this.claims.set(wire, sessionId);
    if (typeof payload !== 'string') {
      const tagged = copyRecord(payload);
      tagged.transaction = wire;
      return JSON.stringify(tagged);
    }
    // Raw text keeps every byte but the transaction's value: it may be malformed on purpose.
    return payload.replace(TRANSACTION_MEMBER, (member: string, key: string, literal: string) =>
      decodesTo(literal, object.transaction as string) ? key + JSON.stringify(wire) : member);
  }

  /** A message routed here; a successful claim makes this connection the session's owner. */
  received(message: JanusMessage): void {
    if (message.janus !== 'success' || typeof message.transaction !== 'string') return;
    const wire = `${this.tag}/${message.transaction}`;
    const sessionId = this.claims.get(wire);
    if (sessionId === undefined) return;
    this.claims.delete(wire);
    this.router.claimed(this.tag, sessionId);
  }

  close(): void {
    this.router.close(this.tag);
  }
}

const TRANSACTION_MEMBER = /("transaction"\s*:\s*)("(?:[^"\\]|\\.)*")/g;

function decodesTo(literal: string, value: string): boolean {
  try {
    return JSON.parse(literal) === value;
  } catch {
    return false;
  }
}

/** What a transport gives a connection over its shared stream (a broker topic or queue, a pair socket). */
export interface ChannelConnectionParts {
  /** How faults and refusals name the connection: `MQTT mqtt://127.0.0.1:1883`. */
  label: string;
  /** Opens this connection's channel on the shared stream. */
  open(endpoint: ChannelEndpoint): SharedChannel;
  /** Sends one encoded request; throws a TransportFault naming what failed. */
  send(body: string): Promise<void> | void;
  /** Gives the channel back when the connection closes (the last one may close the stream). */
  release(channel: SharedChannel): void;
  /** The text of a stream fault for this connection (credentials removed), when not the reason itself. */
  faultText?(reason: string): string;
}

/**
 * A Janus client's connection over a shared stream: its messages come through its channel, a
 * stream fault reaches it once, and after a fault or a close nothing more is sent.
 */
export class ChannelConnection implements TransportConnection {
  /** A send ends once the message is handed to the stream: nothing to abandon. */
  readonly ignoresSignal = true;
  private readonly channel: SharedChannel;
  private closed = false;
  private faulted = false;

  constructor(
    private readonly parts: ChannelConnectionParts,
    private readonly sink: TransportSink,
  ) {
    this.channel = parts.open({
      message: (message, bytes) => {
        if (this.closed) return;
        this.channel.received(message);
        this.sink.message(message, bytes);
      },
      fault: (reason) => {
        if (this.closed || this.faulted) return;
        this.faulted = true;
        this.sink.fault(new TransportFault(`${parts.label}: ${parts.faultText?.(reason) ?? reason}`));
      },
    });
  }

  async send(payload: JanusMessage | string, route: Route): Promise<JanusMessage | undefined> {
    if (this.closed || this.faulted) throw new TransportFault(`${this.parts.label}: connection is not open`);
    await this.parts.send(this.channel.outgoing(typeof payload === 'string' ? payload : withRouteIds(payload, route), route));
    return undefined;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.parts.release(this.channel);
  }
}

/** The message as its client sent the transaction: a copy, the stream's own stays as it came. */
function untagged(message: JanusMessage, transaction: string): JanusMessage {
  const copy = copyRecord(message);
  copy.transaction = transaction;
  return copy;
}
