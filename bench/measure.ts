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
  /**
   * Of cpuMs, the part spent by this process's threads other than the main one: V8's optimising
   * compiler and garbage-collector helpers (and libuv's pool). Undefined where threads cannot be read.
   */
  backgroundMs?: number;
}

/** Runs `work` (which does `flows` flows) and returns its cost per flow. */
export async function costOf(flows: number, work: () => Promise<void>, serverCpu: () => number | undefined): Promise<Cost> {
  const server0 = serverCpu();
  const background0 = backgroundCpuMs();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await work();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const background1 = backgroundCpuMs();
  const server1 = serverCpu();
  return {
    ms: ms / flows,
    cpuMs: (cpu.user + cpu.system) / 1000 / flows,
    systemMs: cpu.system / 1000 / flows,
    serverCpuMs: server0 !== undefined && server1 !== undefined ? (server1 - server0) / flows : undefined,
    backgroundMs: background0 !== undefined && background1 !== undefined ? (background1 - background0) / flows : undefined,
  };
}

/**
 * CPU milliseconds used so far by this process's threads other than the main one (Linux: each
 * thread's run time in nanoseconds, /proc/self/task/<tid>/schedstat); undefined elsewhere.
 */
export function backgroundCpuMs(): number | undefined {
  try {
    let ns = 0;
    for (const tid of readdirSync('/proc/self/task')) {
      if (Number(tid) === process.pid) continue;
      try {
        ns += Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // A thread that ended while listing: its time is gone with it.
      }
    }
    return ns / 1e6;
  } catch {
    return undefined;
  }
}

/**
 * Flows of warm-up each side runs before any is measured (BENCH_WARMUP_FLOWS, default 4,000),
 * whether a measurement is one scenario of many flows or many scenarios of one flow: V8
 * compiles a function to optimised code only after it has run many times, on a thread of its
 * own, and the runner has far more code than a hand-written client. Code that runs once a
 * flow (a request, a reply) is hot after a few hundred flows; code that runs once a scenario
 * (a run's set-up, its result) only after thousands of scenarios. Traced with --trace-opt over
 * a Unix socket, a scenario each: the runner's compiler threads spent 250, 280, 270, 110, 170
 * and 260 ms per 200 scenarios (0.25 to 1.4 ms a scenario, more than a scenario takes) until
 * 1,200 scenarios, 30 to 130 ms until 2,600, and under 10 ms from 3,200 on; the hand-written
 * client's, under 30 ms from 600 on. Measured from a cold start, that is the JIT's warm-up,
 * taking the second core from Janus, not the per-flow cost (start-up is measured on its own).
 * The background CPU of the measured rounds is printed, to show the warm-up was enough.
 */
export const WARMUP_FLOWS = Math.max(1, Math.min(20_000, Number(process.env.BENCH_WARMUP_FLOWS ?? 4000) || 4000));
/** Warm-up stops after the round that passes this, whatever WARMUP_FLOWS says (MQTT: Janus paces it, a round takes seconds). */
const WARMUP_LIMIT_MS = 30_000;

/**
 * Both sides, alternating round by round (so a busy spell of the machine hits both alike), the
 * one that goes first swapped every round (so neither always runs after the other's garbage),
 * after WARMUP_FLOWS flows of warm-up each (alternating too); the median of each column, and the
 * spread of the per-round ratios. `rounds` at most (see MIN_ROUNDS).
 */
export async function sideBySide(rounds: number, flows: number, a: () => Promise<void>, b: () => Promise<void>, serverCpu: () => number | undefined): Promise<[Cost, Cost, Spread]> {
  const warmupStart = Date.now();
  for (let i = 0; i < Math.ceil(WARMUP_FLOWS / flows); i++) {
    const roundStart = Date.now();
    await a();
    await b();
    // A transport whose round takes seconds (MQTT: Janus paces it) stops before a round that would end past the limit.
    if (Date.now() + (Date.now() - roundStart) - warmupStart > WARMUP_LIMIT_MS) break;
  }
  const as: Cost[] = [];
  const bs: Cost[] = [];
  const measureStart = Date.now();
  for (let i = 0; i < rounds && (i < MIN_ROUNDS || Date.now() - measureStart < ROUNDS_LIMIT_MS); i++) {
    if (i % 2 === 0) {
      as.push(await costOf(flows, a, serverCpu));
      bs.push(await costOf(flows, b, serverCpu));
    } else {
      bs.push(await costOf(flows, b, serverCpu));
      as.push(await costOf(flows, a, serverCpu));
    }
  }
  const ratios = as.map((c, i) => c.ms / bs[i]!.ms).sort((x, y) => x - y);
  return [medianCost(as), medianCost(bs), { low: ratios[0]!, high: ratios[ratios.length - 1]!, rounds: ratios.length, median: median(ratios) }];
}

/**
 * Measured rounds run while fewer than MIN_ROUNDS ran, or until `rounds` ran or ROUNDS_LIMIT_MS
 * passed: a round of 200 flows takes a fifth of a second over WebSocket, so many rounds cost
 * little and steady the medians, where a round over MQTT (Janus paces it) takes half a minute.
 */
const MIN_ROUNDS = 5;
const ROUNDS_LIMIT_MS = 60_000;

/** The lowest and highest ratio of wall time (a / b) over the rounds, and how many rounds ran. */
export interface Spread {
  low: number;
  high: number;
  rounds: number;
  /** The median of the per-round ratios (each round's a over the b of the same round). */
  median: number;
}

function medianCost(costs: Cost[]): Cost {
  const server = costs.map((c) => c.serverCpuMs).filter((x): x is number => x !== undefined);
  return {
    ms: median(costs.map((c) => c.ms)),
    cpuMs: median(costs.map((c) => c.cpuMs)),
    serverCpuMs: server.length === costs.length ? median(server) : undefined,
    backgroundMs: costs.every((c) => c.backgroundMs !== undefined) ? median(costs.map((c) => c.backgroundMs!)) : undefined,
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
