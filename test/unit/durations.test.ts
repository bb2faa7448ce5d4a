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

  it('--timeout and --step-timeout go through the same check', function () {
    assert.equal(parseRunArgs(['x.yaml', '--timeout', '2s', '--step-timeout', '250'], {}).scenarioTimeoutMs, 2000);
    for (const args of [['--timeout', '9999999999999'], ['--timeout', '0'], ['--step-timeout', '0s'], ['--step-timeout', 'soon']]) {
      assert.throws(() => parseRunArgs(['x.yaml', ...args], {}), (e: unknown) => e instanceof UsageError && e.message.startsWith(`${args[0]}: `), args.join(' '));
    }
  });
});
