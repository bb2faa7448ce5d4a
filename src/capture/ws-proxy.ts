import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { isObject, type TrafficEntry, type TrafficLog } from './traffic.js';
import type { Proxy, ProxyOptions } from './contract.js';

const ADMIN_PROTOCOL = 'janus-admin-protocol';
const MAX_FRAME = 16 * 1024 * 1024;

/**
 * Relays WebSocket connections to a Janus WebSocket transport, one upstream connection per
 * application connection, with the subprotocol the application asked for, and logs every JSON
 * frame. A close on one side closes the other with the same code, so the application sees what
 * Janus did.
 */
export async function startWsProxy(options: ProxyOptions): Promise<Proxy> {
  const server = new WebSocketServer({ host: options.host, port: options.port, maxPayload: MAX_FRAME, handleProtocols: (protocols) => [...protocols][0] ?? false });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  let count = 0;
  const open = new Set<WebSocket>();
  server.on('connection', (client) => {
    count += 1;
    relay(client, `ws${count}`, options.target, options.log, open);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `ws://${options.host}:${port}`,
    close: async () => {
      for (const socket of open) socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function relay(client: WebSocket, connection: string, target: string, log: TrafficLog, open: Set<WebSocket>): void {
  const protocol = client.protocol;
  const api = protocol === ADMIN_PROTOCOL ? 'admin' : 'janus';
  const upstream = new WebSocket(target, protocol ? [protocol] : [], { maxPayload: MAX_FRAME });
  open.add(client).add(upstream);
  const pending: RawData[] = [];
  const record = (data: RawData, direction: 'request' | 'reply'): TrafficEntry | undefined => {
    const message = parseFrame(data);
    if (!message) return undefined;
    const entry: TrafficEntry = { connection, api, transport: 'ws', direction, message };
    log.add(entry);
    return entry;
  };
  // A ping just ahead of each reply: a request that comes before its pong was sent before the
  // app could read the reply, even when Janus's reply passed the relay first (they cross on the wire).
  const awaitingPong = new Map<string, TrafficEntry>();
  let pings = 0;
  client.on('pong', (data) => {
    const entry = awaitingPong.get(data.toString('utf8'));
    if (!entry) return;
    awaitingPong.delete(data.toString('utf8'));
    entry.delivered = log.entries.length;
  });
  client.on('message', (data, isBinary) => {
    record(data, 'request');
    if (upstream.readyState === WebSocket.OPEN) upstream.send(data, { binary: isBinary });
    else pending.push(data);
  });
  upstream.on('open', () => {
    for (const data of pending.splice(0)) upstream.send(data);
  });
  upstream.on('message', (data, isBinary) => {
    const entry = record(data, 'reply');
    if (client.readyState !== WebSocket.OPEN) return;
    if (entry) {
      const id = String(++pings);
      awaitingPong.set(id, entry);
      client.ping(id);
    }
    client.send(data, { binary: isBinary });
  });
  let closeLogged = false;
  const closeOther = (other: WebSocket) => (code: number, reason: Buffer) => {
    open.delete(other === client ? upstream : client);
    // The side that closed first is the one that closed the connection; the other only follows.
    if (!closeLogged) {
      closeLogged = true;
      const text = reason.toString('utf8');
      log.add({ connection, api, transport: 'ws', direction: 'close', message: {}, close: { by: other === upstream ? 'client' : 'server', code, ...(text && { reason: text }) } });
    }
    if (other.readyState === WebSocket.CLOSED || other.readyState === WebSocket.CLOSING) return;
    // 1005 (no code) and 1006 (dropped) cannot be sent in a close frame.
    if (code === 1005 || code === 1006) other.close();
    else other.close(code, reason);
  };
  client.on('close', closeOther(upstream));
  upstream.on('close', closeOther(client));
  upstream.on('error', () => client.readyState === WebSocket.OPEN && client.close(1011, 'Janus unreachable'));
  client.on('error', () => upstream.terminate());
}

function parseFrame(data: RawData): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8'));
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
