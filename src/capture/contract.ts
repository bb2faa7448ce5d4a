import type { TrafficLog } from './traffic.js';

/** What a relay for one transport is given, and what it gives back. */
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

