import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFiles } from '../../src/compile/load-files.js';
import type { JanusMessage } from '../../src/protocol/messages.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { CHECK_BATCH, SchemaChecks } from '../../src/run/schema-checks.js';
import { MessageChecker } from '../../src/schemas/checker.js';
import type { ScenarioResult } from '../../src/run/events.js';
import { getTransport, registerTransport } from '../../src/transports/registry.js';
import { answeringTransport } from '../support/answering-transport.js';

/**
 * Schema checks run in batches, off the path from a reply to the next request, in the order the
 * messages went and came: a reply checked before its request would be checked against nothing,
 * a false pass. A violation fails the step its message belongs to, however soon the reply
 * comes, and the scenario stops at most a batch of messages later.
 */

describe('schema checks of requests sent and replies received', function () {
  this.timeout(20_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'janus-scenarios-check-order-'));
    for (const when of ['inside-send', 'later'] as const) {
      if (!getTransport(`order-${when}`)) registerTransport(answeringTransport(`order-${when}`, when));
      if (!getTransport(`badreply-${when}`)) registerTransport(answeringTransport(`badreply-${when}`, when, { id: 'seven' }));
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function run(steps: string, transport: string): Promise<ScenarioResult> {
    const file = join(dir, `${transport}.yaml`);
    writeFileSync(file, `name: order\nsteps:\n${steps}`);
    const loaded = loadFiles([file], { cwd: dir });
    assert.deepEqual(loaded.diagnostics, []);
    return runScenario(loaded.scenarios[0]!, { transport, url: `${transport}://x`, tls: {}, secrets: {} }, { seed: 's', stepTimeoutMs: 5000, scenarioTimeoutMs: 10_000, schemaMode: 'strict' });
  }

  /**
   * `creates` create steps over a transport answering on a later callback, logging each request
   * sent ('send'), each reply given ('reply') and each message found valid ('check'), in order.
   */
  async function logged(creates: number): Promise<string[]> {
    const log: string[] = [];
    const name = `order-logged-${creates}`;
    const inner = answeringTransport(name, 'later');
    registerTransport({
      ...inner,
      async connect(options, sink) {
        const connection = await inner.connect(options, { ...sink, message: (m: JanusMessage) => (log.push('reply'), sink.message(m)) });
        return { ...connection, send: (payload, route, signal) => (log.push('send'), connection.send(payload, route, signal)) };
      },
    });
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, `name: logged\nsteps:\n${'  - request: create\n'.repeat(creates)}`);
    const loaded = loadFiles([file], { cwd: dir });
    const result = await runScenario(loaded.scenarios[0]!, { transport: name, url: `${name}://x`, tls: {}, secrets: {} }, { seed: 's', stepTimeoutMs: 5000, scenarioTimeoutMs: 10_000, schemaMode: 'strict', onSchemaValid: () => log.push('check') });
    assert.equal(result.status, 'passed', result.failure?.summary);
    return log;
  }

  it('a batch filled by a reply runs after the next request is on its way', async () => {
    const log = await logged(CHECK_BATCH);
    // Two messages a step: the reply of step CHECK_BATCH / 2 fills the batch; the next step's
    // request goes first. (A machine slow enough for the batch's time limit to come first runs
    // the checks earlier, still never between a reply and the request after it.)
    const sends = log.slice(0, log.indexOf('check')).filter((l) => l === 'send').length;
    assert.ok(sends === CHECK_BATCH / 2 + 1 || log.indexOf('check') < 2 * CHECK_BATCH - 1, `requests sent before the first check: ${sends}`);
    assert.deepEqual(afterReplies(log.slice(0, nthIndex(log, 'reply', CHECK_BATCH))), [], 'no check between a reply and the next request');
  });

  it('the messages before the last step are checked while its request waits for the server, not after its reply', async () => {
    const log = await logged(3);
    // The two steps before the last (four messages) and the last request, checked between that
    // request and its reply (or earlier, on a machine slow enough for the batch's time limit to
    // come first), never between a reply and the request after it.
    const lastReply = nthIndex(log, 'reply', 3);
    assert.equal(log.slice(0, lastReply).filter((l) => l === 'check').length, 5, log.join(' '));
    assert.deepEqual(afterReplies(log.slice(0, lastReply)), [], log.join(' '));
    assert.equal(log.filter((l) => l === 'check').length, 7, 'every message checked: six of the steps, and the destroy of cleanup (its answer here is off schema: a warning)');
  });

  for (const when of ['inside-send', 'later'] as const) {
    it(`a request with an unknown field fails its step, the reply coming ${when}`, async () => {
      const result = await run(`  - request: { janus: create, surprise: 1 }\n${'  - request: create\n'.repeat(CHECK_BATCH)}`, `order-${when}`);
      assert.equal(result.status, 'failed');
      assert.equal(result.failure?.span?.line, 3, 'the first step');
      assert.match(result.failure!.summary, /schema core\/request\/create: \/surprise: unknown field/);
      assert.equal(result.laterFailures, undefined, 'one failure, the first step\'s');
      const creates = result.transcript.filter((t) => t.direction === 'out' && (t.message as JanusMessage).janus === 'create').length;
      // Each step is two messages: the batch that holds the bad request is full a few steps
      // later, and runs at the latest one step after that (the next request goes first).
      assert.ok(creates <= 3 + CHECK_BATCH / 2, `the steps stop within a batch of messages and a step (${creates} creates sent of ${CHECK_BATCH + 1})`);
    });

    it(`a request without one passes, the reply coming ${when}`, async () => {
      const result = await run('  - request: create\n  - request: create\n', `order-${when}`);
      assert.equal(result.status, 'passed', result.failure?.summary);
    });

    it(`a reply off its schema fails its step, coming ${when}`, async () => {
      const result = await run('  - request: create\n  - request: create\n', `badreply-${when}`);
      assert.equal(result.status, 'failed');
      assert.equal(result.failure?.span?.line, 3, 'the first step');
      assert.match(result.failure!.summary, /schema core\/success\/create: \/data\/id/);
    });

    it(`a reply off its schema fails its step before the next step's own failure, coming ${when}`, async () => {
      const result = await run('  - request: create\n  - request: create\n    expect: { janus: error }\n', `badreply-${when}`);
      assert.equal(result.failure?.span?.line, 3, 'the first step, whose reply came first');
      assert.match(result.failure!.summary, /schema core\/success\/create/);
      assert.deepEqual(result.laterFailures?.map((f) => f.span?.line), [4], 'then the second step\'s mismatch');
    });

    it(`the last step's reply off its schema fails the last step, coming ${when}`, async () => {
      const result = await run('  - request: create\n', `badreply-${when}`);
      assert.equal(result.status, 'failed');
      assert.equal(result.failure?.span?.line, 3);
      assert.match(result.failure!.summary, /schema core\/success\/create/);
    });
  }
});

/** Where the nth (from 1) `entry` is in the log. */
function nthIndex(log: string[], entry: string, n: number): number {
  let at = -1;
  for (let i = 0; i < n; i++) at = log.indexOf(entry, at + 1);
  return at;
}

/** The places in a log where a check ran right after a reply, before the next request went out. */
function afterReplies(log: string[]): number[] {
  const sendsLeft = (i: number): boolean => log.indexOf('send', i) >= 0;
  return log.flatMap((l, i) => (l === 'check' && log[i - 1] === 'reply' && sendsLeft(i) ? [i] : []));
}

describe('the step a request\'s violation belongs to', function () {
  it('is the step that sent the request, though the reply that counts it comes during a later step', function () {
    const checks = new SchemaChecks(new MessageChecker('1.1.2'));
    const route = { sessionId: 5, handleId: 77 };
    checks.add(0, 'out', 'janus', { janus: 'attach', plugin: 'janus.plugin.echotest', transaction: 'a1' }, { sessionId: 5 });
    checks.add(0, 'in', 'janus', { janus: 'success', session_id: 5, transaction: 'a1', data: { id: 77 } }, undefined);
    // Step 1 sends a message with a field the catalogue does not know and ends at its ack...
    checks.add(1, 'out', 'janus', { janus: 'message', body: { audio: true, zzz: 1 }, transaction: 'm1' }, route);
    checks.add(1, 'in', 'janus', { janus: 'ack', session_id: 5, transaction: 'm1' }, undefined);
    // ...and the event that says the plugin accepted it comes while step 2 waits (over HTTP, by long-poll).
    checks.add(2, 'in', 'janus', { janus: 'event', session_id: 5, sender: 77, transaction: 'm1', plugindata: { plugin: 'janus.plugin.echotest', data: { echotest: 'event', result: 'ok' } } }, undefined);
    const found = checks.take(true);
    assert.deepEqual(found.map(({ step, violation }) => [step, violation.schema, violation.pointer]), [[1, 'echotest/request/message', '/body/zzz']]);
  });
});
