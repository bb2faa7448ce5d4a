import type { CompiledScenario } from '../../src/compile/scenario.js';
import type { JanusClient } from '../../src/janus/client.js';
import type { Mismatch } from '../../src/match/contract.js';
import { ScenarioValues } from '../../src/run/values.js';
import type { Actor, StepContext } from '../../src/steps/contract.js';

/**
 * A StepContext for running compiled steps against a scripted client (no transport, no
 * schema checks): transactions tx-1, tx-2, ...; placeholders through the real ScenarioValues.
 */
export function stepContext(scenario: CompiledScenario, client: JanusClient, options: { transport?: string; actor?: Partial<Actor> } = {}): { ctx: StepContext; values: ScenarioValues } {
  const transport = options.transport ?? 'http';
  const actors = new Map<string, Actor>(scenario.clients.map((name) => [name, { name, handles: new Map(), ...options.actor }]));
  const values = new ScenarioValues((n) => actors.get(n), transport, {});
  let tx = 0;
  const ctx: StepContext = {
    signal: new AbortController().signal,
    target: { transport, url: transport === 'http' ? 'http://127.0.0.1:9/janus' : 'ws://127.0.0.1:9', tls: {} },
    traffic: () => {},
    peers: { run: async () => undefined },
    stepTimeoutMs: 1000,
    secrets: {},
    actor: (name) => actors.get(name)!,
    janus: async () => client,
    connected: () => client,
    admin: async () => client,
    nextTransaction: () => `tx-${++tx}`,
    resolve: (template, actor, transaction) => template(values.lookupFor(actor, transaction)),
    match(matcher, actual, actor) {
      const out: Mismatch[] = [];
      matcher(actual, '', ctx.matchRuntime(actor), out);
      return out;
    },
    matchRuntime(actor) {
      const lookup = values.lookupFor(actor);
      return { resolve: (t) => t(lookup), validateSchema: () => [] };
    },
    save: (name, value) => values.saved.set(name, value),
    noteReply: (reply, transaction) => (values.last = { reply, transaction }),
  };
  return { ctx, values };
}
