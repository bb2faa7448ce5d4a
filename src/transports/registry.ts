import type { TransportDefinition } from './contract.js';

const transports = new Map<string, TransportDefinition>();

/** Registers a transport under its name; user-written transports call this too. */
export function registerTransport(def: TransportDefinition): void {
  if (transports.has(def.name)) throw new Error(`transport "${def.name}" is already registered`);
  transports.set(def.name, def);
}

export function getTransport(name: string): TransportDefinition | undefined {
  return transports.get(name);
}

export function transportNames(): string[] {
  return [...transports.keys()];
}

export function transportForScheme(scheme: string): TransportDefinition | undefined {
  const s = scheme.replace(/:$/, '');
  return [...transports.values()].find((t) => t.schemes.includes(s));
}
