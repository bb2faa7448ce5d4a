import assert from 'node:assert/strict';
import { Mailbox } from '../../src/janus/mailbox.js';
import { expectsAck } from '../../src/match/admits.js';
import { MessageChecker } from '../../src/schemas/checker.js';
import { StepFailure } from '../../src/steps/contract.js';

const ECHO = 'janus.plugin.echotest';

describe('where a request step ends (the pattern decides)', function () {
  const ackPatterns: unknown[] = [
    { janus: 'ack' },
    { $exact: { janus: 'ack', session_id: '${session}', transaction: '${transaction}' } },
    { $exact: { janus: 'ack' } },
    { janus: { $oneOf: ['ack'] } },
    { janus: { $oneOf: ['ack', 'success'] } },
    { $oneOf: [{ janus: 'ack' }, { janus: 'success' }] },
    { $oneOf: [{ $exact: { janus: 'ack' } }, { janus: 'error' }] },
    { janus: { $regex: '^ack$' } },
    { janus: { $not: 'event' } },
    { janus: { $oneOf: [{ $regex: '^a' }, 'error'] } },
  ];
  const finalPatterns: unknown[] = [
    undefined,
    {},
    { janus: 'event' },
    { janus: 'success' },
    { janus: '$string' },
    { janus: '$any' },
    { janus: { $oneOf: ['ack', 'event'] } },
    { $oneOf: [{ janus: 'ack' }, { janus: 'event' }] },
    { $oneOf: [{ janus: 'ack' }, { plugindata: '$object' }] },
    { $exact: { janus: 'event' } },
    { janus: '${verb}' },
    { janus: { $not: 'ack' } },
    { $not: { janus: 'event' } },
    { janus: '$absent' },
    { janus: '$$ack' },
    { $$janus: 'ack' },
    'ack',
  ];
  for (const p of ackPatterns) it(`ends at the ack: ${JSON.stringify(p)}`, () => assert.equal(expectsAck(p), true));
  for (const p of finalPatterns) it(`waits for the final reply: ${JSON.stringify(p)}`, () => assert.equal(expectsAck(p), false));

  it('a pattern key janus read off the prototype does not count', function () {
    assert.equal(expectsAck(JSON.parse('{"__proto__": {"janus": "ack"}}')), false);
  });
});

describe('mailbox: a predicate that throws', function () {
  const boom = new StepFailure('assertion', '${other.session} has no value');
  const throwing = (): boolean => {
    throw boom;
  };

  it('ends the waiting take with its error instead of throwing into the transport', async function () {
    const box = new Mailbox();
    const waiting = box.take(throwing, 60_000);
    assert.doesNotThrow(() => box.put({ janus: 'event' }));
    await assert.rejects(waiting, (e: unknown) => e === boom);
    assert.deepEqual(box.leftovers(), [{ janus: 'event' }], 'the message is kept for later steps');
    // The next message reaches the other waiters; the failed one is gone.
    const next = box.take((m) => m.janus === 'event', 60_000);
    assert.deepEqual(await next, { janus: 'event' });
  });

  it('other waiters still get the message', async function () {
    const box = new Mailbox();
    const failing = box.take(throwing, 60_000);
    const fine = box.take((m) => m.janus === 'webrtcup', 60_000);
    box.put({ janus: 'webrtcup' });
    await assert.rejects(failing, (e: unknown) => e === boom);
    assert.deepEqual(await fine, { janus: 'webrtcup' });
    assert.deepEqual(box.leftovers(), []);
  });

  it('rejects when a stored message is looked at by a predicate that throws', async function () {
    const box = new Mailbox();
    box.put({ janus: 'event' });
    await assert.rejects(box.take(throwing, 60_000), (e: unknown) => e === boom);
  });
});

describe('schema checker: raw requests', function () {
  function attached(): MessageChecker {
    const c = new MessageChecker('1.1.2');
    c.outgoing('janus', { janus: 'attach', plugin: ECHO, transaction: 'a1' }, { sessionId: 5 });
    c.incoming('janus', { janus: 'success', session_id: 5, transaction: 'a1', data: { id: 77 } });
    return c;
  }

  it('knows the verb, plugin and transaction of raw text that parses', function () {
    const c = attached();
    c.outgoing('janus', '{"janus":"message","body":{"audio":true},"transaction":"raw-1"}', { sessionId: 5, handleId: 77 });
    const event = { janus: 'event', session_id: 5, sender: 77, transaction: 'raw-1', plugindata: { plugin: ECHO, data: { echotest: 'event', result: 'ok' } } };
    assert.deepEqual(c.incoming('janus', event), []);
  });

  it('raw text that carries its handle in the body is checked against that handle\'s plugin', function () {
    const c = attached();
    c.outgoing('janus', '{"janus":"message","body":{"audio":true},"transaction":"raw-2","session_id":5,"handle_id":77}', { sessionId: 5 });
    const event = { janus: 'event', session_id: 5, sender: 77, transaction: 'raw-2', plugindata: { plugin: ECHO, data: { echotest: 'event', result: 'ok' } } };
    assert.deepEqual(c.incoming('janus', event), []);
  });

  it('a wrong reply to a raw request is still a violation', function () {
    const c = attached();
    c.outgoing('janus', '{"janus":"message","body":{"audio":true},"transaction":"raw-3"}', { sessionId: 5, handleId: 77 });
    const event = { janus: 'event', session_id: 5, sender: 77, transaction: 'raw-3', plugindata: { plugin: ECHO, data: { echotest: 'event', result: 5 } } };
    assert.notDeepEqual(c.incoming('janus', event), []);
  });

  it('raw text that is not a JSON object is no request; its replies are judged as before', function () {
    const c = attached();
    for (const text of ['not json', '[1,2]', '"x"', 'null']) assert.doesNotThrow(() => c.outgoing('janus', text, { sessionId: 5 }));
  });
});
