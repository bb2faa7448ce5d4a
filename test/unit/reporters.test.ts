import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SuiteEvent } from '../../src/events/events.js';
import { Multiplexer, reporterErrorLine } from '../../src/events/multiplexer.js';
import type { Reporter } from '../../src/events/reporter.js';
import { buildReport } from '../../src/report/builder.js';
import type { RunReport } from '../../src/report/model.js';
import { Redactor } from '../../src/report/redact.js';
import { registerBuiltinReporters } from '../../src/reporters/builtin.js';
import { ConsoleReporter } from '../../src/reporters/console.js';
import { CoverageReporter } from '../../src/reporters/coverage.js';
import { FileReporter } from '../../src/reporters/file.js';
import { htmlFormat } from '../../src/reporters/html/index.js';
import { jsonFormat } from '../../src/reporters/json.js';
import { junitFormat } from '../../src/reporters/junit.js';
import { PlanOrder } from '../../src/reporters/plan-order.js';
import { getReporter, registerReporter } from '../../src/reporters/registry.js';
import { tapFormat } from '../../src/reporters/tap.js';
import { chooseReporters } from '../../src/cli/reporters.js';
import { UsageError } from '../../src/cli/options.js';
import { checkJunit, parseTap } from '../support/reports.js';
import { INTERRUPTED, MISMATCH, NEVER, PASSES, result as resultOf, RETRIED, RUN_SECRET, SCENARIO_SECRET, secretPieces, Sink, SKIPPED, syntheticRun, TESTS } from '../support/events.js';

/** Feeds events to reporters through a multiplexer, as the suite runner does. */
async function play(reporters: Reporter[], events: SuiteEvent[] = syntheticRun()): Promise<void> {
  const multiplexer = new Multiplexer(reporters, (name, e) => assert.fail(`${name} failed: ${String(e)}`));
  for (const event of events) await multiplexer.emit(event);
}

function assertNoSecret(name: string, text: string): void {
  for (const piece of secretPieces()) assert.ok(!text.includes(piece), `${name} shows "${piece}", a piece of a secret:\n${text}`);
}

const runRedactor = (): Redactor => new Redactor([RUN_SECRET]);

describe('the report built from the events', function () {
  let report: RunReport;
  before(() => (report = buildReport(syntheticRun(), { redactor: runRedactor() })));

  it('lists the planned tests in plan order; the last attempt counts; what Ctrl-C stopped or never started is unfinished', function () {
    assert.deepEqual(report.scenarios.map((s) => `${s.title}: ${s.status}`), [
      'passes [http]: passed', 'mismatches [http]: failed', 'ws only [http]: skipped', 'flaky [http]: passed', 'sleeps [http]: unfinished', 'never starts [http]: unfinished',
    ]);
    assert.deepEqual(report.totals, { passed: 2, failed: 1, skipped: 1, unfinished: 2 });
    assert.equal(report.interrupted, true);
    assert.equal(report.format, 'janus-scenarios/report@1');
    assert.deepEqual([report.seed, report.janusVersion, report.transports], ['seed-1', '1.1.2', ['http']]);
    assert.deepEqual([report.startedAt, report.finishedAt, report.durationMs], [new Date(1_000).toISOString(), new Date(1_500).toISOString(), 500]);
    const byId = new Map(report.scenarios.map((s) => [s.id, s]));
    assert.deepEqual([byId.get(RETRIED.id)!.durationMs, byId.get(RETRIED.id)!.startedAt, byId.get(RETRIED.id)!.failure], [30, 1_220, undefined]);
    assert.equal(byId.get(SKIPPED.id)!.skipReason, 'runs only on ws');
    const running = byId.get(INTERRUPTED.id)!;
    assert.deepEqual([running.startedAt, running.durationMs, running.messages.length, running.messages[0]!.atMs], [1_300, 200, 1, 5]);
    assert.equal(byId.get(NEVER.id)!.startedAt, undefined);
  });

  it('a test --retries ran again keeps how each earlier attempt failed; one that ran once has no attempts', function () {
    const retried = report.scenarios.find((s) => s.id === RETRIED.id)!;
    assert.equal(retried.attempts, 2);
    assert.deepEqual(retried.earlierFailures!.map((f) => [f.kind, f.location, f.summary]), [['timeout', 'scenarios/b.yaml:9:5', 'first attempt timed out (sent [redacted])']]);
    const once = report.scenarios.find((s) => s.id === PASSES.id)!;
    assert.deepEqual([once.attempts, once.earlierFailures], [undefined, undefined]);
  });

  it('keeps a failure whole: location, step, mismatches, diff and text', function () {
    const failed = report.scenarios.find((s) => s.id === MISMATCH.id)!;
    assert.equal(failed.failure!.location, 'scenarios/a.yaml:7:5');
    assert.equal(failed.failure!.stepTitle, 'create');
    assert.deepEqual(failed.failure!.mismatches, [{ at: 'janus', expected: '"error"', actual: 'success' }]);
    assert.match(failed.failure!.diff!, /-\s+"janus": "error"/);
    assert.match(failed.failure!.text, /at scenarios\/a\.yaml:7:5 \(step: create\)/);
    assert.deepEqual(failed.messages.map((m) => m.direction), ['out', 'in']);
  });

  it('redacts the run\'s secrets and every secret a result names, everywhere', function () {
    const json = JSON.stringify(report);
    assertNoSecret('the report', json);
    assert.ok(json.includes('[redacted]'));
    const failed = report.scenarios.find((s) => s.id === MISMATCH.id)!;
    assert.equal(failed.saved.pin, '[redacted]');
  });

  it('a result Ctrl-C interrupted is unfinished, with what it had', function () {
    const events: SuiteEvent[] = syntheticRun().filter((e) => e.type !== 'run:end');
    events.push({ type: 'test:end', at: 1_450, testId: INTERRUPTED.id, attempt: 1, retrying: false, result: { file: INTERRUPTED.file, name: INTERRUPTED.name, transport: 'http', status: 'failed', startedAt: 1_300, durationMs: 150, failure: { kind: 'interrupted', summary: 'interrupted', span: { file: 'scenarios/b.yaml', line: 4, col: 5, width: 1 } }, cleanupFailures: [], transcript: [], saved: {}, destroyedSessions: [], sessionsLeft: [], schemaWarnings: [], secretValues: [] } });
    events.push({ type: 'run:end', at: 1_500, status: 'interrupted' });
    const s = buildReport(events).scenarios.find((x) => x.id === INTERRUPTED.id)!;
    assert.deepEqual([s.status, s.failure?.kind, s.failure?.location], ['unfinished', 'interrupted', 'scenarios/b.yaml:4:5']);
  });
});

describe('file reporters on the event stream', function () {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'jstest-reporters-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('junit, json, tap and html each write their file at run:end, well-formed, without a piece of a secret', async function () {
    const paths = { junit: join(dir, 'deep', 'junit.xml'), json: join(dir, 'r.json'), tap: join(dir, 'r.tap'), html: join(dir, 'r.html') };
    const out = new Sink();
    const reporters = [junitFormat, jsonFormat, tapFormat, htmlFormat].map((f) => new FileReporter(f, paths[f.name as keyof typeof paths], { redactor: runRedactor(), out }));
    await play(reporters);
    assert.equal(out.text, '');
    const junit = checkJunit(paths.junit);
    assert.match(junit, /<testsuites name="janus-scenarios" tests="6" failures="1" errors="2" skipped="1"/);
    const json = JSON.parse(readFileSync(paths.json, 'utf8')) as RunReport;
    assert.deepEqual(json.totals, { passed: 2, failed: 1, skipped: 1, unfinished: 2 });
    const tap = parseTap(readFileSync(paths.tap, 'utf8'));
    assert.deepEqual([tap.count, tap.pass, tap.fail, tap.skip], [6, 3, 3, 1]);
    // The registry's description (what a library user lists) names the TAP version the file is in.
    registerBuiltinReporters();
    assert.equal(getReporter('tap')?.description, readFileSync(paths.tap, 'utf8').split('\n')[0]);
    const html = readFileSync(paths.html, 'utf8');
    assert.match(html, /^<!doctype html>/);
    // The flaky pass: Surefire's <flakyFailure> (Jenkins), a TAP comment, the failure kept in the page's data.
    assert.match(junit, /<testcase name="flaky \[http\]"[^>]*>\n\s*<flakyFailure type="timeout" message="scenarios\/b\.yaml:9:5: first attempt timed out \(sent \[redacted\]\)"><stackTrace>/);
    assert.match(readFileSync(paths.tap, 'utf8'), /^ok 4 - scenarios\/b\.yaml: flaky \[http\]\n# flaky: passed on attempt 2\n# attempt 1 failed: scenarios\/b\.yaml:9:5: first attempt timed out/m);
    assert.ok(html.includes('earlierFailures'), 'the page carries the earlier failures');
    for (const [name, path] of Object.entries(paths)) assertNoSecret(name, readFileSync(path, 'utf8'));
  });

  it('a test that failed every attempt carries the earlier ones too: <rerunFailure> beside its <failure>, and in the TAP block', async function () {
    const paths = { junit: join(dir, 'rerun.xml'), tap: join(dir, 'rerun.tap') };
    const failed = (summary: string) => ({ ...resultOf(PASSES), status: 'failed' as const, failure: { kind: 'assertion' as const, summary, span: { file: PASSES.file, line: 3, col: 5, width: 1 } } });
    const reporters = [junitFormat, tapFormat].map((f) => new FileReporter(f, paths[f.name as keyof typeof paths], { redactor: runRedactor(), out: new Sink() }));
    await play(reporters, [
      { type: 'run:begin', at: 0, tests: [PASSES], transports: ['http'] },
      { type: 'test:begin', at: 1, testId: PASSES.id, attempt: 1 },
      { type: 'test:end', at: 2, testId: PASSES.id, attempt: 1, retrying: true, result: failed('first no') },
      { type: 'test:begin', at: 3, testId: PASSES.id, attempt: 2 },
      { type: 'test:end', at: 4, testId: PASSES.id, attempt: 2, retrying: false, result: failed('second no') },
      { type: 'run:end', at: 5, status: 'failed' },
    ]);
    const junit = checkJunit(paths.junit);
    assert.match(junit, /<rerunFailure type="assertion" message="scenarios\/a\.yaml:3:5: first no">/);
    assert.match(junit, /<failure type="assertion" message="scenarios\/a\.yaml:3:5: second no">/);
    assert.doesNotMatch(junit, /flakyFailure/);
    const tap = readFileSync(paths.tap, 'utf8');
    assert.match(tap, /^ {2}attempts: 2\n {2}earlier_failures:\n {4}- "scenarios\/a\.yaml:3:5: first no"$/m);
    assert.doesNotMatch(tap, /# flaky/);
  });

  it("'-' writes to the reporter's output, and says it prints to standard output", async function () {
    const out = new Sink();
    const reporter = new FileReporter(jsonFormat, '-', { redactor: runRedactor(), out });
    assert.equal(reporter.printsToStdout(), true);
    await play([reporter]);
    assert.equal((JSON.parse(out.text) as RunReport).scenarios.length, TESTS.length);
  });

  it('a file it cannot write is an error naming the reporter and the path', async function () {
    const reporter = new FileReporter(jsonFormat, join(dir, 'r.json', 'not-a-folder', 'x.json'), { redactor: runRedactor(), out: new Sink() });
    const errors: string[] = [];
    const multiplexer = new Multiplexer([reporter], (name, e) => errors.push(reporterErrorLine(name, e)));
    for (const event of syntheticRun()) await multiplexer.emit(event);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /^error: the reporter json:\S+x\.json failed and was stopped: --reporter json:\S+x\.json: E/);
  });
});

describe('the console reporter', function () {
  const run = async (colour: boolean): Promise<string> => {
    const out = new Sink();
    await play([new ConsoleReporter({ redactor: runRedactor(), colour, out })]);
    return out.text;
  };

  it('prints a heading per file and a line per test in plan order, then failures in full, counts, skip reasons and the slowest', async function () {
    const text = await run(false);
    const order = ['scenarios/a.yaml', '✔ passes [http] 148ms', '✖ 1) mismatches [http] 35ms', '- ws only [http] skipped: runs only on ws', 'scenarios/b.yaml', '✔ flaky [http] 30ms (passed on attempt 2: flaky)'];
    let at = -1;
    for (const piece of order) {
      const next = text.indexOf(piece, at + 1);
      assert.ok(next > at, `"${piece}" is missing or out of order in:\n${text}`);
      at = next;
    }
    assert.match(text, /✔ passes \[http\] 148ms {2}\[1\/6, 1 passed; /);
    assert.doesNotMatch(text, /passes \[http\] 148ms \(/, 'a test passed at its first attempt is a plain pass');
    assert.match(text, /1\) scenarios\/a\.yaml\n\s+mismatches \[http\]\n[\s\S]*at scenarios\/a\.yaml:7:5 \(step: create\)/);
    assert.match(text, /saved values:\n\s+pin = "\[redacted\]"/);
    assert.match(text, /2 passing[\s\S]*1 failing[\s\S]*1 skipped\n\s+1 × runs only on ws/);
    assert.match(text, /2 unfinished/);
    assert.match(text, /slowest:\n\s+148ms {2}scenarios\/a\.yaml: passes \[http\]/);
    assert.doesNotMatch(text, /first attempt timed out/, 'a retried attempt is not reported');
    assert.doesNotMatch(text, /\u001b/);
    assertNoSecret('the console', text);
  });

  it('a test that failed every attempt --retries gave it says how many', async function () {
    const out = new Sink();
    const result = { file: PASSES.file, name: PASSES.name, transport: 'http', status: 'failed' as const, startedAt: 0, durationMs: 5, failure: { kind: 'assertion' as const, summary: 'no', span: { file: PASSES.file, line: 3, col: 5, width: 1 } }, cleanupFailures: [], transcript: [], saved: {}, destroyedSessions: [], sessionsLeft: [], schemaWarnings: [], secretValues: [] };
    await play([new ConsoleReporter({ redactor: runRedactor(), colour: false, out })], [
      { type: 'run:begin', at: 0, tests: [PASSES], transports: ['http'] },
      { type: 'test:end', at: 1, testId: PASSES.id, attempt: 1, retrying: true, result },
      { type: 'test:end', at: 2, testId: PASSES.id, attempt: 2, retrying: true, result },
      { type: 'test:end', at: 3, testId: PASSES.id, attempt: 3, retrying: false, result },
      { type: 'run:end', at: 4, status: 'failed' },
    ]);
    assert.match(out.text, /✖ 1\) passes \[http\] 5ms \(failed all 3 attempts\)/);
  });

  it('colours only when told to', async function () {
    const text = await run(true);
    assert.match(text, /\u001b\[32m✔\u001b\[39m passes \[http\]/);
    assertNoSecret('the coloured console', text);
  });

  it('escapes control characters from a scenario instead of letting them act', async function () {
    const out = new Sink();
    const evil = { ...PASSES, id: 'x#y[http]', title: 'evil \u001b[2J name [http]' };
    await play([new ConsoleReporter({ redactor: runRedactor(), colour: false, out })], [
      { type: 'run:begin', at: 0, tests: [evil], transports: ['http'] },
      { type: 'test:end', at: 1, testId: evil.id, attempt: 1, retrying: false, result: { file: 'x', name: 'y', transport: 'http', status: 'passed', startedAt: 0, durationMs: 1, cleanupFailures: [], transcript: [], saved: {}, destroyedSessions: [], sessionsLeft: [], schemaWarnings: [], secretValues: [] } },
      { type: 'run:end', at: 2, status: 'passed' },
    ]);
    assert.match(out.text, /evil \\u001b\[2J name/);
    assert.doesNotMatch(out.text, /\u001b/);
  });
});

describe('releasing tests in plan order', function () {
  it('holds a test until those planned before it finished; the rest at the end', function () {
    const order = new PlanOrder<string>(['a', 'b', 'c', 'd']);
    assert.deepEqual(order.finish('b', 'b'), []);
    assert.deepEqual(order.finish('a', 'a'), ['a', 'b']);
    assert.deepEqual(order.finish('d', 'd'), []);
    assert.deepEqual(order.finish('x', 'x'), ['x']);
    assert.deepEqual(order.rest(), ['d']);
  });
});

describe('the coverage reporter', function () {
  it('learns from message events and prints its tables at run:end, redacted', async function () {
    const out = new Sink();
    const coverage = new CoverageReporter({ redactor: runRedactor(), out });
    await play([coverage]);
    assert.deepEqual([...coverage.collector.requests.get('janus create') ?? []], ['http']);
    assert.match(out.text, /Janus API requests[\s\S]*create\s+✔/);
  });
});

describe('the multiplexer', function () {
  it('reports a reporter that throws once, sends it nothing more, and the others go on', async function () {
    const seen: string[] = [];
    const errors: Array<[string, string]> = [];
    const broken: Reporter & { name: string; calls: number } = {
      name: 'broken', calls: 0,
      onRunBegin() { this.calls++; },
      onTestEnd() { this.calls++; throw new Error('boom'); },
      onRunEnd() { this.calls++; },
    };
    const healthy: Reporter = { onTestEnd: (e) => void seen.push(e.testId), onRunEnd: () => void seen.push('end') };
    const multiplexer = new Multiplexer([broken, healthy], (name, e) => errors.push([name, (e as Error).message]));
    for (const event of syntheticRun()) await multiplexer.emit(event);
    assert.deepEqual(errors, [['broken', 'boom']]);
    assert.equal(broken.calls, 2, 'after it threw, the broken reporter heard nothing');
    assert.deepEqual(seen, [SKIPPED.id, MISMATCH.id, PASSES.id, RETRIED.id, RETRIED.id, 'end']);
  });

  it('waits for onRunEnd promises, and a rejected one is reported like a throw', async function () {
    let written = false;
    const errors: string[] = [];
    const slow: Reporter = { onRunEnd: () => new Promise<void>((resolve) => setImmediate(() => { written = true; resolve(); })) };
    const rejecting = { name: 'rejecting', onRunEnd: () => Promise.reject(new Error('disk full')) };
    const multiplexer = new Multiplexer([slow, rejecting], (name, e) => errors.push(`${name}: ${(e as Error).message}`));
    await multiplexer.emit({ type: 'run:end', at: 0, status: 'passed' });
    assert.equal(written, true);
    assert.deepEqual(errors, ['rejecting: disk full']);
  });

  it('names a failed reporter in one redacted line, even when its message is long', function () {
    const line = reporterErrorLine('junit:x.xml', new Error(`${'x'.repeat(600)}${RUN_SECRET}\nsecond line`), (t) => runRedactor().text(t));
    assert.equal(line.split('\n').length, 1);
    assert.match(line, /^error: the reporter junit:x\.xml failed and was stopped: x+\.\.\.$/);
    // A secret across the cut: redacted whole first, so no piece of it is left at the cut.
    assertNoSecret('the error line', reporterErrorLine('r', new Error(`${'y'.repeat(450)}${RUN_SECRET}${'z'.repeat(100)}`), (t) => runRedactor().text(t)));
  });
});

describe('the reporter registry and the --reporter choice', function () {
  before(() => registerBuiltinReporters());

  it('registers the built-ins once; a name taken twice is an error', function () {
    registerBuiltinReporters();
    for (const name of ['console', 'spec', 'junit', 'json', 'tap', 'html', 'coverage']) assert.ok(getReporter(name), name);
    assert.throws(() => registerReporter('junit', () => ({})), /a reporter named "junit" is already registered/);
    registerReporter('unit-test-late', () => ({ onRunEnd: () => {} }));
    assert.ok(getReporter('unit-test-late'), 'a registration made later counts');
  });

  it('chooses registered reporters by name and path, adds the console unless one prints to standard output', async function () {
    const context = { redactor: runRedactor(), colour: false, out: new Sink() };
    const names = (rs: Reporter[]) => rs.map((r) => (r as { name?: string }).name);
    assert.deepEqual(names(await chooseReporters(['junit:x.xml', 'html'], context)), ['console', 'junit:x.xml', 'html:janus-scenarios-report.html']);
    assert.deepEqual(names(await chooseReporters(['json:-'], context)), ['json:-']);
    assert.deepEqual(names(await chooseReporters(['spec'], context)), ['console']);
    await assert.rejects(chooseReporters(['junit:'], context), UsageError);
    await assert.rejects(chooseReporters(['console:file.txt'], context), /takes no path/);
    await assert.rejects(chooseReporters(['no-such-reporter'], context), /unknown reporter "no-such-reporter": use console, spec, .*junit/);
    // A module path that names no file says so, not that no reporter has that name.
    await assert.rejects(chooseReporters(['./no-such-reporter.js'], context), /--reporter \.\/no-such-reporter\.js: no such file \(a reporter module's path is read from the working folder, /);
  });

  it('hands any other name to mocha through the bridge', async function () {
    const [dot] = await chooseReporters(['dot'], { redactor: runRedactor(), colour: false, out: new Sink() });
    assert.equal((dot as { name?: string }).name, 'mocha dot');
    assert.equal(dot!.printsToStdout?.(), true);
  });
});
