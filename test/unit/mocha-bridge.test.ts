import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Mocha from 'mocha';
import { Multiplexer } from '../../src/events/multiplexer.js';
import { MochaBridge, type MochaReporterClass } from '../../src/mocha/bridge.js';
import { MochaConsoleReporter, mochaReporterFor } from '../../src/mocha/file-reporter.js';
import { describeScenarios, type ScenarioPlanner } from '../../src/mocha/describe.js';
import { attachScenario } from '../../src/mocha/from-runner.js';
import type { RunReport } from '../../src/report/model.js';
import { Redactor } from '../../src/report/redact.js';
import { jsonFormat } from '../../src/reporters/json.js';
import { info, result, RUN_SECRET, secretPieces, syntheticRun } from '../support/events.js';

const INDEX = fileURLToPath(new URL('../../src/index.js', import.meta.url));

async function replay(Reporter: MochaReporterClass, reporterOptions: Record<string, unknown> = {}): Promise<string> {
  const bridge = new MochaBridge(Reporter, { redactor: new Redactor([RUN_SECRET]), colour: false, reporterOptions });
  const multiplexer = new Multiplexer([bridge], (name, e) => assert.fail(`${name}: ${String(e)}`));
  return printedBy(async () => {
    for (const event of syntheticRun()) await multiplexer.emit(event);
  });
}

/** What `act` writes to standard output (mocha's reporters write there), kept instead of printed. */
async function printedBy(act: () => Promise<unknown>): Promise<string> {
  let printed = '';
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    printed += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    await act();
  } finally {
    process.stdout.write = write;
  }
  return printed;
}

function assertNoSecret(name: string, text: string): void {
  for (const piece of secretPieces()) assert.ok(!text.includes(piece), `${name} shows "${piece}", a piece of a secret:\n${text}`);
}

describe('mocha reporters through the bridge', function () {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'jstest-bridge-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("mocha's xunit counts what finished, in a file it has closed when the run ends", async function () {
    const output = join(dir, 'xunit.xml');
    await replay(Mocha.reporters.XUnit as unknown as MochaReporterClass, { output });
    const xml = readFileSync(output, 'utf8');
    // Mocha's xunit counts a failed test as an error.
    assert.match(xml, /<testsuite name="Mocha Tests" tests="4" failures="0" errors="1" skipped="1"/);
    assert.match(xml, /<testcase classname="scenarios\/a\.yaml" name="mismatches \[http\]" file="scenarios\/a\.yaml" time="0\.035"><failure>failed: the reply to create did not match[^<]*at scenarios\/a\.yaml:7:5/);
    assert.match(xml, /<testcase classname="scenarios\/a\.yaml" name="ws only \[http\] \(skipped: runs only on ws\)"/);
    assertNoSecret('xunit', xml);
  });

  it("mocha's dot prints its dots and counts, failures with our failure text", async function () {
    const printed = await replay(Mocha.reporters.Dot as unknown as MochaReporterClass);
    assert.match(printed, /2 passing/);
    assert.match(printed, /1 pending/);
    assert.match(printed, /1 failing/);
    assert.match(printed, /  \.!,\.\n/);
    assert.match(printed, /1\) scenarios\/a\.yaml\n\s+mismatches \[http\]:\n\s+ScenarioFailure: failed: the reply to create did not match[\s\S]*at scenarios\/a\.yaml:7:5/);
    assertNoSecret('dot', printed);
  });
});

describe('our report files as mocha reporters, under plain mocha', function () {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'jstest-wrapper-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const runMocha = (build: (root: Mocha.Suite) => void, output: string): Promise<number> => {
    const mocha = new Mocha({ reporter: mochaReporterFor(jsonFormat) as unknown as string, reporterOptions: { output } });
    build(mocha.suite);
    return new Promise<number>((resolve) => mocha.run(resolve));
  };

  it('reports scenario tests with their own results and plain tests from what mocha knows', async function () {
    const output = join(dir, 'report.json');
    const scenario = info('scenarios/a.yaml', 'pings');
    const failures = await runMocha((root) => {
      const suite = Mocha.Suite.create(root, 'plain');
      suite.addTest(new Mocha.Test('passes', () => {}));
      suite.addTest(new Mocha.Test('fails', () => assert.fail(`wrong ${RUN_SECRET}`)));
      suite.addTest(new Mocha.Test('is pending'));
      const data = { info: scenario } as Parameters<typeof attachScenario>[1];
      const test = new Mocha.Test(scenario.title, () => void (data.result = result(scenario, { durationMs: 42 })));
      attachScenario(test, data);
      Mocha.Suite.create(root, scenario.file).addTest(test);
    }, output);
    assert.equal(failures, 1);
    const report = JSON.parse(readFileSync(output, 'utf8')) as RunReport;
    assert.deepEqual(report.scenarios.map((s) => `${s.title}: ${s.status}`), ['plain passes: passed', 'plain fails: failed', 'plain is pending: skipped', 'pings [http]: passed']);
    assert.equal(report.scenarios[3]!.durationMs, 42);
    assert.equal(report.interrupted, false);
  });

  it('the console prints plain mocha tests as the CLI prints scenarios', async function () {
    const mocha = new Mocha({ reporter: MochaConsoleReporter as unknown as string });
    const suite = Mocha.Suite.create(mocha.suite, 'plain');
    suite.addTest(new Mocha.Test('passes', () => {}));
    suite.addTest(new Mocha.Test('fails', () => assert.fail(`wrong ${RUN_SECRET}`)));
    process.env.JANUS_API_SECRET = RUN_SECRET;
    const printed = await printedBy(() => new Promise<number>((resolve) => mocha.run(resolve))).finally(() => delete process.env.JANUS_API_SECRET);
    assert.match(printed, /✔ plain passes \d+ms/);
    assert.match(printed, /✖ 1\) plain fails/);
    assert.match(printed, /1 passing[\s\S]*1 failing/);
    assertNoSecret('the console under mocha', printed);
  });

  it('a failing hook leaves its tests unfinished', async function () {
    const output = join(dir, 'hook.json');
    await runMocha((root) => {
      const suite = Mocha.Suite.create(root, 'needs a server');
      suite.beforeAll('start the server', () => assert.fail('no server'));
      suite.addTest(new Mocha.Test('never runs', () => {}));
    }, output);
    const report = JSON.parse(readFileSync(output, 'utf8')) as RunReport;
    assert.deepEqual(report.scenarios.map((s) => `${s.title}: ${s.status}`), ['needs a server never runs: unfinished']);
  });
});

describe('the library entry point', function () {
  it('loads without mocha', function () {
    const blockMocha = `data:text/javascript,${encodeURIComponent("export async function resolve(s, c, next) { if (s === 'mocha' || s.startsWith('mocha/')) throw new Error('mocha was imported'); return next(s, c); }")}`;
    const script = `import { register } from 'node:module'; register(${JSON.stringify(blockMocha)}); const lib = await import(${JSON.stringify(INDEX)}); console.log(typeof lib.ReportBuilder, typeof lib.registerReporter, typeof lib.Multiplexer);`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), 'function function function');
    // The hook does refuse mocha: the check above can fail.
    const control = spawnSync(process.execPath, ['--input-type=module', '-e', `import { register } from 'node:module'; register(${JSON.stringify(blockMocha)}); await import(${JSON.stringify(fileURLToPath(new URL('../../src/mocha/index.js', import.meta.url)))});`], { encoding: 'utf8' });
    assert.notEqual(control.status, 0);
    assert.match(control.stderr, /mocha was imported/);
  });
});

describe('describeScenarios in a mocha of its own', function () {
  it('a describe per file, an it per test, the plan\'s skips, start before and close after, failures with the failure text', async function () {
    const calls: string[] = [];
    const passes = info('scenarios/a.yaml', 'pings');
    const fails = info('scenarios/a.yaml', 'mismatches');
    const skipped = info('scenarios/b.yaml', 'ws only', 'http', 'runs only on ws');
    const planner: ScenarioPlanner = {
      plan: async (inputs) => {
        calls.push(`plan ${inputs.join(',')}`);
        return {
          tests: [
            { info: passes, run: async () => (calls.push('run pings'), result(passes)) },
            { info: fails, run: async () => (calls.push('run mismatches'), result(fails, { status: 'failed', failure: { kind: 'assertion', summary: `wrong token ${RUN_SECRET}` }, secretValues: [RUN_SECRET] })) },
            { info: skipped, run: async () => assert.fail('a skipped test ran') },
          ],
          start: async () => void calls.push('start'),
          close: async () => void calls.push('close'),
        };
      },
    };
    const mocha = new Mocha({ reporter: mochaReporterFor(jsonFormat) as unknown as string, reporterOptions: { output: join(tmpdir(), `jstest-describe-${process.pid}.json`) } });
    const output = (mocha.options.reporterOptions as { output: string }).output;
    // What mocha does for a spec file: its describe/it/before/after become the globals while it loads.
    const saved = Object.fromEntries(['describe', 'it', 'before', 'after'].map((k) => [k, (globalThis as Record<string, unknown>)[k]]));
    mocha.suite.emit('pre-require', globalThis, 'spec.js', mocha);
    try {
      await describeScenarios(['scenarios/'], { planner });
    } finally {
      Object.assign(globalThis, saved);
    }
    const failures = await new Promise<number>((resolve) => mocha.run(resolve));
    try {
      assert.equal(failures, 1);
      assert.deepEqual(calls, ['plan scenarios/', 'start', 'run pings', 'run mismatches', 'close']);
      assert.deepEqual(mocha.suite.suites.map((s) => `${s.title}: ${s.tests.map((t) => t.title).join(', ')}`), [
        'scenarios/a.yaml: pings [http], mismatches [http]',
        'scenarios/b.yaml: ws only [http] (skipped: runs only on ws)',
      ]);
      const report = JSON.parse(readFileSync(output, 'utf8')) as RunReport;
      assert.deepEqual(report.scenarios.map((s) => `${s.id}: ${s.status}`), [`${passes.id}: passed`, `${fails.id}: failed`, `${skipped.id}: skipped`]);
      assert.equal(report.scenarios[2]!.skipReason, 'runs only on ws');
      assert.match(report.scenarios[1]!.failure!.text, /wrong token \[redacted\]/);
    } finally {
      rmSync(output, { force: true });
    }
  });
});
