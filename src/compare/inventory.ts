import { JanusClient } from '../janus/client.js';
import type { RunTarget } from '../run/run-scenario.js';
import { getTransport } from '../transports/registry.js';
import type { ServerInventory } from './baseline.js';

const INVENTORY_TIMEOUT_MS = 5000;

/**
 * What a server is: its `info`, and its Admin `get_status` when the target has an admin URL
 * and secret. A server that does not answer gives an inventory with the reason, never a throw:
 * the run itself says what is wrong with the server.
 */
export async function takeInventory(target: RunTarget): Promise<ServerInventory> {
  const inventory: ServerInventory = {};
  const errors: string[] = [];
  const info = await ask(target.transport, target.url, target, 'janus', { janus: 'info', transaction: 'inventory-info', ...authOf(target) });
  if ('reply' in info) inventory.info = info.reply;
  else errors.push(`info: ${info.error}`);
  if (target.admin && target.secrets.admin_secret) {
    const status = await ask(target.admin.transport, target.admin.url, target, 'admin', { janus: 'get_status', transaction: 'inventory-status', admin_secret: target.secrets.admin_secret });
    if ('reply' in status) inventory.adminStatus = (status.reply.status as Record<string, unknown> | undefined) ?? status.reply;
    else errors.push(`get_status: ${status.error}`);
  }
  if (errors.length > 0) inventory.error = errors.join('; ');
  return inventory;
}

function authOf(target: RunTarget): Record<string, string> {
  return { ...(target.secrets.apisecret && { apisecret: target.secrets.apisecret }), ...(target.secrets.token && { token: target.secrets.token }) };
}

async function ask(transportName: string, url: string, target: RunTarget, api: 'janus' | 'admin', payload: Record<string, unknown>): Promise<{ reply: Record<string, unknown> } | { error: string }> {
  const transport = getTransport(transportName);
  if (!transport) return { error: `no transport ${transportName}` };
  let client: JanusClient;
  try {
    client = await JanusClient.connect(transport, { url, api, tls: target.tls, connectTimeoutMs: INVENTORY_TIMEOUT_MS }, { api, nextTransaction: () => 'inventory', pollAuth: {} });
  } catch (e) {
    return { error: `cannot connect: ${(e as Error).message}` };
  }
  try {
    const outcome = await client.request(payload as never, {}, 'final', INVENTORY_TIMEOUT_MS);
    if ('fault' in outcome) return { error: outcome.fault.message };
    if ('timedOut' in outcome) return { error: 'no answer' };
    const reply = outcome.exchange.reply as Record<string, unknown>;
    return reply.janus === 'error' ? { error: JSON.stringify(reply.error) } : { reply };
  } finally {
    await client.close(() => ({}) as never, 0);
  }
}

/** The lists of `info` whose entries are modules: a server has what any of the run's servers has. */
const MODULE_LISTS = ['plugins', 'transports', 'events', 'loggers'];

/**
 * One inventory for the servers of one transport, in plan order: the plugins, transports,
 * event handlers and loggers of all of them (the union: a plugin one of them loaded is a plugin
 * the suite used), and the other settings of the first (the same server whose tests come first,
 * run after run).
 */
export function mergeInventories(inventories: ServerInventory[]): ServerInventory {
  const [first, ...rest] = inventories;
  if (!first) return {};
  const merged: ServerInventory = { ...first };
  if (first.info) {
    const info: Record<string, unknown> = { ...first.info };
    for (const list of MODULE_LISTS) {
      const union: Record<string, unknown> = { ...((first.info[list] as Record<string, unknown> | undefined) ?? {}) };
      for (const other of rest) Object.assign(union, { ...((other.info?.[list] as Record<string, unknown> | undefined) ?? {}), ...union });
      if (first.info[list] !== undefined || Object.keys(union).length > 0) info[list] = union;
    }
    merged.info = info;
  }
  const errors = inventories.map((i) => i.error).filter((e): e is string => e !== undefined);
  if (errors.length > 0) merged.error = [...new Set(errors)].join('; ');
  return merged;
}

/** The `info` name of the module that serves each transport a managed Janus listens on (its admin API included). */
const TRANSPORT_MODULES: Record<string, string> = {
  http: 'janus.transport.http', https: 'janus.transport.http', ws: 'janus.transport.websockets', wss: 'janus.transport.websockets',
  unix: 'janus.transport.pfunix', mqtt: 'janus.transport.mqtt', rabbitmq: 'janus.transport.rabbitmq', nanomsg: 'janus.transport.nanomsg',
};

/** What a planned test asks a managed Janus to load, and why it is skipped, if it is. */
export interface ModuleNeeds {
  plugins: string[];
  eventhandlers: Record<string, unknown>;
  loggers: Record<string, unknown>;
  skipReason?: string;
}

/**
 * The modules a managed run asked for (see ServerInventory.asked): the plugins, event handlers
 * and loggers its planned tests require; of a skipped test, only those its reason names (the
 * server lacks them, or --janus-without leaves them out: a plugin gone is a change; a test
 * skipped for its transport asked for nothing). And the transport modules of its transports
 * (none when one of them is not a known module: not restricted then).
 */
export function askedModules(tests: ModuleNeeds[], transports: string[]): Record<string, string[]> {
  const sorted = (names: Iterable<string>): string[] => [...new Set(names)].sort();
  const asked = (t: ModuleNeeds, names: string[]): string[] => names.filter((n) => t.skipReason === undefined || t.skipReason.includes(n));
  const result: Record<string, string[]> = {
    plugins: sorted(tests.flatMap((t) => asked(t, t.plugins))),
    events: sorted(tests.flatMap((t) => asked(t, Object.keys(t.eventhandlers)))),
    loggers: sorted(tests.flatMap((t) => asked(t, Object.keys(t.loggers)))),
  };
  if (transports.every((t) => Object.hasOwn(TRANSPORT_MODULES, t))) result.transports = sorted(transports.map((t) => TRANSPORT_MODULES[t]!));
  return result;
}
