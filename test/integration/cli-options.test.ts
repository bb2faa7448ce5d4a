import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { startJanus, type ManagedJanus } from '../../src/managed/index.js';
import type { RunReport } from '../../src/report/model.js';
import { runCli, scenarioDir } from '../support/cli.js';

/** Mocha's options through the CLI, tags, seeds, and the shipped core scenarios with --url. */
describe('CLI options', function () {
  let janus: ManagedJanus;
  let urls: string[];
  const files = scenarioDir({
    'a.yaml': `name: alpha passes
tags: [fast]
steps:
  - request: ping
    expect: { janus: pong }
`,
    'b.yaml': `name: beta fails
tags: [slow]
steps:
  - request: ping
    expect: { janus: success }
`,
    'c.yaml': `name: gamma passes
tags: [slow]
steps:
  - request: info
`,
  });

  before(async () => {
    janus = await startJanus({ plugins: ['janus.plugin.echotest'], transports: ['http', 'ws', 'https', 'wss'], config: {} });
    writeFileSync(files.path('ca.pem'), janus.caPem!);
    urls = [
      ...['http', 'ws', 'https', 'wss'].flatMap((t) => ['--url', janus.endpoints[t as 'http']!]),
      '--admin-url', janus.endpoints.adminHttp!, '--admin-secret', janus.adminSecret, '--ca', files.path('ca.pem'),
    ];
  });
  after(async () => {
    await janus?.stop();
    files.remove();
  });

  it('--reporter json:- writes the JSON report to stdout; --grep selects by title', async () => {
    const run = await runCli(['run', files.dir, ...urls, '--transport', 'ws', '--reporter', 'json:-', '--grep', 'alpha']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as RunReport;
    assert.equal(report.scenarios.length, 1);
    assert.match(report.scenarios[0]!.id, /a\.yaml#alpha passes\[ws\]/);
  });

  it('--tags selects scenarios; --bail stops at the first failure, and the rest are unfinished', async () => {
    // One at a time: the first failure (beta, first in file order) stops the run before the rest start.
    const run = await runCli(['run', files.dir, ...urls, '--transport', 'http,ws', '--tags', 'slow', '--bail', '--jobs', '1', '--reporter', 'json:-']);
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout) as RunReport;
    assert.deepEqual(report.totals, { passed: 0, failed: 1, skipped: 0, unfinished: 3 });
    assert.equal(report.scenarios.find((s) => s.status === 'failed')!.title, 'beta fails [http]');
  });

  it('--seed makes transaction ids repeat from run to run', async () => {
    const transactions = async (seed: string) => {
      const run = await runCli(['run', files.path('b.yaml'), ...urls, '--transport', 'ws', '--seed', seed]);
      return [...run.stdout.matchAll(/"transaction":"([^"]+)"/g)].map((m) => m[1]);
    };
    const first = await transactions('s1');
    assert.ok(first.length > 0);
    assert.deepEqual(await transactions('s1'), first);
    assert.notDeepEqual(await transactions('s2'), first);
  });

  it('--reporter tap:- and mocha\'s xunit work', async () => {
    const tap = await runCli(['run', files.path('a.yaml'), ...urls, '--transport', 'http', '--reporter', 'tap:-']);
    assert.match(tap.stdout, /^ok 1 - .*alpha passes \[http\]/m);
    const xunit = await runCli(['run', files.path('a.yaml'), ...urls, '--transport', 'http', '--reporter', 'xunit']);
    assert.match(xunit.stdout, /<testsuite name="Mocha Tests" tests="1"/);
  });

  it('the shipped core scenarios pass with --url over http, ws, https and wss', async () => {
    const run = await runCli(['run', 'scenarios/core', ...urls, '--transport', 'http,ws,https,wss']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /\d+ passing/);
    assert.doesNotMatch(run.stdout, /failing/);
  });

  it('usage mistakes exit 2 with one line', async () => {
    for (const args of [['run'], ['run', 'nope-no-such-dir'], ['run', files.dir, '--transport', 'carrier-pigeon'], ['run', files.dir, '--jobs', 'x'], ['run', files.dir, '--reporter', 'no-such-reporter'], ['run', files.dir, '--reporter', 'junit:'], ['frobnicate']]) {
      const run = await runCli(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /^error: /);
    }
  });
});
