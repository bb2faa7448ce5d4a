/**
 * Shapes of the Janus wire protocol that the engine relies on (the full catalogue is JSON Schema).
 * Below both the transports, which carry these messages, and the client, which speaks them.
 */
export type JanusMessage = Record<string, unknown> & { janus?: unknown; transaction?: unknown };

/** Which API a connection speaks: the Janus API or the Admin API. */
export type JanusApi = 'janus' | 'admin';

/** Where a request is addressed; HTTP puts it in the URL path, the other transports in the body. */
export interface Route {
  sessionId?: number;
  handleId?: number;
}

/** A message that went over plain HTTP (an `http:` step): its request line and the reply's status. */
export interface HttpExchange {
  method?: string;
  path?: string;
  status?: number;
}

/** Request verbs and the level they are sent at when the scenario does not say otherwise. */
export const VERB_LEVEL: Record<string, 'root' | 'session' | 'handle'> = {
  info: 'root',
  ping: 'root',
  create: 'root',
  attach: 'session',
  destroy: 'session',
  keepalive: 'session',
  claim: 'session',
  detach: 'handle',
  hangup: 'handle',
  message: 'handle',
  trickle: 'handle',
};

/** Admin verbs that act on a session or a handle (all others are global). */
export const ADMIN_VERB_LEVEL: Record<string, 'session' | 'handle'> = {
  destroy_session: 'session',
  list_handles: 'session',
  handle_info: 'handle',
  start_pcap: 'handle',
  stop_pcap: 'handle',
  start_text2pcap: 'handle',
  stop_text2pcap: 'handle',
  hangup_webrtc: 'handle',
  detach_handle: 'handle',
};

/** Requests Janus answers with an ack alone: the ack is their final reply (no success or event follows). */
export const ACK_ENDED_VERBS: ReadonlySet<string> = new Set(['keepalive', 'trickle']);

/**
 * The last request whose JSON text was made ahead (see withText), and that text. One slot, not
 * a property of the request (defining a hidden one costs a microsecond a request) nor a WeakMap:
 * a request made ahead is the next one sent; if another was made meanwhile (runs side by side),
 * the text is made again when sent.
 */
let ahead: { request: JanusMessage | undefined; text: string } = { request: undefined, text: '' };

/**
 * Makes a request's JSON text now, for the transport that sends it (see textOf): for a request
 * made ahead, off the path from a reply to the next request. The request must not change afterwards.
 */
export function withText(request: JanusMessage): JanusMessage {
  ahead = { request, text: JSON.stringify(request) };
  return request;
}

/** A request's JSON text: the one made ahead with it, else made now. */
export function textOf(request: JanusMessage): string {
  return ahead.request === request ? ahead.text : JSON.stringify(request);
}

export function verbOf(msg: JanusMessage): string | undefined {
  return typeof msg.janus === 'string' ? msg.janus.toLowerCase() : undefined;
}

export function idOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

/** A request as an object: itself, or raw text that parses to a JSON object; undefined otherwise. */
export function requestObject(payload: JanusMessage | string): JanusMessage | undefined {
  if (typeof payload !== 'string') return payload;
  try {
    const parsed: unknown = JSON.parse(payload);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as JanusMessage) : undefined;
  } catch {
    return undefined;
  }
}
