import assert from 'node:assert/strict';
import { loadFiles } from '../../src/compile/load-files.js';
import { runScenario } from '../../src/run/run-scenario.js';
import type { ScenarioResult } from '../../src/run/events.js';
import { knownSchema } from '../../src/schemas/catalogue.js';
import { registerBuiltinTransports } from '../../src/transports/registry.js';
import { scenarioDir } from '../support/cli.js';
import { FakeJanus } from '../support/fake-janus.js';

/** The fake answers every request `{janus: success, echo: <request>}`: `echo` passes, `pong` fails. */
describe('scenarios that go on after a mismatch (record, compare)', function () {
  let fake: FakeJanus;
  const files = scenarioDir({
    'two-mismatches.yaml': `name: two mismatching steps
steps:
  - request: { janus: ping, note: one }
    expect: { janus: pong }
  - request: { janus: ping, note: two }
    expect: { echo: { note: two } }
  - request: { janus: ping, note: three }
    expect: { echo: { note: four } }
  - request: { janus: ping, note: five }
`,
    'no-reply.yaml': `name: a request that gets no reply
steps:
  - request: { janus: ping, note: one }
    expect: { janus: pong }
  - request: { janus: ping, note: hang }
    timeout: 300ms
  - request: { janus: ping, note: after }
`,
    'unbound.yaml': `name: a value the mismatching reply could not bind
steps:
  - request: { janus: ping, note: one }
    expect: { janus: pong }
    save: { kept: echo.note, never: echo.nothing_here }
  - request: { janus: ping, note: "\${kept}" }
    expect: { echo: { note: one } }
  - request: { janus: ping, note: "\${never}" }
  - request: { janus: ping, note: after }
`,
    'waits.yaml': `name: a wait whose event says something else
steps:
  - request: create
  - wait: { janus: event, n: 5 }
    within: 300ms
  - wait: { janus: event }
    save: { n: n }
  - request: { janus: ping, note: "\${n}" }
    expect: { echo: { note: 2 } }
  - wait: { janus: hangup }
    within: 300ms
  - request: { janus: ping, note: after }
`,
  });
  before(async () => {
    fake = await FakeJanus.start();
    registerBuiltinTransports();
    // A request whose note is "hang" gets no answer; every other one is answered.
    fake.onHttpRequest = (request, f) => void (f.behaviour = request.body.includes('"hang"') ? 'hang' : 'ok');
  });
  after(async () => {
    await fake.close();
    files.remove();
  });

  async function run(file: string, continueOnMismatch: boolean | undefined): Promise<ScenarioResult> {
    const loaded = loadFiles([files.path(file)], { knownSchema });
    assert.deepEqual(loaded.diagnostics, []);
    return runScenario(loaded.scenarios[0]!, { transport: 'http', url: fake.httpUrl, tls: {}, secrets: {} }, { seed: 's', stepTimeoutMs: 2000, scenarioTimeoutMs: 20_000, schemaMode: 'off', continueOnMismatch });
  }

  const notesSent = (result: ScenarioResult): unknown[] =>
    result.transcript.filter((t) => t.direction === 'out' && typeof t.message === 'object' && (t.message as { janus?: string }).janus === 'ping').map((t) => (t.message as { note?: unknown }).note);

  it('records both mismatches and runs every later step', async function () {
    const result = await run('two-mismatches.yaml', true);
    assert.equal(result.status, 'failed');
    assert.equal(result.failure?.span?.line, 3, 'the first failure is the verdict');
    assert.equal(result.failure?.continuable, true);
    assert.deepEqual(result.laterFailures?.map((f) => f.span?.line), [7]);
    assert.match(result.laterFailures![0]!.summary, /did not match/);
    assert.deepEqual(notesSent(result), ['one', 'two', 'three', 'five']);
    // The replies of the later steps are in the transcript too.
    const replies = result.transcript.filter((t) => t.direction === 'in').map((t) => (t.message as { echo?: { note?: unknown } }).echo?.note);
    assert.deepEqual(replies, ['one', 'two', 'three', 'five']);
  });

  it('a normal run still stops at the first failure', async function () {
    for (const option of [false, undefined]) {
      const result = await run('two-mismatches.yaml', option);
      assert.equal(result.status, 'failed');
      assert.equal(result.failure?.span?.line, 3);
      assert.equal(result.laterFailures, undefined);
      assert.deepEqual(notesSent(result), ['one']);
    }
  });

  it('a request that gets no reply stops the scenario', async function () {
    const result = await run('no-reply.yaml', true);
    assert.equal(result.status, 'failed');
    assert.equal(result.failure?.span?.line, 3);
    assert.equal(result.laterFailures?.length, 1);
    assert.equal(result.laterFailures![0]!.span?.line, 5);
    assert.match(result.laterFailures![0]!.summary, /no reply to ping/);
    assert.notEqual(result.laterFailures![0]!.continuable, true);
    assert.deepEqual(notesSent(result).filter((n) => n !== undefined), ['one', 'hang'], 'the step after the missing reply never ran');
  });

  it('a mismatching reply binds what it has; a name it could not bind stops the step that needs it', async function () {
    const result = await run('unbound.yaml', true);
    assert.equal(result.failure?.span?.line, 3);
    assert.deepEqual(result.laterFailures?.map((f) => f.span?.line), [8], 'step 2 used ${kept} and passed; step 3 needs ${never}');
    assert.match(result.laterFailures![0]!.summary, /\$\{never\} has no value/);
    assert.notEqual(result.laterFailures![0]!.continuable, true);
    assert.deepEqual(notesSent(result), ['one', 'one']);
  });

  it('a schema violation in strict mode is a mismatch too: the steps after it run', async function () {
    const loaded = loadFiles([files.path('two-mismatches.yaml')], { knownSchema });
    // Every reply of the fake is a success with an `echo` field no schema knows.
    const result = await runScenario(loaded.scenarios[0]!, { transport: 'http', url: fake.httpUrl, tls: {}, secrets: {}, serverVersion: '1.1.2' }, { seed: 's', stepTimeoutMs: 2000, scenarioTimeoutMs: 20_000, schemaMode: 'strict', continueOnMismatch: true });
    assert.equal(result.status, 'failed');
    assert.deepEqual(notesSent(result), ['one', 'two', 'three', 'five']);
    assert.ok(result.laterFailures!.some((f) => f.schemaViolations !== undefined && f.continuable === true), JSON.stringify(result.laterFailures));
  });

  it('a wait takes the event of its type that said something else, and goes on; one that got nothing of its type stops', async function () {
    fake.pollReplies.push('[{"janus":"event","session_id":4242,"n":1},{"janus":"event","session_id":4242,"n":2}]');
    const result = await run('waits.yaml', true);
    assert.equal(result.failure?.span?.line, 4, 'the wait for n: 5');
    assert.equal(result.failure?.continuable, true);
    assert.deepEqual(result.laterFailures?.map((f) => f.span?.line), [10], 'the next wait got n: 2, then the wait for a hangup stopped the scenario');
    assert.notEqual(result.laterFailures![0]!.continuable, true);
    assert.deepEqual(notesSent(result), [2]);
  });
});
