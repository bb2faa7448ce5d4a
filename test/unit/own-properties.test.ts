import assert from 'node:assert/strict';
import { substituteParams } from '../../src/compile/params.js';
import { compileString, compileTemplate } from '../../src/compile/template.js';
import { createPatternCompiler, deepEqual } from '../../src/match/compile-pattern.js';
import type { Mismatch } from '../../src/match/contract.js';
import { ScenarioValues } from '../../src/run/values.js';
import { MessageChecker } from '../../src/schemas/checker.js';
import { readPath } from '../../src/steps/common.js';
import { StepFailure, type Actor } from '../../src/steps/contract.js';
import { diffText } from '../../src/report/failure-text.js';

/**
 * Keys that are members of Object.prototype must never be found on a message, a pattern, a
 * saved value or the environment that does not have them as its own: a pattern key
 * `constructor: $present` would otherwise pass against every message.
 */
const PROTOTYPE_KEYS = ['constructor', 'hasOwnProperty', 'toString', 'valueOf', '__proto__', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__'];

function matches(pattern: unknown, actual: unknown, exact = false): Mismatch[] {
  const errors: string[] = [];
  const compiler = createPatternCompiler((s, path) => (s.includes('${') ? compileString(s, path, () => true) : undefined), (_p, m) => errors.push(m), () => false);
  const matcher = compiler.compile(pattern, ['expect'], exact);
  assert.deepEqual(errors, []);
  const out: Mismatch[] = [];
  matcher(actual, '', { resolve: (t) => t({ lookup: () => undefined }), validateSchema: () => undefined }, out);
  return out;
}

const INFO = { janus: 'server_info', transaction: 't1', name: 'Janus WebRTC Server', version: 1102, plugins: {} };

describe('own properties only', function () {
  it('`constructor: $present, hasOwnProperty: $present` fails against info, which has neither', function () {
    const found = matches({ janus: 'server_info', constructor: '$present', hasOwnProperty: '$present' }, INFO);
    assert.deepEqual(found.map((m) => m.at), ['constructor', 'hasOwnProperty']);
  });

  for (const key of PROTOTYPE_KEYS) {
    it(`a pattern key "${key}" sees only the message's own key`, function () {
      for (const marker of ['$present', '$any', '$object', '$string']) {
        if (marker === '$any') continue;
        assert.notDeepEqual(matches({ [key]: marker }, { janus: 'ack' }), [], `${key}: ${marker} passed against a message without it`);
      }
      assert.deepEqual(matches({ [key]: '$absent' }, { janus: 'ack' }), [], `${key}: $absent failed against a message without it`);
      const own = JSON.parse(`{"${key}": 5}`) as Record<string, unknown>;
      assert.deepEqual(matches({ [key]: 5 }, own), [], `${key}: 5 failed against a message that has it`);
      assert.notDeepEqual(matches({ [key]: 6 }, own), []);
      assert.deepEqual(matches({ [key]: '$absent' }, { [key === '__proto__' ? 'x' : key]: undefined }), []);
    });
  }

  it('deepEqual does not take a prototype member for an own key', function () {
    assert.ok(!deepEqual(JSON.parse('{"__proto__": {}}'), { x: {} }));
    assert.ok(!deepEqual({ x: {} }, JSON.parse('{"__proto__": {}}')));
    assert.ok(!deepEqual(JSON.parse('{"constructor": {}}'), { other: {} }));
    assert.ok(deepEqual(JSON.parse('{"__proto__": {"a": 1}}'), JSON.parse('{"__proto__": {"a": 1}}')));
  });

  it('an exact pattern with a literal `__proto__` value compares own keys', function () {
    assert.notDeepEqual(matches({ data: JSON.parse('{"__proto__": {}}') }, { data: { x: {} } }), []);
  });

  it('readPath reads own keys of objects and indexes of arrays only', function () {
    const msg = { data: { id: 5, list: [{ room: 1 }] }, obj: { 0: 'zero' } };
    assert.equal(readPath(msg, 'data.id'), 5);
    assert.equal(readPath(msg, 'data.list[0].room'), 1);
    assert.equal(readPath(msg, 'data.list.0.room'), 1, 'a dotted index reads an array too');
    for (const key of PROTOTYPE_KEYS) {
      assert.equal(readPath(msg, key), undefined, key);
      assert.equal(readPath(msg, `data.${key}`), undefined, key);
    }
    assert.equal(readPath(msg, 'data.list.length'), undefined, 'length of an array is not a field');
    assert.equal(readPath(msg, 'obj[0]'), undefined, 'an index reads arrays, not objects with numeric keys');
    assert.equal(readPath(JSON.parse('{"__proto__": {"x": 1}}'), '__proto__.x'), 1);
  });

  it('placeholders: saved paths, the last reply and the environment see own keys only', function () {
    const actor: Actor = { name: 'main', handles: new Map() };
    const values = new ScenarioValues(() => undefined, 'ws', { HOME: '/root' });
    values.saved.set('room', { id: 5 });
    values.last = { transaction: 't', reply: { janus: 'success' } };
    const lookup = values.lookupFor(actor);
    assert.equal(lookup.lookup('env.HOME'), '/root');
    assert.equal(lookup.lookup('room.id'), 5);
    for (const ref of ['env.toString', 'env.constructor', 'env_int.valueOf', 'room.constructor', 'room.toString', 'last.reply.constructor', 'last.hasOwnProperty', 'last.__proto__']) {
      assert.throws(() => lookup.lookup(ref), (e: unknown) => e instanceof StepFailure && /has no value/.test(e.message), ref);
    }
  });

  it('templates keep a `__proto__` key as a key of the request', function () {
    const t = compileTemplate(JSON.parse('{"body": {"__proto__": "${x}", "a": 1}}'), [], () => true);
    const out = t({ lookup: () => ({ evil: true }) }) as { body: Record<string, unknown> };
    assert.deepEqual(Object.keys(out.body), ['__proto__', 'a']);
    assert.equal(Object.getPrototypeOf(out.body), Object.prototype);
    assert.equal(JSON.stringify(out), '{"body":{"__proto__":{"evil":true},"a":1}}');
  });

  it('fragment parameters named like prototype members are not found when not given', function () {
    assert.deepEqual(substituteParams({ a: '${constructor}', b: 'x ${toString} y', c: '${__proto__}' }, {}), { a: '${constructor}', b: 'x ${toString} y', c: '${__proto__}' });
    assert.deepEqual(substituteParams({ a: '${constructor}' }, JSON.parse('{"constructor": 3}')), { a: 3 });
  });

  it('the schema checker takes a plugin request named "constructor" for an unknown request, not a crash', function () {
    const c = new MessageChecker('1.1.2');
    c.outgoing('janus', { janus: 'attach', plugin: 'janus.plugin.videoroom', transaction: 'a1' }, { sessionId: 5 });
    c.incoming('janus', { janus: 'success', session_id: 5, transaction: 'a1', data: { id: 77 } });
    for (const request of ['constructor', 'toString', '__proto__']) {
      c.outgoing('janus', { janus: 'message', body: { request }, transaction: `m-${request}` }, { sessionId: 5, handleId: 77 });
      const found = c.incoming('janus', { janus: 'success', session_id: 5, sender: 77, transaction: `m-${request}`, plugindata: { plugin: 'janus.plugin.videoroom', data: { videoroom: 'success' } } });
      assert.ok(found.some((v) => /unknown request/.test(v.rule)), `${request}: ${JSON.stringify(found)}`);
    }
  });

  it('the failure diff keeps a message key named `__proto__` as a key', function () {
    const text = diffText({ janus: 'ack' }, JSON.parse('{"janus": "event", "__proto__": {"x": 1}}'), [{ at: '__proto__', expected: 'absent', actual: { x: 1 } }]);
    assert.match(text, /__proto__/);
  });
});
