/**
 * `npm run bench`: the runner against hand-written clients doing the same exchange (the anchor
 * flow, see anchor.ts) on one managed Janus, in the same process, alternating rounds; then the
 * start-up time of each command and the memory of a run, as processes of their own. Prints the
 * ratios. Every loop is bounded in count, and the whole bench in time (BENCH_LIMIT_S).
 *
 * BENCH_FLOWS (flows per measurement, 200), BENCH_SCENARIOS (scenarios per measurement, 50),
 * BENCH_ROUNDS (alternating rounds, up to 121: at least 5, and no more after a minute), BENCH_WARMUP_FLOWS (flows of warm-up each side runs first, 4,000, at most 30 s),
 * BENCH_STARTS (processes per start-up figure, 5).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSuite, planSuite, registerBuiltinTransports, type PlannedTest, type StartedPlan } from '../src/index.js';
import { MessageChecker } from '../src/schemas/checker.js';
import { anchorScenario } from './anchor.js';
import { handWrittenFor, handWrittenTransports } from './hand-written.js';
import { childCpuReader, repeat, runOnce, sideBySide, WARMUP_FLOWS, type Cost, type Spread } from './measure.js';
import { CLI, timeToExit, timeToFirstRequest, type ProcessCost } from './startup.js';

const FLOWS = numberFrom('BENCH_FLOWS', 200);
const SCENARIOS = numberFrom('BENCH_SCENARIOS', 50);
// Rounds of 0.1 to 1 s each: on a shared machine fewer leave the median to one busy spell
// (at least 5, and no more than a minute's worth a comparison: see sideBySide). Over WebSocket
// a round's ratio ranges from 0.7 to 1.8 within one run: 41 rounds left the medians' ratio to
// move by 0.05 from run to run; up to 121 fill the minute where rounds are short.
const ROUNDS = numberFrom('BENCH_ROUNDS', 121);
const STARTS = numberFrom('BENCH_STARTS', 5);
const LIMIT_S = numberFrom('BENCH_LIMIT_S', 1500);

const ONE_FLOW = fileURLToPath(new URL('./one-flow.js', import.meta.url));

async function main(): Promise<void> {
  registerBuiltinTransports();
  const dir = mkdtempSync(join(tmpdir(), 'janus-scenarios-bench-'));
  let started: StartedPlan | undefined;
  const watchdog = setTimeout(() => {
    console.error(`bench: over its time limit of ${LIMIT_S} s; stopping`);
    void (started?.close() ?? Promise.resolve()).finally(() => process.exit(1));
  }, LIMIT_S * 1000);
  watchdog.unref();
  try {
    const one = join(dir, 'one-flow.yaml');
    const many = join(dir, 'many-flows.yaml');
    writeFileSync(one, anchorScenario(1));
    writeFileSync(many, anchorScenario(FLOWS));
    const loaded = await loadSuite([one, many]);
    if (loaded.problems) throw new Error(loaded.problems);
    const transports = handWrittenTransports();
    // The CLI's own settings: every message checked against the catalogue in strict mode.
    const plan = await planSuite(loaded.scenarios, { transports, stepTimeoutMs: 5000, scenarioTimeoutMs: 120_000, schemaMode: 'strict' });
    if (plan.fault) throw new Error(plan.fault);
    started = await plan.start();
    const janusCpu = childCpuReader('janus');
    const tests = (file: string) => plan.tests.filter((t) => t.scenario.file === file);
    console.log(header(started, tests(one)));

    console.log(`\nper flow, one connection (the flow ${FLOWS} times in one scenario; hand-written: ${FLOWS} times over one connection)`);
    console.log(COST_HEADER);
    for (const test of tests(many)) {
      const client = await handWrittenFor(test.info.transport)!.load();
      const url = started.target(test)!.url;
      const [runner, hand, spread] = await sideBySide(ROUNDS, FLOWS, () => runOnce(started!, test), () => client(url, FLOWS), janusCpu);
      console.log(costLine(test.info.transport, runner, hand, spread));
    }

    console.log(`\nper flow, a scenario each (${SCENARIOS} scenarios of one flow, connection set-up included; hand-written: a connection each)`);
    console.log(COST_HEADER);
    for (const test of tests(one)) {
      const client = await handWrittenFor(test.info.transport)!.load();
      const url = started.target(test)!.url;
      const runner = () => repeat(SCENARIOS, () => runOnce(started!, test));
      const hand = () => repeat(SCENARIOS, () => client(url, 1));
      const [r, h, spread] = await sideBySide(ROUNDS, SCENARIOS, runner, hand, janusCpu);
      console.log(costLine(test.info.transport, r, h, spread));
    }

    await startUp(one, tests(one), started, join(dir, 'time.out'));
    checkerThroughput();
    console.log(`\nmemory: this process peaked at ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (runner and hand-written clients, ${FLOWS}-flow scenarios with their transcripts)`);
  } finally {
    clearTimeout(watchdog);
    await started?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}


function header(started: StartedPlan, tests: PlannedTest[]): string {
  const target = started.target(tests[0]!);
  const where = tests.map((t) => `${t.info.transport} ${started.target(t)?.url}`).join(', ');
  return [
    `janus-scenarios bench: ${target?.serverVersion ?? 'Janus'} (managed: ${where})`,
    `node ${process.version}, ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)} at start`,
    'anchor flow: create, attach echotest, message (ack + event), detach, destroy; every reply checked;',
    `the runner in-process through its plan, strict schema checks; medians of up to ${ROUNDS} alternating rounds (at least 5, no more after a minute; "rounds": the lowest and highest ratio of one round, and how many ran) after ${WARMUP_FLOWS.toLocaleString('en')} flows of warm-up each (BENCH_WARMUP_FLOWS);`,
    "background: CPU of the process's threads beside the main one (V8's compiler and garbage-collector helpers), per flow",
  ].join('\n');
}

const COST_HEADER = `${'transport'.padEnd(10)}${'runner ms'.padStart(10)}${'hand ms'.padStart(9)}${'ratio'.padStart(7)}${'rounds'.padStart(17)}   ${'runner CPU'.padStart(11)}${'hand CPU'.padStart(10)}${'ratio'.padStart(7)}   ${'Janus CPU runner/hand'.padStart(22)}   ${'background runner/hand'.padStart(22)}`;

/** `rounds`: the lowest and highest wall-time ratio of one round, the spread around the median ratio. */
function costLine(transport: string, r: Cost, h: Cost, spread: Spread): string {
  const janus = r.serverCpuMs !== undefined && h.serverCpuMs !== undefined ? `${r.serverCpuMs.toFixed(2)} / ${h.serverCpuMs.toFixed(2)} ms` : 'n/a';
  const rounds = `${spread.low.toFixed(2)}–${spread.high.toFixed(2)} (${spread.rounds})`;
  const background = r.backgroundMs !== undefined && h.backgroundMs !== undefined ? `${r.backgroundMs.toFixed(3)} / ${h.backgroundMs.toFixed(3)} ms` : 'n/a';
  return `${transport.padEnd(10)}${r.ms.toFixed(2).padStart(10)}${h.ms.toFixed(2).padStart(9)}${ratio(r.ms, h.ms).padStart(7)}${rounds.padStart(17)}   ${r.cpuMs.toFixed(2).padStart(11)}${h.cpuMs.toFixed(2).padStart(10)}${ratio(r.cpuMs, h.cpuMs).padStart(7)}   ${janus.padStart(22)}   ${background.padStart(22)}`;
}

function ratio(a: number, b: number): string {
  return b > 0 ? (a / b).toFixed(2) : 'n/a';
}

/** Start-up of each command, as a process of its own; then one flow as a whole process, runner against hand-written. */
async function startUp(scenario: string, tests: PlannedTest[], started: StartedPlan, memoryFile: string): Promise<void> {
  console.log(`\nstart-up, a process each (median of ${STARTS}; CPU: the process's own, which a busy machine does not inflate)`);
  const floor = await timeToExit(['-e', '0'], STARTS, 0, memoryFile);
  const line = (what: string, c: ProcessCost) =>
    console.log(`  ${what.padEnd(44)}${c.seconds.toFixed(3).padStart(7)} s  (${(c.seconds - floor.seconds).toFixed(3)} s over node itself)${c.cpuSeconds !== undefined ? `  CPU ${c.cpuSeconds.toFixed(2)} s` : ''}`);
  console.log(`  ${'node -e 0 (node itself)'.padEnd(44)}${floor.seconds.toFixed(3).padStart(7)} s${floor.cpuSeconds !== undefined ? `${''.padEnd(31)}CPU ${floor.cpuSeconds.toFixed(2)} s` : ''}`);
  line('--help, to exit', await timeToExit([CLI, '--help'], STARTS, 0, memoryFile));
  line('schema, to exit', await timeToExit([CLI, 'schema'], STARTS, 0, memoryFile));
  line('validate <one file>, to exit', await timeToExit([CLI, 'validate', scenario], STARTS, 0, memoryFile));
  for (const test of tests) {
    const { transport } = test.info;
    const path = new URL(started.target(test)!.url).pathname.replace(/^\/$/, '');
    const scheme = transport === 'ws' ? 'ws' : 'http';
    if (transport !== scheme) continue;
    line(`run --url ${transport}://…, to the first request`, await timeToFirstRequest(scheme, path, (url) => [CLI, 'run', scenario, '--url', url], STARTS));
  }
  console.log(`\none flow as a whole process (spawn to exit, peak memory)`);
  for (const test of tests) {
    const { transport } = test.info;
    const url = started.target(test)!.url;
    const runner = await timeToExit([CLI, 'run', scenario, '--url', url], STARTS, 0, memoryFile);
    const hand = await timeToExit([ONE_FLOW, transport, url], STARTS, 0, memoryFile);
    console.log(`  ${transport.padEnd(6)} run --url ${processCost(runner)}, hand-written ${processCost(hand)}, ratio ${ratio(runner.seconds, hand.seconds)}`);
  }
}

function processCost(c: ProcessCost): string {
  return `${c.seconds.toFixed(3)} s${c.cpuSeconds !== undefined ? ` (CPU ${c.cpuSeconds.toFixed(2)} s)` : ''}${c.peakMb !== undefined ? ` ${c.peakMb.toFixed(0)} MB` : ''}`;
}

/**
 * Messages per second through the schema checker alone, on the flow's own messages: one checker
 * for them all, as a run has one for all its messages (it learns validators once).
 */
function checkerThroughput(): void {
  const plugin = 'janus.plugin.echotest';
  const flows = 5_000;
  const c = new MessageChecker('1.1.2');
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < flows; i++) {
    const [s, a, m, d, x] = ['c', 'a', 'm', 'd', 'x'].map((k) => `${k}${i}`) as [string, string, string, string, string];
    c.outgoing('janus', { janus: 'create', transaction: s }, {});
    c.incoming('janus', { janus: 'success', transaction: s, data: { id: 1 } });
    c.outgoing('janus', { janus: 'attach', plugin, transaction: a }, { sessionId: 1 });
    c.incoming('janus', { janus: 'success', session_id: 1, transaction: a, data: { id: 2 } });
    c.outgoing('janus', { janus: 'message', body: { audio: true }, transaction: m }, { sessionId: 1, handleId: 2 });
    c.incoming('janus', { janus: 'ack', session_id: 1, transaction: m });
    c.incoming('janus', { janus: 'event', session_id: 1, sender: 2, transaction: m, plugindata: { plugin, data: { echotest: 'event', result: 'ok' } } });
    c.outgoing('janus', { janus: 'detach', transaction: d }, { sessionId: 1, handleId: 2 });
    c.incoming('janus', { janus: 'success', session_id: 1, transaction: d });
    c.outgoing('janus', { janus: 'destroy', transaction: x }, { sessionId: 1 });
    c.incoming('janus', { janus: 'success', session_id: 1, transaction: x });
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`\nschema checker alone: ${Math.round((flows * 11) / seconds).toLocaleString('en')} messages/s (strict, the flow's 11 messages, one checker)`);
}

function numberFrom(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

main().catch((e: unknown) => {
  console.error(`bench: ${(e as Error)?.message ?? String(e)}`);
  process.exitCode = 1;
});
