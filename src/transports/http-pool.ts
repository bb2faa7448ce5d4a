import type { ClientRequest } from 'node:http';
import type { Socket } from 'node:net';

/** Opens a new connection to host:port (TCP, or TLS for https), its connect timeout running. */
export type OpenSocket = (host: string, port: number) => Socket;

/**
 * Kept-alive connections for node:http's requests, in node:http's Agent's place. Its Agent spends
 * on handing a kept-alive socket to a request and taking it back (a key built from the options,
 * option copies, lists of sockets in use and free, counts) about as long as the rest of the
 * request's own work: a flow over HTTP took 0.86 to 0.88 of its time without it.
 *
 * A request takes the socket to its origin freed last, or a new one. node:http hands it back
 * ('free') once the reply has ended and both sides keep the connection (no `Connection: close`);
 * it then idles, not keeping the process alive, until a request takes it or IDLE_SOCKET_MS
 * pass. There is no cap on sockets: every tracked session holds a long-poll GET open beside its
 * POSTs, and a POST queued behind one would wait up to 30 s (see `pools` in http-client.ts).
 *
 * The contract is what node:http's ClientRequest reads of an agent: addRequest(), keepAlive,
 * maxSockets, protocol and defaultPort (it checks the protocol against the request's).
 */
export class SocketPool {
  readonly keepAlive = true;
  readonly maxSockets = Infinity;
  /** Idle sockets by origin ("host:port"), the one freed last at the end. */
  private readonly idle = new Map<string, Socket[]>();
  /** The sockets idle now: only those close when their idle time runs out. */
  private readonly resting = new WeakSet<Socket>();

  constructor(
    readonly protocol: 'http:' | 'https:',
    readonly defaultPort: number,
    private readonly open: OpenSocket,
    private readonly idleMs: number,
  ) {}

  /** Called by ClientRequest's constructor; node:http sets `host` and `port` on the options it passes. */
  addRequest(request: ClientRequest, options: { host?: string; port?: number | string }): void {
    const host = options.host ?? 'localhost';
    const port = Number(options.port ?? this.defaultPort);
    const origin = `${host}:${port}`;
    const socket = this.takeIdle(origin) ?? this.connect(origin, host, port);
    request.onSocket(socket);
  }

  private takeIdle(origin: string): Socket | undefined {
    const sockets = this.idle.get(origin);
    while (sockets !== undefined && sockets.length > 0) {
      const socket = sockets.pop()!;
      if (socket.destroyed) continue;
      this.resting.delete(socket);
      socket.setTimeout(0);
      socket.ref();
      return socket;
    }
    return undefined;
  }

  /** A new connection, with what brings it back to the pool, and what takes it out when it ends. */
  private connect(origin: string, host: string, port: number): Socket {
    const socket = this.open(host, port);
    const free = (): void => this.rest(origin, socket);
    socket.on('free', free);
    // The server closes an idle socket now and then (its own keep-alive limit): it leaves the pool.
    socket.on('close', () => this.forget(origin, socket));
    // While idle no request listens: an error (a reset) only ends the socket, which 'close' removes.
    socket.on('error', () => undefined);
    socket.on('timeout', () => {
      if (this.resting.has(socket)) socket.destroy();
    });
    // An upgrade (or CONNECT) takes the socket out of HTTP for good: it never comes back.
    socket.once('agentRemove', () => {
      socket.off('free', free);
      this.forget(origin, socket);
    });
    return socket;
  }

  private rest(origin: string, socket: Socket): void {
    // A socket handed back half-closed, or broken, is of no use to the next request.
    if (socket.destroyed || !socket.writable) {
      socket.destroy();
      return;
    }
    // node:http's Agent clears it on a socket it takes back; the next request sets its own.
    (socket as Socket & { _httpMessage: unknown })._httpMessage = null;
    socket.setTimeout(this.idleMs);
    socket.unref();
    this.resting.add(socket);
    let sockets = this.idle.get(origin);
    if (!sockets) this.idle.set(origin, (sockets = []));
    sockets.push(socket);
  }

  private forget(origin: string, socket: Socket): void {
    this.resting.delete(socket);
    const sockets = this.idle.get(origin);
    const at = sockets?.indexOf(socket) ?? -1;
    if (at >= 0) sockets!.splice(at, 1);
  }
}
