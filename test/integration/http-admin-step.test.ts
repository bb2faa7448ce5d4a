import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startJanus, type ManagedJanus } from '../../src/managed/index.js';
import { runCli, scenarioDir, tmpdirPerTest } from '../support/cli.js';

/** GET /admin/ping on Janus 1.1.2: no payload, so 454 (the shipped scenario states what 1.2.2+ does). */
const PING_112 = `name: admin ping over GET
requires: { transports: [http] }
steps:
  - http: { api: admin, path: /ping }
    expect: { status: 200, body: { $exact: { janus: error, error: { code: INVALID_JSON, reason: Request payload missing } } } }
`;

/** What 1.1.2 does not do: must fail there. */
const PONG = `name: admin ping answers pong
requires: { transports: [http] }
steps:
  - http: { api: admin, path: /ping }
    expect: { status: 200, body: { janus: pong } }
`;

/**
 * `http: { api: admin }` sends its request below the Admin API URL: it runs against the real
 * Admin API of Janus 1.1.2, its messages are in the transcript as Admin API traffic, a scenario
 * with one needs an Admin API address like one with an `admin:` step, and a WebSocket Admin API
 * URL is a clear failure, not a request to the wrong place.
 */
describe('http steps to the Admin API', function () {
  this.timeout(120_000);
  const tmp = tmpdirPerTest();
  const files = scenarioDir({ 'ping.yaml': PING_112, 'pong.yaml': PONG });
  let janus: ManagedJanus;
  before(async () => {
    janus = await startJanus({ plugins: ['janus.plugin.echotest'], transports: ['http', 'ws'], config: {} });
  });
  after(async () => {
    await janus?.stop();
    files.remove();
  });

  it('goes to the Admin API URL and is in the transcript as Admin API traffic', async function () {
    const json = files.path('report.json');
    const run = await runCli(['run', files.path('ping.yaml'), '--url', janus.endpoints.http!, '--admin-url', janus.endpoints.adminHttp!, '--admin-secret', janus.adminSecret, '--reporter', `json:${json}`], { env: tmp.env() });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { scenarios: Array<{ messages: Array<{ api: string; direction: string; http?: { path?: string } }> }> };
    const messages = report.scenarios[0]!.messages;
    assert.deepEqual(messages.map((m) => [m.api, m.direction]), [['admin', 'out'], ['admin', 'in']]);
    assert.equal(messages[0]!.http?.path, new URL(janus.endpoints.adminHttp!).pathname.replace(/\/$/, '') + '/ping');
  });

  it('a reply that does not match fails the scenario (exit 1)', async function () {
    const run = await runCli(['run', files.path('pong.yaml'), '--url', janus.endpoints.http!, '--admin-url', janus.endpoints.adminHttp!, '--admin-secret', janus.adminSecret], { env: tmp.env() });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /did not match/);
  });

  it('without an Admin API address the scenario is skipped, saying why', async function () {
    const run = await runCli(['run', files.path('ping.yaml'), '--url', janus.endpoints.http!], { env: tmp.env() });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /admin ping over GET \[http\] skipped: needs the Admin API: give --admin-url/);
  });

  it('a WebSocket Admin API URL is a clear failure', async function () {
    const run = await runCli(['run', files.path('ping.yaml'), '--url', janus.endpoints.http!, '--admin-url', janus.endpoints.adminWs!, '--admin-secret', janus.adminSecret], { env: tmp.env() });
    assert.notEqual(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout + run.stderr, /needs an HTTP Admin API URL, not ws:/);
  });
});
