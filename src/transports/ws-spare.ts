import type { Socket } from 'node:net';
import type WebSocket from 'ws';

/**
 * WebSockets opened ahead: when a client closes its connection, the next one to the same
 * server (a plan's next scenario, a `reopen`) opens while the close handshake goes on, and
 * connect() takes it ready. Over loopback a handshake is most of a short scenario's
 * connection cost (a TCP connect, the HTTP upgrade and its answer: 200 to 300 µs), spent
 * waiting; the close handshake before it is spent waiting too.
 *
 * At most one spare per key (url, api, TLS settings). A spare is a connection no request has
 * used: Janus sends nothing unasked on a connection without sessions, so one that receives
 * anything, errs or closes is dropped, as is one not taken within SPARE_IDLE_MS. It never keeps
 * the process alive (its TCP socket is unref'd from the start, its timers too).
 */
export class SpareSockets {
  private readonly ready = new Map<string, Spare>();
  private readonly opening = new Set<string>();
  /** How many times release() ran: a spare whose opening began before the last one is not held. */
  private releases = 0;

  constructor(private readonly idleMs = SPARE_IDLE_MS) {}

  /** The open spare for this key, now the caller's (its socket keeps the process alive again); or none. */
  take(key: string): WebSocket | undefined {
    const spare = this.ready.get(key);
    if (spare === undefined) return undefined;
    this.ready.delete(key);
    spare.release();
    if (spare.socket.readyState !== spare.socket.OPEN) {
      end(spare.socket);
      return undefined;
    }
    spare.tcp?.ref();
    return spare.socket;
  }

  /**
   * Opens a spare for this key unless one is ready or opening; a failed opening is forgotten.
   * `open` calls `opened` in the socket's own 'open' event, not a turn later: what the server
   * sends at once comes a tick after that event, and must find the spare watched.
   */
  replenish(key: string, open: (opened: (spare: OpenedSpare) => void) => Promise<unknown>): void {
    if (this.ready.has(key) || this.opening.has(key)) return;
    this.opening.add(key);
    const releases = this.releases;
    open((spare) => {
      this.opening.delete(key);
      // Opened after a release: nobody is to take it.
      if (releases !== this.releases) void closeHandshake(spare.socket);
      else this.hold(key, spare);
    }).catch(() => this.opening.delete(key));
  }

  /** Closes every spare held, with a close handshake (the server is still there); those still opening close once open. */
  async release(): Promise<void> {
    this.releases++;
    const held = [...this.ready.values()];
    this.ready.clear();
    await Promise.all(held.map((spare) => {
      spare.release();
      return closeHandshake(spare.socket);
    }));
  }

  private hold(key: string, { socket, tcp }: OpenedSpare): void {
    const drop = () => {
      if (this.ready.get(key) === spare) this.ready.delete(key);
      spare.release();
      end(socket);
    };
    const idle = setTimeout(drop, this.idleMs);
    idle.unref();
    const spare: Spare = {
      socket,
      tcp,
      release: () => {
        clearTimeout(idle);
        socket.off('message', drop).off('close', drop).off('error', drop);
      },
    };
    socket.on('message', drop).on('close', drop).on('error', drop);
    this.ready.set(key, spare);
  }
}

/**
 * A close handshake, cut short (terminate) if the server has not answered within
 * CLOSE_GRACE_MS. `holdProcess`: its timer keeps the process alive meanwhile (a client's own
 * close, which its caller awaits); a spare's never does.
 */
export function closeHandshake(socket: WebSocket, code = 1000, reason?: string, holdProcess = false): Promise<void> {
  return new Promise((resolve) => {
    socket.on('error', () => undefined);
    if (socket.readyState === socket.CLOSED) return resolve();
    const grace = setTimeout(() => socket.terminate(), CLOSE_GRACE_MS);
    if (!holdProcess) grace.unref();
    socket.once('close', () => {
      clearTimeout(grace);
      resolve();
    });
    socket.close(code, reason);
  });
}

function end(socket: WebSocket): void {
  // A socket ended this way may still emit an 'error': one listener stays for it.
  socket.on('error', () => undefined);
  socket.terminate();
}

/** A spare's WebSocket, open, and its TCP socket (unref'd) when the opening saw it. */
export interface OpenedSpare {
  socket: WebSocket;
  tcp?: Socket;
}

interface Spare extends OpenedSpare {
  /** Stops watching it (its listeners, its idle timer): it is taken, or dropped. */
  release(): void;
}

/** A spare not taken within this long is closed: scenarios of a plan follow each other within milliseconds. */
const SPARE_IDLE_MS = 2_000;
/** How long a close handshake waits for the server's side of it. */
const CLOSE_GRACE_MS = 2_000;
