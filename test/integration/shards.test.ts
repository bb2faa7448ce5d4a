import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunReport, ScenarioReport } from '../../src/report/model.js';
import { runCli } from '../support/cli.js';
import { checkJunit, readJsonReport } from '../support/reports.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SEED = 'shards-1';
const TOTAL = 3;

/**
 * Shipped scenarios split over three machines (sequential runs here, each with its managed
 * Janus) and merged give the reports one machine gives: the same tests in the same order, the
 * same statuses and counts, and each test's report as its shard wrote it. The folders are the
 * suite's signalling core, its Admin API part (exclusive scenarios among them) and those that
 * run on one transport only (skips): what merging has to get right. Plugins with PeerConnections
 * are left to the runs of the whole suite elsewhere: four runs of them here would only add
 * time, and chances to meet one of Janus 1.1.2's rare crashes in a test about merging.
 */
describe('Shards merged into one report', function () {
  this.timeout(30 * 60_000);
  let out: string;
  const common = ['run', 'scenarios/core', 'scenarios/admin', 'scenarios/errors', 'scenarios/http', 'scenarios/ws', '--transport', 'http,ws', '--seed', SEED, '--reporter', 'dot'];
  const path = (...parts: string[]) => join(out, ...parts);

  before(() => (out = mkdtempSync(join(tmpdir(), 'jstest-shards-'))));
  after(() => rmSync(out, { recursive: true, force: true }));

  it('three shards of shipped scenarios, merged into json, junit and html, match one unsharded run', async function () {
    const whole = await runCli([...common, '--reporter', `json:${path('whole.json')}`, '--reporter', `junit:${path('whole.xml')}`], { cwd: ROOT });
    const shards = [];
    for (let i = 1; i <= TOTAL; i++) {
      shards.push(await runCli([...common, '--shard', `${i}/${TOTAL}`, '--reporter', `blob:${path('blobs', `report-${i}.jsonl`)}`, '--reporter', `json:${path(`shard-${i}.json`)}`], { cwd: ROOT }));
    }
    const merge = await runCli(['merge-reports', path('blobs'), '--reporter', `json:${path('merged.json')}`, '--reporter', `junit:${path('merged.xml')}`, '--reporter', `html:${path('merged.html')}`], { cwd: ROOT });

    // The merge exits as the unsharded run does (0 when all passed, 1 when a scenario failed).
    const failures = (file: string): string[] => readJsonReport(path(file)).scenarios.filter((x) => x.status === 'failed').map((x) => `${x.id}: ${x.failure?.summary}`);
    const failed = `failed in the shards: ${[1, 2, 3].flatMap((i) => failures(`shard-${i}.json`)).join('; ') || 'none'}; failed in the whole run: ${failures('whole.json').join('; ') || 'none'}`;
    assert.equal(merge.code, whole.code, `merge: ${merge.stderr}\n${failed}`);
    assert.deepEqual(readdirSync(path('blobs')).sort(), ['report-1.jsonl', 'report-2.jsonl', 'report-3.jsonl']);
    for (let i = 1; i <= TOTAL; i++) {
      const header = JSON.parse(readFileSync(path('blobs', `report-${i}.jsonl`), 'utf8').split('\n', 1)[0]!) as { format: string; shard: unknown };
      assert.deepEqual([header.format, header.shard], ['janus-scenarios/blob', { index: i, total: TOTAL }]);
    }
    const unsharded = readJsonReport(path('whole.json'));
    const merged = readJsonReport(path('merged.json'));
    const shardReports = [1, 2, 3].map((i) => readJsonReport(path(`shard-${i}.json`)));

    // Every test of the plan once, in the unsharded order; each shard ran a share of it.
    assert.ok(unsharded.scenarios.length > 100, `only ${unsharded.scenarios.length} tests planned`);
    assert.deepEqual(merged.scenarios.map((s) => s.id), unsharded.scenarios.map((s) => s.id));
    assert.deepEqual(shardReports.flatMap((r) => r.scenarios.map((s) => s.id)).sort(), unsharded.scenarios.map((s) => s.id).sort());
    assert.ok(shardReports.every((r) => r.scenarios.length > 0));
    // The same statuses and counts.
    assert.deepEqual(merged.scenarios.map((s) => `${s.id}: ${s.status}`), unsharded.scenarios.map((s) => `${s.id}: ${s.status}`));
    assert.deepEqual(merged.totals, unsharded.totals);
    assert.equal(merged.totals.skipped > 0, true, 'these folders skip some tests (one-transport scenarios)');
    assert.deepEqual([merged.transports, merged.seed, merged.janusVersion, merged.interrupted], [unsharded.transports, unsharded.seed, unsharded.janusVersion, unsharded.interrupted]);
    assert.equal(merged.sessionsLeft, shardReports.reduce((n, r) => n + r.sessionsLeft, 0));
    // The run's wall time: from the first shard's start to the last one's end.
    assert.equal(merged.startedAt, shardReports.map((r) => r.startedAt).sort()[0]);
    const lastEnd = Math.max(...merged.scenarios.map((s) => (s.startedAt ?? 0) + s.durationMs));
    assert.ok(Date.parse(merged.finishedAt) >= lastEnd, 'the merged run ends before its last test');
    assert.equal(merged.durationMs, Date.parse(merged.finishedAt) - Date.parse(merged.startedAt));

    // Each test's report is the one its shard wrote: transcripts, failures, saved values, warnings, timings.
    const byId = new Map(shardReports.flatMap((r) => r.scenarios).map((s) => [s.id, s]));
    for (const s of merged.scenarios) assert.deepEqual(s, byId.get(s.id), `${s.id} differs from its shard's report`);
    // And the same as one machine's, but for what differs from run to run (ids Janus draws, times).
    for (const [i, s] of merged.scenarios.entries()) assert.deepEqual(stable(s), stable(unsharded.scenarios[i]!), `${s.id} differs from the unsharded run`);

    // JUnit: the same suites and test cases, the same failures and skips.
    assert.equal(junitShape(checkJunit(path('merged.xml'))), junitShape(checkJunit(path('whole.xml'))));
    // HTML: the page embeds the merged report.
    assert.deepEqual(htmlReport(readFileSync(path('merged.html'), 'utf8')), merged);
    assert.match(merge.stderr, new RegExp(`merged 3 blob\\(s\\): ${unsharded.scenarios.length} test\\(s\\), ${unsharded.totals.passed} passed, ${unsharded.totals.failed} failed, ${unsharded.totals.skipped} skipped`));
  });
});

/**
 * A test's report without what no two runs against a live server share: times, durations, the
 * numbers Janus draws at random (session, handle and sender ids) and saved values made of them,
 * and what Janus sends (events arrive in an order timing decides; SDPs carry random values). What
 * the scenario sent stays: the same requests in the same order.
 */
function stable(s: ScenarioReport): unknown {
  const { durationMs: _d, startedAt: _s, messages, saved: _saved, ...rest } = s;
  // The engine's own cleanup (transactions `cleanup-…`: a detach that ends a long-poll, then the
  // destroys) depends on timing, as keepalives do: only the scenario's own requests are compared.
  const sent = messages.filter((m) => m.direction === 'out' && !engineRequest(m.message));
  const requests = sent.map((m) => `${m.api} ${requestOf(m.message)}`);
  return { ...(normalize(rest) as object), sent: requests };
}

function engineRequest(message: unknown): boolean {
  const m = message as { janus?: string; transaction?: string } | string;
  return typeof m !== 'string' && (m.janus === 'keepalive' || (typeof m.transaction === 'string' && m.transaction.startsWith('cleanup-')));
}

function requestOf(message: unknown): string {
  const m = message as { janus?: string; body?: { request?: string } } | string;
  return typeof m === 'string' ? 'text' : `${m.janus}${m.body?.request ? ` ${m.body.request}` : ''}`;
}

function normalize(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) >= 1000 ? '<id>' : v;
  if (typeof v === 'string') return v.replace(/\b\d{4,}\b/g, '<n>').replace(/\d+(\.\d+)?\s?(ms|s)\b/g, '<time>');
  if (Array.isArray(v)) return v.map(normalize);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x)]));
  return v;
}

/** The JUnit document without times and timestamps. */
function junitShape(xml: string): string {
  return xml.replace(/ (time|timestamp)="[^"]*"/g, '').replace(/\b\d{4,}\b/g, '<n>');
}

function htmlReport(html: string): RunReport {
  const data = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html);
  assert.ok(data, 'the page embeds the report');
  return JSON.parse(data[1]!) as RunReport;
}
