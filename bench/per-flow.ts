/**
 * `node [--cpu-prof] dist/bench/per-flow.js [transports] [side] [rounds]`: the per-flow part of
 * the bench alone (the anchor flow BENCH_FLOWS times over one connection), for one or more
 * transports (comma-separated, default ws,http,unix), on one managed Janus. `side` is `both`
 * (default: alternating rounds, ratios printed as the bench does), `runner` or `hand` (only that
 * side; with PER_FLOW_PROFILE=<folder>, a CPU profile of its measured rounds). Every loop is bounded in count.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSuite, planSuite, registerBuiltinTransports, type PlannedTest, type StartedPlan } from '../src/index.js';
import { anchorScenario } from './anchor.js';
import { handWrittenFor } from './hand-written.js';
import { childCpuReader, costOf, repeat, runOnce, sideBySide, WARMUP_FLOWS, type Cost } from './measure.js';

const FLOWS = Number(process.env.BENCH_FLOWS ?? 200);
// PER_FLOW_EACH=N: instead, the flow as N scenarios of one flow each (hand-written: a connection each).
const EACH = Number(process.env.PER_FLOW_EACH ?? 0);
const [transportList = 'ws,http,unix', side = 'both', roundsText = '7'] = process.argv.slice(2);
const ROUNDS = Number(roundsText);

async function main(): Promise<void> {
  if (!['both', 'runner', 'hand'].includes(side) || !(ROUNDS >= 1 && ROUNDS <= 200)) throw new Error('usage: per-flow.js [ws,http,unix] [both|runner|hand] [rounds 1..200]');
  registerBuiltinTransports();
  const dir = mkdtempSync(join(tmpdir(), 'janus-scenarios-per-flow-'));
  let started: StartedPlan | undefined;
  try {
    const many = join(dir, 'many-flows.yaml');
    writeFileSync(many, anchorScenario(EACH > 0 ? 1 : FLOWS));
    const loaded = await loadSuite([many]);
    if (loaded.problems) throw new Error(loaded.problems);
    // PER_FLOW_SCHEMA=off: without the schema checks, to see their share (the bench itself always checks).
    const schemaMode = process.env.PER_FLOW_SCHEMA === 'off' ? 'off' : 'strict';
    const plan = await planSuite(loaded.scenarios, { transports: transportList.split(','), stepTimeoutMs: 5000, scenarioTimeoutMs: 120_000, schemaMode });
    if (plan.fault) throw new Error(plan.fault);
    started = await plan.start();
    const janusCpu = childCpuReader('janus');
    console.log(`per flow, ${EACH > 0 ? `a scenario each, ${EACH} scenarios` : `one connection, ${FLOWS} flows`}, ${ROUNDS} rounds, side ${side}, schema checks ${schemaMode}, load average ${loadavg()[0]!.toFixed(1)}`);
    for (const test of plan.tests) {
      const client = await handWrittenFor(test.info.transport)!.load();
      const url = started.target(test)!.url;
      const runner = EACH > 0 ? () => repeat(EACH, () => runOnce(started!, test)) : () => runOnce(started!, test);
      const hand = EACH > 0 ? () => repeat(EACH, () => client(url, 1)) : () => client(url, FLOWS);
      const flows = EACH > 0 ? EACH : FLOWS;
      if (side === 'both') {
        const [r, h, spread] = await sideBySide(ROUNDS, flows, runner, hand, janusCpu);
        console.log(`${line(test.info.transport, r, h)}   rounds ${spread.low.toFixed(2)}–${spread.high.toFixed(2)}, paired median ${spread.median.toFixed(3)} (${spread.rounds})`);
      } else {
        const work = side === 'runner' ? runner : hand;
        for (let i = 0; i < Math.ceil(WARMUP_FLOWS / flows); i++) await work();
        const costs: Cost[] = [];
        const profile = await profiling(`${test.info.transport}-${side}`);
        for (let i = 0; i < ROUNDS; i++) costs.push(await costOf(flows, work, janusCpu));
        await profile();
        console.log(`${test.info.transport} ${side}: ${costs.map((c) => `${c.ms.toFixed(2)}/${c.cpuMs.toFixed(2)}/${c.systemMs?.toFixed(2)}/${c.backgroundMs?.toFixed(3)}`).join(' ')} (ms/CPU ms/system CPU ms/background CPU ms per flow)`);
      }
    }
  } finally {
    await started?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * With PER_FLOW_PROFILE=<folder>: a CPU profile of the measured rounds alone (no start-up, no
 * warm-up), written as <folder>/<name>.cpuprofile; otherwise nothing.
 */
async function profiling(name: string): Promise<() => Promise<void>> {
  const folder = process.env.PER_FLOW_PROFILE;
  if (!folder) return async () => {};
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  if (process.env.PER_FLOW_HEAP) {
    // Every allocation sampled, the short-lived ones too: where a flow's garbage comes from.
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
    return async () => {
      const { profile } = await session.post('HeapProfiler.stopSampling');
      writeFileSync(join(folder, `${name}.heapprofile`), JSON.stringify(profile));
      session.disconnect();
    };
  }
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(join(folder, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  };
}


function line(transport: string, r: Cost, h: Cost): string {
  return `${transport.padEnd(6)} wall ${r.ms.toFixed(2)} / ${h.ms.toFixed(2)} ms = ${(r.ms / h.ms).toFixed(2)}   CPU ${r.cpuMs.toFixed(2)} / ${h.cpuMs.toFixed(2)} ms = ${(r.cpuMs / h.cpuMs).toFixed(2)}   Janus CPU ${r.serverCpuMs?.toFixed(2)} / ${h.serverCpuMs?.toFixed(2)}   background ${r.backgroundMs?.toFixed(3)} / ${h.backgroundMs?.toFixed(3)}`;
}

main().catch((e: unknown) => {
  console.error(`per-flow: ${(e as Error)?.message ?? String(e)}`);
  process.exitCode = 1;
});
