import { strict as assert } from 'node:assert';
import { base36, transactionGenerator } from '../../src/run/seeded.js';

describe('seeded transaction ids', () => {
  it('base36 writes the same seven digits as toString(36).padStart(7, "0") over the whole 32-bit range', () => {
    const edges = [0, 1, 35, 36, 36 ** 2 - 1, 36 ** 6, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1];
    let x = 12345;
    const spread = Array.from({ length: 20_000 }, () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0));
    for (const n of [...edges, ...spread]) assert.equal(base36(n), n.toString(36).padStart(7, '0'), `for ${n}`);
  });

  it('the same seed and scope give the same ids, another scope other ids', () => {
    const a = transactionGenerator('seed', 'file\u0000ws');
    const b = transactionGenerator('seed', 'file\u0000ws');
    const c = transactionGenerator('seed', 'file\u0000http');
    const ids = [a(), a(), a()];
    assert.deepEqual([b(), b(), b()], ids);
    assert.notDeepEqual([c(), c(), c()], ids);
    for (const id of ids) assert.match(id, /^[0-9a-z]{14}$/);
  });

  it('a seed gives the ids it always gave: runs recorded before compare with runs made now', () => {
    const next = transactionGenerator('seed', 'file\u0000ws');
    assert.deepEqual([next(), next(), next()], ['01undcc1210ovs', '0ctcf4t1iysjnm', '1dmdero0epr5a1']);
  });
});
