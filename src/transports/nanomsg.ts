import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { JanusMessage, Route } from '../protocol/messages.js';
import {
  TransportFault,
  type ManagedContext,
  type ManagedSetup,
  type TransportConnection,
  type TransportDefinition,
  type TransportSink,
} from './contract.js';
import { loadNative } from './libraries.js';
import { describeBytes, MAX_MESSAGE_BYTES } from './limits.js';
import { decodeMessages, oneLine } from './wire.js';
import { withRouteIds } from './ws.js';

/**
 * Janus Nanomsg transport (janus_nanomsg.c): an NN_PAIR socket at `ipc:///path` or
 * `tcp://host:port`, one JSON message per nanomsg message both ways.
 *
 * A pair socket has exactly one peer: Janus answers only the first client connected to it
 * (measured: a second concurrent client gets no replies). Scenarios open several clients and
 * runs open several scenarios at once, so every connection to one address in this process
 * shares one pair socket (a `Pipe`), and the pipe sorts what Janus sends back: replies by
 * transaction (made unique on the wire with a per-connection prefix, removed on the way back),
 * events by the session they belong to. To Janus this is one client, as it would be for any
 * nanomsg user.
 */

/** Janus reads a request into an 8192-byte buffer and NUL-terminates it. */
export const NANOMSG_MAX_REQUEST_BYTES = 8191;

export function nanomsgTransport(options: { name?: string; maxMessageBytes?: number } = {}): TransportDefinition {
  const maxBytes = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  return {
    name: options.name ?? 'nanomsg',
    schemes: ['ipc', 'tcp'],
    secure: false,
    connect: async (connectOptions, sink) => openConnection(connectOptions.url, sink, maxBytes),
    managed: {
      library: 'nanomsg',
      // Before Janus starts: without the binding, the start fails at once with its reason.
      prepare: async (context) => {
        await loadNanomsg();
        return managedAddresses(context);
      },
      // janus_nanomsg.c starts its thread before it sets `initialized`, and the thread loops only
      // while that is set: when the thread runs first it ends at once and nothing is served
      // (Janus 1.1.2 to 1.4.1; seen in about half the starts on a busy machine).
      flakyStart: /^Nanomsg thread ended/,
    },
  };
}

/** Janus binds both addresses ("bind" is its default mode); the ipc files live in the instance folder. */
function managedAddresses({ folder }: ManagedContext): ManagedSetup {
  const api = `ipc://${join(folder, 'api.ipc')}`;
  const admin = `ipc://${join(folder, 'admin.ipc')}`;
  return {
    config: {
      general: { enabled: true, json: 'plain', address: api, mode: 'bind' },
      admin: { admin_enabled: true, admin_address: admin, admin_mode: 'bind' },
    },
    url: api,
    adminUrl: admin,
  };
}

/** `ipc:///path` or `tcp://host:port`, as nanomsg spells them; an ipc path must exist (nanomsg would retry silently forever). */
export function checkNanomsgAddress(url: string): string {
  const match = /^(ipc|tcp):\/\/(.+)$/.exec(url);
  if (!match) throw new TransportFault(`Nanomsg: invalid address ${JSON.stringify(url)} (expected ipc:///path or tcp://host:port)`);
  if (match[1] === 'tcp') {
    if (!/^(\[[0-9a-fA-F:.]+\]|[^:/?#\s]+):\d{1,5}$/.test(match[2]!)) throw new TransportFault(`Nanomsg: invalid address ${JSON.stringify(url)} (expected tcp://host:port)`);
    return url;
  }
  const path = match[2]!;
  let isSocket: boolean;
  try {
    isSocket = statSync(path).isSocket();
  } catch {
    throw new TransportFault(`Nanomsg ${url}: no such socket (is Janus running with its Nanomsg transport bound there?)`);
  }
  if (!isSocket) throw new TransportFault(`Nanomsg ${url}: not a socket`);
  return url;
}

/** The part of the `nanomsg` package used here. */
interface NanoSocket {
  on(event: 'data', listener: (data: Buffer) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  connect(address: string): number | null;
  send(data: Buffer | string): number;
  close(): unknown;
}
type NanoModule = { socket(type: 'pair', options?: Record<string, unknown>): NanoSocket };

/** Loaded on the first Nanomsg connection; an optional dependency, absent where it could not be built. */
export function loadNanomsg(): Promise<NanoModule> {
  return loadNative<NanoModule>('nanomsg', 'it is an optional dependency built by npm install with node-gyp (needs g++, make and python3)').catch((fault: TransportFault) => {
    throw new TransportFault(`Nanomsg: ${fault.message}`);
  });
}

/** Synchronous replies, which go to the requester; everything else is an event of a session. */
const REPLY_KINDS = new Set(['ack', 'success', 'error', 'server_info', 'pong']);
/** How long an unanswered request may still be the owner of an answer that names no transaction. */
const UNANSWERED_MS = 30_000;
/** The per-connection prefix a transaction carries on the wire. */
const WIRE_PREFIX = /^\d+~/;

/** Open pipes by address; a pipe closes with its last connection. */
const pipes = new Map<string, Pipe>();

async function openConnection(url: string, sink: TransportSink, maxBytes: number): Promise<NanomsgConnection> {
  checkNanomsgAddress(url);
  const nano = await loadNanomsg();
  let pipe = pipes.get(url);
  if (!pipe) {
    pipe = new Pipe(url, maxBytes, nano);
    pipes.set(url, pipe);
  }
  return pipe.attach(sink);
}

class Pipe {
  private readonly socket: NanoSocket;
  private readonly members = new Set<NanomsgConnection>();
  /** Wire transaction → the connection that sent it. */
  private readonly byTransaction = new Map<string, NanomsgConnection>();
  /** Session id → the connection that created or last claimed it. */
  private readonly bySession = new Map<number, NanomsgConnection>();
  /**
   * Requests not answered yet, oldest first, with their wire transaction when they have one:
   * Janus's answer to an invalid envelope (no transaction, a create with a bad id) names no
   * transaction or session, and goes to the oldest one. Entries go when a reply names them, or
   * after UNANSWERED_MS (a request nobody answered must not take later answers).
   */
  private readonly untagged: Array<{ connection: NanomsgConnection; transaction?: string; at: number }> = [];
  /** Who sent last: where anything else nobody owns goes. */
  private lastSender: NanomsgConnection | undefined;
  private nextId = 1;

  constructor(
    readonly url: string,
    private readonly maxBytes: number,
    nano: NanoModule,
  ) {
    this.socket = nano.socket('pair', { rcvmaxsize: maxBytes, linger: 0 });
    this.socket.on('data', (data) => this.receive(data));
    this.socket.on('error', (err) => this.broadcastFault(`Nanomsg ${url}: ${oneLine(err.message)}`));
    if (this.socket.connect(url) === null) throw new TransportFault(`Nanomsg ${url}: cannot connect`);
  }

  attach(sink: TransportSink): NanomsgConnection {
    const connection = new NanomsgConnection(this, sink, `${this.nextId++}~`);
    this.members.add(connection);
    return connection;
  }

  detach(connection: NanomsgConnection): void {
    this.members.delete(connection);
    for (const [key, owner] of this.byTransaction) if (owner === connection) this.byTransaction.delete(key);
    for (const [key, owner] of this.bySession) if (owner === connection) this.bySession.delete(key);
    if (this.lastSender === connection) this.lastSender = undefined;
    for (let i = this.untagged.findIndex((u) => u.connection === connection); i >= 0; i = this.untagged.findIndex((u) => u.connection === connection)) this.untagged.splice(i, 1);
    if (this.members.size > 0) return;
    pipes.delete(this.url);
    this.socket.close();
  }

  send(connection: NanomsgConnection, payload: JanusMessage | string, route: Route): void {
    const message = typeof payload === 'string' ? parseObject(payload) : withRouteIds(payload, route);
    // A verbatim payload (a test of invalid requests) is re-encoded only when it is a JSON object.
    const wire = message ? this.tag(connection, message) : undefined;
    const text = wire ? JSON.stringify(wire) : (payload as string);
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length > NANOMSG_MAX_REQUEST_BYTES) {
      throw new TransportFault(`Nanomsg ${this.url}: a request of ${bytes.length} bytes is longer than Janus reads from Nanomsg (${NANOMSG_MAX_REQUEST_BYTES} bytes); Janus would drop it`);
    }
    this.lastSender = connection;
    const now = Date.now();
    while (this.untagged.length > 0 && now - this.untagged[0]!.at > UNANSWERED_MS) this.untagged.shift();
    this.untagged.push({ connection, at: now, ...(typeof wire?.['transaction'] === 'string' && { transaction: wire['transaction'] }) });
    this.socket.send(bytes);
  }

  /** Prefixes the transaction and notes who owns the session the request is about. */
  private tag(connection: NanomsgConnection, message: JanusMessage): JanusMessage {
    const sessionId = message['session_id'];
    if (typeof sessionId === 'number' && (message['janus'] === 'claim' || !this.bySession.has(sessionId))) this.bySession.set(sessionId, connection);
    const transaction = message['transaction'];
    if (typeof transaction !== 'string') return message;
    const wire = connection.prefix + transaction;
    this.byTransaction.set(wire, connection);
    return { ...message, transaction: wire };
  }

  private receive(data: Buffer): void {
    if (data.length > this.maxBytes) {
      this.broadcastFault(`Nanomsg ${this.url}: a message larger than ${describeBytes(this.maxBytes)} (the limit for one message)`);
      return;
    }
    let message: JanusMessage;
    try {
      message = decodeMessages(data.toString('utf8'), false)[0]!;
    } catch (err) {
      (this.lastSender ?? [...this.members][0])?.fault(`Nanomsg ${this.url}: ${(err as Error).message}`);
      return;
    }
    const owner = this.ownerOf(message);
    if (!owner) return;
    const transaction = message['transaction'];
    if (typeof transaction === 'string' && WIRE_PREFIX.test(transaction)) message = { ...message, transaction: transaction.replace(WIRE_PREFIX, '') };
    const created = message['janus'] === 'success' && (message['data'] as { id?: unknown } | undefined)?.id;
    if (typeof created === 'number' && message['session_id'] === undefined) this.bySession.set(created, owner);
    owner.deliver(message);
  }

  /**
   * Who Janus would have sent this to, had each connection been its own client: a reply goes to
   * the requester, an event to the connection that owns the session (another client's request
   * may have caused it, or the session was claimed since).
   */
  private ownerOf(message: JanusMessage): NanomsgConnection | undefined {
    const transaction = message['transaction'];
    const byTx = typeof transaction === 'string' ? this.byTransaction.get(transaction) : undefined;
    const sessionId = message['session_id'];
    const bySession = typeof sessionId === 'number' ? this.bySession.get(sessionId) : undefined;
    const order = REPLY_KINDS.has(String(message['janus'])) ? [byTx, bySession] : [bySession, byTx];
    const owner = order.find((c) => c !== undefined && this.members.has(c));
    if (typeof transaction === 'string' && REPLY_KINDS.has(String(message['janus']))) {
      const answered = this.untagged.findIndex((u) => u.transaction === transaction);
      if (answered >= 0) this.untagged.splice(answered, 1);
    }
    if (owner) return owner;
    if (transaction === undefined && sessionId === undefined && this.untagged.length > 0) return this.untagged.shift()!.connection;
    return this.lastSender;
  }

  private broadcastFault(reason: string): void {
    for (const member of this.members) member.fault(reason);
  }
}

class NanomsgConnection implements TransportConnection {
  private closed = false;

  constructor(
    private readonly pipe: Pipe,
    private readonly sink: TransportSink,
    readonly prefix: string,
  ) {}

  send(payload: JanusMessage | string, route: Route): Promise<JanusMessage | undefined> {
    if (this.closed) return Promise.reject(new TransportFault(`Nanomsg ${this.pipe.url}: connection is not open`));
    try {
      this.pipe.send(this, payload, route);
    } catch (err) {
      return Promise.reject(err instanceof TransportFault ? err : new TransportFault(`Nanomsg ${this.pipe.url}: send failed: ${oneLine((err as Error).message)}`));
    }
    return Promise.resolve(undefined);
  }

  deliver(message: JanusMessage): void {
    if (!this.closed) this.sink.message(message);
  }

  fault(reason: string): void {
    if (!this.closed) this.sink.fault(new TransportFault(reason));
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.pipe.detach(this);
    return Promise.resolve();
  }
}

function parseObject(text: string): JanusMessage | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JanusMessage) : undefined;
  } catch {
    return undefined;
  }
}
