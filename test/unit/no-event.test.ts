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
import { stepContext } from '../support/step-context.js';

/** A client that receives as the real one does: every message is recorded, then left in the mailbox. */
function receivingClient(): { client: JanusClient; receive(msg: JanusMessage): void } {
  const arrivals = new Arrivals();
  const mailbox = new Mailbox();
  const client = { fault: undefined, arrivals, mailbox, unreachableSessions: () => [] } as unknown as JanusClient;
  return {
    client,
    receive(msg) {
      arrivals.record(msg);
      mailbox.put(msg);
    },
  };
}

describe('no_event: what its failure says', function () {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'no-event-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function scenario(text: string): CompiledScenario {
    writeFileSync(join(dir, 's.yaml'), text);
    const r = loadFiles([join(dir, 's.yaml')], { cwd: dir, env: {}, knownSchema: () => false });
    assert.deepEqual(r.diagnostics, []);
    return r.scenarios[0]!;
  }

  async function failureOf(s: CompiledScenario, client: JanusClient): Promise<StepFailure> {
    const failure = await s.steps.at(-1)!.execute(stepContext(s, client).ctx).then(() => undefined, (e: unknown) => e);
    assert.ok(failure instanceof StepFailure, String(failure));
    return failure;
  }

  it('a message in the mailbox before the step was already there, at its place among those received (not "arrived within")', async function () {
    const s = scenario('name: x\nsteps:\n  - request: ping\n  - no_event: { janus: hangup }\n    for: 50ms\n');
    const { client, receive } = receivingClient();
    receive({ janus: 'success', transaction: 'a' });
    receive({ janus: 'event', transaction: 'b' });
    receive({ janus: 'hangup', reason: 'gone' });
    const failure = await failureOf(s, client);
    assert.equal(failure.summary, 'a message matching the pattern was already in the mailbox when the step began (received as #3 of the messages main received)');
    assert.deepEqual(failure.details.actual, { janus: 'hangup', reason: 'gone' });
  });

  it('a message that comes during the window arrived within it', async function () {
    const s = scenario('name: x\nsteps:\n  - request: ping\n  - no_event: { janus: hangup }\n    for: 200ms\n');
    const { client, receive } = receivingClient();
    receive({ janus: 'event', transaction: 'b' });
    // The hangup comes once the step has looked at the mailbox, while it watches.
    const look = client.mailbox.peek.bind(client.mailbox);
    let looked = false;
    client.mailbox.peek = (accepts) => {
      const found = look(accepts);
      if (!looked) setImmediate(() => receive({ janus: 'hangup', reason: 'gone' }));
      looked = true;
      return found;
    };
    assert.equal((await failureOf(s, client)).summary, 'a message matching the pattern arrived within 200ms');
  });
});

describe('no_event: a connection that receives nothing checks nothing', function () {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'no-event-closed-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function noEventScenario(): CompiledScenario {
    writeFileSync(join(dir, 's.yaml'), 'name: x\nsteps:\n  - request: ping\n  - no_event: {}\n    for: 30ms\n');
    const r = loadFiles([join(dir, 's.yaml')], { cwd: dir, env: {}, knownSchema: () => false });
    assert.deepEqual(r.diagnostics, []);
    return r.scenarios[0]!;
  }

  async function failureOf(s: CompiledScenario, client: JanusClient): Promise<unknown> {
    return s.steps.at(-1)!.execute(stepContext(s, client).ctx).then(() => undefined, (e: unknown) => e);
  }

  it('fails on a connection closed before the step, naming who closed it', async function () {
    const s = noEventScenario();
    const client = { fault: undefined, arrivals: new Arrivals(), mailbox: new Mailbox(), closed: { by: 'client', code: 1000 } } as unknown as JanusClient;
    const failure = await failureOf(s, client);
    assert.ok(failure instanceof StepFailure, 'a no_event on a closed connection passed');
    assert.equal(failure.kind, 'assertion');
    assert.match(failure.summary, /^client main's connection is closed by the client \(code 1000\): no message could reach it/);
    assert.equal(failure.details.ownMistake, true, 'a close of the scenario\'s own is its mistake, which no known_bug takes for the bug');
  });

  it('fails on a connection closed during its window', async function () {
    const s = noEventScenario();
    const mailbox = new Mailbox();
    const client = { fault: undefined, arrivals: new Arrivals(), mailbox, closed: undefined, unreachableSessions: () => [] } as unknown as JanusClient;
    const look = mailbox.peek.bind(mailbox);
    mailbox.peek = (accepts) => {
      setImmediate(() => Object.assign(client, { closed: { by: 'server', code: 1001 } }));
      return look(accepts);
    };
    const failure = await failureOf(s, client);
    assert.ok(failure instanceof StepFailure, 'a no_event whose connection closed while it watched passed');
    assert.match(failure.summary, /^client main's connection was closed by the server \(code 1001\) during the 30ms window/);
    assert.equal(failure.details.ownMistake, false, 'a server\'s close is the server\'s doing: a bug may show so');
  });

  it('passes on an open connection that receives nothing', async function () {
    const s = noEventScenario();
    const client = { fault: undefined, arrivals: new Arrivals(), mailbox: new Mailbox(), unreachableSessions: () => [] } as unknown as JanusClient;
    assert.equal(await failureOf(s, client), undefined);
  });
});
