import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startJanus, type ManagedJanus } from '../../src/managed/index.js';
import { runCli, scenarioDir, tmpdirPerTest } from '../support/cli.js';

/**
 * record and compare on the real Janus 1.1.2, over http and ws: a baseline compared with the
 * same server reports nothing, three times in a row; and scenarios run to the end in both, so a
 * value that differs in a step after a failed expectation is reported beside the first one. One
 * Janus (with its Admin API, for the inventory) serves every run, through --url.
 */
const CORE = ['scenarios/core/info.yaml', 'scenarios/core/create.yaml', 'scenarios/core/attach.yaml', 'scenarios/core/message-event.yaml', 'scenarios/core/hangup.yaml', 'scenarios/core/two-clients.yaml'];

/** Its first expectation fails on any Janus (no server is named so): the steps after it still run. */
const MISMATCH_FIRST = `name: goes on after a mismatch
steps:
  - request: info
    expect: { janus: server_info, name: not the name any Janus gives }
  - request: create
  - request: { janus: attach, plugin: janus.plugin.echotest }
  - request: { janus: message, body: { audio: true } }
    expect: { janus: event, plugindata: { data: { echotest: event, result: ok } } }
`;

interface Report {
  differences: Array<{ test: string; step: string; message: string; pointer: string; class: string; old?: unknown; new?: unknown }>;
}

interface BaselineFile {
  tests: Array<{ file: string; transport: string; status: string; steps: Array<{ at: string; messages: Array<{ direction: string; message: Record<string, unknown> }> }> }>;
}

describe('record and compare run to the end, and a self-compare reports nothing', function () {
  this.timeout(120_000);
  const tmp = tmpdirPerTest();
  let janus: ManagedJanus;
  let target: string[];
  before(async () => {
    janus = await startJanus({ plugins: ['janus.plugin.echotest'], transports: ['http', 'ws'], config: {} });
    const { http, ws, adminHttp } = janus.endpoints;
    target = ['--url', http!, '--url', ws!, '--admin-url', adminHttp!, '--admin-secret', janus.adminSecret, '--jobs', '4'];
  });
  after(() => janus?.stop());
  const files = scenarioDir({ 'mismatch-first.yaml': MISMATCH_FIRST });
  const scenarios = [...CORE, files.path('mismatch-first.yaml')];
  const baselinePath = join(files.dir, 'baseline.json');
  const editedPath = join(files.dir, 'edited.json');
  after(() => files.remove());

  async function compare(baseline: string): Promise<{ code: number | null; report: Report; output: string }> {
    const json = join(files.dir, 'report.json');
    const r = await runCli(['compare', ...scenarios, ...target, '--baseline', baseline, '--report-json', json], { env: tmp.env() });
    const output = r.stdout + r.stderr;
    assert.ok(existsSync(json), output);
    return { code: r.code, report: JSON.parse(readFileSync(json, 'utf8')) as Report, output };
  }

  it('records 1.1.2 on http and ws; the scenario that fails is recorded to its last step', async function () {
    const r = await runCli(['record', ...scenarios, ...target, '--out', baselinePath], { env: tmp.env() });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const baseline = JSON.parse(readFileSync(baselinePath, 'utf8')) as BaselineFile & { inventory: Record<string, { adminStatus?: object }> };
    assert.equal(baseline.tests.length, scenarios.length * 2);
    assert.deepEqual(baseline.tests.filter((t) => t.status === 'skipped'), [], 'every test runs, so every one is compared');
    assert.ok(baseline.inventory.http?.adminStatus && baseline.inventory.ws?.adminStatus, 'the inventory has get_status on both transports');
    const failing = baseline.tests.filter((t) => t.file.endsWith('mismatch-first.yaml'));
    assert.deepEqual(failing.map((t) => [t.transport, t.status]).sort(), [['http', 'failed'], ['ws', 'failed']]);
    for (const t of failing) {
      const last = t.steps.find((s) => s.at.endsWith(':7'));
      assert.ok(last?.messages.some((m) => m.direction === 'in' && (m.message.plugindata as { data?: { result?: unknown } } | undefined)?.data?.result === 'ok'), `the step after the mismatch ran on ${t.transport}`);
    }
  });

  it('compared with the same 1.1.2 reports nothing, three times in a row', async function () {
    for (let i = 1; i <= 3; i++) {
      const { code, report, output } = await compare(baselinePath);
      assert.deepEqual(report.differences, [], `compare ${i}: ${output}`);
      assert.equal(code, 0, output);
    }
  });

  it('a baseline with other values in a failed step and in a later step: both are reported', async function () {
    const baseline = JSON.parse(readFileSync(baselinePath, 'utf8')) as BaselineFile;
    for (const t of baseline.tests.filter((x) => x.file.endsWith('mismatch-first.yaml'))) {
      const reply = (line: number, janus: string) => t.steps.find((s) => s.at.endsWith(`:${line}`))!.messages.find((m) => m.direction === 'in' && m.message.janus === janus)!.message;
      reply(3, 'server_info').name = 'Another Janus';
      (reply(7, 'event').plugindata as { data: { result: unknown } }).data.result = 'not ok';
    }
    writeFileSync(editedPath, JSON.stringify(baseline));
    const { report, output } = await compare(editedPath);
    const found = report.differences.map((d) => [d.test.replace(/^.*#/, ''), d.step.replace(/^.*:/, ''), d.pointer, d.class, d.old]).sort();
    assert.deepEqual(found, [
      ['goes on after a mismatch[http]', '3', '/name', 'value-changed', 'Another Janus'],
      ['goes on after a mismatch[http]', '7', '/plugindata/data/result', 'value-changed', 'not ok'],
      ['goes on after a mismatch[ws]', '3', '/name', 'value-changed', 'Another Janus'],
      ['goes on after a mismatch[ws]', '7', '/plugindata/data/result', 'value-changed', 'not ok'],
    ], output);
    // Confirmed by re-running: a change every re-run shows again stays a difference, never unstable.
    assert.match(output, /running 2 test\(s\) again \(2 of 2\)/, output);
    assert.deepEqual((report as Report & { unstable: unknown[] }).unstable, [], output);
  });
});
