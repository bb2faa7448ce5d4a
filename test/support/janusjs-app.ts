import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * A small browser app built on the upstream janus.js (npm `janus-gateway`), served from a loopback
 * HTTP server: the page drives a signalling-only flow against the Janus URL in its query string
 * and reports each stage with a POST to /progress, so the test waits for what happened, not for time.
 */
export interface JanusjsApp {
  /** The page that runs the flow against `server` (ws://... or http://.../janus). */
  pageUrl(server: string, options?: { keepAlivePeriod?: number }): string;
  /** Resolves with the report of `stage`; rejects when the page reports an error or `limitMs` passes. */
  waitFor(stage: string, limitMs: number): Promise<Report>;
  reports: Report[];
  /** Records a failure seen from outside the page (a script error): `waitFor` rejects with it. */
  fail(message: string): void;
  close(): Promise<void>;
}

export interface Report {
  stage: string;
  [detail: string]: unknown;
}

const require = createRequire(import.meta.url);
const JANUS_JS = require.resolve('janus-gateway');
// webrtc-adapter is janus.js's own dependency: resolved from where janus.js is.
const ADAPTER_JS = join(dirname(createRequire(JANUS_JS).resolve('webrtc-adapter/package.json')), 'out', 'adapter.js');

/** janus.js's npm version, for messages. */
export const JANUS_JS_VERSION = (JSON.parse(readFileSync(join(dirname(JANUS_JS), '..', 'package.json'), 'utf8')) as { version: string }).version;

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>janus.js app</title>
<script src="/adapter.js"></script>
<script type="module" src="/app.js"></script>
`;

/**
 * The app. janus.js is given its dependencies explicitly (Janus.init({dependencies})): the
 * WebSocket and fetch it uses are wrapped to count its automatic keepalives and long-polls.
 * Over WebSocket janus.js's detach does not wait for Janus's answer, so `destroy` follows it on
 * the wire at once; over HTTP the detach POST is answered first.
 */
const APP = `import Janus from '/janus.es.js';

const params = new URLSearchParams(location.search);
const server = params.get('server');
const keepAlivePeriod = Number(params.get('keepAlivePeriod') || 25000);
const report = (stage, detail = {}) => fetch('/progress', { method: 'POST', body: JSON.stringify({ stage, ...detail }) });

const keepalives = { sent: 0, acked: 0, transactions: new Set() };
class CountingWebSocket extends WebSocket {
  constructor(url, protocol) {
    super(url, protocol);
    this.addEventListener('message', (event) => {
      const message = JSON.parse(event.data);
      if (message.janus === 'ack' && keepalives.transactions.delete(message.transaction)) keepalives.acked += 1;
    });
  }
  send(data) {
    const message = JSON.parse(data);
    if (message.janus === 'keepalive') {
      keepalives.sent += 1;
      keepalives.transactions.add(message.transaction);
    }
    super.send(data);
  }
}
const longPolls = { answered: 0 };
const countingFetch = async (url, options) => {
  const answer = await fetch(url, options);
  if (options.method === 'GET') longPolls.answered += 1;
  return answer;
};

const until = async (what, check) => {
  for (const end = Date.now() + 20000; !check();) {
    if (Date.now() > end) throw new Error('gave up waiting for ' + what);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
/** A janus.js call with success/error callbacks as a promise. */
const call = (fn, options = {}) => new Promise((resolve, reject) => fn({ ...options, success: resolve, error: (e) => reject(new Error(String(e))) }));
const pluginData = (data) => {
  if (data && data.error) throw new Error(data.error_code + ' ' + data.error);
  return data;
};

async function attach(janus, plugin) {
  const messages = [];
  // As the upstream demos do: an opaque id of the app's own, random per page load.
  const opaqueId = plugin.split('.').pop() + '-' + Janus.randomString(12);
  const handle = await call((cb) => janus.attach(cb), { plugin, opaqueId, onmessage: (data) => messages.push(data) });
  return { handle, messages, send: async (message) => pluginData(await call((cb) => handle.send(cb), { message })) };
}

async function flow() {
  await new Promise((resolve) => Janus.init({
    debug: ['error'],
    dependencies: Janus.useDefaultDependencies({ adapter: window.adapter, WebSocket: CountingWebSocket, fetch: countingFetch }),
    callback: resolve,
  }));
  let janus;
  await new Promise((resolve, reject) => {
    janus = new Janus({ server, keepAlivePeriod, success: resolve, error: (e) => reject(new Error(String(e))) });
  });
  await report('created', { session: janus.getSessionId() });
  const info = await call((cb) => janus.getInfo(cb));
  await report('info', { version: info.version_string });

  const echo = await attach(janus, 'janus.plugin.echotest');
  const videoroom = await attach(janus, 'janus.plugin.videoroom');
  await echo.send({ audio: true });
  await until('the echotest event', () => echo.messages.some((m) => m.result === 'ok'));
  await videoroom.send({ request: 'list' });
  const created = await videoroom.send({ request: 'create', description: 'janus.js room' });
  await videoroom.send({ request: 'join', ptype: 'publisher', room: created.room, display: 'janus.js' });
  await until('joined', () => videoroom.messages.some((m) => m.videoroom === 'joined'));
  await report('messages', { room: created.room });

  // Over WebSocket janus.js sends keepalives on its own timer; over HTTP the long-poll is its keepalive.
  if (server.startsWith('ws')) await until('an answered keepalive', () => keepalives.acked >= 1);
  else await until('an answered long-poll', () => longPolls.answered >= 1);
  await report('keepalive', { keepalives: keepalives.sent, longPolls: longPolls.answered });

  // A new WebSocket (or, over HTTP, a POST) that claims the session; the handles stay valid.
  await call((cb) => janus.reconnect(cb));
  await echo.send({ audio: false });
  await until('the echotest event after the claim', () => echo.messages.filter((m) => m.result === 'ok').length >= 2);
  await report('reconnected', { session: janus.getSessionId() });

  await call((cb) => echo.handle.detach(cb));
  await call((cb) => janus.destroy(cb));
  await report('done');
}

flow().catch((e) => report('error', { message: String(e && e.stack || e) }));
`;

export async function serveJanusjsApp(): Promise<JanusjsApp> {
  const reports: Report[] = [];
  const waiters = new Set<() => void>();
  const add = (report: Report) => {
    reports.push(report);
    for (const wake of waiters) wake();
  };
  const files: Record<string, { type: string; body: string | Buffer }> = {
    '/': { type: 'text/html', body: PAGE },
    '/app.js': { type: 'text/javascript', body: APP },
    '/janus.es.js': { type: 'text/javascript', body: readFileSync(JANUS_JS) },
    '/adapter.js': { type: 'text/javascript', body: readFileSync(ADAPTER_JS) },
  };
  const server = createServer((req, res) => void answer(req, res));
  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://app').pathname;
    if (req.method === 'POST' && path === '/progress') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      add(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Report);
      res.writeHead(204).end();
      return;
    }
    const file = files[path];
    if (!file) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  };
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    reports,
    fail: (message) => add({ stage: 'error', message }),
    pageUrl: (janus, options = {}) => `${origin}/?${new URLSearchParams({ server: janus, ...(options.keepAlivePeriod && { keepAlivePeriod: String(options.keepAlivePeriod) }) })}`,
    waitFor: (stage, limitMs) => new Promise<Report>((resolve, reject) => {
      const check = () => {
        const failed = reports.find((r) => r.stage === 'error');
        const found = reports.find((r) => r.stage === stage);
        if (!failed && !found) return;
        clearTimeout(timer);
        waiters.delete(check);
        if (failed) reject(new Error(`the janus.js app failed: ${String(failed.message)}`));
        else resolve(found!);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`the janus.js app did not reach "${stage}" in ${limitMs} ms; it reported: ${reports.map((r) => r.stage).join(', ') || 'nothing'}`));
      }, limitMs);
      waiters.add(check);
      check();
    }),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
