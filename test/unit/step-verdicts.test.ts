import assert from 'node:assert/strict';
import { Mailbox } from '../../src/janus/mailbox.js';
import { compileString } from '../../src/compile/template.js';
import { requestEnding } from '../../src/match/admits.js';
import { createPatternCompiler } from '../../src/match/compile-pattern.js';
import type { Matcher, MatchRuntime } from '../../src/match/contract.js';
import { MessageChecker } from '../../src/schemas/checker.js';
import { StepFailure } from '../../src/steps/contract.js';

const ECHO = 'janus.plugin.echotest';

/** Where a request with this `expect` ends, compiled as a step compiles it, with the run's values and server version. */
function ending(pattern: unknown, run: { values?: Record<string, unknown>; serverVersion?: string } = {}) {
  const parts = new Map<string, Matcher>();
  const compiler = createPatternCompiler((s, path) => (s.includes('${') ? compileString(s, path, () => true) : undefined), () => {}, () => true);
  if (pattern !== undefined) compiler.compileWatched(pattern, ['expect'], false, (path, m) => parts.set(JSON.stringify(path), m));
  const decided = requestEnding(pattern, ['expect'], (path) => parts.get(JSON.stringify(path)));
  const values = run.values ?? {};
  const rt: MatchRuntime = { resolve: (t) => t({ lookup: (ref) => values[ref] }), validateSchema: () => undefined, serverVersion: run.serverVersion };
  return { atLoad: typeof decided !== 'function', ...(typeof decided === 'function' ? decided(rt) : decided) };
}

function expectsAck(pattern: unknown, run?: { values?: Record<string, unknown>; serverVersion?: string }): boolean {
  return ending(pattern, run).untilAck;
}

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
    { janus: { $janus: { '>=1.0.0': 'ack' } } },
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

  it('a pattern written plainly is decided when the scenario loads', function () {
    assert.equal(ending({ janus: 'ack' }).atLoad, true);
    assert.equal(ending({ janus: { $not: 'event' } }).atLoad, true);
    assert.equal(ending({ janus: 'event' }).atLoad, true);
  });

  it('$janus picks the pattern of the server\'s version first: an ack written with it ends at the ack', function () {
    const onField = { janus: { $janus: { '>=1.0.0': 'ack' } } };
    assert.equal(ending(onField).atLoad, false, 'decided with the server version, before the request is sent');
    assert.equal(expectsAck(onField, { serverVersion: '1.1.2' }), true);
    assert.equal(expectsAck({ janus: { $janus: { '>=1.0.0': 'ack', '<1.0.0': 'event' } } }, { serverVersion: '0.9.0' }), false, 'an event on the older version');
    assert.equal(expectsAck(onField, {}), false, 'an unknown version: no pattern applies (the match says why)');
    assert.equal(expectsAck({ $janus: { '>=1.0.0': { janus: 'ack', transaction: '$string' } } }, { serverVersion: '1.1.2' }), true, 'a whole-message $janus');
    assert.equal(expectsAck({ $janus: { '>=2.0.0': { janus: 'ack' }, '<2.0.0': { janus: 'event' } } }, { serverVersion: '1.1.2' }), false);
  });

  it('a placeholder is resolved with the run\'s values: one that stands for ack ends at the ack', function () {
    assert.equal(ending({ janus: '${a}' }).atLoad, false);
    assert.equal(expectsAck({ janus: '${a}' }, { values: { a: 'ack' } }), true);
    assert.equal(expectsAck({ janus: '${a}' }, { values: { a: 'event' } }), false);
    assert.equal(expectsAck({ janus: { $oneOf: ['${a}', 'success'] } }, { values: { a: 'ack' } }), true);
    assert.equal(expectsAck({ $exact: { janus: '${a}', transaction: '${transaction}' } }, { values: { a: 'ack' } }), true, 'placeholders elsewhere change nothing');
  });

  it('a step that waits past an ack its pattern might take says why', function () {
    assert.match(ending({ $not: { janus: 'event' } }).why ?? '', /a whole-message \$not does not say which `janus` it wants/);
    assert.match(ending({ $oneOf: [{ janus: 'ack' }, { janus: 'event', plugindata: '$object' }] }).why ?? '', /admits an event too/);
    assert.equal(ending({ janus: 'event' }).why, undefined, 'no ack would have matched');
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
