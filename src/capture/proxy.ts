import { startHttpProxy } from './http-proxy.js';
import type { TrafficLog } from './traffic.js';
import { startWsProxy } from './ws-proxy.js';

export interface ProxyOptions {
  /** ws://host:port or http://host:port/janus (or /admin). */
  target: string;
  host: string;
  port: number;
  log: TrafficLog;
}

export interface Proxy {
  /** Where the application connects. */
  url: string;
  close(): Promise<void>;
}

/** A relay for the target's transport: WebSocket for ws:// targets, HTTP for http:// ones. */
export function startProxy(options: ProxyOptions): Promise<Proxy> {
  const scheme = new URL(options.target).protocol;
  return scheme === 'ws:' || scheme === 'wss:' ? startWsProxy(options) : startHttpProxy(options);
}
