import { CORE_ERROR_NAMES } from '../protocol/errors.js';
import { errorNameOf } from '../schemas/error-names.js';
import type { BaselineMessage } from './baseline.js';
import type { WireSummary } from './wire.js';

/** A message with what a report names it by, once its volatile values are symbols. */
export interface LabelledMessage {
  /** The scenario's client that sent or received it (one connection, or one per transport session). */
  client: string;
  /** What pairs it with the other run's messages: the client, the request it answers, ack or reply. */
  key: string;
  /** What the report shows: `message videoroom.join → event`, `create → success`, `event webrtcup`. */
  label: string;
  /** The plugin it concerns (`janus.plugin.videoroom`), `core` or `admin`. */
  plugin: string;
  /** A request the scenario sent (not what the server said). */
  sent?: true;
  /** An ack, or an event no request asked for: whether and when it comes is the server's timing. */
  timing: boolean;
  /** The error it carries, if any: `426 VIDEOROOM_NO_SUCH_ROOM`. */
  error?: string;
  message: unknown;
  /** What the wire showed (a message received, in a version 2 baseline). */
  wire?: WireSummary;
  /** When it was sent or received, in ms from the test's start. */
  ms?: number;
  /** A request's time to its final reply. */
  latencyMs?: number;
}

type Json = Record<string, unknown>;

const obj = (v: unknown): Json | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);

/**
 * Names the messages of one test, in order. Replies and plugin events are tied to the request
 * whose transaction they carry; handles to the plugin they were attached to.
 */
export class Labeller {
  private readonly requests = new Map<unknown, { label: string; plugin: string }>();
  private readonly plugins = new Map<unknown, string>();
  /** Per client, an exchange (an `http:` step, a raw text) whose answer has not come yet. */
  private readonly exchanges = new Map<string, { label: string; plugin: string }>();

  label(m: BaselineMessage): LabelledMessage {
    const msg = obj(m.message);
    if (m.direction === 'out' && (isExchange(m) || !msg)) return this.exchange(m, msg);
    const answer = m.direction === 'in' ? this.exchangeAnswered(m, msg) : undefined;
    if (answer) return answer;
    if (!msg) return { client: m.client, key: `${m.client} ${m.direction} text`, label: m.direction === 'out' ? 'raw request' : 'raw reply', plugin: 'core', ...(m.direction === 'out' && { sent: true as const }), timing: false, message: m.message };
    return m.direction === 'out' ? this.request(m, msg) : this.incoming(m, msg);
  }

  /**
   * What an `http:` step sends (`GET /janus/ping`) or a raw text (a frame Janus may not read):
   * its answer is the next thing that client gets on that exchange, whatever it is (a pong, a
   * 404 with no body, an error Janus sends without a transaction because it could not read
   * one), so the two runs' answers pair and an error that became a success is one change.
   */
  private exchange(m: BaselineMessage, msg: Json | undefined): LabelledMessage {
    const http = obj(m.http);
    const label = typeof http?.method === 'string' && typeof http.path === 'string' ? `${http.method} ${http.path}` : 'raw request';
    const plugin = m.api === 'admin' ? 'admin' : 'core';
    const request = { label, plugin };
    this.exchanges.set(m.client, request);
    if (msg?.transaction !== undefined) this.requests.set(msg.transaction, request);
    return { client: m.client, key: `${m.client} out ${label}`, label, plugin, sent: true, timing: false, message: m.message };
  }

  /** The answer to the client's pending exchange: an HTTP response, the reply its transaction names, or an error without a transaction. */
  private exchangeAnswered(m: BaselineMessage, msg: Json | undefined): LabelledMessage | undefined {
    const request = this.exchanges.get(m.client);
    if (!request) return undefined;
    const named = msg?.transaction !== undefined ? this.requests.get(msg.transaction) : undefined;
    // A raw text's transaction is inside the text: a reply naming a transaction no request had answers it.
    const answers = named === request || isExchange(m) || (msg?.janus === 'error' && msg.transaction === undefined) || (named === undefined && msg?.transaction !== undefined);
    if (!answers || (named !== undefined && named !== request)) return undefined;
    this.exchanges.delete(m.client);
    const status = Number(obj(m.http)?.status);
    const data = obj(obj(msg?.plugindata)?.data);
    const error = (msg && errorOf(msg, data, request.plugin)) ?? (status >= 400 ? `HTTP ${status}` : undefined);
    const what = msg ? String(msg.janus) : Number.isFinite(status) ? `HTTP ${status}` : 'text';
    return { client: m.client, key: `${m.client} ${request.label} reply`, label: `${request.label} → ${what}`, plugin: request.plugin, timing: false, ...(error && { error }), message: m.message };
  }

  private request(m: BaselineMessage, msg: Json): LabelledMessage {
    const verb = String(msg.janus);
    const handle = msg.handle_id ?? m.route?.handleId;
    const plugin = m.api === 'admin' ? 'admin' : verb === 'attach' ? String(msg.plugin) : this.plugins.get(handle) ?? 'core';
    const body = obj(msg.body);
    const what = verb === 'message' && body?.request !== undefined ? `message ${shortName(plugin)}.${String(body.request)}` : m.api === 'admin' ? `admin ${verb}` : verb;
    if (msg.transaction !== undefined) this.requests.set(msg.transaction, { label: what, plugin });
    return { client: m.client, key: `${m.client} out ${what}`, label: what, plugin, sent: true, timing: false, message: m.message };
  }

  private incoming(m: BaselineMessage, msg: Json): LabelledMessage {
    const janus = String(msg.janus);
    const plugindata = obj(msg.plugindata);
    const data = obj(plugindata?.data);
    const plugin = typeof plugindata?.plugin === 'string' ? plugindata.plugin : this.plugins.get(msg.sender) ?? (m.api === 'admin' ? 'admin' : 'core');
    const error = errorOf(msg, data, plugin);
    const request = msg.transaction !== undefined ? this.requests.get(msg.transaction) : undefined;
    if (request) {
      this.learnHandle(request, msg);
      const kind = janus === 'ack' ? 'ack' : 'reply';
      const pluginEvent = data ? eventName(data, plugin) : undefined;
      return { client: m.client, key: `${m.client} ${request.label} ${kind}`, label: `${request.label} → ${janus}${pluginEvent ? ` ${pluginEvent}` : ''}`, plugin: request.plugin === 'core' ? plugin : request.plugin, timing: kind === 'ack', ...(error && { error }), message: m.message };
    }
    const pluginEvent = data ? eventName(data, plugin) : undefined;
    const what = `event ${janus}${pluginEvent ? ` ${pluginEvent}` : ''}`;
    return { client: m.client, key: `${m.client} ${what}`, label: what, plugin, timing: true, ...(error && { error }), message: m.message };
  }

  /** An attach's success names the handle: messages on it concern that plugin. */
  private learnHandle(request: { label: string; plugin: string }, msg: Json): void {
    const data = obj(msg.data);
    if (request.label === 'attach' && msg.janus === 'success' && data?.id !== undefined) this.plugins.set(data.id, request.plugin);
  }
}

/** A message of an `http:` step: it has its request or response line. */
function isExchange(m: BaselineMessage): boolean {
  return obj(m.http) !== undefined;
}

function shortName(plugin: string): string {
  return plugin.replace(/^janus\.plugin\./, '');
}

/** A plugin's own event name: `{"videoroom": "joined"}` → `videoroom:joined`. */
function eventName(data: Json, plugin: string): string | undefined {
  const short = shortName(plugin);
  const value = data[short];
  return typeof value === 'string' ? `${short}:${value}` : undefined;
}

function errorOf(msg: Json, data: Json | undefined, plugin: string): string | undefined {
  const core = obj(msg.error);
  if (msg.janus === 'error' && core && typeof core.code === 'number') return named(core.code, CORE_ERROR_NAMES[core.code]);
  if (data && typeof data.error_code === 'number') return named(data.error_code, errorNameOf(data.error_code, plugin));
  return undefined;
}

function named(code: number, name: string | undefined): string {
  return name ? `${code} ${name}` : String(code);
}
