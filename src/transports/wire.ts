import { clip } from '../core/clip.js';
import { copyRecord } from '../core/own.js';
import { textOf, type JanusMessage, type Route } from '../protocol/messages.js';
import { MAX_NESTING } from './limits.js';

/**
 * Helpers shared by the transports: turning socket/TLS errors into the one-line reasons a
 * TransportFault carries, decoding what the server sent, and putting a request's route ids
 * into it for the transports that carry them in the body.
 */

/** Reports show one line per fault; server text (JSON.parse messages quote it) can be long. */
export function oneLine(text: string, maxLength = 240): string {
  return clip(text.replace(/\s+/g, ' ').trim(), maxLength);
}

const REASON_BY_CODE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by server',
  EPIPE: 'connection closed by server',
  ETIMEDOUT: 'connection timed out',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EADDRNOTAVAIL: 'address not available',
};

const NOT_HTTP = "the server's answer is not HTTP (is this port Janus's HTTP or WebSocket port?)";

/** Node's TLS verification codes; their messages ("self-signed certificate") are already good. */
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** One-line reason for a network-level error (never includes request bodies, so no secrets). */
export function describeError(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return describeError(err.errors[0]);
  const e = err as { code?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const openssl = openSslReason(code, message);
  if (openssl) return `TLS: ${openssl}`;
  if (code && TLS_CODES.has(code)) return oneLine(`TLS: ${message}`);
  if (code && code.startsWith('ERR_SSL')) return oneLine(`TLS: ${message}`);
  if (code && REASON_BY_CODE[code]) return REASON_BY_CODE[code];
  // Node's HTTP parser read no status line ("Parse Error: Expected HTTP/, RTSP/ or ICE/"): another
  // protocol's server (SSH, a database, a broker) is on the port.
  if (code === 'HPE_INVALID_CONSTANT') return NOT_HTTP;
  return oneLine(message || code || 'unknown error');
}

/** OpenSSL's own line (`write EPROTO 80...:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/...c:350:`): its reason field. */
const OPENSSL_LINE = /[0-9A-F]+:error:[0-9A-F]+:[^:]*:[^:]*:([^:]+):/;

/**
 * The reason of an error OpenSSL raised, in words: its line names a source file of Node's build.
 * "wrong version number" is what a client reads when the server answers in plain text, the
 * usual mistake behind it being an https or wss URL on a plain http or ws port.
 */
function openSslReason(code: string | undefined, message: string): string | undefined {
  const reason = code === 'ERR_SSL_WRONG_VERSION_NUMBER' ? 'wrong version number' : OPENSSL_LINE.exec(message)?.[1];
  if (reason === undefined) return undefined;
  return reason === 'wrong version number' ? 'the server answered in plain text (is it an http or ws port? give http:// or ws://)' : oneLine(reason);
}

function isObject(value: unknown): value is JanusMessage {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What the wire showed for a decoded message: the text it came in (shared by the messages of
 * one long-poll body or frame), the HTTP status, the WebSocket frame type. Kept beside the
 * message rather than in it: the message stays exactly what Janus sent, transports keep their
 * contract, and nothing is derived from the text unless a reader (record, compare) asks.
 */
export interface WireFrame {
  text: string;
  /** HTTP: the status of the response that carried it. */
  status?: number;
  /** WebSocket: whether the frame was binary (Janus sends text frames). */
  binary?: boolean;
}

/**
 * Where a decoded message keeps its frame: a property under a symbol of this module, not
 * enumerable, so no JSON text, key list, copy or deep comparison ever sees it. A WeakMap entry
 * per message cost about a microsecond (and garbage collector work) for every message received.
 */
const FRAME = Symbol('wire frame');

/** The frame a message decoded by a transport came in; undefined for anything else. */
export function frameOf(message: unknown): WireFrame | undefined {
  return message !== null && typeof message === 'object' ? (message as { [FRAME]?: WireFrame })[FRAME] : undefined;
}

/**
 * Decodes a reply or event body. Janus sends one object, or an array of objects when a
 * long-poll asked for `maxev` > 1. Throws an Error whose message is the one-line reason.
 * With `frame`, each message is tied to the frame it came in (see frameOf): a reference, no copy.
 */
export function decodeMessages(text: string, allowArray: boolean, frame?: Omit<WireFrame, 'text'>): JanusMessage[] {
  const messages = parseMessages(text, allowArray);
  if (frame) {
    // Built key by key: a spread here costs microseconds a message (see copyRecord).
    const shared: WireFrame = { text };
    if (frame.status !== undefined) shared.status = frame.status;
    if (frame.binary !== undefined) shared.binary = frame.binary;
    for (const m of messages) Object.defineProperty(m, FRAME, { value: shared });
  }
  return messages;
}

function parseMessages(text: string, allowArray: boolean): JanusMessage[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // Looked for only here: JSON.parse fails on blank text too, and a good reply pays nothing for it.
    if (text.trim() === '') throw new Error('empty reply from server');
    throw new Error(`malformed JSON from server: ${oneLine((err as Error).message, 160)}`);
  }
  // A value nested `MAX_NESTING` deep takes twice as many characters: shorter texts need no walk.
  if (text.length > 2 * MAX_NESTING && nestsDeeperThan(value, MAX_NESTING + (allowArray && Array.isArray(value) ? 1 : 0))) {
    throw new Error(`JSON from server nested more than ${MAX_NESTING} levels deep`);
  }
  if (isObject(value)) return [value];
  if (allowArray && Array.isArray(value) && value.every(isObject)) return value;
  const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
  throw new Error(`unexpected JSON from server: ${kind}, expected ${allowArray ? 'object(s)' : 'an object'}`);
}

/** Whether objects and arrays nest more than `levels` deep in `value`; walks no deeper than that. */
function nestsDeeperThan(value: unknown, levels: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (levels === 0) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (nestsDeeperThan(item, levels - 1)) return true;
    return false;
  }
  for (const key in value) if (nestsDeeperThan((value as Record<string, unknown>)[key], levels - 1)) return true;
  return false;
}

/** Adds session_id/handle_id from the route; keys already in the payload (even null) win. */
export function withRouteIds(payload: JanusMessage, route: Route): JanusMessage {
  const body: JanusMessage = copyRecord(payload);
  if (route.sessionId !== undefined && !('session_id' in payload)) body.session_id = route.sessionId;
  if (route.handleId !== undefined && !('handle_id' in payload)) body.handle_id = route.handleId;
  return body;
}

/**
 * A request's JSON text with the route's ids added where the payload has no such key (a key it
 * has, even null, wins): the text of `withRouteIds`' copy, without making the copy (a request's way to the wire is the runner's hot path).
 */
export function routedText(payload: JanusMessage, route: Route): string {
  const text = textOf(payload);
  let ids = '';
  if (route.sessionId !== undefined && !('session_id' in payload)) ids += `,"session_id":${JSON.stringify(route.sessionId)}`;
  if (route.handleId !== undefined && !('handle_id' in payload)) ids += `,"handle_id":${JSON.stringify(route.handleId)}`;
  if (ids === '') return text;
  // JSON.stringify writes a plain object as {...}: the ids go before its last brace.
  return text === '{}' ? `{${ids.slice(1)}}` : `${text.slice(0, -1)}${ids}}`;
}

/** The URL as shown in fault messages: no user-info, query or fragment (they may hold secrets). */
export function displayUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`.replace(/\/+$/, '');
}

const parsedUrls = new Map<string, { url: URL; shown: string }>();
const SHOWN_URLS_KEPT = 64;

/**
 * displayUrl of a URL given as text, remembered: a run connects to the same few URLs again and
 * again (a connection a scenario), and parsing one and reading its parts costs microseconds.
 * Throws a TypeError for text that is no URL, as `new URL` does.
 */
export function displayUrlOf(text: string): string {
  return parsedUrl(text).shown;
}

/** The URL given as text, parsed once, and its displayUrl (see displayUrlOf); shared: never to be changed. */
export function parsedUrl(text: string): { url: URL; shown: string } {
  let parsed = parsedUrls.get(text);
  if (parsed === undefined) {
    const url = new URL(text);
    parsed = { url, shown: displayUrl(url) };
    if (parsedUrls.size >= SHOWN_URLS_KEPT) parsedUrls.clear();
    parsedUrls.set(text, parsed);
  }
  return parsed;
}

/** Raw request text as an object, when it is one: who routes a raw request reads its ids and transaction. */
export function parseJsonObject(text: string): JanusMessage | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JanusMessage) : undefined;
  } catch {
    return undefined;
  }
}
