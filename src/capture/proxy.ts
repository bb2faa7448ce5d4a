import { startHttpProxy } from './http-proxy.js';
import type { Proxy, ProxyOptions } from './contract.js';
import { startWsProxy } from './ws-proxy.js';

/** A relay for the target's transport: WebSocket for ws:// targets, HTTP for http:// ones. */
export function startProxy(options: ProxyOptions): Promise<Proxy> {
  const scheme = new URL(options.target).protocol;
  return scheme === 'ws:' || scheme === 'wss:' ? startWsProxy(options) : startHttpProxy(options);
}

export type { Proxy, ProxyOptions };
