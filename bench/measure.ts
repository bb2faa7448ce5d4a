import type { PlannedTest, StartedPlan } from '../src/index.js';
import { readdirSync, readFileSync } from 'node:fs';

/** What one side of a comparison cost per flow: wall time, this process's CPU, the server's CPU. */
export interface Cost {
  ms: number;
  cpuMs: number;
  /** Of cpuMs, the part spent in the kernel (system calls: the socket writes and reads). */
  systemMs?: number;
  /** Undefined when the server's process cannot be read (not a child of this process, not Linux). */
  serverCpuMs?: number;
}

/** Runs `work` (which does `flows` flows) and returns its cost per flow. */
export async function costOf(flows: number, work: () => Promise<void>, serverCpu: () => number | undefined): Promise<Cost> {
  const server0 = serverCpu();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await work();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const server1 = serverCpu();
  return {
    ms: ms / flows,
    cpuMs: (cpu.user + cpu.system) / 1000 / flows,
    systemMs: cpu.system / 1000 / flows,
    serverCpuMs: server0 !== undefined && server1 !== undefined ? (server1 - server0) / flows : undefined,
  };
}

/**
 * Rounds of warm-up each side runs before any is measured (BENCH_WARMUP, default 20): V8
 * compiles a function to optimised code only after it has run many times, and the runner has
 * far more code on a message's path than a hand-written client. Measured round after round on
 * one Janus, its rounds of 200 flows over WebSocket took 1.6, 1.3, 1.0, 0.9 ms a flow and settled
 * near 0.7 ms only after 12 to 17 rounds; the hand-written client settled after 3. Measured from
 * a cold start, they are the JIT's warm-up, not the per-flow cost (start-up is measured on its own).
 */
export const WARMUP_ROUNDS = Math.max(1, Math.min(50, Number(process.env.BENCH_WARMUP ?? 20) || 20));
/** Warm-up stops after the round that passes this, whatever WARMUP_ROUNDS says. */
const WARMUP_LIMIT_MS = 10_000;

/**
 * Both sides, alternating round by round (so a busy spell of the machine hits both alike), the
 * one that goes first swapped every round (so neither always runs after the other's garbage),
 * after WARMUP_ROUNDS of warm-up each (alternating too); the median of each column, and the
 * spread of the per-round ratios.
 */
export async function sideBySide(rounds: number, flows: number, a: () => Promise<void>, b: () => Promise<void>, serverCpu: () => number | undefined): Promise<[Cost, Cost, Spread]> {
  const warmupStart = Date.now();
  for (let i = 0; i < WARMUP_ROUNDS; i++) {
    await a();
    await b();
    // A transport whose round takes seconds (MQTT: Janus paces it) is warm after one.
    if (Date.now() - warmupStart > WARMUP_LIMIT_MS) break;
  }
  const as: Cost[] = [];
  const bs: Cost[] = [];
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      as.push(await costOf(flows, a, serverCpu));
      bs.push(await costOf(flows, b, serverCpu));
    } else {
      bs.push(await costOf(flows, b, serverCpu));
      as.push(await costOf(flows, a, serverCpu));
    }
  }
  const ratios = as.map((c, i) => c.ms / bs[i]!.ms).sort((x, y) => x - y);
  return [medianCost(as), medianCost(bs), { low: ratios[0]!, high: ratios[ratios.length - 1]! }];
}

/** The lowest and highest ratio of wall time (a / b) over the rounds. */
export interface Spread {
  low: number;
  high: number;
}

function medianCost(costs: Cost[]): Cost {
  const server = costs.map((c) => c.serverCpuMs).filter((x): x is number => x !== undefined);
  return {
    ms: median(costs.map((c) => c.ms)),
    cpuMs: median(costs.map((c) => c.cpuMs)),
    serverCpuMs: server.length === costs.length ? median(server) : undefined,
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2;
}

const TICKS_PER_S = 100;

/** CPU milliseconds used so far by the child of this process whose command is `name` (the managed Janus). */
export function childCpuReader(name: string): () => number | undefined {
  let pid: number | undefined;
  return () => {
    pid ??= findChild(name);
    if (pid === undefined) return undefined;
    try {
      const fields = statFields(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S;
    } catch {
      return undefined;
    }
  };
}

function findChild(name: string): number | undefined {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
      if (comm === name && Number(statFields(text)[1]) === process.pid) return Number(entry);
    }
  } catch {
    // Not Linux, or a process gone while listing: the column stays empty.
  }
  return undefined;
}

/** The fields after the command name: state, ppid, ..., utime (index 11), stime (12). */
function statFields(text: string): string[] {
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** The bench's own signal, never fired: one for the whole run, as a run's Ctrl-C signal is (the hand-written clients take none). */
const NEVER = new AbortController().signal;

/** One run of a planned test by the runner, which must pass. */
export async function runOnce(started: StartedPlan, test: PlannedTest): Promise<void> {
  const r = await started.run(test, { seed: 'bench', signal: NEVER });
  if (r.status !== 'passed') throw new Error(`the runner failed the anchor flow over ${test.info.transport}: ${r.failure?.summary}`);
}

export async function repeat(times: number, work: () => Promise<void>): Promise<void> {
  for (let i = 0; i < times; i++) await work();
}
