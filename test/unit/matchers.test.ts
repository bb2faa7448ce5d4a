import assert from 'node:assert/strict';
import { compileString } from '../../src/compile/template.js';
import type { DocPath } from '../../src/core/source.js';
import { createPatternCompiler, deepEqual } from '../../src/match/compile-pattern.js';
import type { MatchRuntime, Mismatch } from '../../src/match/contract.js';
import { MARKERS } from '../../src/match/markers.js';
import { operatorNames } from '../../src/match/registry.js';
import { CATALOGUE_ERROR_CODES } from '../../src/schemas/error-names.js';

/** Compiles a pattern the way a step does, collecting compile errors instead of throwing. */
function compile(pattern: unknown, options: { exact?: boolean; values?: Record<string, unknown>; serverVersion?: string } = {}) {
  const errors: Array<{ path: DocPath; message: string; hint?: string }> = [];
  const values = options.values ?? {};
  const compiler = createPatternCompiler(
    (s, path) => (s.includes('${') ? compileString(s, path, () => true) : undefined),
    // The hint (did-you-mean) is shown on its own line; tests read both as one text.
    (path, message, hint) => errors.push({ path, message: hint ? `${message}\n${hint}` : message, hint }),
    (name) => name === 'room-list',
    CATALOGUE_ERROR_CODES,
  );
  const matcher = compiler.compile(pattern, ['expect'], options.exact ?? false);
  const rt: MatchRuntime = {
    resolve: (template) =>
      template({
        lookup: (ref) => {
          if (!(ref in values)) throw new Error(`no value for ${ref}`);
          return values[ref];
        },
      }),
    validateSchema: (name, value) =>
      name === 'room-list' ? (Array.isArray(value) ? [] : ['must be an array']) : undefined,
    serverVersion: options.serverVersion,
  };
  return {
    errors,
    mismatches(actual: unknown): Mismatch[] {
      const out: Mismatch[] = [];
      matcher(actual, '', rt, out);
      return out;
    },
    matches(actual: unknown): boolean {
      return this.mismatches(actual).length === 0;
    },
  };
}

/** Compiles a pattern that must compile cleanly. */
function pattern(p: unknown, options?: { exact?: boolean; values?: Record<string, unknown>; serverVersion?: string }) {
  const c = compile(p, options);
  assert.deepEqual(c.errors, [], `unexpected compile errors for ${JSON.stringify(p)}`);
  return c;
}

/** Compiles a pattern that must be rejected, returning its one error. */
function rejected(p: unknown): { path: DocPath; message: string; hint?: string } {
  const c = compile(p);
  assert.equal(c.errors.length, 1, `expected one compile error for ${JSON.stringify(p)}, got ${JSON.stringify(c.errors)}`);
  return c.errors[0]!;
}

const ABSENT = undefined;

describe('matchers', function () {
  describe('plain values', function () {
    it('match scalars by strict equality', function () {
      assert.ok(pattern('pong').matches('pong'));
      assert.ok(pattern(42).matches(42));
      assert.ok(pattern(true).matches(true));
      assert.ok(pattern(null).matches(null));
      assert.ok(!pattern('42').matches(42), 'a string does not match a number');
      assert.ok(!pattern(42).matches('42'), 'a number does not match a string');
      assert.ok(!pattern(0).matches(false));
      assert.ok(!pattern(null).matches(ABSENT), 'null does not match an absent value');
      assert.ok(!pattern('pong').matches(ABSENT));
    });

    it('report the expected value and the actual one', function () {
      assert.deepEqual(pattern({ janus: 'pong' }).mismatches({ janus: 'ack' }), [{ at: 'janus', expected: '"pong"', actual: 'ack' }]);
      assert.deepEqual(pattern({ janus: 'pong' }).mismatches({}), [{ at: 'janus', expected: '"pong"', actual: undefined }]);
    });
  });

  describe('markers', function () {
    const cases: Record<string, { yes: unknown[]; no: unknown[] }> = {
      $any: { yes: [0, '', null, false, {}, [], 'x'], no: [] },
      $present: { yes: [0, '', null, false, {}, []], no: [ABSENT] },
      $absent: { yes: [ABSENT], no: [0, '', null, false, {}] },
      $integer: { yes: [0, -3, 1234567890123], no: [1.5, '1', null, ABSENT, true] },
      $number: { yes: [0, 1.5, -2], no: ['1', null, ABSENT, [1]] },
      $string: { yes: ['', 'x'], no: [1, null, ABSENT, ['x']] },
      $boolean: { yes: [true, false], no: [0, 'true', null, ABSENT] },
      $object: { yes: [{}, { a: 1 }], no: [[], null, 'x', ABSENT] },
      $array: { yes: [[], [1, 2]], no: [{}, null, 'x', ABSENT] },
      $null: { yes: [null], no: [ABSENT, 0, '', 'null'] },
    };

    it('covers every registered marker', function () {
      assert.deepEqual(Object.keys(cases).sort(), Object.keys(MARKERS).sort());
    });

    for (const [marker, { yes, no }] of Object.entries(cases)) {
      it(`${marker} accepts ${yes.map((v) => JSON.stringify(v) ?? 'absent').join(', ')}${no.length ? ` and rejects ${no.map((v) => JSON.stringify(v) ?? 'absent').join(', ')}` : ''}`, function () {
        const m = pattern({ value: marker });
        for (const v of yes) assert.ok(m.matches(v === ABSENT ? {} : { value: v }), `${marker} should accept ${JSON.stringify(v) ?? 'absent'}`);
        for (const v of no) {
          const out = m.mismatches(v === ABSENT ? {} : { value: v });
          assert.equal(out.length, 1, `${marker} should reject ${JSON.stringify(v) ?? 'absent'}`);
          assert.equal(out[0]!.at, 'value');
          assert.equal(out[0]!.expected, marker.slice(1));
        }
      });
    }

    it('an unknown marker is a compile error with a did-you-mean', function () {
      const e = rejected({ id: '$integr' });
      assert.deepEqual(e.path, ['expect', 'id']);
      assert.match(e.message, /unknown marker \$integr/);
      assert.match(e.message, /did you mean \$integer\?/);
      assert.match(e.message, /\$\$ for a literal \$/);
    });

    it("a marker's name without its $ is the word itself; a value of the marker's kind is told which marker was meant", function () {
      const m = pattern({ id: 'integer', plugindata: 'any' });
      assert.ok(m.matches({ id: 'integer', plugindata: 'any' }), 'the word matches the word');
      assert.deepEqual(m.mismatches({ id: 5, plugindata: 'any' }), [{ at: 'id', expected: '"integer" (the word; $integer matches any integer)', actual: 5 }]);
      assert.deepEqual(m.mismatches({ id: 'x', plugindata: 'any' }), [{ at: 'id', expected: '"integer"', actual: 'x' }], 'a value of another kind: no marker would have matched it');
      assert.deepEqual(m.mismatches({ id: 'integer' }), [{ at: 'plugindata', expected: '"any" (the word; $any matches anything, a field left out too)', actual: undefined }]);
    });
  });

  describe('$$ escapes', function () {
    it('"$$integer" is the literal string "$integer"', function () {
      const m = pattern({ v: '$$integer' });
      assert.ok(m.matches({ v: '$integer' }));
      assert.ok(!m.matches({ v: 5 }));
      assert.ok(!m.matches({ v: '$$integer' }));
    });

    it('"$${x}" is the literal string "${x}", not a placeholder', function () {
      assert.ok(pattern({ v: '$${x}' }).matches({ v: '${x}' }));
      assert.ok(pattern({ v: 'a-$${x}' }).matches({ v: 'a-${x}' }));
    });

    it('a "$$key" matches the literal key "$key" and is not an operator', function () {
      const m = pattern({ $$ref: 1, plain: 2 });
      assert.ok(m.matches({ $ref: 1, plain: 2 }));
      assert.deepEqual(m.mismatches({ $ref: 2, plain: 2 }), [{ at: '$ref', expected: '1', actual: 2 }]);
      assert.ok(pattern({ $$ref: 1 }, { exact: true }).matches({ $ref: 1 }), 'exact: the unescaped key counts as expected');
    });

    it('a string with a $ that is not a marker is plain text', function () {
      assert.ok(pattern({ v: 'costs 5$' }).matches({ v: 'costs 5$' }));
    });
  });

  describe('objects: partial by default, exact on request', function () {
    const reply = { janus: 'success', transaction: 't1', data: { id: 7, extra: true } };

    it('partial: extra keys at any depth are allowed', function () {
      assert.ok(pattern({ janus: 'success', data: { id: 7 } }).matches(reply));
      assert.ok(pattern({}).matches(reply), '{} matches any object');
    });

    it('partial: a non-object where an object is expected is a mismatch', function () {
      assert.deepEqual(pattern({ data: { id: 7 } }).mismatches({ data: [7] }), [{ at: 'data', expected: 'an object', actual: [7] }]);
      assert.deepEqual(pattern({ data: {} }).mismatches({}), [{ at: 'data', expected: 'an object', actual: undefined }]);
    });

    it('exact: every extra key at any depth is reported with its path', function () {
      const out = pattern({ janus: 'success', data: { id: 7 } }, { exact: true }).mismatches(reply);
      assert.deepEqual(
        out.map((m) => m.at).sort(),
        ['data.extra', 'transaction'],
      );
      for (const m of out) assert.equal(m.expected, 'absent (exact match)');
    });

    it('$exact makes one sub-pattern exact inside a partial one', function () {
      const m = pattern({ janus: 'success', data: { $exact: { id: 7 } } });
      assert.deepEqual(m.mismatches(reply), [{ at: 'data.extra', expected: 'absent (exact match)', actual: true }]);
      assert.ok(m.matches({ janus: 'success', transaction: 'x', data: { id: 7 } }), 'outside $exact extra keys are still allowed');
    });

    it('$absent is satisfied by a missing key even in exact mode', function () {
      assert.ok(pattern({ janus: 'ack', error: '$absent' }, { exact: true }).matches({ janus: 'ack' }));
    });
  });

  describe('arrays', function () {
    it('match element by element, in order, with the same length', function () {
      const m = pattern({ list: [1, '$string'] });
      assert.ok(m.matches({ list: [1, 'a'] }));
      assert.deepEqual(m.mismatches({ list: ['a', 1] }), [
        { at: 'list[0]', expected: '1', actual: 'a' },
        { at: 'list[1]', expected: 'string', actual: 1 },
      ]);
      assert.deepEqual(m.mismatches({ list: [1, 'a', 2] }), [{ at: 'list', expected: 'an array of 2 element(s)', actual: [1, 'a', 2] }]);
      assert.equal(m.mismatches({ list: 'x' }).length, 1);
    });

    it('mismatch paths name every level: plugindata.data.list[1].room', function () {
      const m = pattern({ plugindata: { data: { list: [{ room: 1234 }, { room: 5678 }] } } });
      const out = m.mismatches({ plugindata: { data: { list: [{ room: 1234 }, { room: 9999 }] } } });
      assert.deepEqual(out, [{ at: 'plugindata.data.list[1].room', expected: '5678', actual: 9999 }]);
    });

    it('mismatch paths go through operators: $contains reports the array, $exact the key', function () {
      const out = pattern({ plugindata: { data: { list: { $contains: [{ room: 1 }] } } } }).mismatches({ plugindata: { data: { list: [{ room: 2 }] } } });
      assert.equal(out.length, 1);
      assert.equal(out[0]!.at, 'plugindata.data.list');
    });
  });

  describe('operators', function () {
    it('every registered operator is covered here', function () {
      assert.deepEqual(operatorNames().sort(), ['$anyOrder', '$contains', '$exact', '$gt', '$gte', '$janus', '$length', '$lt', '$lte', '$not', '$oneOf', '$regex', '$schema', '$type'].sort());
    });

    it('$janus checks the pattern of the server version, and only that one', function () {
      const p = { display: { $janus: { '>=1.3.0': 'bob', '<1.3.0': '$absent' } } };
      assert.ok(pattern(p, { serverVersion: '1.4.1' }).matches({ display: 'bob' }));
      assert.ok(pattern(p, { serverVersion: '1.1.2' }).matches({}));
      // Built to fail: each version's value on the other version.
      assert.deepEqual(pattern(p, { serverVersion: '1.1.2' }).mismatches({ display: 'bob' }), [{ at: 'display', expected: 'absent (expects Janus <1.3.0 behaviour)', actual: 'bob' }]);
      assert.equal(pattern(p, { serverVersion: '1.3.0' }).mismatches({}).length, 1);
      assert.equal(pattern(p, { serverVersion: '1.3.0' }).mismatches({ display: 'alice' }).length, 1);
    });

    it('$janus without a range for the version, or without a version, never passes', function () {
      const p = { v: { $janus: { '>=1.3.0': 1 } } };
      assert.match(pattern(p, { serverVersion: '1.1.2' }).mismatches({ v: 1 })[0]!.expected, /none covers 1\.1\.2/);
      assert.match(pattern(p).mismatches({ v: 1 })[0]!.expected, /version is unknown/);
    });

    it('$janus rejects ranges that are not ranges, and arguments that are not maps', function () {
      assert.match(rejected({ v: { $janus: { '~1.3': 1 } } }).message, /"~1\.3" is not a version comparator/);
      assert.deepEqual(rejected({ v: { $janus: { '~1.3': 1 } } }).path, ['expect', 'v', '$janus', '~1.3']);
      assert.match(rejected({ v: { $janus: [1] } }).message, /\$janus expects a mapping/);
      assert.match(rejected({ v: { $janus: {} } }).message, /\$janus expects a mapping/);
    });

    it('$type works like the markers and rejects unknown type names', function () {
      const m = pattern({ id: { $type: 'integer' } });
      assert.ok(m.matches({ id: 3 }));
      assert.deepEqual(m.mismatches({ id: '3' }), [{ at: 'id', expected: 'a value of type integer', actual: '3' }]);
      assert.ok(pattern({ x: { $type: 'absent' } }).matches({}));
      assert.match(rejected({ id: { $type: 'int' } }).message, /\$type expects one of .*integer, number, string.*; got "int"/);
      assert.match(rejected({ id: { $type: 3 } }).message, /\$type expects one of/);
    });

    it('$regex matches unanchored and only strings', function () {
      const m = pattern({ v: { $regex: '^1\\.[0-9]+' } });
      assert.ok(m.matches({ v: '1.2.3' }));
      assert.ok(pattern({ v: { $regex: 'ping' } }).matches({ v: 'xx ping xx' }), 'unanchored');
      assert.deepEqual(m.mismatches({ v: '2.0' }), [{ at: 'v', expected: 'a string matching /^1\\.[0-9]+/', actual: '2.0' }]);
      assert.equal(m.mismatches({ v: 1.2 }).length, 1, 'a number is not a string');
      assert.equal(m.mismatches({}).length, 1);
    });

    it('$regex rejects invalid expressions and non-strings at compile time', function () {
      const e = rejected({ v: { $regex: '(' } });
      assert.deepEqual(e.path, ['expect', 'v', '$regex']);
      assert.match(e.message, /\$regex is not a valid regular expression/);
      assert.match(rejected({ v: { $regex: 5 } }).message, /\$regex expects a string/);
    });

    const comparisons: Array<[string, number, number[], number[]]> = [
      ['$gt', 5, [6, 5.5], [5, 4]],
      ['$gte', 5, [5, 6], [4.9]],
      ['$lt', 5, [4, -1], [5, 6]],
      ['$lte', 5, [5, 4], [5.1]],
    ];
    for (const [op, bound, yes, no] of comparisons) {
      it(`${op} ${bound}: accepts ${yes.join(', ')}; rejects ${no.join(', ')}, strings and absent values`, function () {
        const m = pattern({ n: { [op]: bound } });
        for (const v of yes) assert.ok(m.matches({ n: v }), `${op} ${bound} should accept ${v}`);
        for (const v of [...no, String(yes[0]), null, ABSENT]) {
          const out = m.mismatches(v === ABSENT ? {} : { n: v });
          assert.equal(out.length, 1, `${op} ${bound} should reject ${JSON.stringify(v)}`);
          assert.match(out[0]!.expected, new RegExp(`^a number .* ${bound}$`));
        }
        const e = rejected({ n: { [op]: '5' } });
        assert.match(e.message, new RegExp(`\\${op} expects a number`));
        assert.deepEqual(e.path, ['expect', 'n', op]);
      });
    }

    it('operators combine in one object: { $gt: 1, $lt: 5 }', function () {
      const m = pattern({ n: { $gt: 1, $lt: 5 } });
      assert.ok(m.matches({ n: 3 }));
      assert.equal(m.mismatches({ n: 0 }).length, 1);
      assert.equal(m.mismatches({ n: 9 }).length, 1);
      assert.equal(m.mismatches({ n: 'x' }).length, 2);
    });

    it('$length counts array elements and string characters', function () {
      const m = pattern({ list: { $length: 2 } });
      assert.ok(m.matches({ list: [1, 2] }));
      assert.ok(m.matches({ list: 'ab' }));
      assert.deepEqual(m.mismatches({ list: [1] }), [{ at: 'list', expected: 'an array or string of length 2', actual: [1] }]);
      assert.equal(m.mismatches({ list: { a: 1, b: 2 } }).length, 1, 'an object has no length');
      assert.equal(m.mismatches({}).length, 1);
      assert.ok(pattern({ list: { $length: 0 } }).matches({ list: [] }));
      assert.match(rejected({ list: { $length: -1 } }).message, /\$length expects a non-negative integer/);
      assert.match(rejected({ list: { $length: 1.5 } }).message, /\$length expects a non-negative integer/);
    });

    it('$length counts a string in characters (code points), as JSON Schema does, not UTF-16 code units', function () {
      assert.ok(pattern({ s: { $length: 1 } }).matches({ s: '\u{1F44D}' }), 'an emoji is one character');
      assert.ok(!pattern({ s: { $length: 2 } }).matches({ s: '\u{1F44D}' }), 'not two');
      assert.ok(pattern({ s: { $length: 3 } }).matches({ s: 'a\u{1F600}b' }));
      // A combining accent is a code point of its own; an array's elements are counted as they are.
      assert.ok(pattern({ s: { $length: 2 } }).matches({ s: 'e\u0301' }));
      assert.ok(pattern({ list: { $length: 2 } }).matches({ list: ['\u{1F44D}', 'x'] }));
    });

    it('$schema validates against a known schema and rejects unknown names at compile time', function () {
      const m = pattern({ list: { $schema: 'room-list' } });
      assert.ok(m.matches({ list: [] }));
      assert.deepEqual(m.mismatches({ list: 3 }), [{ at: 'list', expected: 'valid against schema room-list: must be an array', actual: 3 }]);
      assert.match(rejected({ list: { $schema: 'nope' } }).message, /\$schema expects the name of a known schema; got "nope"/);
    });

    it('an unknown operator is a compile error with a did-you-mean, at the operator key', function () {
      const e = rejected({ n: { $gtt: 0 } });
      assert.deepEqual(e.path, ['expect', 'n', '$gtt']);
      assert.match(e.message, /unknown operator \$gtt; expected one of /);
      assert.match(e.message, /did you mean \$gt\?/);
    });

    it('operators and plain keys cannot be mixed in one object', function () {
      const e = rejected({ plugins: { $length: 3, extra: 1 } });
      assert.deepEqual(e.path, ['expect', 'plugins', '$length']);
      assert.match(e.message, /cannot mix \$operators with plain keys/);
    });
  });

  describe('$not and $oneOf', function () {
    it('$not inverts any pattern, at the same path', function () {
      const m = pattern({ list: { $not: { $contains: [3] } } });
      assert.ok(m.matches({ list: [1, 2] }));
      assert.deepEqual(m.mismatches({ list: [1, 3] }).map((x) => x.at), ['list']);
      assert.ok(pattern({ a: { $not: 'x' } }).matches({}), 'an absent value is not "x"');
    });

    it('$oneOf needs one matching alternative, markers included', function () {
      const m = pattern({ codec: { $oneOf: ['opus', '$absent'] } });
      assert.ok(m.matches({ codec: 'opus' }));
      assert.ok(m.matches({}));
      assert.deepEqual(m.mismatches({ codec: 'pcmu' }).map((x) => x.expected), ['one of "opus", absent']);
      assert.match(rejected({ a: { $oneOf: [] } }).message, /\$oneOf expects a non-empty array/);
    });
  });

  describe('$anyOrder and $contains', function () {
    it('$anyOrder: the same elements in any order, same length', function () {
      const m = pattern({ list: { $anyOrder: [1, 2, 3] } });
      assert.ok(m.matches({ list: [3, 1, 2] }));
      assert.ok(!m.matches({ list: [1, 2] }), 'too short');
      assert.ok(!m.matches({ list: [1, 2, 3, 4] }), 'too long');
      assert.ok(!m.matches({ list: [1, 2, 4] }));
      assert.ok(!m.matches({ list: 'x' }));
      assert.ok(!m.matches({}));
    });

    it('$anyOrder needs a distinct element per pattern', function () {
      const m = pattern({ list: { $anyOrder: [1, 1] } });
      assert.ok(!m.matches({ list: [1, 2] }), 'one actual 1 cannot satisfy two patterns');
      assert.ok(m.matches({ list: [1, 1] }));
    });

    it('$anyOrder backtracks: a broad pattern does not steal the only element a narrow one fits', function () {
      const m = pattern({ list: { $anyOrder: ['$integer', 1] } });
      assert.ok(m.matches({ list: [1, 2] }));
      assert.ok(m.matches({ list: [2, 1] }));
      const objects = pattern({ list: { $anyOrder: [{ id: '$integer' }, { id: 1, name: 'a' }] } });
      assert.ok(objects.matches({ list: [{ id: 1, name: 'a' }, { id: 2 }] }));
    });

    it('$anyOrder patterns are partial unless exact', function () {
      assert.ok(pattern({ list: { $anyOrder: [{ id: 1 }] } }).matches({ list: [{ id: 1, extra: true }] }));
      assert.ok(!pattern({ list: { $anyOrder: [{ id: 1 }] } }, { exact: true }).matches({ list: [{ id: 1, extra: true }] }));
    });

    it('$contains: each pattern matches a distinct element, others allowed', function () {
      const m = pattern({ list: { $contains: [{ room: 1234 }] } });
      assert.ok(m.matches({ list: [{ room: 1 }, { room: 1234, description: 'Demo' }] }));
      assert.ok(!m.matches({ list: [{ room: 1 }] }));
      assert.ok(!m.matches({ list: [] }));
      assert.ok(pattern({ list: { $contains: [] } }).matches({ list: [] }));
      const twice = pattern({ list: { $contains: [1, 1] } });
      assert.ok(!twice.matches({ list: [1, 2] }), 'one actual 1 cannot satisfy two patterns');
      assert.ok(twice.matches({ list: [1, 2, 1] }));
    });

    it('the mismatch names the array and what was expected', function () {
      const [m] = pattern({ list: { $anyOrder: [1, 2] } }).mismatches({ list: [1, 3] });
      assert.equal(m!.at, 'list');
      assert.equal(m!.expected, 'an array of 2 element(s) matching [1,2] in any order');
      const [c] = pattern({ list: { $contains: [5] } }).mismatches({ list: [1] });
      assert.equal(c!.expected, 'an array containing elements matching [5]');
    });

    it('they expect an array of patterns', function () {
      assert.match(rejected({ list: { $anyOrder: 1 } }).message, /\$anyOrder expects an array of patterns/);
      assert.match(rejected({ list: { $contains: { a: 1 } } }).message, /\$contains expects an array of patterns/);
    });

    it('errors inside their patterns are reported with the element path', function () {
      const e = rejected({ list: { $contains: [{ id: '$intger' }] } });
      assert.deepEqual(e.path, ['expect', 'list', '$contains', 0, 'id']);
    });
  });

  describe('what an operator says it expected: the patterns it holds as they were compared', function () {
    const expected = (p: unknown, actual: unknown, options?: { values?: Record<string, unknown>; serverVersion?: string }) => pattern(p, options).mismatches(actual).map((x) => x.expected);

    it('$oneOf: placeholders resolved, markers and error names as a plain pattern says them', function () {
      assert.deepEqual(expected({ id: { $oneOf: ['${sid}', 1] } }, { id: 6225 }, { values: { sid: 42 } }), ['one of 42, 1']);
      assert.deepEqual(expected({ id: { $oneOf: ['$string', '$absent'] } }, { id: 6225 }), ['one of string, absent']);
      assert.deepEqual(expected({ error: { code: { $oneOf: ['HANDLE_NOT_FOUND', 'PLUGIN_NOT_FOUND'] } } }, { error: { code: 458 } }), ['one of 459 (HANDLE_NOT_FOUND), 460 (PLUGIN_NOT_FOUND)']);
    });

    it('$not: placeholders resolved, markers and error names as a plain pattern says them', function () {
      assert.deepEqual(expected({ id: { $not: '${sid}' } }, { id: 42 }, { values: { sid: 42 } }), ['anything but 42']);
      assert.deepEqual(expected({ session_id: { $not: '$absent' } }, {}), ['anything but absent']);
      assert.deepEqual(expected({ error: { code: { $not: 'SESSION_NOT_FOUND' } } }, { error: { code: 458 } }), ['anything but 458 (SESSION_NOT_FOUND)']);
      assert.deepEqual(expected({ v: { $not: { $gte: 1, $lte: 3 } } }, { v: 2 }), ['anything but a number >= 1 and a number <= 3']);
    });

    it('$anyOrder and $contains: the list with placeholders resolved, words in <>', function () {
      assert.deepEqual(expected({ handles: { $anyOrder: ['${h1}', '${h1}'] } }, { handles: [7, 8] }, { values: { h1: 7 } }), ['an array of 2 element(s) matching [7,7] in any order']);
      assert.deepEqual(expected({ list: { $contains: ['$integer', '${x}'] } }, { list: [] }, { values: { x: 'a' } }), ['an array containing elements matching [<integer>,"a"]']);
      assert.deepEqual(expected({ list: { $contains: [{ id: '${x}', name: '$string' }] } }, { list: [] }, { values: { x: 3 } }), ['an array containing elements matching [{"id":3,"name":<string>}]']);
    });

    it('objects, $exact, $regex and $janus inside an operator', function () {
      const reply = { $oneOf: [{ janus: 'success', data: { id: '${sid}' } }, { janus: 'error', error: { code: 'SESSION_NOT_FOUND' } }] };
      assert.deepEqual(expected(reply, { janus: 'ack' }, { values: { sid: 42 } }), ['one of {"janus":"success","data":{"id":42}}, {"janus":"error","error":{"code":<458 (SESSION_NOT_FOUND)>}}']);
      assert.deepEqual(expected({ d: { $not: { $exact: { a: '${x}' } } } }, { d: { a: 1 } }, { values: { x: 1 } }), ['anything but exactly {"a":1}']);
      assert.deepEqual(expected({ s: { $not: { $regex: '^${p}' } } }, { s: 'a.b' }, { values: { p: 'a.b' } }), ['anything but a string matching /^a\\.b/']);
      assert.deepEqual(expected({ janus: { $oneOf: [{ $janus: { '>=1.0.0': '${a}' } }, 'success'] } }, { janus: 'event' }, { values: { a: 'ack' }, serverVersion: '1.1.2' }), ['one of "ack" (expects Janus 1.0.0+ behaviour), "success"']);
      assert.deepEqual(expected({ janus: { $oneOf: [{ $janus: { '>=1.0.0': 'ack' } }, 'success'] } }, { janus: 'event' }), ['one of a value for a known Janus version (>=1.0.0); the server\'s version is unknown, "success"']);
    });
  });

  describe('placeholders in patterns', function () {
    it('a whole-string placeholder compares with the typed value', function () {
      const m = pattern({ session_id: '${sid}' }, { values: { sid: 42 } });
      assert.ok(m.matches({ session_id: 42 }));
      assert.deepEqual(m.mismatches({ session_id: '42' }), [{ at: 'session_id', expected: '42', actual: '42' }]);
    });

    it('a placeholder inside a longer string is interpolated', function () {
      const m = pattern({ opaque_id: 'test-${sid}' }, { values: { sid: 42 } });
      assert.ok(m.matches({ opaque_id: 'test-42' }));
      assert.deepEqual(m.mismatches({ opaque_id: 'test-43' }), [{ at: 'opaque_id', expected: '"test-42"', actual: 'test-43' }]);
    });

    it('a placeholder holding an object matches it deeply', function () {
      assert.ok(pattern({ data: '${saved}' }, { values: { saved: { a: [1, { b: 2 }] } } }).matches({ data: { a: [1, { b: 2 }] } }));
    });
  });

  describe('deepEqual', function () {
    it('compares structure, not identity or key order', function () {
      assert.ok(deepEqual({ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 }));
      assert.ok(!deepEqual({ a: 1 }, { a: 1, b: undefined }));
      assert.ok(!deepEqual([1], { 0: 1 }));
      assert.ok(!deepEqual(null, {}));
      assert.ok(!deepEqual(1, '1'));
    });
  });
});
