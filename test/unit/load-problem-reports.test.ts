import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { main } from '../../src/cli/commands.js';
import { BASELINE_FORMAT, BASELINE_VERSION } from '../../src/compare/baseline.js';
import { scenarioDir } from '../support/cli.js';

/** The CLI in this process: what it prints and its exit code. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (s) => (stdout += `${s}\n`), err: (s) => (stderr += `${s}\n`) });
  return { code, stdout, stderr };
}

/** A step kind misspelt at line 3, column 5: the file fails to load. */
const BROKEN = `name: broken
steps:
  - sendd: { janus: info }
`;
/** Where the problem is, as every report must name it. */
const AT = /broken\.yaml:3:5/;
const STALE = 'STALE: the previous run passed\n';

/**
 * Scenario files that fail to load end the run with exit 2 before any network I/O; every report
 * the run was asked to write must then say so, replacing the last run's (a CI job reading a
 * JUnit file would show that old pass for this failed run).
 */
describe('reports of a run whose scenario files fail to load', function () {
  this.timeout(60_000);
  let dir: ReturnType<typeof scenarioDir>;
  beforeEach(() => (dir = scenarioDir({ 'broken.yaml': BROKEN })));
  afterEach(() => dir.remove());

  /** Stale files at the given names, then the command; exit 2, the problem printed as before. */
  async function runWithStale(names: string[], args: string[]): Promise<Record<string, string>> {
    for (const name of names) writeFileSync(dir.path(name), STALE);
    const run = await cli(args);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /error: unknown step kind "sendd"/);
    assert.match(run.stderr, /1 problem in scenario files; nothing was run/);
    return Object.fromEntries(names.map((name) => [name, readFileSync(dir.path(name), 'utf8')]));
  }

  function assertJunit(xml: string): void {
    assert.doesNotMatch(xml, /STALE/);
    assert.match(xml, /<testsuites [^>]*errors="1"/);
    const error = /<testcase [^>]*>\s*<error type="load" message="([^"]*)">/.exec(xml);
    assert.ok(error, xml);
    assert.match(error[1]!, AT);
    assert.match(error[1]!, /unknown step kind &quot;sendd&quot;/);
  }

  it('run --reporter junit: a <testcase> per problem with an <error> naming file:line:col', async () => {
    const files = await runWithStale(['junit.xml'], ['run', dir.path('broken.yaml'), '--reporter', `junit:${dir.path('junit.xml')}`]);
    assertJunit(files['junit.xml']!);
  });

  it('run --reporter json: status load-failed, the problems in the document', async () => {
    const files = await runWithStale(['report.json'], ['run', dir.path('broken.yaml'), '--reporter', `json:${dir.path('report.json')}`]);
    const report = JSON.parse(files['report.json']!) as { status?: string; loadProblems?: { count: number; problems: Array<{ location?: string; message: string; text: string }> }; scenarios: unknown[] };
    assert.equal(report.status, 'load-failed');
    assert.equal(report.loadProblems?.count, 1);
    assert.match(report.loadProblems!.problems[0]!.location!, AT);
    assert.match(report.loadProblems!.problems[0]!.message, /unknown step kind "sendd"/);
    assert.match(report.loadProblems!.problems[0]!.text, /\^\^\^\^\^/);
    assert.deepEqual(report.scenarios, []);
  });

  it('run --reporter tap: a "not ok" line per problem, never an empty plan', async () => {
    const files = await runWithStale(['report.tap'], ['run', dir.path('broken.yaml'), '--reporter', `tap:${dir.path('report.tap')}`]);
    const tap = files['report.tap']!;
    assert.match(tap, /^TAP version 14\n1\.\.1\n/);
    assert.match(tap, /^not ok 1 - .*broken\.yaml:3:5 unknown step kind "sendd"/m);
    assert.match(tap, /status: load-failed/);
  });

  it('run --reporter html: a page that shows the problems', async () => {
    const files = await runWithStale(['report.html'], ['run', dir.path('broken.yaml'), '--reporter', `html:${dir.path('report.html')}`]);
    const html = files['report.html']!;
    assert.match(html, /<title>Janus scenarios: 1 problem in scenario files; nothing was run<\/title>/);
    assert.match(html, /<code>[^<]*broken\.yaml:3:5<\/code>/);
    assert.match(html, /unknown step kind &#34;sendd&#34;/);
  });

  it('run --reporter blob: the blob says the run failed to load, and merge-reports refuses it naming the problem', async () => {
    const files = await runWithStale(['blob.jsonl'], ['run', dir.path('broken.yaml'), '--reporter', `blob:${dir.path('blob.jsonl')}`]);
    const lines = files['blob.jsonl']!.trim().split('\n').map((l) => JSON.parse(l) as { type?: string; problems?: Array<{ location?: string }> });
    assert.equal(lines.length, 2);
    assert.equal(lines[1]!.type, 'load:problems');
    assert.match(lines[1]!.problems![0]!.location!, AT);
    const merge = await cli(['merge-reports', dir.path('blob.jsonl'), '--reporter', `junit:${dir.path('merged.xml')}`]);
    assert.notEqual(merge.code, 0);
    assert.match(merge.stderr, /could not load its scenario files, nothing ran: .*broken\.yaml:3:5 unknown step kind/);
    assert.equal(existsSync(dir.path('merged.xml')), false);
  });

  it("a config file's reporters write their reports of it too", async () => {
    writeFileSync(dir.path('janus-scenarios.config.json'), JSON.stringify({ reporter: [`junit:${dir.path('junit.xml')}`, `tap:${dir.path('report.tap')}`] }));
    const files = await runWithStale(['junit.xml', 'report.tap'], ['run', dir.path('broken.yaml'), '--config', dir.path('janus-scenarios.config.json')]);
    assertJunit(files['junit.xml']!);
    assert.match(files['report.tap']!, /^not ok 1 - /m);
  });

  it('coverage and record --reporter junit write the same report', async () => {
    const coverage = await runWithStale(['junit.xml'], ['coverage', dir.path('broken.yaml'), '--reporter', `junit:${dir.path('junit.xml')}`]);
    assertJunit(coverage['junit.xml']!);
    const record = await runWithStale(['junit.xml'], ['record', dir.path('broken.yaml'), '--out', dir.path('baseline.json'), '--reporter', `junit:${dir.path('junit.xml')}`]);
    assertJunit(record['junit.xml']!);
    assert.equal(existsSync(dir.path('baseline.json')), false, 'no baseline of a run that never ran');
  });

  it("compare's --report-junit, --report-json, --report-md, --report-html and --reporter junit say the files failed to load", async () => {
    writeFileSync(dir.path('baseline.json'), JSON.stringify({ format: BASELINE_FORMAT, version: BASELINE_VERSION, tool: { name: 'janus-scenarios', version: '0' }, recordedAt: '2024-01-01T00:00:00Z', inventory: {}, tests: [] }));
    const names = ['compare.xml', 'compare.json', 'compare.md', 'compare.html', 'run.xml'];
    const files = await runWithStale(names, [
      'compare', dir.path('broken.yaml'), '--baseline', dir.path('baseline.json'),
      '--report-junit', dir.path('compare.xml'), '--report-json', dir.path('compare.json'), '--report-md', dir.path('compare.md'), '--report-html', dir.path('compare.html'),
      '--reporter', `junit:${dir.path('run.xml')}`,
    ]);
    assertJunit(files['compare.xml']!);
    assertJunit(files['run.xml']!);
    const json = JSON.parse(files['compare.json']!) as { format: string; status?: string; counts?: unknown; loadProblems?: { problems: Array<{ location?: string }> } };
    assert.equal(json.format, 'janus-scenarios-compare');
    assert.equal(json.status, 'load-failed');
    assert.equal(json.counts, undefined, 'no counts a reader would take for "no difference"');
    assert.match(json.loadProblems!.problems[0]!.location!, AT);
    assert.match(files['compare.md']!, /broken\.yaml:3:5` unknown step kind "sendd"/);
    assert.match(files['compare.html']!, /<code>[^<]*broken\.yaml:3:5<\/code>/);
  });

  it('load --report-json and --report-html say the file failed to load', async () => {
    const files = await runWithStale(['load.json', 'load.html'], ['load', dir.path('broken.yaml'), '--users', '1', '--duration', '1s', '--report-json', dir.path('load.json'), '--report-html', dir.path('load.html')]);
    const json = JSON.parse(files['load.json']!) as { status: string; loadProblems?: { problems: Array<{ location?: string }> } };
    assert.equal(json.status, 'load-failed');
    assert.match(json.loadProblems!.problems[0]!.location!, AT);
    assert.match(files['load.html']!, /<code>[^<]*broken\.yaml:3:5<\/code>/);
  });

  it("no report shows a secret the problem's source line or message holds", async () => {
    writeFileSync(dir.path('secret.yaml'), `name: secret
variables:
  pw: { value: declared-s3cr3t-value, secret: true }
steps:
  - request: info
    token: cli-s3cr3t-value declared-s3cr3t-value
    expect: { janus: server_info }
`);
    const names = ['junit.xml', 'report.json', 'report.tap', 'report.html', 'blob.jsonl'];
    for (const name of names) writeFileSync(dir.path(name), STALE);
    const run = await cli(['run', dir.path('secret.yaml'), '--api-secret', 'cli-s3cr3t-value', ...['junit:junit.xml', 'json:report.json', 'tap:report.tap', 'html:report.html', 'blob:blob.jsonl'].flatMap((spec) => ['--reporter', spec.replace(/:(.*)$/, (_, file: string) => `:${dir.path(file)}`)])]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /secret\.yaml:6:5/);
    for (const name of names) {
      const text = readFileSync(dir.path(name), 'utf8');
      assert.match(text, /secret\.yaml:6:5/, name);
      assert.doesNotMatch(text, /s3cr3t/, name);
    }
  });
});
