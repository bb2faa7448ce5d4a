import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, tmpdirPerTest } from '../support/cli.js';

/**
 * record then compare on the real Janus: a baseline of 1.1.2 compared with 1.1.2 reports
 * nothing (twice: repeat-stability), and compared with the upstream 1.4.1 build reports the
 * `info` keys 1.4.1 added, as additive, and none of the values that change on every run.
 */
const SCENARIOS = ['scenarios/core/info.yaml', 'scenarios/core/create.yaml', 'scenarios/core/attach.yaml', 'scenarios/core/message-event.yaml', 'scenarios/core/admin-list-sessions.yaml'];

interface Report {
  format: string;
  version: number;
  counts: Record<string, number>;
  differences: Array<{ plugin: string; message: string; pointer: string; class: string; rating: string; old?: unknown; new?: unknown; step: string }>;
}

describe('record and compare', function () {
  this.timeout(120_000);
  const tmp = tmpdirPerTest();
  let out: string;
  before(() => (out = mkdtempSync(join(tmpdir(), 'jstest-compare-'))));
  after(() => rmSync(out, { recursive: true, force: true }));

  async function compare(extra: string[]): Promise<{ code: number | null; report: Report; output: string }> {
    const json = join(out, 'report.json');
    rmSync(json, { force: true });
    const r = await runCli(['compare', ...SCENARIOS, '--transport', 'ws', '--baseline', join(out, 'baseline.json'), '--report-json', json, '--report-md', join(out, 'report.md'), ...extra], { env: tmp.env() });
    const output = r.stdout + r.stderr;
    assert.ok(existsSync(json), output);
    return { code: r.code, report: JSON.parse(readFileSync(json, 'utf8')) as Report, output };
  }

  it('records a baseline of 1.1.2 with every step, its messages and the inventory', async function () {
    const r = await runCli(['record', ...SCENARIOS, '--transport', 'ws', '--out', join(out, 'baseline.json')], { env: tmp.env() });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const baseline = JSON.parse(readFileSync(join(out, 'baseline.json'), 'utf8')) as { format: string; serverVersion: string; inventory: Record<string, { info?: { version_string?: string }; adminStatus?: object }>; tests: Array<{ steps: Array<{ at: string; messages: unknown[] }> }> };
    assert.equal(baseline.format, 'janus-scenarios-baseline');
    assert.equal(baseline.serverVersion, '1.1.2');
    assert.equal(baseline.inventory.ws?.info?.version_string, '1.1.2');
    assert.ok(baseline.inventory.ws?.adminStatus, 'the managed Janus has an admin API: its get_status is recorded');
    assert.equal(baseline.tests.length, SCENARIOS.length);
    for (const t of baseline.tests) for (const s of t.steps) assert.match(s.at, /^scenarios\/[\w/.-]+\.yaml:\d+$|^$/);
    assert.ok(baseline.tests.every((t) => t.steps.some((s) => s.messages.length > 0)));
  });

  it('compared with the same version reports nothing, run after run', async function () {
    for (let i = 0; i < 2; i++) {
      const { code, report, output } = await compare([]);
      assert.deepEqual(report.differences, [], output);
      assert.equal(code, 0, output);
    }
  });

  it('a part of the suite over one transport compared with the same version reports nothing (the managed Janus loads only what it runs)', async function () {
    // create.yaml needs no plugin: its Janus loads none, where the baseline's loaded EchoTest for the others.
    const r = await runCli(['compare', 'scenarios/core/create.yaml', '--transport', 'ws', '--baseline', join(out, 'baseline.json'), '--fail-on', 'any'], { env: tmp.env() });
    assert.match(r.stdout, /0 difference\(s\)/, r.stdout + r.stderr);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  it('compared with 1.4.1 reports the new info keys as additive, once per transport, and no volatile value', async function () {
    const { code, report, output } = await compare(['--janus-binary', '/opt/janus-1.4.1/bin/janus', '--fail-on', 'any', '--report-junit', join(out, 'report.xml')]);
    assert.equal(report.format, 'janus-scenarios-compare');
    // The inventory's entry counts the info replies that showed the new key; they are not listed again.
    const entry = report.differences.find((d) => d.plugin === 'inventory' && d.class === 'setting-added' && d.pointer === '/info/hangup-on-failed') as (Report['differences'][number] & { count?: number; example?: string }) | undefined;
    assert.ok(entry && (entry.count ?? 0) >= 1 && /core\/info\.yaml:\d+ .*info → server_info$/.test(entry.example ?? ''), output);
    assert.deepEqual(report.differences.filter((d) => d.message === 'info → server_info' && d.pointer === '/hangup-on-failed'), [], output);
    assert.ok(report.differences.filter((d) => d.message === 'info → server_info').every((d) => d.rating === 'additive'), output);
    const volatile = /^\/(version|version_string|commit-hash|compile-time|session_id|transaction|sender)$|\/(id|created|session_last_activity)$/;
    assert.deepEqual(report.differences.filter((d) => volatile.test(d.pointer) || /1\.[14]\.[12]/.test(JSON.stringify([d.old, d.new]))), [], output);
    assert.equal(code, 1, 'a difference exists and --fail-on any fails on it');
    assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /^### Janus 1\.1\.2 → 1\.4\.1/);
    // The JUnit file agrees with the exit code (--fail-on any), not with the scenarios' verdicts: info.yaml passes, the inventory fails.
    const junit = readFileSync(join(out, 'report.xml'), 'utf8');
    assert.match(junit, /<testsuites name="janus-scenarios compare" tests="6" failures="\d" errors="0" skipped="0">/, junit);
    assert.match(junit, /<testcase name="info returns server_info \[ws\]" classname="scenarios\/core\/info\.yaml\.ws"\/>/, junit);
    assert.match(junit, /<testcase name="inventory\[ws\]" classname="compare">\n {6}<failure type="breaking" message="\d+ difference\(s\): 1 breaking, \d+ additive">[^<]*\/info\/hangup-on-failed: — → false/, junit);
  });

  it('bad input exits 2 with one line, before any server starts', async function () {
    for (const args of [
      ['compare', SCENARIOS[0]!],
      ['compare', SCENARIOS[0]!, '--baseline', join(out, 'missing.json')],
      ['compare', SCENARIOS[0]!, '--baseline', 'package.json'],
      ['compare', SCENARIOS[0]!, '--baseline', join(out, 'baseline.json'), '--fail-on', 'sometimes'],
      ['record', SCENARIOS[0]!],
      ['record', SCENARIOS[0]!, '--out', join(out, 'x.json'), '--repeat', '0'],
    ]) {
      const r = await runCli([...args, '--janus-binary', '/nonexistent/janus'], { env: tmp.env() });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /^error: /);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
  });

  // A comparison that pairs no test checks nothing: it must not pass.
  it('a baseline this run cannot pair (another transport, another directory) exits 2 before any test runs, saying why', async function () {
    const baseline = join(out, 'baseline.json');
    const http = await runCli(['compare', ...SCENARIOS, '--transport', 'http', '--baseline', baseline], { env: tmp.env() });
    assert.equal(http.code, 2, http.stdout + http.stderr);
    assert.match(http.stderr, /^error: none of the 5 test\(s\) this run plans is in the baseline .*recorded over ws, this run plans http: give --transport ws\n$/);
    assert.doesNotMatch(http.stdout, /passing|failing/, 'no test ran');
    const elsewhere = await runCli(['compare', ...SCENARIOS.map((f) => f.replace(/^scenarios\//, '')), '--transport', 'ws', '--baseline', baseline], { cwd: 'scenarios', env: tmp.env() });
    assert.equal(elsewhere.code, 2, elsewhere.stdout + elsewhere.stderr);
    assert.match(elsewhere.stderr, /from the directory record ran in \(scenarios\/core\/[\w-]+\.yaml\), this run from here \(core\/[\w-]+\.yaml\): run compare from that directory/);
  });

  it('a baseline whose every test was skipped compares nothing and exits 1; record writes no such baseline', async function () {
    const recorded = JSON.parse(readFileSync(join(out, 'baseline.json'), 'utf8')) as { tests: Array<{ status: string; steps: unknown[] }> };
    for (const t of recorded.tests) Object.assign(t, { status: 'skipped', steps: [] });
    writeFileSync(join(out, 'skipped.json'), JSON.stringify(recorded));
    const r = await runCli(['compare', ...SCENARIOS, '--transport', 'ws', '--baseline', join(out, 'skipped.json')], { env: tmp.env() });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /^error: no test was compared: each was skipped in the baseline or in this run/m);
    const none = await runCli(['record', 'scenarios/core/message-event.yaml', '--transport', 'ws', '--janus-without', 'janus.plugin.echotest', '--out', join(out, 'none.json')], { env: tmp.env() });
    assert.equal(none.code, 1, none.stdout + none.stderr);
    assert.match(none.stderr, /^error: no test ran \(each of the 1 was skipped\): no baseline written/m);
    assert.ok(!existsSync(join(out, 'none.json')));
  });
});
