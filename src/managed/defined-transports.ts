import { symlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ManagedSetup, TransportConnection, TransportDefinition } from '../transports/contract.js';
import { getTransport } from '../transports/registry.js';
import { JanusStartError } from './errors.js';
import type { JanusInstallation } from './installation.js';
import { renderJcfg } from './jcfg.js';
import { ownStem } from './needs.js';
import { pickFreePorts } from './ports.js';

/**
 * Transports whose definition says how a managed Janus serves them (`managed` in the transport
 * contract: Unix sockets, Nanomsg, brokers, user-written ones). HTTP and WebSocket are the
 * launcher's own listeners (listeners.ts); everything else goes through here.
 */

/** The transports the launcher configures itself, as TCP listeners. */
export const LISTENER_TRANSPORTS: readonly string[] = ['http', 'https', 'ws', 'wss'];

/** A transport served through its definition, once prepared for one instance. */
export interface PreparedTransport {
  name: string;
  definition: TransportDefinition;
  setup: ManagedSetup;
}

/** The definitions of the non-listener transports; an unknown or unmanageable name is a start error. */
export function definedTransports(names: readonly string[]): TransportDefinition[] {
  // The listeners and the broker transports (brokers/wiring.ts) are the launcher's own.
  const definitions = names.filter((n) => ownStem(n) === undefined).map((name) => {
    const definition = getTransport(name);
    if (!definition) throw new JanusStartError(`unknown transport '${name}'`);
    if (!definition.managed) throw new JanusStartError(`the managed Janus cannot serve transport '${name}' (it has no managed setup); run it against a server with --url`);
    return definition;
  });
  const libraries = new Map<string, string>();
  for (const d of definitions) {
    const other = libraries.get(d.managed!.library);
    if (other !== undefined) throw new JanusStartError(`transports '${other}' and '${d.name}' both need libjanus_${d.managed!.library}.so, which one Janus loads once: run them separately`);
    libraries.set(d.managed!.library, d.name);
  }
  return definitions;
}

/** The library stem a transport needs: the launcher's own for listeners and brokers, else its definition's. */
export function libraryOf(name: string): string | undefined {
  return ownStem(name) ?? getTransport(name)?.managed?.library;
}

/**
 * Runs each definition's prepare (socket paths, brokers) and writes its library symlink and jcfg
 * into the instance folder. On failure, releases what was prepared so far.
 */
export async function prepareTransports(dir: string, installation: JanusInstallation, definitions: readonly TransportDefinition[]): Promise<PreparedTransport[]> {
  const prepared: PreparedTransport[] = [];
  try {
    for (const definition of definitions) {
      const { library } = definition.managed!;
      const setup = await definition.managed!.prepare({ folder: dir, instanceId: basename(dir).slice(-6), freePorts: pickFreePorts }).catch((e: Error) => {
        throw new JanusStartError(`transport '${definition.name}': ${e.message}`);
      });
      prepared.push({ name: definition.name, definition, setup });
      await symlink(join(installation.moduleDir, 'transports', `libjanus_${library}.so`), join(dir, 'transports', `libjanus_${library}.so`));
      await writeFile(join(dir, `janus.transport.${library}.jcfg`), renderJcfg(setup.config), { mode: 0o600 });
    }
    return prepared;
  } catch (err) {
    await releaseTransports(prepared);
    throw err;
  }
}

export async function releaseTransports(prepared: readonly PreparedTransport[]): Promise<void> {
  await Promise.all(prepared.map((p) => p.setup.release?.().catch(() => undefined)));
}

export function releaseTransportsSync(prepared: readonly PreparedTransport[]): void {
  for (const p of prepared) {
    try {
      p.setup.releaseSync?.();
    } catch {
      // an exit handler goes on with the rest
    }
  }
}

/**
 * Connects over the transport itself, sends `info` and resolves with the `server_info` reply:
 * the socket exists, the broker connection is up. Rejects on a fault or after `timeoutMs`.
 */
export async function probeInfo(p: PreparedTransport, timeoutMs: number): Promise<Record<string, unknown>> {
  let connection: TransportConnection | undefined;
  let settle: (info?: Record<string, unknown>, error?: Error) => void = () => undefined;
  const answered = new Promise<Record<string, unknown>>((resolve, reject) => (settle = (info, error) => (error ? reject(error) : resolve(info!))));
  // A fault may come while connect or send is still pending: never an unhandled rejection.
  answered.catch(() => undefined);
  const timer = setTimeout(() => settle(undefined, new Error(`no answer to info within ${timeoutMs} ms`)), timeoutMs);
  try {
    connection = await p.definition.connect({ url: p.setup.url, api: 'janus', tls: {}, connectTimeoutMs: timeoutMs }, {
      message: (m) => (m['janus'] === 'server_info' ? settle(m) : undefined),
      fault: (f) => settle(undefined, f),
      sessionGone: () => undefined,
    });
    const reply = await connection.send({ janus: 'info', transaction: 'managed-ready' }, {});
    if (reply?.['janus'] === 'server_info') settle(reply);
    return await answered;
  } finally {
    clearTimeout(timer);
    await connection?.close();
  }
}
