import assert from 'node:assert/strict';
import { compileString } from '../../src/compile/template.js';
import { createPatternCompiler } from '../../src/match/compile-pattern.js';
import type { Mismatch } from '../../src/match/contract.js';

/**
 * `$regex` against text the server chose never hangs the run: an expression that backtracks
 * without end on it is given up (a mismatch saying so) instead of spinning with the run's
 * timers and Ctrl-C unheard. Without the guards each case below would not end.
 */
function mismatchesOf(pattern: unknown, actual: unknown, values: Record<string, unknown> = {}): Mismatch[] {
  const compiler = createPatternCompiler((s, path) => (s.includes('${') ? compileString(s, path, () => true) : undefined), (_p, m) => assert.fail(m), () => false);
  const out: Mismatch[] = [];
  compiler.compile(pattern, ['expect'], false)(actual, '', { resolve: (t) => t({ lookup: (ref) => values[ref] }), validateSchema: () => undefined }, out);
  return out;
}

describe('$regex on hostile text', function () {
  this.timeout(20_000);
  const reason = 'a'.repeat(5000);

  it('nested quantifiers run in linear time: a plain mismatch', function () {
    const out = mismatchesOf({ reason: { $regex: '(a+)+b' } }, { reason });
    assert.equal(out.length, 1);
    assert.equal(out[0]!.expected, 'a string matching /(a+)+b/');
    assert.equal(mismatchesOf({ reason: { $regex: '(a+)+b' } }, { reason: `${reason}b` }).length, 0, 'and a match still matches');
  });

  it('an expression the linear engine cannot run (lookaround) is given up after its time limit, saying so', function () {
    const out = mismatchesOf({ reason: { $regex: '(?=(a+)+b)' } }, { reason: 'a'.repeat(40) });
    assert.equal(out.length, 1);
    assert.match(out[0]!.expected, /given up after 1000 ms on this text: the expression backtracks without end on it/);
  });

  it('a value put into the expression is matched as its text, not read as regex syntax', function () {
    const pattern = { version: { $regex: '^${vs}$' } };
    assert.deepEqual(mismatchesOf(pattern, { version: '1.1.2' }, { vs: '1.1.2' }), []);
    assert.equal(mismatchesOf(pattern, { version: '1x1y2' }, { vs: '1.1.2' }).length, 1, 'the dots of the saved value are dots');
    assert.deepEqual(mismatchesOf({ n: { $regex: '^id ${id}$' } }, { n: 'id 42' }, { id: 42 }), [], 'a number is its digits');
  });

  it('lookaheads as the suite writes them still match and mismatch, also built from placeholders', function () {
    const sdp = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=Mountpoint 7\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n';
    const pattern = { sdp: { $regex: '^v=0\\r\\n(?=[\\s\\S]*\\r\\ns=Mountpoint ${mp}\\r\\n)(?![\\s\\S]*m=video)' } };
    assert.deepEqual(mismatchesOf(pattern, { sdp }, { mp: 7 }), []);
    assert.equal(mismatchesOf(pattern, { sdp }, { mp: 8 }).length, 1);
    assert.equal(mismatchesOf(pattern, { sdp: `${sdp}m=video 9\r\n` }, { mp: 7 }).length, 1);
  });
});
