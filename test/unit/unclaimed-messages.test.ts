import assert from 'node:assert/strict';
import { JanusClient } from '../../src/janus/client.js';
import { Mailbox } from '../../src/janus/mailbox.js';
import { loadFiles } from '../../src/compile/load-files.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { knownSchema } from '../../src/schemas/catalogue.js';
import type { TransportFault } from '../../src/transports/contract.js';
import { scenarioDir } from '../support/cli.js';
import { FLOOD_BURST, useFakeJanus } from '../support/fake-janus.js';
import { transport, until } from '../support/transports.js';

/**
 * What the server sends that no request can take: a second answer to a request already answered
 * is the server's mistake (exit 3), never an event a later `wait` may take; events no step takes
 * are kept up to a limit, past which the server floods, and the scenario ends at once.
 */
describe('messages no request or step takes', function () {
  // The watchdog of the floods: their scenarios sleep 25 s, which the flood must cut short.
  this.timeout(20_000);
  const files = scenarioDir({
    // Before the fix, the wait took the second copy of create's reply, and the scenario passed.
    'twice.yaml': 'name: a reply twice\nkeepalive: false\nsteps:\n  - request: create\n  - wait: { janus: success }\n    within: 15s\n',
    'flood.yaml': 'name: a flood\nkeepalive: false\nsteps:\n  - request: create\n  - sleep: 25s\n',
  });
  const fake = useFakeJanus(files);
  afterEach(() => {
    fake().behaviour = 'ok';
    fake().floodOf = 'events';
    fake().pollReplies.length = 0;
  });

  const urlOf = (t: 'http' | 'ws'): string => (t === 'http' ? fake().httpUrl : fake().wsUrl);

  async function run(file: string, transportName: 'http' | 'ws') {
    const loaded = loadFiles([files.path(file)], { knownSchema });
    assert.deepEqual(loaded.diagnostics, []);
    return runScenario(loaded.scenarios[0]!, { transport: transportName, url: urlOf(transportName), tls: {}, secrets: {} }, { seed: 's', stepTimeoutMs: 5000, scenarioTimeoutMs: 60_000, schemaMode: 'strict' });
  }

  for (const t of ['ws', 'http'] as const) {
    it(`${t}: a reply sent twice is a server problem, not a reply for a later wait; cleanup still destroys`, async () => {
      fake().behaviour = 'twice';
      const result = await run('twice.yaml', t);
      assert.equal(result.status, 'failed');
      assert.equal(result.failure?.kind, 'infrastructure', JSON.stringify(result.failure));
      assert.match(result.failure!.summary, /^client main: a reply that could not be correlated came: a second "success" for create \(transaction \w+\), which was answered already$/);
      assert.deepEqual(result.sessionsLeft, []);
      assert.deepEqual(result.destroyedSessions, [4242]);
    });

    it(`${t}: a flood of events no step takes ends the scenario at the limit, and nothing more is read`, async () => {
      fake().behaviour = 'flood';
      const result = await run('flood.yaml', t);
      assert.equal(result.status, 'failed');
      assert.equal(result.failure?.kind, 'infrastructure', JSON.stringify(result.failure));
      assert.equal(result.failure!.summary, 'client main: the server sent more than 10000 messages that no step took, the most a client keeps: it is no longer read');
      assert.equal(result.failure!.stepTitle, 'sleep 25000ms');
      // The limit's messages, the create and the cleanup: what came after the limit was not kept.
      assert.ok(result.transcript.length < 10_000 + FLOOD_BURST, `${result.transcript.length} messages in the transcript`);
    });
  }

  for (const t of ['ws', 'http'] as const) {
    it(`${t}: late acks count toward the limit too: the records keep them, though no step can take them`, async () => {
      fake().behaviour = 'flood';
      fake().floodOf = 'acks';
      const result = await run('flood.yaml', t);
      assert.equal(result.failure?.kind, 'infrastructure', JSON.stringify(result.failure));
      assert.equal(result.failure!.summary, 'client main: the server sent more than 10000 messages that no step took, the most a client keeps: it is no longer read');
      assert.ok(result.transcript.length < 10_000 + FLOOD_BURST, `${result.transcript.length} messages in the transcript`);
    });
  }

  for (const t of ['ws', 'http'] as const) {
    it(`${t}: the limit counts the bytes the transport read, not only the messages`, async () => {
      fake().behaviour = 'flood';
      const faults: TransportFault[] = [];
      const client = await JanusClient.connect(transport(t), { url: urlOf(t), api: 'janus', tls: {}, connectTimeoutMs: 3000 }, {
        api: 'janus',
        nextTransaction: () => 'k',
        pollAuth: {},
        onFault: (f) => faults.push(f),
        mailboxLimits: { messages: 1_000_000, bytes: 64 * 1024 },
      });
      try {
        await client.request({ janus: 'create', transaction: 'c' }, {}, 'final', 5000);
        void client.mailbox;
        await until('the flood to fail the connection', () => faults.length > 0, 15_000);
        assert.equal(faults[0]!.message, 'the server sent more than 64 KiB of messages that no step took, the most a client keeps: it is no longer read');
        assert.ok(client.mailbox.leftovers().length < 64 * 1024 / 100, `${client.mailbox.leftovers().length} messages kept`);
      } finally {
        await client.close((sessionId) => ({ janus: 'destroy', session_id: sessionId, transaction: 'd' }), 2000);
      }
    });
  }
});

describe('mailbox limits', () => {
  const event = (n: number) => ({ janus: 'event', n });

  it('are exceeded past the number of messages or their bytes, and what a step takes no longer counts', async () => {
    const box = new Mailbox({ messages: 3, bytes: 100 });
    for (let n = 0; n < 3; n++) box.put(event(n), 30);
    assert.equal(box.overLimit(), undefined);
    box.put(event(3), 5);
    assert.equal(box.overLimit(), 'more than 3 messages');
    assert.deepEqual(await box.take((m) => m.n === 1, 0), event(1));
    assert.equal(box.overLimit(), undefined);
    await box.take((m) => m.n === 2, 0);
    box.put(event(4), 70);
    assert.equal(box.overLimit(), 'more than 100 bytes of messages');
    await box.take((m) => m.n === 0, 0);
    assert.equal(box.overLimit(), undefined);
  });

  it('count for good the messages passed by: kept in the records, never stored, never taken', () => {
    const box = new Mailbox({ messages: 2, bytes: 100 });
    box.passedBy(10);
    box.put(event(0), 10);
    assert.equal(box.overLimit(), undefined);
    box.passedBy(90);
    assert.equal(box.overLimit(), 'more than 2 messages');
    assert.deepEqual(box.leftovers(), [event(0)]);
  });

  it('count a message a waiting step takes at once not at all', async () => {
    const box = new Mailbox({ messages: 1, bytes: 10 });
    const taken = box.take((m) => m.n === 0, 5000);
    box.put(event(0), 1000);
    assert.deepEqual(await taken, event(0));
    assert.equal(box.overLimit(), undefined);
  });
});
