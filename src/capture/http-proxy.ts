import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isObject, type JanusObject, type TrafficLog } from './traffic.js';
import type { Proxy, ProxyOptions } from './contract.js';

const MAX_BODY = 16 * 1024 * 1024;

/**
 * Forwards each HTTP request to the same path under the target (POSTs and long-poll GETs alike)
 * and logs the JSON: a POST's body as a request, the answer to it as its reply, and each event a
 * long-poll returns (one object, or an array with `maxev`) as a reply on that session.
 */
export async function startHttpProxy(options: ProxyOptions): Promise<Proxy> {
  const target = new URL(options.target);
  const base = target.pathname.replace(/\/+$/, '');
  const api = /(^|\/)admin$/.test(base) ? 'admin' : 'janus';
  const connection = api === 'admin' ? 'http-admin' : 'http';
  const server = createServer((req, res) => {
    void forward(req, res, { target, base, api, connection, log: options.log });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host}:${port}${base}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

interface Route {
  target: URL;
  base: string;
  api: 'janus' | 'admin';
  connection: string;
  log: TrafficLog;
}

async function forward(req: IncomingMessage, res: ServerResponse, route: Route): Promise<void> {
  const incoming = new URL(req.url ?? '/', 'http://proxy');
  const path = incoming.pathname.startsWith(route.base) ? incoming.pathname : `${route.base}${incoming.pathname}`;
  const ids = pathIds(path.slice(route.base.length));
  try {
    const body = await readBody(req);
    const request = req.method === 'POST' ? parseJson(body) : undefined;
    if (isObject(request)) route.log.add({ connection: route.connection, api: route.api, transport: 'http', direction: 'request', message: request, path: ids });
    const answer = await send(route.target, `${path}${incoming.search}`, req, body, res);
    logAnswer(route, answer.body, ids, isObject(request) ? request : undefined);
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  } catch (e) {
    if (res.destroyed) return;
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`janus-scenarios capture: ${(e as Error).message}`);
  }
}

function logAnswer(route: Route, body: Buffer, ids: { session?: number; handle?: number }, request: JanusObject | undefined): void {
  const parsed = parseJson(body);
  const messages = Array.isArray(parsed) ? parsed.filter(isObject) : isObject(parsed) ? [parsed] : [];
  for (const message of messages) {
    // A long-poll that timed out answers with a keepalive of Janus's own: not a message to replay.
    if (!request && message.janus === 'keepalive') continue;
    route.log.add({ connection: route.connection, api: route.api, transport: 'http', direction: 'reply', message, path: ids, ...(request && { answers: request }) });
  }
}

function pathIds(rest: string): { session?: number; handle?: number } {
  const [session, handle] = rest.split('/').filter((s) => s !== '').map(Number);
  return { ...(Number.isSafeInteger(session) && { session }), ...(Number.isSafeInteger(handle) && { handle }) };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy(new Error('request body larger than 16 MiB'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(target: URL, path: string, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length' && k !== 'connection') headers[k] = v;
  headers['content-length'] = String(body.length);
  const requestFn = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const out = requestFn({ host: target.hostname, port: target.port, method: req.method, path, headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        const keep: Record<string, string> = {};
        for (const [k, v] of Object.entries(answer.headers)) if (typeof v === 'string' && k !== 'content-length' && k !== 'connection' && k !== 'transfer-encoding') keep[k] = v;
        resolve({ status: answer.statusCode ?? 502, headers: keep, body: Buffer.concat(chunks) });
      });
      answer.on('error', reject);
    });
    out.on('error', reject);
    // The app went away (a long-poll it dropped, the proxy stopping): the request to Janus goes too,
    // or a long-poll Janus holds for 30 s would keep the capture from ending.
    res.on('close', () => !res.writableFinished && out.destroy());
    out.end(body);
  });
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
