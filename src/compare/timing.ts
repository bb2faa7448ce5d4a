/**
 * A kind of request's latency (request to its first reply that is not an ack) counts as changed
 * when its median over the run grew or shrank by more than `factor` times and by more than
 * `marginMs`, over at least MIN_TIMING_SAMPLES requests on each side. A loaded machine stretches
 * one 5 ms reply to a second now and then; a server that waits on a timeout does it every time.
 */
export interface TimingTolerance {
  factor: number;
  marginMs: number;
}

export const DEFAULT_TIMING_TOLERANCE: TimingTolerance = { factor: 3, marginMs: 1000 };

/** Fewer requests of a kind than this say nothing about the server's timing: one may have met a busy moment. */
export const MIN_TIMING_SAMPLES = 3;

/** One request paired on both sides, with both latencies. */
export interface LatencySample {
  transport: string;
  plugin: string;
  /** The request's label: `create`, `message videoroom.join`. */
  message: string;
  old: number;
  new: number;
  /** Where it was: `file:line (scenario)`. */
  where: string;
}

/** A kind of request whose median latency moved: medians in ms, how many requests, where the first was. */
export interface LatencyChange {
  transport: string;
  plugin: string;
  message: string;
  old: number;
  now: number;
  count: number;
  where: string;
}

/** The kinds of request (per transport) whose median latency moved beyond the tolerance. */
export function changedLatencies(samples: LatencySample[], tolerance: TimingTolerance): LatencyChange[] {
  const groups = new Map<string, LatencySample[]>();
  for (const s of samples) {
    const key = JSON.stringify([s.transport, s.plugin, s.message]);
    const list = groups.get(key);
    if (list) list.push(s);
    else groups.set(key, [s]);
  }
  const out: LatencyChange[] = [];
  for (const list of groups.values()) {
    if (list.length < MIN_TIMING_SAMPLES) continue;
    const [old, now] = [median(list.map((s) => s.old)), median(list.map((s) => s.new))];
    const [low, high] = old < now ? [old, now] : [now, old];
    if (high - low <= tolerance.marginMs || high <= low * tolerance.factor) continue;
    const { transport, plugin, message, where } = list[0]!;
    out.push({ transport, plugin, message, old, now, count: list.length, where });
  }
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}
