import { statSync } from 'node:fs';
import { join } from 'node:path';
import {
  TransportFault,
  type ManagedContext,
  type ManagedSetup,
  type TransportDefinition,
  type TransportSink,
} from './contract.js';
import { loadedNative, loadNative } from './libraries.js';
import { MAX_MESSAGE_BYTES } from './limits.js';
import { NANOMSG_THREAD_ENDED } from './start-races.js';
import { ChannelConnection, ReplyRouter } from './shared-channel.js';
import { oneLine } from './wire.js';

/**
 * Janus Nanomsg transport (janus_nanomsg.c): an NN_PAIR socket at `ipc:///path` or
 * `tcp://host:port`, one JSON message per nanomsg message both ways.
 *
 * A pair socket has exactly one peer: Janus answers only the first client connected to it
 * (measured: a second concurrent client gets no replies). Scenarios open several clients and
 * runs open several scenarios at once, so every connection to one address in this process
 * shares one pair socket (a `Pipe`), and the pipe sorts what Janus sends back with the broker
 * transports' router (shared-channel.ts): replies by transaction (tagged per connection on the
 * wire, untagged on the way back), events by the session they belong to. To Janus this is one
 * client, as it would be for any nanomsg user.
 */

/** Janus reads a request into an 8192-byte buffer and NUL-terminates it. */
export const NANOMSG_MAX_REQUEST_BYTES = 8191;

export function nanomsgTransport(options: { name?: string; maxMessageBytes?: number } = {}): TransportDefinition {
  const maxBytes = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  return {
    name: options.name ?? 'nanomsg',
    schemes: ['ipc', 'tcp'],
    secure: false,
    load: loadNanomsg,
    connect: async (connectOptions, sink) => openConnection(connectOptions.url, sink, maxBytes),
    managed: {
      library: 'nanomsg',
      // Before Janus starts: without the binding, the start fails at once with its reason.
      prepare: async (context) => {
        await loadNanomsg();
        return managedAddresses(context);
      },
      flakyStart: NANOMSG_THREAD_ENDED,
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

/** The npm package of the binding (an optional dependency). */
const NANOMSG_PACKAGE = 'nanomsg';

/** Loaded on the first Nanomsg connection; an optional dependency, absent where it could not be built. */
export function loadNanomsg(): Promise<NanoModule> {
  return loadNative<NanoModule>(NANOMSG_PACKAGE, 'it is an optional dependency built by npm install with node-gyp (needs g++, make and python3)').catch((fault: TransportFault) => {
    throw new TransportFault(`Nanomsg: ${fault.message}`);
  });
}

/** Open pipes by address; a pipe closes with its last connection. */
const pipes = new Map<string, Pipe>();

async function openConnection(url: string, sink: TransportSink, maxBytes: number): Promise<ChannelConnection> {
  checkNanomsgAddress(url);
  const nano = loadedNative<NanoModule>(NANOMSG_PACKAGE) ?? await loadNanomsg();
  let pipe = pipes.get(url);
  if (!pipe) {
    pipe = new Pipe(url, maxBytes, nano);
    pipes.set(url, pipe);
  }
  const shared = pipe;
  return new ChannelConnection({
    label: `Nanomsg ${url}`,
    open: (endpoint) => shared.router.open(endpoint),
    release: (channel) => {
      channel.close();
      shared.left();
    },
    send: (body) => {
      try {
        shared.send(body);
      } catch (err) {
        throw err instanceof TransportFault ? err : new TransportFault(`Nanomsg ${url}: send failed: ${oneLine((err as Error).message)}`);
      }
    },
  }, sink);
}

/**
 * One pair socket to an address, shared by this process's connections: what Janus sends is
 * routed as on the broker transports' shared streams (shared-channel.ts: replies by tagged
 * transaction, events by session owner, transaction-less answers to the oldest request).
 */
class Pipe {
  private readonly socket: NanoSocket;
  readonly router = new ReplyRouter();

  constructor(
    readonly url: string,
    private readonly maxBytes: number,
    nano: NanoModule,
  ) {
    this.socket = nano.socket('pair', { rcvmaxsize: maxBytes, linger: 0 });
    this.socket.on('data', (data) => this.router.routePayload(data, this.maxBytes, 'from Janus'));
    this.socket.on('error', (err) => this.router.faultAll(oneLine(err.message)));
    if (this.socket.connect(url) === null) throw new TransportFault(`Nanomsg ${url}: cannot connect`);
  }

  send(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length > NANOMSG_MAX_REQUEST_BYTES) {
      throw new TransportFault(`Nanomsg ${this.url}: a request of ${bytes.length} bytes is longer than Janus reads from Nanomsg (${NANOMSG_MAX_REQUEST_BYTES} bytes); Janus would drop it`);
    }
    this.socket.send(bytes);
  }

  /** After a connection left: the last one closes the socket. */
  left(): void {
    if (this.router.size > 0) return;
    pipes.delete(this.url);
    this.socket.close();
  }
}
