import assert from 'node:assert/strict';
import { parseRunArgs, UsageError } from '../../src/cli/options.js';
import { checkDuration, MAX_DURATION_MS } from '../../src/core/duration.js';

describe('durations: one check for scenario files and the command line', function () {
  it('reads numbers and units up to the longest timer there is', function () {
    assert.deepEqual(checkDuration(1500), { ms: 1500 });
    assert.deepEqual(checkDuration('1.5s'), { ms: 1500 });
    assert.deepEqual(checkDuration('2147483647'), { ms: MAX_DURATION_MS });
    assert.deepEqual(checkDuration('0'), { ms: 0 }, 'zero where zero is allowed (sleep, for)');
  });

  it('refuses what a timer cannot do or what means nothing', function () {
    for (const [value, positive, problem] of [
      [2 ** 31, false, /longest timer/],
      ['35792m', false, /longest timer/],
      ['9999999999999', false, /longest timer/],
      [0, true, /no time at all/],
      ['0.1ms', true, /no time at all/],
      [-1, false, /expected a duration/],
      [1.5, false, /expected a duration/],
      ['1h', false, /expected a duration/],
      [null, false, /expected a duration/],
    ] as const) {
      const checked = checkDuration(value, { positive });
      assert.ok('problem' in checked && problem.test(checked.problem), `${JSON.stringify(value)}: ${JSON.stringify(checked)}`);
    }
  });

  it('a bare number under 100 must say its unit: timeout: 5 and --step-timeout 30 mean seconds to whoever wrote them', function () {
    for (const value of [1, 5, 30, 99, '5', '60']) {
      const checked = checkDuration(value, { positive: true });
      assert.ok('problem' in checked && /^"?\d+"? would be \d+ milliseconds: write \d+s for seconds, or \d+ms$/.test(checked.problem), `${JSON.stringify(value)}: ${JSON.stringify(checked)}`);
    }
    assert.deepEqual([checkDuration(100), checkDuration('5ms'), checkDuration('5s'), checkDuration(0)], [{ ms: 100 }, { ms: 5 }, { ms: 5000 }, { ms: 0 }]);
    assert.throws(() => parseRunArgs(['x.yaml', '--step-timeout', '30'], {}), (e: unknown) => e instanceof UsageError && /^--step-timeout: "30" would be 30 milliseconds: write 30s/.test(e.message));
  });

  it('--timeout and --step-timeout go through the same check', function () {
    assert.equal(parseRunArgs(['x.yaml', '--timeout', '2s', '--step-timeout', '250'], {}).scenarioTimeoutMs, 2000);
    for (const args of [['--timeout', '9999999999999'], ['--timeout', '0'], ['--step-timeout', '0s'], ['--step-timeout', 'soon']]) {
      assert.throws(() => parseRunArgs(['x.yaml', ...args], {}), (e: unknown) => e instanceof UsageError && e.message.startsWith(`${args[0]}: `), args.join(' '));
    }
  });
});
