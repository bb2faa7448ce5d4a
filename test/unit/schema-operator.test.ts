import assert from 'node:assert/strict';
import { createPatternCompiler } from '../../src/match/compile-pattern.js';
import type { Mismatch } from '../../src/match/contract.js';
import { knownSchema, validateSchema } from '../../src/schemas/catalogue.js';

/** `$schema` is never laxer than the run's own check of every message: strict, for the server's version. */
describe('$schema', function () {
  function mismatches(pattern: unknown, actual: unknown, serverVersion?: string): Mismatch[] {
    const compiler = createPatternCompiler(() => undefined, (_p, m) => assert.fail(m), knownSchema);
    const out: Mismatch[] = [];
    compiler.compile(pattern, ['expect'], false)(actual, '', { resolve: () => undefined, validateSchema, serverVersion }, out);
    return out;
  }
  const created = (data: Record<string, unknown>) => ({ janus: 'success', transaction: 'abc', data });

  it('a field the catalogue does not know fails, naming the schema once', function () {
    assert.deepEqual(mismatches({ $schema: 'core/success/create' }, created({ id: 1 }), '1.1.2'), []);
    const out = mismatches({ $schema: 'core/success/create' }, created({ id: 1, surprise: 1 }), '1.1.2');
    assert.equal(out.length, 1);
    assert.match(out[0]!.expected, /^valid against schema core\/success\/create: \/data\/surprise: unknown field/);
  });

  it('a wrong type fails on any version, known or not', function () {
    assert.equal(mismatches({ $schema: 'core/success/create' }, created({ id: 'seven' })).length, 1);
    assert.equal(mismatches({ $schema: 'core/success/create' }, created({ id: 'seven' }), '1.4.1').length, 1);
  });
});
