import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startJanus, type ManagedJanus } from '../../src/managed/index.js';
import { runCli, scenarioDir, tmpdirPerTest } from '../support/cli.js';
import { openInChromium } from '../support/chromium.js';

/**
 * `compare --reporter html:FILE`: the run's HTML report holds the comparison, drawn as `compare
 * --report-html` draws it (grouped by plugin, then message, old and new side by side), above the
 * run's own report, which still draws itself. Opened in headless Chromium.
 */
const SCENARIOS = ['scenarios/core/info.yaml', 'scenarios/core/create.yaml'];

interface BaselineFile {
  tests: Array<{ file: string; steps: Array<{ messages: Array<{ direction: string; message: Record<string, unknown> }> }> }>;
}

describe('the run HTML report of compare has the comparison in it', function () {
  this.timeout(180_000);
  const tmp = tmpdirPerTest();
  const files = scenarioDir({});
  let janus: ManagedJanus;
  let target: string[];
  let context: BrowserContext | undefined;
  let page: Page;
  let requests: string[] = [];
  let pageErrors: string[] = [];
  let output = '';
  /** How many info replies the baseline had (each an entry of the one row). */
  let edited = 0;

  before(async function () {
    janus = await startJanus({ plugins: ['janus.plugin.echotest'], transports: ['http', 'ws'], config: {} });
    const { http, ws, adminHttp } = janus.endpoints;
    target = ['--url', http!, '--url', ws!, '--admin-url', adminHttp!, '--admin-secret', janus.adminSecret, '--jobs', '4'];
  });
  after(async () => {
    await context?.close();
    await janus?.stop();
    files.remove();
  });

  it('compares an edited baseline and writes the run report with the comparison above the run', async function () {
    const baselinePath = join(files.dir, 'baseline.json');
    const recorded = await runCli(['record', ...SCENARIOS, ...target, '--out', baselinePath], { env: tmp.env() });
    assert.equal(recorded.code, 0, recorded.stdout + recorded.stderr);
    const baseline = JSON.parse(readFileSync(baselinePath, 'utf8')) as BaselineFile;
    // What the old server "said": another name in every info reply (a real change: every re-run shows it again).
    for (const t of baseline.tests.filter((x) => x.file.endsWith('info.yaml'))) {
      for (const m of t.steps.flatMap((s) => s.messages)) if (m.direction === 'in' && m.message.janus === 'server_info') {
        m.message.name = '<b id="injected">Old Janus</b>';
        edited += 1;
      }
    }
    writeFileSync(baselinePath, JSON.stringify(baseline));
    const html = join(files.dir, 'run.html');
    const r = await runCli(['compare', ...SCENARIOS, ...target, '--baseline', baselinePath, '--reporter', `html:${html}`, '--confirm', '1'], { env: tmp.env() });
    output = r.stdout + r.stderr;
    assert.equal(r.code, 0, `a value-changed is behaviour: not failing by default\n${output}`);
    assert.ok(existsSync(html), output);
    const opened = await openInChromium(html, files.dir);
    ({ context, page } = opened);
    requests = opened.requests;
    pageErrors = opened.pageErrors;
  });

  it('shows the comparison grouped by plugin and message, old and new side by side', async function () {
    const section = page.locator('section.compare-report');
    assert.equal(await section.count(), 1, output);
    assert.match(await section.locator('.versions').innerText(), /^Janus 1\.1\.2 → 1\.1\.2$/);
    assert.deepEqual(await section.locator('section.plugin').evaluateAll((s) => s.map((x) => x.getAttribute('data-plugin'))), ['core']);
    assert.deepEqual(await section.locator('section.plugin h3').allInnerTexts(), ['info → server_info']);
    const row = section.locator('tr[data-class="value-changed"]');
    assert.equal(await row.count(), 1, 'the same change on http and ws is one row');
    assert.equal(await row.locator('td.old').innerText(), '<b id="injected">Old Janus</b>', 'server text is text');
    assert.equal(await page.locator('#injected').count(), 0);
    const [oldBox, newBox] = [await row.locator('td.old').boundingBox(), await row.locator('td.new').boundingBox()];
    assert.ok(oldBox && newBox && oldBox.x + oldBox.width <= newBox.x + 1 && Math.abs(oldBox.y - newBox.y) < 1, 'old left of new, on one line');
    assert.ok(edited >= 2, 'info replies on http and ws');
    assert.equal(await row.locator('.where summary').innerText(), `${edited} places`);
    assert.deepEqual((await section.locator('.totals .total').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim().toLowerCase()), ['0 breaking', `${edited} behaviour`, '0 additive']);
  });

  it('still draws the run itself below it, with every test; no network request, no script error', async function () {
    await page.locator('#app details.scenario').first().waitFor();
    const compareBox = await page.locator('section.compare-report').boundingBox();
    const appBox = await page.locator('#app').boundingBox();
    assert.ok(compareBox && appBox && compareBox.y + compareBox.height <= appBox.y + 1, 'the comparison comes first');
    assert.ok((await page.title()).endsWith(`compared with 1.1.2: 0 breaking, ${edited} behaviour, 0 additive`), await page.title());
    assert.ok((await page.locator('#app').innerText()).includes('info'), 'the run report lists the tests');
    assert.deepEqual(requests.filter((u) => !u.startsWith('file:')), []);
    assert.deepEqual(pageErrors, []);
  });
});
