/**
 * The log a capture keeps: every message an application sent to Janus and every message Janus
 * sent back, in the order the proxy saw them. The generator works from this log only, so it can
 * be tested on a fixed log without a server.
 */
export type JanusObject = Record<string, unknown>;

export interface TrafficEntry {
  /** The connection it went over: a WebSocket, or for HTTP the one logical HTTP client. */
  connection: string;
  api: 'janus' | 'admin';
  transport: 'ws' | 'http';
  /**
   * `request`: from the application to Janus; `reply`: from Janus to the application; `close`:
   * the connection closed (`close` says by whom, with which code; `message` is empty).
   */
  direction: 'request' | 'reply' | 'close';
  message: JanusObject;
  close?: { by: 'client' | 'server'; code?: number; reason?: string };
  /** HTTP only: the ids in the path the request was posted (or polled) to. */
  path?: { session?: number; handle?: number };
  /** HTTP only: the message is the body of the POST's answer (its own request's reply). */
  answers?: JanusObject;
  /**
   * WebSocket replies: how many entries the log held when the application's pong came back to
   * the ping the relay sent just ahead of this reply. A request logged before that pong went out
   * before the application could have read the reply, though the relay had already seen it.
   */
  delivered?: number;
}

export class TrafficLog {
  readonly entries: TrafficEntry[] = [];
  add(entry: TrafficEntry): void {
    this.entries.push(entry);
  }
}

export function isObject(v: unknown): v is JanusObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
