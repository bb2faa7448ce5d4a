import assert from 'node:assert/strict';
import { echotestJanus } from '../support/echotest-janus.js';
import { runCli, scenarioDir } from '../support/cli.js';

interface Message { client: string; direction: 'in' | 'out'; message: { janus: string; transaction?: string; session_id?: number } }
interface Report { sessionsLeft: number; scenarios: Array<{ file: string; transport: string; status: string; messages: Message[]; warnings: string[]; failure?: { summary: string; location?: string } }> }

const SHIPPED = ['scenarios/core/detach-destroy-concurrently.yaml', 'scenarios/core/concurrent-messages.yaml', 'scenarios/core/events-in-order.yaml', 'scenarios/ws/replies-in-order.yaml'];

/**
 * `concurrently:` and `order:` against a real Janus 1.1.2 over HTTP and WebSocket: requests all
 * on the wire before a reply, the races janus.js provokes cleaned up without a false failure or
 * a leftover session (echotestJanus checks the server has none after each test), and orders
 * built to fail failing with their positions.
 */
describe('concurrent requests and order assertions against a running Janus', function () {
  this.timeout(120_000);
  const { urls } = echotestJanus();
  const files = scenarioDir({
    'wrong-order.yaml': `name: the destroy's reply asserted before the detach's, sent in the other order
requires: { plugins: [janus.plugin.echotest], transports: [ws] }
steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.echotest }
  - concurrently:
      - { request: detach, save: { d: transaction } }
      - { request: destroy, save: { x: transaction } }
  - order:
      - { janus: success, transaction: "\${x}" }
      - { janus: success, transaction: "\${d}" }
`,
    'absent.yaml': `name: an order with a message that never comes
requires: { plugins: [janus.plugin.echotest] }
steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.echotest }
  - request: { janus: message, body: { audio: true } }
    expect: { janus: event }
    save: { tx: transaction }
  - order:
      - { janus: event, transaction: "\${tx}" }
      - { janus: hangup }
    within: 300ms
`,
    'inner-mismatch.yaml': `name: one of two requests sent together gets an unexpected reply
requires: { plugins: [janus.plugin.echotest] }
steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.echotest }
  - concurrently:
      - request: { janus: message, body: { audio: true } }
        expect: { janus: event, plugindata: { data: { result: ok } } }
      - request: { janus: message, body: { bitrate: wrong } }
        expect: { janus: event, plugindata: { data: { result: ok } } }
`,
    'admin-inside.yaml': `name: an admin request sent with a Janus API one
steps:
  - request: create
  - concurrently:
      - request: keepalive
      - admin: list_sessions
`,
  });
  after(() => files.remove());

  const report = (stdout: string): Report => JSON.parse(stdout) as Report;

  it('the shipped scenarios pass over http and ws, with every concurrent request sent before its reply and nothing left for cleanup', async function () {
    const run = await runCli(['run', ...SHIPPED, ...urls(), '--transport', 'http,ws', '--reporter', 'json:-']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const { scenarios, sessionsLeft } = report(run.stdout);
    assert.equal(scenarios.filter((s) => s.status === 'passed').length, 7, 'the WebSocket-only one is skipped over http');
    assert.equal(sessionsLeft, 0);
    for (const s of scenarios) assert.deepEqual(s.warnings, [], `${s.transport}: cleanup warned`);
    for (const s of scenarios.filter((x) => /detach-destroy|replies-in-order/.test(x.file) && x.status === 'passed')) {
      const out = s.messages.map((m, i) => ({ ...m, i }));
      const detach = out.find((m) => m.direction === 'out' && m.message.janus === 'detach')!;
      const destroy = out.find((m) => m.direction === 'out' && m.message.janus === 'destroy')!;
      const detachReply = out.find((m) => m.direction === 'in' && m.message.transaction === detach.message.transaction)!;
      assert.ok(destroy.i < detachReply.i, `${s.transport}: destroy was sent before the detach's reply came`);
      // The session went with the scenario's own destroy: cleanup had none to destroy.
      assert.ok(!out.some((m) => m.direction === 'out' && m.message.transaction?.startsWith('cleanup-')), `${s.transport}: cleanup sent a request`);
    }
  });

  it('an admin request inside concurrently counts: without --admin-url the scenario is skipped, saying why', async function () {
    const run = await runCli(['run', files.path('admin-inside.yaml'), ...urls().slice(0, 2), '--list']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /an admin request sent with a Janus API one \[http\] {2}\(skipped: needs the Admin API: give --admin-url\)/);
    const withAdmin = await runCli(['run', files.path('admin-inside.yaml'), ...urls(), '--transport', 'http,ws']);
    assert.equal(withAdmin.code, 0, withAdmin.stdout + withAdmin.stderr);
  });

  it('an order Janus guarantees the other way round fails, naming the line and both positions', async function () {
    const run = await runCli(['run', files.path('wrong-order.yaml'), ...urls(), '--transport', 'ws']);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /main received the message of pattern 2 \(line 11\) as #\d+, before the message of pattern 1 \(line 10\), received as #\d+/);
    assert.match(run.stdout, /wrong-order\.yaml:9:5/);
  });

  it('an order with a message that never came fails over both transports', async function () {
    const run = await runCli(['run', files.path('absent.yaml'), ...urls(), '--transport', 'http,ws']);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.equal(run.stdout.match(/received no message matching pattern 2 \(line 11\) within 300ms/g)?.length, 2, run.stdout);
  });

  it('a concurrent request whose reply does not match fails at its own line, after the other got its reply', async function () {
    const run = await runCli(['run', files.path('inner-mismatch.yaml'), ...urls(), '--transport', 'http,ws', '--reporter', 'json:-']);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const { scenarios, sessionsLeft } = report(run.stdout);
    assert.equal(sessionsLeft, 0);
    for (const s of scenarios) {
      // Its pattern names no error_code: the plugin's refusal fails it, as it would without expect.
      assert.match(s.failure!.summary, /^main message got a plugin error: 413 \(ECHOTEST_INVALID_ELEMENT\)/);
      assert.match(s.failure!.location!, /inner-mismatch\.yaml:9:9$/);
      const events = s.messages.filter((m) => m.direction === 'in' && m.message.janus === 'event');
      assert.equal(events.length, 2, `${s.transport}: both requests were answered before the verdict`);
    }
  });
});
