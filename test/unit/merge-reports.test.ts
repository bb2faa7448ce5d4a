import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/commands.js';
import { Redactor } from '../../src/report/redact.js';
import { CoverageReporter } from '../../src/reporters/coverage.js';
import type { RunEnd, SuiteEvent, TestEnd, TestInfo } from '../../src/events/events.js';
import { replayEvents, mergeBlobs } from '../../src/report/merge.js';
import { BLOB_FORMAT, readBlob, type Blob } from '../../src/report/blob-format.js';
import { BlobReporter } from '../../src/reporters/blob.js';
import { selectShard } from '../../src/plan/shard.js';
import type { ScenarioResult } from '../../src/run/events.js';

const FILES = ['a.yaml', 'b.yaml', 'c.yaml', 'd.yaml', 'e.yaml'].map((f) => `scenarios/${f}`);
const SIZES = [3, 1, 4, 2, 2];
const T0 = 1_700_000_000_000;

/** The plan of a synthetic suite: each file's scenarios x http, ws; one test skipped, one failing. */
function plannedTests(): TestInfo[] {
  return FILES.flatMap((file, f) => Array.from({ length: SIZES[f]! }, (_, s) => {
    const name = `scenario ${s}`;
    const transport = s % 2 === 0 ? 'http' : 'ws';
    const id = `${file}#${name}[${transport}]`;
    return { id, file, name, transport, title: `${name} [${transport}]`, tags: [`t${f}`], ...(id === 'scenarios/d.yaml#scenario 1[ws]' ? { skipReason: 'runs only on http' } : {}) };
  }));
}

function result(t: TestInfo, status: ScenarioResult['status'], startedAt: number): ScenarioResult {
  return {
    file: t.file, name: t.name, transport: t.transport, status, startedAt, durationMs: status === 'skipped' ? 0 : 40,
    ...(status === 'skipped' ? { skipReason: t.skipReason } : {}),
    ...(status === 'failed' ? { failure: { kind: 'assertion' as const, summary: 'the reply did not match' } } : {}),
    cleanupFailures: [], transcript: [{ at: startedAt + 5, client: 'default', api: 'janus', direction: 'out', message: { janus: 'ping', transaction: `tx-${t.id}` } }],
    saved: {}, destroyedSessions: [], sessionsLeft: [], schemaWarnings: [], secretValues: [],
  };
}

/** One test's events: begin, a step with a message, end; a skipped test only ends. */
function testEvents(t: TestInfo, at: number): SuiteEvent[] {
  if (t.skipReason) return [{ type: 'test:end', at, testId: t.id, attempt: 1, retrying: false, result: result(t, 'skipped', at) }];
  const status = t.id === 'scenarios/c.yaml#scenario 2[http]' ? 'failed' : 'passed';
  const span = { file: t.file, line: 3, col: 5, width: 4 };
  return [
    { type: 'test:begin', at, testId: t.id, attempt: 1 },
    { type: 'step:begin', at: at + 1, testId: t.id, title: 'ping', span },
    { type: 'message', at: at + 5, testId: t.id, entry: { at: at + 5, client: 'default', api: 'janus', direction: 'out', message: { janus: 'ping', transaction: `tx-${t.id}` } } },
    { type: 'step:end', at: at + 30, testId: t.id, title: 'ping', span, status, durationMs: 29 },
    { type: 'test:end', at: at + 40, testId: t.id, attempt: 1, retrying: false, result: result(t, status, at), serverVersion: '1.1.2' },
  ];
}

/** A share of the plan as its machine runs it: its own clock (each shard starts later), its seed. */
function shardRun(plan: TestInfo[], index: number, total: number, options: { seed?: string; status?: RunEnd['status'] } = {}): SuiteEvent[] {
  const mine = selectShard(plan, index, total);
  const start = T0 + index * 1000;
  const events: SuiteEvent[] = [{ type: 'run:begin', at: start, tests: mine, transports: ['http', 'ws'], seed: options.seed ?? 'seed-1', shard: { index, total, allTestIds: plan.map((t) => t.id) } }];
  mine.forEach((t, i) => events.push(...testEvents(t, start + 100 * (i + 1))));
  const failed = mine.some((t) => t.id === 'scenarios/c.yaml#scenario 2[http]');
  events.push({ type: 'run:end', at: start + 100 * (mine.length + 2), status: options.status ?? (failed ? 'failed' : 'passed'), janusVersion: '1.1.2' });
  return events;
}

/** What a reporter learns from a stream: the tests it announces, the last status of each, the run's. */
async function outcome(events: SuiteEvent[]): Promise<{ tests: string[]; statuses: Record<string, string>; counts: Record<string, number>; status?: string }> {
  const seen = { tests: [] as string[], statuses: {} as Record<string, string>, counts: {} as Record<string, number>, status: undefined as string | undefined };
  await replayEvents(events, {
    onRunBegin: (e) => (seen.tests = e.tests.map((t) => t.id)),
    onTestEnd: (e: TestEnd) => (seen.statuses[e.testId] = e.result.status),
    onRunEnd: (e) => void (seen.status = e.status),
  });
  for (const s of Object.values(seen.statuses)) seen.counts[s] = (seen.counts[s] ?? 0) + 1;
  return seen;
}

describe('blobs and merge-reports', function () {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'jstest-blobs-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Plays a shard's events into a blob reporter; returns the blob read back. */
  async function writeBlob(events: SuiteEvent[], name: string, secrets: string[] = []): Promise<Blob> {
    const path = join(dir, name);
    await replayEvents(events, new BlobReporter({ path, secrets }));
    const blob = readBlob(path);
    assert.ok(!('problem' in blob), 'problem' in blob ? blob.problem : '');
    return blob;
  }

  const threeShards = async (plan: TestInfo[], options: Parameters<typeof shardRun>[3] = {}) => Promise.all([1, 2, 3].map((i) => writeBlob(shardRun(plan, i, 3, options), `report-${i}.jsonl`)));

  it('three shards merge into the stream of one run: every test once, in planned order, same statuses and counts', async () => {
    const plan = plannedTests();
    const whole = [...plan.flatMap((t) => testEvents(t, T0))];
    const merged = mergeBlobs(await threeShards(plan));
    assert.ok(!('problem' in merged), 'problem' in merged ? merged.problem : '');
    const got = await outcome(merged.events);
    const expected = await outcome([{ type: 'run:begin', at: T0, tests: plan, transports: ['http', 'ws'] }, ...whole, { type: 'run:end', at: T0, status: 'failed' }]);
    assert.deepEqual(got.tests, plan.map((t) => t.id));
    assert.deepEqual(got.statuses, expected.statuses);
    assert.deepEqual(got.counts, { passed: 10, failed: 1, skipped: 1 });
    assert.equal(got.status, 'failed');
    // One run:begin and one run:end, around the events of each test, test by test in planned order.
    const types = merged.events.map((e) => e.type);
    assert.equal(types.filter((t) => t === 'run:begin').length, 1);
    assert.equal(types.at(0), 'run:begin');
    assert.equal(types.filter((t) => t === 'run:end').length, 1);
    assert.equal(types.at(-1), 'run:end');
    const order = merged.events.flatMap((e) => ('testId' in e && e.testId ? [e.testId] : []));
    assert.deepEqual([...new Set(order)], plan.map((t) => t.id));
    // Each test's events come through whole and unchanged (transcripts, steps, results).
    for (const t of plan) {
      const shard = shardRun(plan, [1, 2, 3].find((i) => selectShard(plan, i, 3).includes(t))!, 3);
      const own = shard.filter((e) => 'testId' in e && e.testId === t.id);
      assert.deepEqual(merged.events.filter((e) => 'testId' in e && e.testId === t.id), own);
    }
    // Wall time: the earliest start to the latest end; the run's details once.
    const begin = merged.events[0]!;
    const end = merged.events.at(-1)!;
    assert.equal(begin.at, T0 + 1000);
    assert.equal(end.at, Math.max(...[1, 2, 3].map((i) => shardRun(plan, i, 3).at(-1)!.at)));
    assert.ok(begin.type === 'run:begin' && begin.seed === 'seed-1' && begin.shard === undefined);
    assert.deepEqual(begin.type === 'run:begin' && begin.transports, ['http', 'ws']);
    assert.ok(end.type === 'run:end' && end.janusVersion === '1.1.2');
    assert.deepEqual(merged.notes, []);
  });

  it('coverage of the merged shards is the coverage of the whole run', async () => {
    const plan = plannedTests();
    const table = async (events: SuiteEvent[]) => {
      const printed: string[] = [];
      await replayEvents(events, new CoverageReporter({ redactor: new Redactor(), out: { write: (text: string) => printed.push(text) } }));
      return printed.join('\n');
    };
    const merged = mergeBlobs(await threeShards(plan));
    assert.ok(!('problem' in merged));
    const whole = await table([{ type: 'run:begin', at: T0, tests: plan, transports: ['http', 'ws'] }, ...plan.flatMap((t) => testEvents(t, T0)), { type: 'run:end', at: T0, status: 'failed' }]);
    assert.match(whole, /^ {2}ping +✔ {4}✔/m);
    assert.equal(await table(merged.events), whole);
    // The table tells: without the shards' messages, nothing was exercised.
    const silent = merged.events.filter((e) => e.type !== 'message');
    assert.match(await table(silent), /^ {2}ping +· {4}·/m);
  });

  it('gives the same merged stream whatever order the blobs are named in', async () => {
    const blobs = await threeShards(plannedTests());
    const once = mergeBlobs(blobs);
    const again = mergeBlobs([blobs[2]!, blobs[0]!, blobs[1]!]);
    assert.ok(!('problem' in once) && !('problem' in again));
    assert.deepEqual(again.events, once.events);
  });

  it('takes the worst status of the shards, and says when they ran with different seeds', async () => {
    const plan = plannedTests();
    const blobs = [
      await writeBlob(shardRun(plan, 1, 2, { seed: 'x', status: 'passed' }), 'one.jsonl'),
      await writeBlob(shardRun(plan, 2, 2, { seed: 'y', status: 'fault' }), 'two.jsonl'),
    ];
    const merged = mergeBlobs(blobs);
    assert.ok(!('problem' in merged));
    assert.equal((merged.events.at(-1) as RunEnd).status, 'fault');
    assert.equal(merged.events[0]!.type === 'run:begin' && merged.events[0]!.seed, undefined);
    assert.match(merged.notes.join('\n'), /different seeds \(1\/2: x, 2\/2: y\)/);
  });

  it('refuses blobs that are not every shard of one run, each once', async () => {
    const plan = plannedTests();
    const [one, two, three] = await threeShards(plan);
    const problem = (blobs: Blob[]) => {
      const merged = mergeBlobs(blobs);
      assert.ok('problem' in merged, 'the merge was accepted');
      return merged.problem;
    };
    assert.match(problem([one!, three!]), /shard 2\/3 missing/);
    assert.match(problem([one!]), /shards 2\/3, 3\/3 missing/);
    assert.match(problem([one!, two!, three!, { ...two!, path: 'old/report-2.jsonl' }]), /report-2\.jsonl and old\/report-2\.jsonl are both shard 2\/3/);
    const otherSplit = await writeBlob(shardRun(plan, 1, 2), 'other.jsonl');
    assert.match(problem([otherSplit, two!, three!]), /different splits/);
    const otherPlan = await writeBlob(shardRun(plan.slice(1), 2, 3), 'other-plan.jsonl');
    assert.match(problem([one!, otherPlan, three!]), /shares of different plans/);
    const whole = await writeBlob(shardRun(plan, 1, 1).map((e) => (e.type === 'run:begin' ? { ...e, shard: undefined } : e)), 'whole.jsonl');
    assert.match(problem([whole, one!]), /whole\.jsonl is a whole run, not a shard/);
    assert.match(problem([]), /give the blob files/);
    // One whole run alone is a merge of one: its reports again.
    assert.ok(!('problem' in mergeBlobs([whole])));
  });

  it('refuses a corrupt, cut, foreign or newer blob with the file and line', async () => {
    const good = readFileSync((await writeBlob(shardRun(plannedTests(), 1, 1), 'good.jsonl')).path, 'utf8');
    const lines = good.trimEnd().split('\n');
    const cases: Array<[string, RegExp]> = [
      [good.slice(0, Math.floor(good.length / 2)), /cut\.jsonl:\d+: not JSON: the file is not a blob, or it was cut short/],
      ['', /cut\.jsonl:1: not a janus-scenarios blob/],
      ['<?xml version="1.0"?><testsuites/>', /cut\.jsonl:1: not JSON/],
      [`${JSON.stringify({ format: 'janus-scenarios/report@1' })}\n`, /cut\.jsonl:1: not a janus-scenarios blob/],
      [[lines[0]!.replace('"version":1', '"version":2'), ...lines.slice(1)].join('\n'), /cut\.jsonl:1: blob format version 2, this janus-scenarios .* reads version 1/],
      [`${lines[0]}\n`, /a header and no run/],
      [lines.slice(0, 6).join('\n'), /cut\.jsonl: ends before its run did \(no run:end\): the file was cut short/],
      [[lines[0], ...lines.slice(2)].join('\n'), /cut\.jsonl:2: the first event is not run:begin/],
      [[lines[0], lines[1], '{"type":"surprise","at":1}', ...lines.slice(2)].join('\n'), /cut\.jsonl:3: not an event of a run/],
      [[...lines, lines[2]].join('\n'), new RegExp(`cut\\.jsonl:${lines.length}: events follow run:end`)],
    ];
    for (const [text, expected] of cases) {
      writeFileSync(join(dir, 'cut.jsonl'), text);
      const blob = readBlob(join(dir, 'cut.jsonl'));
      assert.ok('problem' in blob, `accepted: ${text.slice(0, 60)}`);
      assert.match(blob.problem, expected);
    }
    const missing = readBlob(join(dir, 'nope.jsonl'));
    assert.ok('problem' in missing && /nope\.jsonl: no such file/.test(missing.problem));
    assert.ok(lines[0]!.includes(BLOB_FORMAT));
  });

  it('merge-reports says what is wrong with a blob in one line and exits 2, writing no report', async () => {
    await writeBlob(shardRun(plannedTests(), 1, 2), 'report-1.jsonl');
    writeFileSync(join(dir, 'report-2.jsonl'), '{"format":"janus-scenarios/blob","version":1,"startedAt":1}\n{"type":"run:begin"');
    const err: string[] = [];
    const io = { out: (s: string) => err.push(s), err: (s: string) => err.push(s) };
    const code = await main(['merge-reports', dir, '--reporter', `json:${join(dir, 'out.json')}`], io);
    assert.equal(code, 2);
    assert.match(err.join('\n'), /^error: .*report-2\.jsonl:2: not JSON/);
    assert.doesNotMatch(err.join('\n'), /\n\s+at /);
    assert.equal(existsSync(join(dir, 'out.json')), false);
  });

  it('a blob holds no secret, in any form: the run\'s, and each scenario\'s own, learnt when it ends', async () => {
    const plan = plannedTests().slice(0, 2);
    const events = shardRun(plan, 1, 1);
    const runSecret = 'run-Secret/42&x';
    const ownSecret = 'room-pin-9931';
    // The scenario's own secret travels in a message before the scenario says it is secret.
    const message = events.find((e) => e.type === 'message')!;
    if (message.type === 'message') message.entry.message = { janus: 'message', body: { pin: ownSecret, apisecret: runSecret, note: JSON.stringify({ pin: ownSecret }) } };
    const end = events.find((e): e is TestEnd => e.type === 'test:end' && e.result.status === 'passed')!;
    end.result.secretValues = [ownSecret];
    end.result.saved = { pin: ownSecret, roomId: 40 };
    end.result.secretValues.push('40');
    const path = join(dir, 'secret.jsonl');
    await replayEvents(events, new BlobReporter({ path, secrets: [runSecret] }));
    const text = readFileSync(path, 'utf8');
    for (const secret of [runSecret, ownSecret]) {
      for (const form of [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), 'room-pin', 'Secret/42']) assert.ok(!text.includes(form), `the blob shows ${form}`);
    }
    assert.match(text, /\[redacted\]/);
    const blob = readBlob(path);
    assert.ok(!('problem' in blob));
    const ended = blob.events.filter((e): e is TestEnd => e.type === 'test:end');
    assert.ok(ended.every((e) => e.result.secretValues.length === 0));
    // A secret equal to a number hides that value, never the run's own times and durations.
    const written = ended.find((e) => e.testId === end.testId)!;
    assert.equal(written.result.saved.roomId, '[redacted]');
    assert.equal(written.result.durationMs, 40);
    assert.equal(written.at, end.at);
  });

  it('an interrupted run leaves its blob at once, and the merge says the run was interrupted', async () => {
    const plan = plannedTests();
    const events = shardRun(plan, 1, 1).slice(0, 8);
    const path = join(dir, 'report.jsonl');
    const reporter = new BlobReporter({ path });
    await replayEvents([...events, { type: 'interrupt', at: T0 + 5000, signal: 'SIGINT' }], reporter);
    assert.ok(existsSync(path), 'no blob after the interrupt');
    const blob = readBlob(path);
    assert.ok(!('problem' in blob), 'problem' in blob ? blob.problem : '');
    const merged = mergeBlobs([blob]);
    assert.ok(!('problem' in merged));
    assert.equal((merged.events.at(-1) as RunEnd).status, 'interrupted');
    assert.equal(merged.events.at(-1)!.at, T0 + 5000);
    // The file is whole at every moment: written beside and renamed, nothing left beside it.
    assert.deepEqual(readdirSync(dir), ['report.jsonl']);
  });

  it('writes to blob-report/report-<i>-of-<n>.jsonl when no path is given; <shard> in a path names the shard', async () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      await replayEvents(shardRun(plannedTests(), 2, 3), new BlobReporter());
      assert.ok(existsSync(join(dir, 'blob-report', 'report-2-of-3.jsonl')));
      await replayEvents(shardRun(plannedTests(), 3, 3), new BlobReporter({ path: 'out/<shard>.jsonl' }));
      await replayEvents(shardRun(plannedTests(), 1, 1).map((e) => (e.type === 'run:begin' ? { ...e, shard: undefined } : e)), new BlobReporter({ path: 'out/<shard>.jsonl' }));
      assert.deepEqual(readdirSync(join(dir, 'out')).sort(), ['3-of-3.jsonl', 'whole.jsonl']);
    } finally {
      process.chdir(cwd);
    }
  });
});
