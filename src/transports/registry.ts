import { Registry } from '../core/registry.js';
import { BUILTIN_TRANSPORTS } from './builtin.js';
import type { TransportDefinition } from './contract.js';

/** Transports by name; the rule is `Registry`'s (src/core/registry.ts). */
export const transportRegistry = new Registry<TransportDefinition>('transport', (t) => t.name, () => BUILTIN_TRANSPORTS);

/** Registers a transport under its name; user-written transports call this too. A name registered twice throws. */
export function registerTransport(def: TransportDefinition): void {
  transportRegistry.register(def);
}

/** Registers the built-in transports; safe to call more than once (the registry also does it on first use). */
export function registerBuiltinTransports(): void {
  transportRegistry.registerBuiltins();
}

export function getTransport(name: string): TransportDefinition | undefined {
  return transportRegistry.get(name);
}

/** The transport names a scenario may ask for: the built-in ones and any registered since. */
export function transportNames(): string[] {
  return transportRegistry.names();
}

export function transportForScheme(scheme: string): TransportDefinition | undefined {
  const s = scheme.replace(/:$/, '');
  return transportRegistry.values().find((t) => t.schemes.includes(s));
}
