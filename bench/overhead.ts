/**
 * `node [--cpu-prof] dist/bench/overhead.js [flows] [rounds]`: the runner's own CPU per anchor
 * flow, with no server and no socket: an in-process transport answers every request as Janus
 * 1.1.2 does (an ack then an event for the echotest message), on the next turn of the event
 * loop. What is left is what the runner adds to a hand-written client beside the JSON both
 * parse and write: steady figures on a busy machine, where the side-by-side bench is noisy.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSuite, registerTransport, runScenario, type TransportDefinition } from '../src/index.js';
import { anchorScenario } from './anchor.js';

type Message = Record<string, unknown>;

const FLOWS = Number(process.argv[2] ?? 200);
const ROUNDS = Number(process.argv[3] ?? 20);

/** Janus's answers to the anchor flow's requests, as text on the wire (parsed by the transport, as a real one does). */
function answer(request: Message, ids: { next: number }): string[] {
  const { transaction } = request;
  const session_id = request.session_id;
  switch (request.janus) {
    case 'create':
    case 'attach':
      return [JSON.stringify(session_id === undefined ? { janus: 'success', transaction, data: { id: ids.next++ } } : { janus: 'success', session_id, transaction, data: { id: ids.next++ } })];
    case 'message':
      return [
        JSON.stringify({ janus: 'ack', session_id, transaction }),
        JSON.stringify({ janus: 'event', session_id, sender: request.handle_id, transaction, plugindata: { plugin: 'janus.plugin.echotest', data: { echotest: 'event', result: 'ok' } } }),
      ];
    default:
      return [JSON.stringify({ janus: 'success', session_id, transaction })];
  }
}

const fakeJanus: TransportDefinition = {
  name: 'fakejanus',
  schemes: ['fakejanus'],
  secure: false,
  async connect(_options, sink) {
    const ids = { next: 1000 };
    return {
      ignoresSignal: true,
      send(payload, route) {
        // As a transport does: the ids of the route into the JSON text (no spread copy: V8 makes those slow).
        const request = JSON.parse(typeof payload === 'string' ? payload : JSON.stringify(payload)) as Message;
        if (route.sessionId !== undefined) request.session_id = route.sessionId;
        if (route.handleId !== undefined) request.handle_id = route.handleId;
        const replies = answer(request, ids);
        setImmediate(() => {
          for (const r of replies) sink.message(JSON.parse(r) as Message);
        });
        return Promise.resolve(undefined);
      },
      async close() {},
    };
  },
};

async function main(): Promise<void> {
  registerTransport(fakeJanus);
  const dir = mkdtempSync(join(tmpdir(), 'janus-scenarios-overhead-'));
  try {
    const file = join(dir, 'many.yaml');
    writeFileSync(file, anchorScenario(FLOWS));
    const loaded = await loadSuite([file]);
    if (loaded.problems) throw new Error(loaded.problems);
    const scenario = loaded.scenarios[0]!;
    const target = { transport: 'fakejanus', url: 'fakejanus://x', tls: {}, secrets: {}, serverVersion: '1.1.2' };
    const once = async (): Promise<number> => {
      const cpu0 = process.cpuUsage();
      const r = await runScenario(scenario, target, { seed: 'bench', stepTimeoutMs: 5000, scenarioTimeoutMs: 120_000, schemaMode: 'strict' });
      const cpu = process.cpuUsage(cpu0);
      if (r.status !== 'passed') throw new Error(`the anchor flow failed: ${r.failure?.summary}`);
      return (cpu.user + cpu.system) / FLOWS;
    };
    await once();
    const us: number[] = [];
    for (let i = 0; i < ROUNDS; i++) us.push(await once());
    us.sort((a, b) => a - b);
    console.log(`runner CPU per flow against an in-process Janus: median ${us[Math.floor(us.length / 2)]!.toFixed(0)} µs, best ${us[0]!.toFixed(0)} µs (${ROUNDS} rounds of ${FLOWS} flows)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(`overhead: ${(e as Error)?.message ?? String(e)}`);
  process.exitCode = 1;
});
