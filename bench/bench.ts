/**
 * `npm run bench`: the runner against a minimal hand-written client doing the same exchange
 * (connect, create, attach echotest, message with ack and event, detach, destroy, close) on
 * the same managed Janus, in the same process, alternating rounds; prints the ratio.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import WebSocket from 'ws';
import { MessageChecker } from '../src/schemas/checker.js';
import { loadSuite, planSuite, registerBuiltinTransports } from '../src/index.js';
import { HAND_WRITTEN_CLIENTS } from './unix-nanomsg.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const SCENARIO = `name: bench exchange
requires: { plugins: [janus.plugin.echotest] }
steps:
  - request: create
    expect: { janus: success, data: { id: $integer } }
  - request: { janus: attach, plugin: janus.plugin.echotest }
    expect: { janus: success, data: { id: $integer } }
  - request: { janus: message, body: { audio: true } }
    expect: { janus: event, plugindata: { data: { result: ok } } }
  - request: detach
  - request: destroy
`;

type Send = (msg: Record<string, unknown>, path?: string) => Promise<Record<string, unknown>>;

/** The hand-written baseline over WebSocket: a transaction map and nothing else. */
async function handWrittenWs(url: string): Promise<void> {
  const ws = new WebSocket(url, 'janus-protocol');
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const waiting = new Map<string, (m: Record<string, unknown>) => void>();
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString()) as Record<string, unknown>;
    if (m.janus !== 'ack') waiting.get(m.transaction as string)?.(m);
  });
  let n = 0;
  const send: Send = (msg) =>
    new Promise((resolve) => {
      const transaction = `t${n++}`;
      waiting.set(transaction, resolve);
      ws.send(JSON.stringify({ ...msg, transaction }));
    });
  await exchange(send);
  // Like the runner, wait for the close handshake: the exchange ends when the socket is closed.
  await new Promise((resolve) => {
    ws.once('close', resolve);
    ws.close(1000);
  });
}

/** The hand-written baseline over HTTP: POSTs, and one long-poll GET for the event. */
async function handWrittenHttp(base: string): Promise<void> {
  let n = 0;
  const post = async (msg: Record<string, unknown>, path = ''): Promise<Record<string, unknown>> => {
    const res = await request(base + path, { method: 'POST', body: JSON.stringify({ ...msg, transaction: `t${n++}` }) });
    return (await res.body.json()) as Record<string, unknown>;
  };
  const created = await post({ janus: 'create' });
  const sid = (created.data as { id: number }).id;
  const attached = await post({ janus: 'attach', plugin: 'janus.plugin.echotest' }, `/${sid}`);
  const hid = (attached.data as { id: number }).id;
  await post({ janus: 'message', body: { audio: true } }, `/${sid}/${hid}`);
  const poll = await request(`${base}/${sid}?maxev=10`);
  const events = (await poll.body.json()) as Array<Record<string, unknown>>;
  if (!events.some((e) => e.janus === 'event')) throw new Error('no event');
  await post({ janus: 'detach' }, `/${sid}/${hid}`);
  await post({ janus: 'destroy' }, `/${sid}`);
}

async function exchange(send: Send): Promise<void> {
  const created = await send({ janus: 'create' });
  const session_id = (created.data as { id: number }).id;
  const attached = await send({ janus: 'attach', plugin: 'janus.plugin.echotest', session_id });
  const handle_id = (attached.data as { id: number }).id;
  const event = await send({ janus: 'message', body: { audio: true }, session_id, handle_id });
  if (event.janus !== 'event') throw new Error(`expected an event, got ${JSON.stringify(event)}`);
  await send({ janus: 'detach', session_id, handle_id });
  await send({ janus: 'destroy', session_id });
}

async function time(rounds: number, fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6 / rounds;
}

async function main(): Promise<void> {
  registerBuiltinTransports();
  const dir = mkdtempSync(join(tmpdir(), 'janus-scenarios-bench-'));
  const file = join(dir, 'bench.yaml');
  writeFileSync(file, SCENARIO);
  const loaded = await loadSuite([file]);
  rmSync(dir, { recursive: true });
  if (loaded.problems) throw new Error(loaded.problems);
  // The CLI's own plan: every message checked against the catalogue in strict mode.
  const plan = await planSuite(loaded.scenarios, { transports: ['ws', 'http', 'unix', 'nanomsg'], stepTimeoutMs: 5000, scenarioTimeoutMs: 30000, schemaMode: 'strict' });
  if (plan.fault) throw new Error(plan.fault);
  const started = await plan.start();
  try {
    for (const test of plan.tests) {
      const { transport } = test.info;
      const url = started.target(test)!.url;
      const viaRunner = async () => {
        const r = await started.run(test, { seed: 'bench', signal: new AbortController().signal });
        if (r.status !== 'passed') throw new Error(r.failure?.summary);
      };
      if (transport === 'ws') console.log(`${ROUNDS} rounds per measurement, alternating; Janus ${url}`);
      const other = HAND_WRITTEN_CLIENTS[transport];
      const byHand = other ? () => other(url, exchange) : transport === 'ws' ? () => handWrittenWs(url) : () => handWrittenHttp(url);
      await time(20, viaRunner); // warm-up
      await time(20, byHand);
      const runner: number[] = [];
      const hand: number[] = [];
      for (let i = 0; i < 4; i++) {
        runner.push(await time(ROUNDS / 4, viaRunner));
        hand.push(await time(ROUNDS / 4, byHand));
      }
      const r = median(runner);
      const h = median(hand);
      console.log(`${transport.padEnd(7)} runner ${r.toFixed(2)} ms/scenario, hand-written ${h.toFixed(2)} ms/exchange, ratio ${(r / h).toFixed(2)}`);
    }
    checkerThroughput();
  } finally {
    await started.close();
  }
}

/** Messages per second through the schema checker alone, on the exchange's own messages. */
function checkerThroughput(): void {
  const plugin = 'janus.plugin.echotest';
  const n = 20_000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n / 4; i++) {
    const c = new MessageChecker('1.1.2');
    c.outgoing('janus', { janus: 'attach', plugin, transaction: 'a' }, { sessionId: 1 });
    c.incoming('janus', { janus: 'success', session_id: 1, transaction: 'a', data: { id: 2 } });
    c.outgoing('janus', { janus: 'message', body: { audio: true }, transaction: 'm' }, { sessionId: 1, handleId: 2 });
    c.incoming('janus', { janus: 'event', session_id: 1, sender: 2, transaction: 'm', plugindata: { plugin, data: { echotest: 'event', result: 'ok' } } });
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`schema checker: ${Math.round(n / seconds).toLocaleString('en')} messages/s (strict, echotest exchange)`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
