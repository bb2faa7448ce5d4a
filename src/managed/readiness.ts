import { clip } from '../core/clip.js';
import { request as httpGet } from 'node:http';
import { request as httpsGet } from 'node:https';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { FlakyStart, JanusStartError, PortConflict, startInterrupted, unlessInterrupted } from './errors.js';
import type { JanusProcess } from './janus-process.js';
import { listenerUrl, type Listener } from './listeners.js';
import { listeningPortsOf } from './socket-ownership.js';

export interface ReadinessCheck {
  janus: JanusProcess;
  listeners: Listener[];
  /** Plugin packages that must appear in server_info. */
  plugins: string[];
  caPem?: string;
  /** How long Janus may go without a sign of progress (a log line, a listener that opens). */
  timeoutMs: number;
  /** The listeners are our own bridges to a namespaced Janus: nobody else can hold their ports. */
  bridged?: boolean;
  /**
   * `info` over each transport that is not a TCP listener (Unix sockets, brokers): each must
   * answer before Janus counts as ready; the first answer stands in for server_info when there
   * is no HTTP or WebSocket listener.
   */
  probes?: Array<{ name: string; info: () => Promise<Record<string, unknown>> }>;
  /** Log lines by which a transport says it failed to start in a way a restart fixes. */
  flakyStarts?: Array<{ name: string; line: RegExp }>;
  /** Stops the wait at once (Ctrl-C): it rejects with startInterrupted, and the caller kills Janus. */
  signal?: AbortSignal;
}

/** Log lines by which libwebsockets and libmicrohttpd report a port they could not bind. */
const BIND_FAILURE = /ERROR on binding|Couldn't start (admin )?webserver|Error creating vhost|Address already in use/i;
const POLL_INTERVAL_MS = 10;
/**
 * However busy Janus keeps itself, it must be ready within this many times timeoutMs: on a
 * loaded machine a start takes several times as long as on an idle one, and it keeps printing
 * as it goes (plugins, transports), so the limit that matters is the one on silence.
 */
const READY_LIMIT_FACTOR = 6;
const PROBE_TIMEOUT_MS = 1000;

/**
 * Waits until every listener accepts TCP connections and belongs to this Janus, and server_info
 * answers and lists every needed plugin. Throws PortConflict for bind failures (the caller
 * retries with new ports) and JanusStartError for everything else.
 */
export function waitUntilReady(check: ReadinessCheck): Promise<Record<string, unknown>> {
  return unlessInterrupted(check.signal, pollUntilReady(check));
}

async function pollUntilReady(check: ReadinessCheck): Promise<Record<string, unknown>> {
  const { janus, listeners } = check;
  const started = Date.now();
  const pending = new Set(listeners);
  const probes = new Set(check.probes ?? []);
  let progress = { at: started, logged: janus.log.received, pending: pending.size + probes.size };
  let probedInfo: Record<string, unknown> | undefined;
  for (;;) {
    if (check.signal?.aborted) throw startInterrupted(check.signal);
    if (!janus.running) await Promise.race([janus.closed, sleep(200)]); // let the last log lines arrive
    // Before the exit check: a lost start-up race can make Janus exit ("No Janus API transport is available").
    throwIfFlaky(janus, check.flakyStarts ?? []);
    throwIfFailed(janus);
    const now = Date.now();
    if (janus.log.received !== progress.logged || pending.size + probes.size !== progress.pending) progress = { at: now, logged: janus.log.received, pending: pending.size + probes.size };
    const silent = now - progress.at > check.timeoutMs;
    if (silent || now - started > check.timeoutMs * READY_LIMIT_FACTOR) {
      const waiting = pending.size > 0 ? [...pending].map((l) => l.name).join(', ') : probes.size > 0 ? [...probes].map((p) => p.name).join(', ') : 'server_info';
      const limit = silent ? `within ${check.timeoutMs} ms of its last sign of progress` : `within ${check.timeoutMs * READY_LIMIT_FACTOR} ms`;
      throw new JanusStartError(`Janus not ready ${limit} (waiting for ${waiting}): ${logGist(janus)}`);
    }
    const accepted = await Promise.all([...pending].map(async (l) => ((await acceptsTcp(l.port)) ? l : undefined)));
    for (const l of accepted) if (l) pending.delete(l);
    for (const probe of pending.size === 0 ? [...probes] : []) {
      const info = await probe.info().catch(() => undefined);
      if (info) {
        probes.delete(probe);
        probedInfo ??= info;
      }
    }
    if (pending.size === 0 && probes.size === 0) {
      const hasApiListener = listeners.some((l) => !l.admin);
      const info = hasApiListener ? await fetchServerInfo(listeners, check.caPem).catch(() => undefined) : probedInfo;
      if (info) {
        if (!check.bridged) await checkOwnership(janus, listeners);
        throwIfFailed(janus);
        checkPlugins(info, check.plugins, janus);
        return info;
      }
    }
    await Promise.race([sleep(POLL_INTERVAL_MS), janus.exited]);
  }
}

function throwIfFailed(janus: JanusProcess): void {
  const bindFailure = janus.log.allLines().find((line) => BIND_FAILURE.test(line));
  if (bindFailure) throw new PortConflict(bindFailure.trim());
  const status = janus.status;
  if (!status) return;
  if (status.error) throw new JanusStartError(`could not run Janus: ${status.error.message}`);
  const how = status.signal ? `signal ${status.signal}` : `code ${status.code}`;
  // Janus that fails to start exits 1; a wrapper that starts it in the background exits 0 at
  // once (and what it started went with it: see JanusProcess).
  if (status.code === 0) throw new JanusStartError(`the Janus binary exited during startup (code 0), as a wrapper that starts Janus in the background and exits does; the binary must keep Janus in the foreground (a wrapper script can exec it): ${logGist(janus)}`);
  throw new JanusStartError(`Janus exited during startup (${how}): ${logGist(janus)}`);
}

function throwIfFlaky(janus: JanusProcess, flakyStarts: NonNullable<ReadinessCheck['flakyStarts']>): void {
  if (flakyStarts.length === 0) return;
  for (const line of janus.log.allLines()) {
    const flaky = flakyStarts.find((f) => f.line.test(line.trim()));
    if (flaky) throw new FlakyStart(`transport '${flaky.name}' did not start: ${line.trim()}`);
  }
}

async function checkOwnership(janus: JanusProcess, listeners: readonly Listener[]): Promise<void> {
  const owned = janus.pid === undefined ? undefined : await listeningPortsOf(janus.pid);
  if (!owned) return;
  const foreign = listeners.filter((l) => !owned.has(l.port));
  if (foreign.length > 0) throw new PortConflict(`port ${foreign.map((l) => `${l.port} (${l.name})`).join(', ')} taken by another process`);
}

function checkPlugins(info: Record<string, unknown>, plugins: readonly string[], janus: JanusProcess): void {
  const loaded = Object.keys((info['plugins'] as Record<string, unknown> | undefined) ?? {});
  const missing = plugins.filter((p) => !loaded.includes(p));
  if (missing.length > 0) throw new JanusStartError(`Janus started without plugin ${missing.join(', ')}: ${logGist(janus)}`);
}

/** One line summing up why Janus failed: its last errors, or else its last words. */
export function logGist(janus: JanusProcess): string {
  const lines = janus.log.allLines().map((l) => l.trim()).filter(Boolean);
  const errors = lines.filter((l) => /\[(ERR|FATAL)\]/.test(l));
  const gist = (errors.length > 0 ? errors : lines).slice(-3).join(' | ');
  if (!gist) return '(no output)';
  return clip(gist, 400);
}

function acceptsTcp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: PROBE_TIMEOUT_MS });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/** `info` over the first Janus API listener; it never needs a secret or token. */
function fetchServerInfo(listeners: readonly Listener[], caPem: string | undefined): Promise<Record<string, unknown>> {
  const api = listeners.find((l) => !l.admin);
  if (!api) return Promise.reject(new Error('no Janus API listener'));
  return api.family === 'http' ? httpInfo(`${listenerUrl(api)}/info`, caPem) : wsInfo(listenerUrl(api), caPem);
}

function httpInfo(url: string, ca: string | undefined): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const get = url.startsWith('https:') ? httpsGet : httpGet;
    const req = get(url, { method: 'GET', timeout: PROBE_TIMEOUT_MS, ...(ca && { ca }) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => parseServerInfo(body, resolve, reject));
      res.on('error', reject);
    });
    req.once('timeout', () => req.destroy(new Error('info timed out')));
    req.once('error', reject);
    req.end();
  });
}

async function wsInfo(url: string, ca: string | undefined): Promise<Record<string, unknown>> {
  // Loaded here, not at start: a run against --url never starts a Janus to probe.
  const { default: WebSocket } = await import('../vendor/ws.js');
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'janus-protocol', { handshakeTimeout: PROBE_TIMEOUT_MS, ...(ca && { ca }) });
    const timer = setTimeout(() => socket.terminate(), PROBE_TIMEOUT_MS);
    const finish = () => {
      clearTimeout(timer);
      socket.terminate();
    };
    socket.once('open', () => socket.send(JSON.stringify({ janus: 'info', transaction: 'managed-ready' })));
    socket.once('message', (data) => {
      finish();
      parseServerInfo(String(data), resolve, reject);
    });
    socket.once('error', (err) => {
      finish();
      reject(err);
    });
    socket.once('close', () => reject(new Error('closed before info')));
  });
}

function parseServerInfo(body: string, resolve: (info: Record<string, unknown>) => void, reject: (err: Error) => void): void {
  try {
    const info = JSON.parse(body) as Record<string, unknown>;
    if (info['janus'] === 'server_info') resolve(info);
    else reject(new Error(`unexpected reply to info: ${clip(body, 100)}`));
  } catch (err) {
    reject(err as Error);
  }
}
