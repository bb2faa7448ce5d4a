import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, scenarioDir, tmpdirPerTest } from '../support/cli.js';

/**
 * A baseline of a managed Janus compared with the same Janus under other settings reports
 * exactly what the settings changed: `json = "indented"` against `"compact"` is one wire entry
 * per transport (the JSON layout), nothing else; a plugin left out is that plugin removed from
 * the inventory, and its scenarios not compared (skipped, with the reason), nothing else.
 */
const SCENARIOS = {
  'echo.yaml': `name: echotest answers a message with its event
requires: { plugins: [janus.plugin.echotest] }
steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.echotest }
  - request: { janus: message, body: { audio: true } }
    expect: { janus: event, plugindata: { data: { result: ok } } }
`,
  'nosip.yaml': `name: nosip refuses to process an answer it never offered
requires: { plugins: [janus.plugin.nosip] }
steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.nosip }
  - request: { janus: message, body: { request: process } }
    expect: { janus: event, plugindata: { plugin: janus.plugin.nosip, data: { error_code: $integer } } }
`,
};

interface Difference { test: string; plugin: string; message: string; pointer: string; class: string; rating: string; old?: unknown; new?: unknown; transport: string; count?: number }
interface Report { differences: Difference[]; uncompared: Array<{ test: string; reason: string }> }

describe('compare a managed Janus under other settings', function () {
  this.timeout(180_000);
  const tmp = tmpdirPerTest();
  let out: string;
  let scenarios: ReturnType<typeof scenarioDir>;
  const baseline = (): string => join(out, 'baseline.json');
  before(() => {
    out = mkdtempSync(join(tmpdir(), 'jstest-compare-settings-'));
    scenarios = scenarioDir(SCENARIOS);
  });
  after(() => {
    rmSync(out, { recursive: true, force: true });
    scenarios?.remove();
  });

  // The layout is each transport's own setting (janus.transport.http.jcfg, janus.transport.websockets.jcfg).
  const json = (layout: string): string[] => ['--janus-config', `http.json=${layout}`, '--janus-config', `websockets.json=${layout}`];
  const common = (): string[] => [scenarios.dir, '--transport', 'http,ws'];

  async function compare(extra: string[]): Promise<{ code: number | null; report: Report; output: string }> {
    const json = join(out, 'report.json');
    rmSync(json, { force: true });
    const r = await runCli(['compare', ...common(), '--baseline', baseline(), '--report-json', json, '--report-html', join(out, 'report.html'), '--report-md', join(out, 'report.md'), '--fail-on', 'any', ...extra], { env: tmp.env() });
    const output = r.stdout + r.stderr;
    assert.ok(existsSync(json), output);
    return { code: r.code, report: JSON.parse(readFileSync(json, 'utf8')) as Report, output };
  }

  it('records a baseline with json = indented, both plugins loaded', async function () {
    const r = await runCli(['record', ...common(), ...json('indented'), '--out', baseline()], { env: tmp.env() });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const recorded = JSON.parse(readFileSync(baseline(), 'utf8')) as { version: number; inventory: Record<string, { info: { plugins: object } }>; tests: Array<{ status: string; steps: Array<{ messages: Array<{ direction: string; wire?: { json?: string } }> }> }> };
    assert.equal(recorded.version, 2);
    for (const transport of ['http', 'ws']) assert.ok('janus.plugin.nosip' in recorded.inventory[transport]!.info.plugins, transport);
    const received = recorded.tests.flatMap((t) => t.steps.flatMap((s) => s.messages.filter((m) => m.direction === 'in')));
    assert.ok(received.length > 0);
    assert.ok(received.every((m) => m.wire?.json === 'indented'), JSON.stringify(received.map((m) => m.wire)));
  });

  it('json = compact: exactly the JSON layout, once per transport', async function () {
    const { code, report, output } = await compare([...json('compact')]);
    const shown = report.differences.map((d) => ({ transport: d.transport, plugin: d.plugin, class: d.class, pointer: d.pointer, old: d.old, new: d.new }));
    assert.deepEqual(shown.sort((a, b) => a.transport.localeCompare(b.transport)), [
      { transport: 'http', plugin: 'wire', class: 'wire-changed', pointer: '/json', old: 'indented', new: 'compact' },
      { transport: 'ws', plugin: 'wire', class: 'wire-changed', pointer: '/json', old: 'indented', new: 'compact' },
    ], output);
    assert.ok(report.differences.every((d) => d.rating === 'behaviour' && (d.count ?? 0) > 1), output);
    assert.deepEqual(report.uncompared, [], output);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(html, /<section class="plugin" data-plugin="wire">/);
    assert.match(html, /<td class="old"><pre>indented<\/pre><\/td><td class="new"><pre>compact<\/pre><\/td>/);
    assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /\| behaviour \| JSON serialisation \| wire-changed \| `\/json` \| indented \| compact \| .* \(2 places\) \|/);
    assert.equal(code, 1, output);
  });

  it('nosip left out: exactly the plugin removed and its scenarios not compared', async function () {
    const { code, report, output } = await compare([...json('indented'), '--janus-without', 'janus.plugin.nosip']);
    const shown = report.differences.map((d) => ({ test: d.test, class: d.class, pointer: d.pointer, old: d.old, rating: d.rating }));
    assert.deepEqual(shown.sort((a, b) => a.test.localeCompare(b.test)), [
      { test: 'inventory[http]', class: 'plugin-removed', pointer: '/info/plugins/janus.plugin.nosip', old: 'janus.plugin.nosip', rating: 'breaking' },
      { test: 'inventory[ws]', class: 'plugin-removed', pointer: '/info/plugins/janus.plugin.nosip', old: 'janus.plugin.nosip', rating: 'breaking' },
    ], output);
    assert.deepEqual(report.uncompared.map((u) => u.test.slice(u.test.lastIndexOf('/') + 1)).sort(), ['nosip.yaml#nosip refuses to process an answer it never offered[http]', 'nosip.yaml#nosip refuses to process an answer it never offered[ws]'], output);
    for (const u of report.uncompared) assert.match(u.reason, /^skipped in this run: .*leaves out janus\.plugin\.nosip/);
    assert.equal(code, 1, output);
  });

  it('the same settings again: nothing', async function () {
    const { code, report, output } = await compare([...json('indented')]);
    assert.deepEqual(report.differences, [], output);
    assert.equal(code, 0, output);
  });
});
