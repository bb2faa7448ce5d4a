import assert from 'node:assert/strict';
import { compileString } from '../../src/compile/template.js';
import { createPatternCompiler } from '../../src/match/compile-pattern.js';
import type { Mismatch } from '../../src/match/contract.js';
import { CATALOGUE_ERROR_CODES, errorCodeByName } from '../../src/schemas/error-names.js';

/** Cases built to fail: each pattern here must reject the value, and accept the one beside it. */
function matches(pattern: unknown, actual: unknown, exact = false, values: Record<string, unknown> = {}): boolean {
  const errors: string[] = [];
  const compiler = createPatternCompiler(
    (s, path) => (s.includes('${') ? compileString(s, path, () => true) : undefined),
    (_p, m) => errors.push(m),
    () => false,
    CATALOGUE_ERROR_CODES,
  );
  const matcher = compiler.compile(pattern, ['expect'], exact);
  assert.deepEqual(errors, [], JSON.stringify(pattern));
  const out: Mismatch[] = [];
  matcher(actual, '', { resolve: (t) => t({ lookup: (ref) => values[ref] }), validateSchema: () => undefined }, out);
  return out.length === 0;
}

const NOT_FOUND = errorCodeByName('SESSION_NOT_FOUND')!;
const UNAUTHORIZED = errorCodeByName('UNAUTHORIZED')!;

describe('operators: false passes looked for', function () {
  it('an error name inside $not or $oneOf at an error-code key stands for its number', function () {
    const error = (code: number) => ({ janus: 'error', error: { code, reason: 'x' } });
    assert.ok(!matches({ error: { code: { $not: 'SESSION_NOT_FOUND' } } }, error(NOT_FOUND)), '$not of the very code passed');
    assert.ok(matches({ error: { code: { $not: 'SESSION_NOT_FOUND' } } }, error(UNAUTHORIZED)));
    assert.ok(matches({ error: { code: { $oneOf: ['UNAUTHORIZED', 'SESSION_NOT_FOUND'] } } }, error(NOT_FOUND)));
    assert.ok(!matches({ error: { code: { $oneOf: ['UNAUTHORIZED'] } } }, error(NOT_FOUND)));
    const pluginError = (error_code: number) => ({ plugindata: { data: { error_code } } });
    const noSuchRoom = errorCodeByName('VIDEOROOM_NO_SUCH_ROOM')!;
    assert.ok(!matches({ plugindata: { data: { error_code: { $not: 'VIDEOROOM_NO_SUCH_ROOM' } } } }, pluginError(noSuchRoom)));
    assert.ok(matches({ plugindata: { data: { error_code: { $oneOf: ['VIDEOROOM_NO_SUCH_ROOM', 0] } } } }, pluginError(noSuchRoom)));
  });

  it('numbers and strings: "1" is not 1, in literals, $oneOf, $contains and $anyOrder', function () {
    assert.ok(!matches({ id: 1 }, { id: '1' }));
    assert.ok(!matches({ id: '1' }, { id: 1 }));
    assert.ok(!matches({ id: { $oneOf: ['1', true] } }, { id: 1 }));
    assert.ok(!matches({ list: { $contains: [1] } }, { list: ['1'] }));
    assert.ok(!matches({ list: { $anyOrder: ['1', 2] } }, { list: [1, '2'] }));
    assert.ok(!matches({ n: { $gt: 0 } }, { n: '5' }));
    assert.ok(!matches({ n: { $length: 1 } }, { n: 5 }));
  });

  it('null is not missing, and missing is not null', function () {
    assert.ok(!matches({ a: null }, {}));
    assert.ok(!matches({ a: '$null' }, {}));
    assert.ok(!matches({ a: '$absent' }, { a: null }));
    assert.ok(matches({ a: '$present' }, { a: null }));
    assert.ok(!matches({ a: { $not: null } }, { a: null }));
    assert.ok(matches({ a: { $not: null } }, {}), 'absent is not null');
  });

  it('arrays are not objects with numeric keys, in either direction', function () {
    assert.ok(!matches({ a: ['x'] }, { a: { 0: 'x' } }));
    assert.ok(!matches({ a: { 0: 'x' } }, { a: ['x'] }));
    assert.ok(!matches({ a: [] }, { a: {} }));
    assert.ok(!matches({ a: {} }, { a: [] }));
    assert.ok(!matches({ a: { $contains: ['x'] } }, { a: { 0: 'x' } }));
    assert.ok(!matches({ a: '$object' }, { a: [] }));
  });

  it('$regex never passes a non-string (numbers, booleans, null, arrays, objects, absent)', function () {
    for (const value of [1, 12, true, null, ['1'], { 0: '1' }, undefined]) assert.ok(!matches({ a: { $regex: '1|true|null|^' } }, { a: value }), JSON.stringify(value));
  });

  it('$regex reads unicode escapes (\\p{Lu}, \\u{...}) as JavaScript does in unicode mode, not as the letters p{Lu}', function () {
    assert.ok(matches({ $regex: '^\\p{Lu}' }, 'Janus'), 'an upper-case letter class matched nothing but the text p{Lu}');
    assert.ok(!matches({ $regex: '^\\p{Lu}' }, 'janus'));
    assert.ok(!matches({ $not: { $regex: '\\p{Lu}' } }, 'Janus WebRTC Server'), '$not of a property class passed on a string that has one');
    assert.ok(matches({ $regex: '^x\\u{1F600}$' }, 'x\u{1F600}'));
    // An escaped backslash before p is the text \p{L}, in either mode.
    assert.ok(matches({ $regex: '^\\\\p\\{L\\}$' }, '\\p{L}'));
    // A value put into a unicode-mode expression is matched as its text, a `-` included.
    assert.ok(matches({ $regex: '^\\p{L}+ ${v}$' }, 'Janus a-b.c', false, { v: 'a-b.c' }));
    assert.ok(!matches({ $regex: '^\\p{L}+ ${v}$' }, 'Janus a-bxc', false, { v: 'a-b.c' }));
    assert.ok(matches({ $regex: '^[${v}]+$' }, 'a-b', false, { v: 'a-b' }));
  });

  it('NaN and infinities from YAML never equal anything and never compare true', function () {
    assert.ok(!matches({ a: Number.NaN }, { a: 0 }));
    assert.ok(!matches({ a: { $gt: Number.NaN } }, { a: 5 }));
    assert.ok(!matches({ a: { $lt: Number.NaN } }, { a: 5 }));
    assert.ok(!matches({ a: Number.POSITIVE_INFINITY }, { a: 1e308 }));
  });

  it('$not of a partial pattern: an object that has extra keys still matches the inner pattern', function () {
    assert.ok(!matches({ $not: { janus: 'event' } }, { janus: 'event', sender: 1 }));
    assert.ok(!matches({ a: { $not: { $contains: ['x'] } } }, { a: ['y', 'x'] }));
  });

  it('a step\'s exact never weakens a $not: what it denies is denied with extra keys too; a $not inside a $not asserts exactly again', function () {
    const success = { janus: 'success', transaction: 't', data: { id: 1 } };
    assert.ok(!matches({ $not: { janus: 'success' } }, success, true), 'a success reply is not "not a success" for its extra keys');
    assert.ok(!matches({ janus: 'success', data: { $not: { id: '$integer' } } }, { ...success, data: { id: 1, extra: true } }, true));
    assert.ok(matches({ $not: { janus: 'error' } }, success, true));
    // Asserted again: exact as the step asks.
    assert.ok(!matches({ data: { $not: { $not: { id: 1 } } } }, { data: { id: 1, extra: true } }, true));
    assert.ok(matches({ data: { $not: { $not: { id: 1 } } } }, { data: { id: 1 } }, true));
    // Written inside the $not, $exact is what the author asked for: "not exactly this".
    assert.ok(matches({ data: { $not: { $exact: { id: 1 } } } }, { data: { id: 1, extra: true } }));
    // An error name at an error-code key still stands for its number under a denied exact pattern.
    assert.ok(!matches({ error: { $not: { code: 'SESSION_NOT_FOUND' } } }, { error: { code: NOT_FOUND, reason: 'x' } }, true));
  });

  it('$contains needs a distinct element for each pattern; $anyOrder needs the same length', function () {
    assert.ok(!matches({ a: { $contains: ['x', 'x'] } }, { a: ['x'] }));
    assert.ok(!matches({ a: { $anyOrder: ['x'] } }, { a: ['x', 'x'] }));
    assert.ok(!matches({ a: { $anyOrder: ['x', 'y'] } }, { a: ['x', 'x'] }));
  });
});
