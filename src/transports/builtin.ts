import type { TransportDefinition } from './contract.js';
import { httpTransport } from './http.js';
import { getTransport, registerTransport, transportNames } from './registry.js';
import { wsTransport } from './ws.js';

/** The transports janus-scenarios ships with; the TLS variants differ only in scheme. */
export const BUILTIN_TRANSPORTS: readonly TransportDefinition[] = [
  httpTransport({ name: 'http', schemes: ['http'], secure: false }),
  httpTransport({ name: 'https', schemes: ['https'], secure: true }),
  wsTransport({ name: 'ws', schemes: ['ws'], secure: false }),
  wsTransport({ name: 'wss', schemes: ['wss'], secure: true }),
];

/** Safe to call more than once: a name that is already registered is left alone. */
export function registerBuiltinTransports(): void {
  for (const def of BUILTIN_TRANSPORTS) {
    if (!getTransport(def.name)) registerTransport(def);
  }
}

/** The transport names a scenario may ask for: the built-in ones and any registered since. */
export function knownTransportNames(): string[] {
  registerBuiltinTransports();
  return transportNames();
}
