import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { defaultJobs, parseRunArgs } from '../../src/cli/options.js';

describe('run options', function () {
  it('--jobs defaults to twice the CPUs, from 2 to 8, so a run without it is not one at a time', () => {
    assert.deepEqual([1, 2, 3, 4, 64].map((cpus) => defaultJobs(cpus)), [2, 4, 6, 8, 8]);
    assert.equal(parseRunArgs(['scenarios'], {}).jobs, defaultJobs(availableParallelism()));
    assert.ok(parseRunArgs(['scenarios'], {}).jobs > 1);
    assert.equal(parseRunArgs(['scenarios', '--jobs', '1'], {}).jobs, 1);
  });
});
