import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFiles } from '../../src/compile/load-files.js';
import type { CompiledScenario } from '../../src/compile/scenario.js';
import { Arrivals } from '../../src/janus/arrivals.js';
import type { JanusClient } from '../../src/janus/client.js';
import { Mailbox } from '../../src/janus/mailbox.js';
import type { JanusMessage } from '../../src/protocol/messages.js';
import { StepFailure } from '../../src/steps/contract.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { getTransport, registerTransport } from '../../src/transports/registry.js';
import { answeringTransport } from '../support/answering-transport.js';
import { stepContext } from '../support/step-context.js';

/**
 * A pattern of a mailbox step (no_event, wait, order) naming a value no step saved: the step
 * that saves it is for other Janus versions, so the name loads but has no value at run time.
 * The step must fail saying so, whatever the client received: a pattern tried on no message
 * (an empty mailbox) or only on messages it leaves early (no `plugindata` to look into) never
 * reads the value, and no_event passed, asserting nothing.
 */
describe('a mailbox step whose pattern names a value never saved', function () {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'unsaved-values-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const SAVES_ON_OTHER_VERSIONS = '  - janus: ">=9.0.0"\n    request: info\n    save: { v: transaction }\n';

  function stepAfterSave(step: string): CompiledScenario {
    writeFileSync(join(dir, 's.yaml'), `name: x\nsteps:\n${SAVES_ON_OTHER_VERSIONS}${step}`);
    const r = loadFiles([join(dir, 's.yaml')], { cwd: dir, env: {}, knownSchema: () => false });
    assert.deepEqual(r.diagnostics, []);
    return r.scenarios[0]!;
  }

  function clientWith(...messages: JanusMessage[]): JanusClient {
    const arrivals = new Arrivals();
    const mailbox = new Mailbox();
    for (const m of messages) {
      arrivals.record(m);
      mailbox.put(m);
    }
    return { fault: undefined, arrivals, mailbox, unreachableSessions: () => [] } as unknown as JanusClient;
  }

  /** Runs the step after the (skipped) save, as the run does on a version the save is not for. */
  async function outcome(s: CompiledScenario, client: JanusClient, saved?: unknown): Promise<unknown> {
    const { ctx, values } = stepContext(s, client);
    if (saved !== undefined) values.saved.set('v', saved);
    return s.steps[1]!.execute(ctx).then(() => undefined, (e: unknown) => e);
  }

  function assertNoValue(failure: unknown): void {
    assert.ok(failure instanceof StepFailure, `the step did not fail: ${String(failure)}`);
    assert.match(failure.summary, /^\$\{v\} has no value/);
  }

  it('no_event on an empty mailbox fails', async function () {
    const s = stepAfterSave('  - no_event: { janus: event, transaction: "${v}" }\n    for: 20ms\n');
    assertNoValue(await outcome(s, clientWith()));
  });

  it('no_event fails when the messages received never reach the value', async function () {
    const s = stepAfterSave('  - no_event: { janus: event, plugindata: { data: { room: "${v}" } } }\n    for: 20ms\n');
    assertNoValue(await outcome(s, clientWith({ janus: 'event', transaction: 'a' })));
  });

  it('no_event fails when the value is in an alternative of $oneOf or under $not', async function () {
    const oneOf = stepAfterSave('  - no_event: { $oneOf: [{ janus: hangup }, { janus: event, transaction: "${v}" }] }\n    for: 20ms\n');
    assertNoValue(await outcome(oneOf, clientWith()));
    const not = stepAfterSave('  - no_event: { janus: event, transaction: { $not: "${v}" } }\n    for: 20ms\n');
    assertNoValue(await outcome(not, clientWith()));
  });

  it('wait says the value is missing, not that no message came', async function () {
    const s = stepAfterSave('  - wait: { janus: event, transaction: "${v}" }\n    within: 20ms\n');
    assertNoValue(await outcome(s, clientWith()));
  });

  it('order says the value is missing, not that no message matched', async function () {
    const s = stepAfterSave('  - order:\n      - { janus: success }\n      - { janus: event, plugindata: { data: { room: "${v}" } } }\n    within: 20ms\n');
    assertNoValue(await outcome(s, clientWith({ janus: 'success', transaction: 'a' }, { janus: 'event', transaction: 'b' })));
  });

  it('the value is read only from the branch of $janus for the server\'s version', async function () {
    const s = stepAfterSave('  - no_event: { janus: event, transaction: { $janus: { ">=9.0.0": "${v}", "<9.0.0": nothing } } }\n    for: 20ms\n');
    const { ctx } = stepContext(s, clientWith());
    const rt = ctx.matchRuntime;
    ctx.matchRuntime = (actor) => ({ ...rt(actor), serverVersion: '1.1.2' });
    assert.equal(await s.steps[1]!.execute(ctx).then(() => undefined, (e: unknown) => e), undefined);
  });

  /** Runs a whole scenario on Janus 1.1.2 through a transport that answers every request. */
  function runOn112(s: CompiledScenario) {
    const ANSWERING = 'unsaved-values-answering';
    if (!getTransport(ANSWERING)) registerTransport(answeringTransport(ANSWERING, 'later'));
    const target = { transport: ANSWERING, url: `${ANSWERING}://x`, tls: {}, secrets: {}, serverVersion: '1.1.2' };
    return runScenario(s, target, { seed: 's', stepTimeoutMs: 5000, scenarioTimeoutMs: 60_000 });
  }

  it("a request's expect fails when the reply matched without reading the value ($oneOf, $not)", async function () {
    for (const expect of ['{ $oneOf: [{ janus: success }, { janus: event, transaction: "${v}" }] }', '{ janus: success, plugindata: { $not: { data: { room: "${v}" } } } }']) {
      const result = await runOn112(stepAfterSave(`  - request: create\n    expect: ${expect}\n`));
      assert.equal(result.status, 'failed', expect);
      assert.match(result.failure?.summary ?? '', /\$\{v\} has no value/, expect);
    }
    const saved = stepAfterSave('  - request: create\n    save: { w: data.id }\n  - request: create\n    expect: { $oneOf: [{ janus: success }, { janus: event, transaction: "${w}" }] }\n');
    assert.equal((await runOn112(saved)).status, 'passed', 'a value that is there passes as before');
  });

  it('a $janus with no pattern for the server\'s version fails the step, also where its mismatch would not count', async function () {
    const on112 = (s: CompiledScenario, client: JanusClient): Promise<unknown> => {
      const { ctx } = stepContext(s, client);
      const rt = ctx.matchRuntime;
      ctx.matchRuntime = (actor) => ({ ...rt(actor), serverVersion: '1.1.2' });
      return s.steps[1]!.execute(ctx).then(() => undefined, (e: unknown) => e);
    };
    const assertUncovered = (failure: unknown, what: string): void => {
      assert.ok(failure instanceof StepFailure, `${what}: the step did not fail: ${String(failure)}`);
      assert.match(failure.summary, /says nothing for this server: \$janus expects a value for Janus >=1\.3\.0; none covers 1\.1\.2/, what);
    };
    // No message to compare: the no_event would check nothing on 1.1.2.
    const noEvent = stepAfterSave('  - no_event: { janus: event, plugindata: { data: { result: { $janus: { ">=1.3.0": ok } } } } }\n    for: 20ms\n');
    assertUncovered(await on112(noEvent, clientWith()), 'no_event on an empty mailbox');
    // Under $not the mismatch "no version covers 1.1.2" turned into a match.
    const denied = stepAfterSave('  - wait: { janus: event, transaction: { $not: { $janus: { ">=1.3.0": x } } } }\n    within: 20ms\n');
    assertUncovered(await on112(denied, clientWith({ janus: 'event', transaction: 'a' })), 'wait with $not');
    for (const expect of ['{ janus: success, data: { $not: { $janus: { ">=1.3.0": { id: 1 } } } } }', '{ $oneOf: [{ janus: success }, { $janus: { ">=1.3.0": { janus: event } } }] }']) {
      const result = await runOn112(stepAfterSave(`  - request: create\n    expect: ${expect}\n`));
      assert.equal(result.status, 'failed', expect);
      assert.match(result.failure?.summary ?? '', /none covers 1\.1\.2/, expect);
    }
    const covered = stepAfterSave('  - request: create\n    expect: { janus: success, data: { $not: { $janus: { ">=1.3.0": { id: 1 }, "<1.3.0": { id: 2 } } } } }\n');
    assert.equal((await runOn112(covered)).status, 'passed', 'a $janus covering the version passes as before');
  });

  it('with the value saved, each passes as before', async function () {
    const noEvent = stepAfterSave('  - no_event: { janus: event, transaction: "${v}" }\n    for: 20ms\n');
    assert.equal(await outcome(noEvent, clientWith({ janus: 'event', transaction: 'other' }), 'mine'), undefined);
    const wait = stepAfterSave('  - wait: { janus: event, transaction: "${v}" }\n    within: 20ms\n');
    assert.equal(await outcome(wait, clientWith({ janus: 'event', transaction: 'mine' }), 'mine'), undefined);
  });
});
