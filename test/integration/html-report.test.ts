import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { openInChromium } from '../support/chromium.js';
import { htmlFormat } from '../../src/reporters/html/index.js';
import { ReportBuilder } from '../../src/report/builder.js';
import { Redactor } from '../../src/report/redact.js';
import type { RunReport, ScenarioReport } from '../../src/report/model.js';
import { loadSuite } from '../../src/compile/load-suite.js';
import { planSuite } from '../../src/plan/plan.js';
import { runSuite } from '../../src/suite/run-suite.js';
import { registerBuiltinTransports } from '../../src/transports/registry.js';

/**
 * The HTML report of a real run with a failure, opened in headless Chromium: what a person looks
 * for is on screen, the diagram draws the exchange with Janus, filters work, and the page makes
 * no network request. A screenshot is kept in test-output/.
 */
const TRANSPORTS = ['http', 'ws'];
// The opaque_id carries text that would break a naive embedding of the data in the page.
const SCENARIOS: Record<string, string> = {
  'two-clients.yaml': `name: two clients and the admin API
tags: [echotest, clients]
requires: { plugins: [janus.plugin.echotest] }
clients: [alice, bob]
steps:
  - { client: alice, request: create }
  - { client: alice, request: { janus: attach, plugin: janus.plugin.echotest, opaque_id: "</script><b id=injected>x</b>\\u2028end" } }
  - { client: bob, request: create }
  - admin: list_sessions
    expect: { janus: success, sessions: { $contains: ["\${alice.session}", "\${bob.session}"] } }
  - client: alice
    request: { janus: message, body: { audio: true } }
    expect: { janus: event, plugindata: { data: { result: ok } } }
`,
  'broken.yaml': `name: echotest result checked against a wrong value
tags: [echotest, broken]
requires: { plugins: [janus.plugin.echotest] }
steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.echotest }
  - name: the echotest answers done
    request: { janus: message, body: { audio: true } }
    expect:
      janus: event
      plugindata: { plugin: janus.plugin.echotest, data: { result: done } }
`,
  'ws-only.yaml': `name: keepalive over WebSocket
tags: [core]
requires: { transports: [ws] }
steps:
  - request: create
  - request: keepalive
    expect: { janus: ack }
`,
};
const FAILING_LINE = SCENARIOS['broken.yaml']!.split('\n').findIndex((l) => l.includes('the echotest answers done')) + 1;

describe('HTML report in headless Chromium', function () {
  this.timeout(60_000);
  let work: string;
  let report: RunReport;
  let html: string;
  let context: BrowserContext | undefined;
  let page: Page;
  let requests: string[] = [];
  let pageErrors: string[] = [];
  let secrets: string[] = [];

  before(async function () {
    work = mkdtempSync(join(tmpdir(), 'html-report-'));
    for (const [name, text] of Object.entries(SCENARIOS)) writeFileSync(join(work, name), text);
    registerBuiltinTransports();
    const loaded = await loadSuite(Object.keys(SCENARIOS), { cwd: work });
    assert.deepEqual(loaded.diagnostics, []);
    const plan = await planSuite(loaded.scenarios, { transports: TRANSPORTS, stepTimeoutMs: 5000, scenarioTimeoutMs: 20_000, schemaMode: 'strict' });
    // The report is built from the run's events, as the CLI's reporters build it.
    const builder = new ReportBuilder({ redactor: new Redactor() });
    const outcome = await runSuite(plan, { reporter: builder, jobs: 2, seed: 'html-report' });
    secrets = [...new Set(outcome.results.flatMap((r) => r.secretValues))];
    report = builder.report();
    html = htmlFormat.render(report);
    const file = join(work, htmlFormat.defaultPath);
    writeFileSync(file, html);

    // Anything but the file itself and data: URLs is refused and remembered.
    const opened = await openInChromium(file, work);
    ({ context, page } = opened);
    requests = opened.requests;
    pageErrors = opened.pageErrors;
    // Open failures are drawn as they come near the screen, just after the page loads.
    await page.locator('details.scenario.failed .diagram').first().waitFor();
  });

  after(async function () {
    await context?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const failedRow = (): ReturnType<Page['locator']> => page.locator('details.scenario.failed[data-transport="http"]');

  it('the run: real Janus results, one failure per transport, no secret in the page', function () {
    assert.deepEqual(report.totals, { passed: 3, failed: 2, skipped: 1, unfinished: 0 });
    // The managed Janus's admin secret, at least.
    assert.ok(secrets.length > 0);
    for (const secret of secrets) assert.equal(html.includes(secret), false);
  });

  it('shows the totals, the Janus version and the transports in the header', async function () {
    const totals = await page.locator('header .total').allInnerTexts();
    assert.deepEqual(totals.map((t) => t.replace(/\s+/g, ' ').trim().toLowerCase()), ['3 passed', '2 failed', '1 skipped', '0 unfinished']);
    const facts = await page.locator('header .facts').innerText();
    assert.match(facts, new RegExp(report.janusVersion!.replace(/\./g, '\\.')));
    assert.match(facts, /http, ws/);
  });

  it('shows the failure summary and its file:line:col without a click', async function () {
    const row = failedRow();
    assert.equal(await row.getAttribute('open'), '');
    assert.match(await row.locator('.failure-summary').innerText(), /did not match/);
    assert.ok(await row.locator('.failure-summary').isVisible());
    const location = row.locator('.failure .location');
    assert.ok(await location.isVisible());
    assert.match(await location.innerText(), new RegExp(`^broken\\.yaml:${FAILING_LINE}:\\d+$`));
    assert.match(await row.locator('.failure .step').innerText(), /the echotest answers done/);
    const diff = await row.locator('pre.diff').innerText();
    assert.match(diff, /^- .*"result": "done"/m);
    assert.match(diff, /^\+ .*"result": "ok"/m);
    // A passing scenario stays closed.
    assert.equal(await page.locator('details.scenario.passed').first().getAttribute('open'), null);
  });

  it('shows the precise mismatches line first, above the diff, not folded away', async function () {
    const row = failedRow();
    const line = row.locator('.failure ul.mismatches li').first();
    assert.ok(await line.isVisible());
    assert.equal(await line.innerText(), 'plugindata.data.result: expected "done", got "ok"');
    const [lineBox, diffBox] = [await line.boundingBox(), await row.locator('pre.diff').boundingBox()];
    assert.ok(lineBox && diffBox && lineBox.y < diffBox.y, 'the mismatches come before the diff');
    assert.equal(await row.locator('details.full-text ul.mismatches').count(), 0);
  });

  it('draws the failing exchange between its client and Janus, the failed reply marked', async function () {
    const row = failedRow();
    assert.deepEqual(await row.locator('.lane-title').allTextContents(), ['main', 'Janus']);
    const labels = await row.locator('.msg .arrow-label .verb').allTextContents();
    for (const verb of ['create', 'success', 'attach', 'message', 'ack', 'event']) assert.ok(labels.includes(verb), `${verb} in ${labels.join(', ')}`);
    const geometry = await row.evaluate((node) => {
      const lanes = [...node.querySelectorAll('.seq-body .lifeline')].map((l) => Number(l.getAttribute('x1')));
      const arrow = (selector: string): number[] => {
        const line = node.querySelector(`${selector} .arrow-line`)!;
        return [Number(line.getAttribute('x1')), Number(line.getAttribute('x2'))];
      };
      return { lanes, out: arrow('.msg.out'), failed: arrow('.msg.failed') };
    });
    const [client, janus] = geometry.lanes as [number, number];
    assert.equal(geometry.out[0], client);
    assert.ok(Math.abs(geometry.out[1]! - janus) < 10, 'a request goes from the client to Janus');
    assert.equal(geometry.failed[0], janus);
    assert.ok(Math.abs(geometry.failed[1]! - client) < 10, 'the failed reply goes from Janus to the client');
    assert.equal(await row.locator('.msg.failed .verb').textContent(), 'event');
    assert.match(await row.locator('.message-panel').innerText(), /"result": "ok"/);
    // Selected first, with the request and ack of the same transaction beside it.
    assert.deepEqual((await row.locator('.msg.related .verb').allTextContents()).sort(), ['ack', 'message']);
  });

  it('shows the JSON of an arrow on click, embedded text intact', async function () {
    const row = page.locator('details.scenario[data-transport="ws"]', { hasText: 'two clients and the admin API' });
    await row.locator('summary').click();
    // The body is built on the details element's toggle event, just after the click.
    await row.locator('.diagram').waitFor();
    assert.deepEqual(await row.locator('.lane-title').allTextContents(), ['alice', 'bob', 'Janus', 'Janus Admin API', 'admin client']);
    await row.locator('.msg.out', { hasText: 'attach' }).click();
    const panel = await row.locator('.message-panel').innerText();
    assert.match(panel, /alice → Janus/);
    assert.match(panel, /"janus": "attach"/);
    assert.ok(panel.includes('"opaque_id": "</script><b id=injected>x</b>\u2028end"'), panel);
    assert.equal(await page.locator('#injected').count(), 0);
    await row.locator('.msg.in', { hasText: 'Admin API → admin' }).click();
    assert.match(await row.locator('.message-panel').innerText(), /Janus Admin API → admin/);
    assert.doesNotMatch(await row.locator('.message-panel').innerText(), /admin_secret": "(?!\[redacted\])/);
  });

  it('filters by status, tag, transport and text', async function () {
    const shown = async (): Promise<string[]> => (await page.locator('details.scenario:visible').evaluateAll((rows) => rows.map((r) => `${r.querySelector('.name')!.textContent} [${r.getAttribute('data-transport')}]`))).sort();
    assert.equal((await shown()).length, 6);
    await page.click('button.toggle[data-status="passed"]');
    assert.deepEqual(await shown(), ['echotest result checked against a wrong value [http]', 'echotest result checked against a wrong value [ws]', 'keepalive over WebSocket [http]']);
    await page.click('button.toggle[data-status="passed"]');
    await page.selectOption('select[name="tag"]', 'clients');
    assert.deepEqual(await shown(), ['two clients and the admin API [http]', 'two clients and the admin API [ws]']);
    await page.selectOption('select[name="transport"]', 'ws');
    assert.deepEqual(await shown(), ['two clients and the admin API [ws]']);
    await page.selectOption('select[name="tag"]', '');
    assert.deepEqual(await shown(), ['echotest result checked against a wrong value [ws]', 'keepalive over WebSocket [ws]', 'two clients and the admin API [ws]']);
    await page.selectOption('select[name="transport"]', '');
    await page.fill('input[name="search"]', 'keepalive');
    assert.deepEqual(await shown(), ['keepalive over WebSocket [http]', 'keepalive over WebSocket [ws]']);
    await page.fill('input[name="search"]', '');
    assert.equal((await shown()).length, 6);
  });

  it('opens a 500-scenario interrupted run: banner, details built on opening, long diagrams with breaks', async function () {
    const big = bulkReport(report, 500);
    const file = join(work, 'bulk.html');
    writeFileSync(file, htmlFormat.render(big));
    const bulk = await context!.newPage();
    bulk.on('pageerror', (e) => pageErrors.push(e.message));
    const t0 = Date.now();
    await bulk.goto(pathToFileURL(file).href);
    await bulk.locator('details.scenario').first().waitFor();
    console.log(`      ${big.scenarios.length} scenarios, ${Math.round(readFileSync(file).length / 1024)} KiB, drawn in ${Date.now() - t0} ms`);
    assert.match(await bulk.locator('.banner').innerText(), /interrupted/);
    assert.equal(await bulk.locator('details.scenario').count(), 500);
    const opened = big.scenarios.filter((s) => s.status === 'failed' || s.status === 'unfinished').length;
    // Open failures far down the page are built when scrolled to.
    const built = await bulk.locator('.scenario-body').count();
    assert.ok(built > 0 && built < opened, `${built} of ${opened} open scenarios built at first`);
    const last = bulk.locator('details.scenario.failed').last();
    await last.scrollIntoViewIfNeeded();
    await last.locator('.scenario-body .failure-summary').waitFor();
    assert.equal(await bulk.locator('details.scenario.unfinished[open]').count(), 1);
    const long = bulk.locator('details.scenario', { hasText: 'a long exchange' });
    await long.locator('summary').click();
    await long.locator('.diagram').waitFor();
    assert.equal(await long.locator('.msg').count(), 160);
    assert.match(await long.locator('.gap-text').first().textContent() ?? '', /^⋯ 1\.\d\d s later$/);
    await bulk.close();
  });

  it('marks a pass after failed attempts (--retries) flaky, and shows each earlier failure when opened', async function () {
    const broken = report.scenarios.find((s) => s.status === 'failed')!;
    const passed = report.scenarios.find((s) => s.status === 'passed')!;
    const flaky: ScenarioReport = { ...passed, attempts: 2, earlierFailures: [broken.failure!] };
    const file = join(work, 'flaky.html');
    writeFileSync(file, htmlFormat.render({ ...report, scenarios: [flaky, ...report.scenarios.filter((s) => s !== passed)] }));
    const retried = await context!.newPage();
    retried.on('pageerror', (e) => pageErrors.push(e.message));
    await retried.goto(pathToFileURL(file).href);
    const row = retried.locator(`details.scenario.passed[data-transport="${flaky.transport}"]`, { hasText: flaky.name }).first();
    assert.equal(await row.locator('summary .chip.flaky').innerText(), 'flaky');
    assert.equal(await retried.locator('.chip.flaky').count(), 1, 'only the retried pass is marked');
    await row.locator('summary').click();
    const earlier = row.locator('.scenario-body .failure');
    // The body is built once the opened row is near the screen.
    await earlier.first().waitFor();
    assert.equal(await earlier.count(), 1);
    assert.match(await earlier.locator('.failure-kind').innerText(), /^attempt 1 of 2 failed/i);
    assert.equal(await earlier.locator('.failure-summary').innerText(), broken.failure!.summary);
    await retried.close();
  });

  it('made no network request and raised no script error; keeps a screenshot', async function () {
    assert.deepEqual(requests.filter((u) => !/^(file|data):/.test(u)), []);
    assert.deepEqual(pageErrors, []);
    await page.evaluate(() => window.scrollTo(0, 0));
    const shot = join(work, 'html-report.png');
    await page.screenshot({ path: shot, fullPage: true });
    const failureShot = join(work, 'html-report-failure.png');
    await failedRow().screenshot({ path: failureShot });
    mkdirSync('test-output', { recursive: true });
    for (const png of [shot, failureShot]) {
      copyFileSync(png, join('test-output', basename(png)));
      console.log(`      screenshot: ${png} (kept as ${join(process.cwd(), 'test-output', basename(png))})`);
    }
  });
});

/**
 * A large run made of the real one: its scenarios copied into many files, one of them with a long
 * exchange broken by a pause, and the run interrupted while one scenario was unfinished.
 */
function bulkReport(real: RunReport, count: number): RunReport {
  const scenarios: ScenarioReport[] = [];
  for (let i = 0; scenarios.length < count; i++) {
    const source = real.scenarios[i % real.scenarios.length]!;
    const file = `bulk/${String(Math.floor(i / 6)).padStart(3, '0')}.yaml`;
    scenarios.push({ ...source, file, id: `${file}#${source.name}[${source.transport}]#${i}` });
  }
  const donor = real.scenarios.find((s) => s.status === 'passed' && s.messages.length > 0)!;
  const messages = Array.from({ length: 160 }, (_, i) => {
    const m = donor.messages[i % donor.messages.length]!;
    return { ...m, atMs: i * 5 + (i >= 80 ? 1500 : 0) };
  });
  scenarios[1] = { ...donor, id: 'bulk#long', name: 'a long exchange', title: 'a long exchange', messages };
  scenarios[2] = { ...donor, id: 'bulk#unfinished', status: 'unfinished', name: 'cut short' };
  const totals = { passed: 0, failed: 0, skipped: 0, unfinished: 0 };
  for (const s of scenarios) totals[s.status]++;
  return { ...real, interrupted: true, totals, scenarios };
}
