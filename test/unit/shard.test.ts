import assert from 'node:assert/strict';
import { parseRunArgs, UsageError } from '../../src/cli/options.js';
import { parseShard, selectShard } from '../../src/plan/shard.js';

interface Planned {
  id: string;
  file: string;
  skipped?: boolean;
}

/**
 * A plan as the planner makes one: files in order, each with its scenarios x transports, of
 * uneven sizes (one large file, several of one test, a skipped test or two).
 */
function syntheticPlan(): Planned[] {
  const sizes = [1, 6, 2, 2, 1, 4, 3, 1, 1, 8, 2, 1];
  return sizes.flatMap((size, f) => Array.from({ length: size }, (_, t) => ({
    id: `scenarios/f${String(f).padStart(2, '0')}.yaml#s${t}`,
    file: `scenarios/f${String(f).padStart(2, '0')}.yaml`,
    skipped: (f + t) % 5 === 0,
  })));
}

const shares = (plan: Planned[], total: number): Planned[][] => Array.from({ length: total }, (_, i) => selectShard(plan, i + 1, total));

describe('selectShard (--shard i/n)', function () {
  const plan = syntheticPlan();
  const largestFile = 8;

  for (let total = 1; total <= 7; total++) {
    it(`splits the plan into ${total} share(s): each test in exactly one, files whole, planned order kept, balanced`, () => {
      const split = shares(plan, total);
      // A partition: every planned test (skipped ones too) once, nothing invented.
      const seen = split.flat().map((t) => t.id).sort();
      assert.deepEqual(seen, plan.map((t) => t.id).sort());
      assert.equal(new Set(seen).size, plan.length);
      assert.ok(split.flat().some((t) => t.skipped));
      for (const share of split) {
        // The planned order within a share.
        assert.deepEqual(share.map((t) => plan.indexOf(t)), share.map((t) => plan.indexOf(t)).sort((a, b) => a - b));
        // A file is never split: its tests are in this share only.
        for (const t of share) assert.ok(plan.filter((p) => p.file === t.file).every((p) => share.includes(p)), `${t.file} is split`);
      }
      const sizes = split.map((s) => s.length);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= largestFile, `shares of ${sizes.join('/')} differ by more than one file`);
      if (total === 1) assert.deepEqual(split[0], plan);
    });
  }

  it('balances by test count: 3 shares of this plan are 11/11/10, not contiguous runs of files', () => {
    assert.deepEqual(shares(plan, 3).map((s) => s.length), [11, 11, 10]);
  });

  it('is deterministic, and ignores where the checkout lives (only files and order count)', () => {
    for (let total = 1; total <= 7; total++) {
      for (let i = 1; i <= total; i++) {
        const here = selectShard(plan, i, total).map((t) => t.id);
        assert.deepEqual(selectShard(plan, i, total).map((t) => t.id), here);
        // The same plan checked out elsewhere: the files carry another prefix.
        const elsewhere = plan.map((t) => ({ ...t, file: `/builds/ci/job-${total}/${t.file}` }));
        assert.deepEqual(selectShard(elsewhere, i, total).map((t) => t.id), here);
      }
    }
  });

  it('gives empty shares when there are more shares than files, and still one share per test', () => {
    const small = plan.filter((t) => t.file <= 'scenarios/f02.yaml');
    const split = shares(small, 7);
    assert.deepEqual(split.map((s) => s.length), [6, 2, 1, 0, 0, 0, 0]);
    assert.equal(split.flat().length, small.length);
    assert.deepEqual(selectShard([], 1, 3), []);
  });

  it('refuses a share that does not exist', () => {
    assert.throws(() => selectShard(plan, 0, 3), /from 1 to 3, got 0/);
    assert.throws(() => selectShard(plan, 4, 3), /from 1 to 3, got 4/);
    assert.throws(() => selectShard(plan, 1, 0), /number of shards/);
    assert.throws(() => selectShard(plan, 1.5, 3), /from 1 to 3/);
  });
});

describe('parseShard', function () {
  it('reads I/N', () => {
    assert.deepEqual(parseShard('2/3'), { index: 2, total: 3 });
    assert.deepEqual(parseShard('1/1'), { index: 1, total: 1 });
    assert.deepEqual(parseShard('07/10'), { index: 7, total: 10 });
  });

  it('says in one line what is wrong with anything else', () => {
    for (const [text, problem] of [
      ['0/3', /--shard 0\/3: the shard must be a whole number from 1 to 3, got 0/],
      ['4/3', /--shard 4\/3: the shard must be a whole number from 1 to 3, got 4/],
      ['1/0', /--shard 1\/0: the number of shards must be a whole number from 1, got 0/],
      ['3', /--shard expects I\/N/],
      ['1/2/3', /--shard expects I\/N/],
      ['a/b', /--shard expects I\/N/],
      ['-1/3', /--shard expects I\/N/],
      ['1.5/3', /--shard expects I\/N/],
      ['', /--shard expects I\/N/],
      ['99999999999999999999/99999999999999999999', /number of shards/],
    ] as const) {
      const parsed = parseShard(text);
      assert.ok('problem' in parsed, `${text} was accepted`);
      assert.match(parsed.problem, problem);
      assert.doesNotMatch(parsed.problem, /\n/);
    }
  });

  it('run --shard: parsed with the run options; a bad value is a usage error (exit 2), before anything runs', () => {
    assert.deepEqual(parseRunArgs(['scenarios', '--shard', '2/3'], {}).shard, { index: 2, total: 3 });
    assert.equal(parseRunArgs(['scenarios'], {}).shard, undefined);
    assert.throws(() => parseRunArgs(['scenarios', '--shard', '3/2'], {}), (e: Error) => e instanceof UsageError && /--shard 3\/2: the shard must be a whole number from 1 to 2, got 3/.test(e.message));
    assert.throws(() => parseRunArgs(['scenarios', '--shard'], {}), (e: Error) => e instanceof UsageError && /--shard needs a value \(I\/N\)/.test(e.message));
  });
});
