import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/commands.js';
import { defaultJobs, parseRunArgs, UsageError } from '../../src/cli/options.js';
import { wholeNumberOption } from '../../src/core/option-values.js';

describe('run options', function () {
  it('--jobs defaults to twice the CPUs, from 2 to 8, so a run without it is not one at a time', () => {
    assert.deepEqual([1, 2, 3, 4, 64].map((cpus) => defaultJobs(cpus)), [2, 4, 6, 8, 8]);
    assert.equal(parseRunArgs(['scenarios'], {}).jobs, defaultJobs(availableParallelism()));
    assert.ok(parseRunArgs(['scenarios'], {}).jobs > 1);
    assert.equal(parseRunArgs(['scenarios', '--jobs', '1'], {}).jobs, 1);
  });

  it('--transport that names nothing (an unset variable in a CI script) is refused: it planned no test, and the run passed', () => {
    for (const given of ['', ',', ' , ']) {
      assert.throws(() => parseRunArgs(['scenarios', '-t', given], {}), (e: Error) => e instanceof UsageError && e.message === `--transport names nothing (got ${JSON.stringify(given)}): give one or more names, comma-separated`);
    }
    assert.deepEqual(parseRunArgs(['scenarios', '-t', ' ws,, http'], {}).transports, ['ws', 'http']);
    assert.equal(parseRunArgs(['scenarios'], {}).transports, undefined);
  });

  it('--reporter-option is KEY=VALUE: without a key or an = it is refused, not an option set to nothing; a value keeps its own =', () => {
    for (const given of ['noequals', '', '=x']) {
      assert.throws(() => parseRunArgs(['scenarios', '-O', given], {}), (e: Error) => e instanceof UsageError && e.message === `--reporter-option ${JSON.stringify(given)}: expected KEY=VALUE, as output=results.xml`);
    }
    assert.deepEqual(parseRunArgs(['scenarios', '-O', 'output=a=b.xml', '-O', 'suiteName='], {}).reporterOptions, { output: 'a=b.xml', suiteName: '' });
  });
});

/**
 * Every whole-number option of every command is checked the same way (src/core/option-values.ts):
 * a negative number is a value that is wrong, not a value that is missing; 0 where an option
 * takes 1 or more is refused with the range, never taken as 1; digits only.
 */
describe('whole-number options', function () {
  /** What the command says, in-process, before anything is started or read. */
  async function said(args: string[]): Promise<{ code: number; err: string }> {
    let err = '';
    const code = await main(args, { out: () => {}, err: (s) => (err += `${s}\n`) });
    return { code, err: err.split('\n')[0]! };
  }

  it('run: --retries, --jobs and --min-tests say what they take and what they got', async function () {
    const cases: Array<[string[], string]> = [
      [['--retries', '-1'], '--retries is a whole number, 0 or more; not "-1"'],
      [['--jobs', '0'], '--jobs is a whole number, 1 or more; not "0"'],
      [['-j', '-2'], '--jobs is a whole number, 1 or more; not "-2"'],
      [['--jobs=-2'], '--jobs is a whole number, 1 or more; not "-2"'],
      [['--min-tests', '1.5'], '--min-tests is a whole number, 0 or more; not "1.5"'],
      [['--retries', '1e3'], '--retries is a whole number, 0 or more; not "1e3"'],
      [['--retries', ' 2'], '--retries is a whole number, 0 or more; not " 2"'],
      [['--jobs', '99999999999999999999'], '--jobs is a whole number, 1 or more; not "99999999999999999999" (too large to be read exactly)'],
    ];
    for (const [options, message] of cases) {
      assert.throws(() => parseRunArgs(['x.yaml', ...options], {}), (e: unknown) => e instanceof UsageError && e.message === message, options.join(' '));
    }
    const ok = parseRunArgs(['x.yaml', '--retries', '0', '--jobs', '3', '--min-tests', '12'], {});
    assert.deepEqual([ok.retries, ok.jobs, ok.minTests], [0, 3, 12]);
  });

  it('load, record and compare: the same check, with each option\'s range; exit 2, one line', async function () {
    const cases: Array<[string[], string]> = [
      [['load', 'x.yaml', '--users', '0'], 'error: --users is a whole number, from 1 to 20000; not "0"'],
      [['load', 'x.yaml', '--users', '-5'], 'error: --users is a whole number, from 1 to 20000; not "-5"'],
      [['load', 'x.yaml', '-u', '20001'], 'error: --users is a whole number, from 1 to 20000; not "20001"'],
      [['load', 'x.yaml', '--iterations', '0'], 'error: --iterations is a whole number, 1 or more; not "0"'],
      [['record', 'x.yaml', '--out', 'never-written.json', '--repeat', '-1'], 'error: --repeat is a whole number, from 1 to 10; not "-1"'],
      [['record', 'x.yaml', '--out', 'never-written.json', '--repeat', '0x2'], 'error: --repeat is a whole number, from 1 to 10; not "0x2"'],
      [['compare', 'x.yaml', '--baseline', 'never-read.json', '--confirm', '11'], 'error: --confirm is a whole number, from 0 to 10; not "11"'],
      [['compare', 'x.yaml', '--baseline', 'never-read.json', '--confirm', ''], 'error: --confirm is a whole number, from 0 to 10; not ""'],
    ];
    for (const [args, message] of cases) {
      const run = await said(args);
      assert.equal(run.code, 2, args.join(' '));
      assert.equal(run.err, message, args.join(' '));
    }
  });

  it('the check itself', function () {
    assert.equal(wholeNumberOption('--n', '7', { min: 1, max: 7 }), 7);
    assert.equal(wholeNumberOption('--n', '007', { min: 0 }), 7);
    assert.throws(() => wholeNumberOption('--n', '8', { min: 1, max: 7 }), (e: unknown) => e instanceof UsageError && e.message === '--n is a whole number, from 1 to 7; not "8"');
  });
});

describe('validate reads the config file', function () {
  const dir = mkdtempSync(join(tmpdir(), 'validate-config-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** What validate says, in-process. */
  async function validate(args: string[]): Promise<{ code: number; err: string }> {
    let err = '';
    const code = await main(['validate', ...args], { out: () => {}, err: (s) => (err += `${s}\n`) });
    return { code, err: err.split('\n')[0]! };
  }

  it('also when files are named: a --config that is missing or holds a typo is refused (it was not read, and validate passed)', async function () {
    const scenario = join(dir, 's.yaml');
    writeFileSync(scenario, 'name: ok\nsteps:\n  - request: ping\n');
    const typo = join(dir, 'typo.json');
    writeFileSync(typo, '{ "tmeout": "5s" }\n');
    assert.deepEqual(await validate(['--config', join(dir, 'nope.json'), scenario]), { code: 2, err: `error: --config ${join(dir, 'nope.json')}: no such file` });
    assert.deepEqual(await validate(['--config', typo, scenario]), { code: 2, err: `error: ${typo}: unknown option "tmeout"; did you mean "timeout"?` });
    const good = join(dir, 'good.json');
    writeFileSync(good, '{ "timeout": "5s" }\n');
    assert.equal((await validate(['--config', good, scenario])).code, 0);
  });
});
