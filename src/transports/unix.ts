import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JanusMessage, Route } from '../protocol/messages.js';
import {
  TransportFault,
  type ConnectOptions,
  type ManagedContext,
  type ManagedSetup,
  type TransportConnection,
  type TransportDefinition,
  type TransportSink,
} from './contract.js';
import { loadedNative, loadNative } from './libraries.js';
import { describeBytes, MAX_MESSAGE_BYTES } from './limits.js';
import { UNIX_THREAD_ENDED } from './start-races.js';
import { decodeMessages, describeError, routedText } from './wire.js';

/**
 * Janus Unix-socket transport (janus_pfunix.c): `unix:///path/to/api.sock`, SOCK_SEQPACKET by
 * default, `?type=dgram` for SOCK_DGRAM. One JSON message per packet both ways; replies and
 * events arrive on the same socket, like WebSocket. With SOCK_DGRAM Janus answers with sendto()
 * to the sender's address, so the client binds a path of its own (in a temp folder it removes).
 * Node has no SEQPACKET or DGRAM Unix sockets; the `node-unix-socket` package (a prebuilt
 * N-API binary) provides both.
 */

export type UnixSocketType = 'seqpacket' | 'dgram';

/** Janus reads a request into an 8192-byte buffer and NUL-terminates it: longer ones are dropped (SEQPACKET) or cut (DGRAM). */
export const PFUNIX_MAX_REQUEST_BYTES = 8191;

interface UnixAddress {
  path: string;
  type: UnixSocketType;
}

const parsedUrls = new Map<string, Readonly<UnixAddress>>();
const PARSED_URLS_KEPT = 64;

/**
 * `unix:///run/janus/api.sock?type=dgram` → path and socket type; remembered, as a run connects
 * to the same few URLs again and again (a connection a scenario) and parsing one costs
 * microseconds. A URL that does not parse throws each time.
 */
export function parseUnixUrl(url: string): Readonly<UnixAddress> {
  let address = parsedUrls.get(url);
  if (address === undefined) {
    address = Object.freeze(parseUnixUrlOnce(url));
    if (parsedUrls.size >= PARSED_URLS_KEPT) parsedUrls.clear();
    parsedUrls.set(url, address);
  }
  return address;
}

function parseUnixUrlOnce(url: string): UnixAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TransportFault(`Unix socket: invalid URL ${JSON.stringify(url)} (expected unix:///path/to/socket)`);
  }
  if (parsed.protocol !== 'unix:') throw new TransportFault(`Unix socket: ${parsed.protocol} URL given, expected unix:///path/to/socket`);
  if (parsed.host !== '') throw new TransportFault(`Unix socket: URL ${JSON.stringify(url)} names a host; use unix:///absolute/path (three slashes)`);
  const path = decodeURIComponent(parsed.pathname);
  if (path === '' || path === '/') throw new TransportFault(`Unix socket: URL ${JSON.stringify(url)} has no socket path`);
  const type = (parsed.searchParams.get('type') ?? 'seqpacket').toLowerCase().replace(/^sock_/, '');
  if (type !== 'seqpacket' && type !== 'dgram') throw new TransportFault(`Unix socket: unknown type ${JSON.stringify(type)} in ${JSON.stringify(url)} (expected seqpacket or dgram)`);
  return { path, type };
}

/** The URL for a socket path; `unix:` URLs carry the path as is, %-encoding what a URL cannot hold. */
export function unixUrl(path: string, type: UnixSocketType = 'seqpacket'): string {
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return `unix://${encoded}${type === 'dgram' ? '?type=dgram' : ''}`;
}

export interface UnixTransportOptions {
  name?: string;
  /** How the managed Janus sets up its sockets; SOCK_SEQPACKET unless told otherwise. */
  managedType?: UnixSocketType;
  maxMessageBytes?: number;
}

export function unixTransport(options: UnixTransportOptions = {}): TransportDefinition {
  const maxBytes = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  const managedType = options.managedType ?? 'seqpacket';
  return {
    name: options.name ?? 'unix',
    schemes: ['unix'],
    secure: false,
    load: loadUnixModule,
    connect: async (connectOptions, sink) => {
      const address = parseUnixUrl(connectOptions.url);
      const connection = new UnixConnection(address, sink, maxBytes);
      await connection.open(connectOptions);
      return connection;
    },
    managed: {
      library: 'pfunix',
      // Before Janus starts: without the binding, the start fails at once with its reason.
      prepare: async (context) => {
        await loadUnixModule();
        return managedSockets(context, managedType);
      },
      flakyStart: UNIX_THREAD_ENDED,
    },
  };
}

/** The managed Janus's pfunix sockets, inside its own folder (Janus unlinks them when it stops). */
function managedSockets({ folder }: ManagedContext, type: UnixSocketType): ManagedSetup {
  const api = join(folder, 'api.sock');
  const admin = join(folder, 'admin.sock');
  const janusType = type === 'dgram' ? 'SOCK_DGRAM' : 'SOCK_SEQPACKET';
  return {
    config: {
      general: { enabled: true, json: 'plain', path: api, type: janusType },
      admin: { admin_enabled: true, admin_path: admin, admin_type: janusType },
    },
    url: unixUrl(api, type),
    adminUrl: unixUrl(admin, type),
  };
}

/** The part of node-unix-socket used here (its own typings are CommonJS). */
interface SeqpacketSocketLike {
  on(event: 'connect' | 'end' | 'close', listener: () => void): this;
  on(event: 'data', listener: (data: Buffer) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  connect(path: string, cb?: () => void): void;
  write(buf: Buffer, offset?: number, length?: number, cb?: () => void): void;
  setInternalReadBufferSize(size: number): void;
  destroy(): void;
}
interface DgramSocketLike {
  on(event: 'data', listener: (data: Buffer, from: string) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  bind(path: string): void;
  sendTo(buf: Buffer, offset: number, length: number, destPath: string, cb?: (err: Error | undefined) => void): void;
  setRecvBufferSize(size: number): void;
  close(): void;
}
interface UnixSocketModule {
  SeqpacketSocket: new () => SeqpacketSocketLike;
  DgramSocket: new () => DgramSocketLike;
}

/** The npm package of the SOCK_SEQPACKET and SOCK_DGRAM binding. */
const UNIX_PACKAGE = 'node-unix-socket';

/** Loaded on first use: runs that never touch a Unix socket do not load the native binding. */
export function loadUnixModule(): Promise<UnixSocketModule> {
  return loadNative<UnixSocketModule>(UNIX_PACKAGE, 'run npm install').catch((fault: TransportFault) => {
    throw new TransportFault(`Unix socket: ${fault.message}`);
  });
}

/** Janus's replies (an Admin handle_info, list_sessions) can be large; one packet is one message. */
const READ_BUFFER_BYTES = 1024 * 1024;

/**
 * The largest packet Janus can send on a SOCK_SEQPACKET socket: it leaves the socket's send
 * buffer at the system default, and the kernel refuses (EMSGSIZE) a packet larger than the
 * sender's send buffer. The binding reads every packet into a fresh buffer of the size it is
 * given, so a size far above what can come costs time on every message (a 1 MiB buffer added
 * about 25 µs to each); read once per process.
 */
let largestPacket: number | undefined;
const BINDING_DEFAULT_BYTES = 256 * 1024;
function largestJanusPacket(): number {
  if (largestPacket === undefined) {
    try {
      // Never below the binding's own default (256 KiB): a Janus in another network namespace may have another default.
      const value = Number(readFileSync('/proc/sys/net/core/wmem_default', 'utf8').trim());
      largestPacket = Number.isInteger(value) && value > 0 ? Math.min(Math.max(value, BINDING_DEFAULT_BYTES), READ_BUFFER_BYTES) : READ_BUFFER_BYTES;
    } catch {
      largestPacket = READ_BUFFER_BYTES;
    }
  }
  return largestPacket;
}

/** One byte over the limit, to tell a message larger than the limit from one that just fits. */
function seqpacketReadBytes(maxBytes: number): number {
  return Math.min(maxBytes + 1, largestJanusPacket());
}

/** Client socket folders still bound, removed at exit if close() never ran (a crash, process.exit). */
const boundFolders = new Set<string>();
let exitHookInstalled = false;
function trackFolder(folder: string): void {
  boundFolders.add(folder);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const f of boundFolders) rmSync(f, { recursive: true, force: true });
  });
}

class UnixConnection implements TransportConnection {
  /** A send ends once the packet is written: nothing to abandon. */
  readonly ignoresSignal = true;
  private seqpacket: SeqpacketSocketLike | undefined;
  private dgram: DgramSocketLike | undefined;
  private clientFolder: string | undefined;
  private closed = false;
  /** Janus closes a SEQPACKET connection after a session on it timed out: then the next send reconnects. */
  private sawTimeout = false;
  private disconnected = false;
  private connectOptions: ConnectOptions | undefined;
  private readonly shown: string;
  /** The read buffer of a SOCK_SEQPACKET socket, one byte over the limit when that fits (see seqpacketReadBytes). */
  private readonly readBytes: number;

  constructor(
    private readonly address: Readonly<UnixAddress>,
    private readonly sink: TransportSink,
    private readonly maxBytes: number,
  ) {
    this.shown = `Unix socket ${address.path}${address.type === 'dgram' ? ' (SOCK_DGRAM)' : ''}`;
    this.readBytes = seqpacketReadBytes(maxBytes);
  }

  async open(options: ConnectOptions): Promise<void> {
    this.connectOptions = options;
    const module = loadedNative<UnixSocketModule>(UNIX_PACKAGE) ?? await loadUnixModule();
    if (this.address.type === 'dgram') this.openDgram(module);
    else await this.openSeqpacket(module, options.connectTimeoutMs);
  }

  private openSeqpacket(module: UnixSocketModule, timeoutMs: number): Promise<void> {
    const socket = new module.SeqpacketSocket();
    socket.setInternalReadBufferSize(this.readBytes);
    return new Promise((resolve, reject) => {
      let connected = false;
      const timer = setTimeout(() => fail(`no connection within ${timeoutMs} ms`), timeoutMs);
      const fail = (reason: string) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new TransportFault(`${this.shown}: ${reason}`));
      };
      socket.on('error', (err) => (connected ? this.lost(connectReason(err)) : fail(connectReason(err))));
      socket.on('data', (data) => this.receive(data));
      socket.on('close', () => (connected ? this.lost('connection closed by server') : undefined));
      // The binding reports the server's hang-up as 'end'; 'close' comes only after a write failed.
      socket.on('end', () => (connected ? this.lost('connection closed by server') : undefined));
      try {
        socket.connect(this.address.path, () => {
          clearTimeout(timer);
          connected = true;
          this.seqpacket = socket;
          this.disconnected = false;
          resolve();
        });
      } catch (err) {
        fail(connectReason(err));
      }
    });
  }

  private openDgram(module: UnixSocketModule): void {
    // Janus answers to the path we send from: it must be ours alone, and gone after the run.
    const folder = mkdtempSync(join(tmpdir(), 'janus-scenarios-ux-'));
    trackFolder(folder);
    this.clientFolder = folder;
    const socket = new module.DgramSocket();
    try {
      socket.bind(join(folder, 'client.sock'));
      socket.setRecvBufferSize(Math.min(this.maxBytes, READ_BUFFER_BYTES) * 2);
    } catch (err) {
      socket.close();
      this.removeClientFolder();
      throw new TransportFault(`${this.shown}: cannot bind the client socket: ${describeError(err)}`);
    }
    socket.on('data', (data) => this.receive(data));
    socket.on('error', (err) => this.lost(`socket error: ${describeError(err)}`));
    this.dgram = socket;
  }

  async send(payload: JanusMessage | string, route: Route): Promise<JanusMessage | undefined> {
    if (this.closed) throw new TransportFault(`${this.shown}: connection is not open`);
    const text = typeof payload === 'string' ? payload : routedText(payload, route);
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length > PFUNIX_MAX_REQUEST_BYTES) {
      throw new TransportFault(`${this.shown}: a request of ${bytes.length} bytes is longer than Janus reads from a Unix socket (${PFUNIX_MAX_REQUEST_BYTES} bytes); Janus would drop it`);
    }
    if (this.address.type === 'dgram') return this.sendDatagram(bytes);
    if (this.sawTimeout && this.connectOptions) {
      // Janus closes the connection of a client whose session timed out, possibly only after
      // this request went in (then unread): the next request goes on a new connection.
      this.sawTimeout = false;
      this.retire(this.seqpacket);
      await this.openSeqpacket(await loadUnixModule(), this.connectOptions.connectTimeoutMs);
    }
    const socket = this.seqpacket;
    if (!socket || this.disconnected) throw new TransportFault(`${this.shown}: connection is not open`);
    // Not waiting for the write's callback (a turn of the event loop per request): a socket that
    // fails under a write emits 'error' or 'close', the connection's fault, which ends every
    // request waiting on it, as a WebSocket's does.
    try {
      socket.write(bytes, 0, bytes.length);
    } catch (err) {
      throw new TransportFault(`${this.shown}: send failed: ${describeError(err)}`);
    }
    return undefined;
  }

  private sendDatagram(bytes: Buffer): Promise<undefined> {
    const socket = this.dgram!;
    return new Promise((resolve, reject) => {
      try {
        socket.sendTo(bytes, 0, bytes.length, this.address.path, (err) => {
          if (err) reject(new TransportFault(`${this.shown}: ${connectReason(err)}`));
          else resolve(undefined);
        });
      } catch (err) {
        reject(new TransportFault(`${this.shown}: ${connectReason(err)}`));
      }
    });
  }

  /** Drops a connection Janus is closing, without reporting its end as a fault. */
  private retire(socket: SeqpacketSocketLike | undefined): void {
    if (!socket) return;
    (socket as unknown as { removeAllListeners(): void }).removeAllListeners();
    socket.on('error', () => undefined);
    socket.destroy();
    this.seqpacket = undefined;
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.seqpacket?.destroy();
    this.dgram?.close();
    this.removeClientFolder();
    return Promise.resolve();
  }

  private removeClientFolder(): void {
    if (!this.clientFolder) return;
    rmSync(this.clientFolder, { recursive: true, force: true });
    boundFolders.delete(this.clientFolder);
    this.clientFolder = undefined;
  }

  private receive(data: Buffer): void {
    if (this.closed) return;
    if (data.length > this.maxBytes) {
      this.sink.fault(new TransportFault(`${this.shown}: a message larger than ${describeBytes(this.maxBytes)} (the limit for one message)`));
      return;
    }
    if (this.seqpacket && data.length >= this.readBytes) {
      // The packet filled the read buffer: it may have been cut, and half a message must not be read as a whole one.
      this.sink.fault(new TransportFault(`${this.shown}: a message of ${describeBytes(data.length)} or more, the most one read takes; the rest of it is lost`));
      return;
    }
    let messages: JanusMessage[];
    try {
      messages = decodeMessages(data.toString('utf8'), false);
    } catch (err) {
      this.sink.fault(new TransportFault(`${this.shown}: ${(err as Error).message}`));
      return;
    }
    for (const message of messages) {
      if (message['janus'] === 'timeout') this.sawTimeout = true;
      this.sink.message(message, data.length);
    }
  }

  /** A connection that dies emits 'error' and then 'close': the caller hears about it once. */
  private lost(reason: string): void {
    if (this.closed || this.disconnected) return;
    this.disconnected = true;
    this.seqpacket?.destroy();
    // Expected: Janus hangs up on a client whose session timed out; the next send reconnects.
    if (this.sawTimeout) return;
    this.sink.fault(new TransportFault(`${this.shown}: ${reason}`));
  }
}

/** Connect and sendto errors: a missing path and a path nobody listens on say what they are. */
function connectReason(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  const message = (err as Error)?.message ?? String(err);
  if (code === 'ENOENT' || /No such file or directory|os error 2\b/.test(message)) return 'no such socket (is Janus running with its Unix-socket transport there?)';
  if (code === 'ECONNREFUSED' || /Connection refused|os error 111\b/.test(message)) return 'connection refused (no Janus listening on that socket)';
  // The binding's poll callback fails with EBADF when the server end vanished under it (Janus killed).
  if (/handle_io failed with error: EBADF/.test(message)) return 'connection lost (the server end is gone)';
  if (code === 'EPIPE' || /Broken pipe|os error 32\b/.test(message)) return 'connection closed by server (broken pipe)';
  if (code === 'ECONNRESET' || /Connection reset by peer|os error 104\b/.test(message)) return 'connection reset by server';
  if (code === 'EACCES' || /Permission denied|os error 13\b/.test(message)) return 'permission denied';
  if (code === 'EPROTOTYPE' || /Protocol wrong type|os error 91\b/.test(message)) return 'wrong socket type (Janus uses the other one: try ?type=dgram or ?type=seqpacket)';
  return describeError(err);
}
