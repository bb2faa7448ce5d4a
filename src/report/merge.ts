import type { RunBegin, RunEnd, SuiteEvent, TestInfo } from '../events/events.js';
import { HANDLERS, type Reporter } from '../events/reporter.js';
import type { Blob } from './blob-format.js';

/** The merged run, and what a user should know about it (shards that disagree on a detail). */
export interface MergedRun {
  events: SuiteEvent[];
  notes: string[];
}

/**
 * Joins the blobs of one run's shards into one event stream, as if one machine had run every
 * test: one run:begin with every test in the unsharded planned order, from the earliest start;
 * then each test's events (from the shard that ran it, in their order), test by test in that
 * order, so every reporter lists them as an unsharded run would; then what concerns no test
 * (faults, interrupts); one run:end at the latest end, with the worst status of the shards.
 *
 * A merge that silently lacks a shard would report a partial run as a whole one (a false
 * pass), so the blobs must be every share of the same plan, each once; anything else is a
 * problem, in one line.
 */
export function mergeBlobs(blobs: readonly Blob[]): MergedRun | { problem: string } {
  if (blobs.length === 0) return { problem: 'give the blob files to merge (written by run --reporter blob)' };
  const problem = shardProblem(blobs) ?? planProblem(blobs);
  if (problem) return { problem };
  const begins = blobs.map(runBegin);
  const tests = plannedOrder(blobs);
  const order = new Map(tests.map((t, i) => [t.id, i]));
  const perTest = tests.map((): SuiteEvent[] => []);
  const runLevel: SuiteEvent[] = [];
  for (const blob of blobs) {
    for (const event of blob.events) {
      if (event.type === 'run:begin' || event.type === 'run:end') continue;
      const at = 'testId' in event && event.testId !== undefined ? order.get(event.testId) : undefined;
      if (at === undefined) runLevel.push(event);
      else perTest[at]!.push(event);
    }
  }
  const seeds = [...new Set(begins.map((b) => b.seed))];
  const begin: RunBegin = {
    type: 'run:begin',
    at: Math.min(...begins.map((b) => b.at)),
    tests,
    transports: [...new Set(begins.flatMap((b) => b.transports))],
    ...(seeds.length === 1 && seeds[0] !== undefined ? { seed: seeds[0] } : {}),
  };
  const ends = blobs.map(runEnd);
  const versions = [...new Set(ends.map((e) => e.janusVersion).filter((v): v is string => v !== undefined))];
  const end: RunEnd = {
    type: 'run:end',
    at: Math.max(...ends.map((e) => e.at)),
    status: worstStatus(ends.map((e) => e.status)),
    ...(versions[0] !== undefined ? { janusVersion: versions[0] } : {}),
  };
  return { events: [begin, ...perTest.flat(), ...runLevel, end], notes: notes(blobs, begins, versions) };
}

function runBegin(blob: Blob): RunBegin {
  return blob.events[0] as RunBegin;
}

/** The blob's run:end; a blob written when the run was interrupted has none yet. */
function runEnd(blob: Blob): RunEnd {
  const last = blob.events.at(-1)!;
  if (last.type === 'run:end') return last;
  return { type: 'run:end', at: Math.max(...blob.events.map((e) => e.at)), status: 'interrupted' };
}

/** Every share of one split, each once; or one whole (unsharded) run. */
function shardProblem(blobs: readonly Blob[]): string | undefined {
  const whole = blobs.filter((b) => !runBegin(b).shard);
  if (whole.length > 0 && blobs.length > 1) return `${whole[0]!.path} is a whole run, not a shard: merge either one whole run or the shards of one run`;
  if (whole.length > 0) return undefined;
  const totals = new Set(blobs.map((b) => runBegin(b).shard!.total));
  if (totals.size > 1) return `the blobs come from different splits (${blobs.map((b) => `${b.path}: shard ${shardName(b)}`).join(', ')}): merge the shards of one run`;
  const total = [...totals][0]!;
  const byIndex = new Map<number, Blob>();
  for (const b of blobs) {
    const index = runBegin(b).shard!.index;
    const twin = byIndex.get(index);
    if (twin) return `${twin.path} and ${b.path} are both shard ${shardName(b)}: give each shard once (old blobs of another run in the folder?)`;
    byIndex.set(index, b);
  }
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) return `shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${total}`).join(', ')} missing: a merged report without ${missing.length > 1 ? 'them' : 'it'} would look like a whole run`;
  return undefined;
}

/** The shards must be shares of the same plan, and together exactly that plan. */
function planProblem(blobs: readonly Blob[]): string | undefined {
  const plans = blobs.map((b) => runBegin(b).shard?.allTestIds);
  const known = plans.filter((p): p is string[] => p !== undefined);
  if (known.length > 0 && known.length < plans.length) return `${blobs[plans.indexOf(undefined)]!.path} does not say which plan it is a share of, the others do: merge blobs written by the same janus-scenarios`;
  if (known.some((p) => p.join('\n') !== known[0]!.join('\n'))) {
    const other = known.findIndex((p) => p.join('\n') !== known[0]!.join('\n'));
    return `${blobs[0]!.path} and ${blobs[other]!.path} are shares of different plans (other scenarios, transports, --grep or --tags): merge the shards of one run`;
  }
  const owner = new Map<string, Blob>();
  for (const b of blobs) {
    for (const t of runBegin(b).tests) {
      const twin = owner.get(t.id);
      if (twin) return `${t.id} is planned in both ${twin.path} and ${b.path}: merge the shards of one run`;
      owner.set(t.id, b);
    }
  }
  const plan = known[0];
  if (plan) {
    const absent = plan.find((id) => !owner.has(id));
    if (absent !== undefined) return `${absent} is in the plan but in no shard: merge the shards of one run`;
    const extra = [...owner.keys()].find((id) => !plan.includes(id));
    if (extra !== undefined) return `${extra} (in ${owner.get(extra)!.path}) is not in the plan the shards share: merge the shards of one run`;
  }
  return undefined;
}

/**
 * The unsharded planned order: as the shards recorded it, or (blobs that do not say) files in
 * sorted order as the planner collects one folder, each file's tests in the order planned.
 */
function plannedOrder(blobs: readonly Blob[]): TestInfo[] {
  const tests = blobs.flatMap((b) => runBegin(b).tests);
  const plan = runBegin(blobs[0]!).shard?.allTestIds;
  if (plan) {
    const byId = new Map(tests.map((t) => [t.id, t]));
    return plan.map((id) => byId.get(id)!);
  }
  return tests.map((t, i) => ({ t, i })).sort((a, b) => (a.t.file < b.t.file ? -1 : a.t.file > b.t.file ? 1 : a.i - b.i)).map(({ t }) => t);
}

const STATUS_RANK: Record<RunEnd['status'], number> = { passed: 0, failed: 1, fault: 2, interrupted: 3 };

/** The run's status is its worst shard's: an interrupted shard makes an interrupted run, as exit codes rank them. */
function worstStatus(statuses: Array<RunEnd['status']>): RunEnd['status'] {
  return statuses.reduce((worst, s) => (STATUS_RANK[s] > STATUS_RANK[worst] ? s : worst), 'passed');
}

function notes(blobs: readonly Blob[], begins: RunBegin[], janusVersions: string[]): string[] {
  const out: string[] = [];
  if (new Set(begins.map((b) => b.seed)).size > 1) {
    out.push(`the shards ran with different seeds (${blobs.map((b, i) => `${shardName(b)}: ${begins[i]!.seed ?? 'none'}`).join(', ')}); repeat one with run --shard I/N --seed S, or give every shard the same --seed`);
  }
  if (janusVersions.length > 1) out.push(`the shards ran against different Janus versions: ${janusVersions.join(', ')}`);
  return out;
}

function shardName(blob: Blob): string {
  const shard = runBegin(blob).shard;
  return shard ? `${shard.index}/${shard.total}` : 'whole run';
}

/**
 * Plays a stream into a reporter, as a live run would: each event to its method, in order,
 * waiting for `onRunEnd` (a file written).
 */
export async function replayEvents(events: readonly SuiteEvent[], reporter: Reporter): Promise<void> {
  for (const event of events) {
    const method = reporter[HANDLERS[event.type]] as ((e: SuiteEvent) => void | Promise<void>) | undefined;
    await method?.call(reporter, event);
  }
}
