import assert from 'node:assert/strict';
import { loadFiles } from '../../src/compile/load-files.js';
import { UsageError } from '../../src/core/usage-error.js';
import { planSuite } from '../../src/plan/plan.js';
import { registerBuiltinTransports } from '../../src/transports/registry.js';
import { scenarioDir } from '../support/cli.js';

/** `--grep` that selects nothing is a mistake to report (exit 2), as `--tags` is: never a green run of nothing. */
describe('planning with --grep', function () {
  const files = scenarioDir({ 'alpha.yaml': 'name: alpha\nsteps:\n  - request: ping\n' });
  after(() => files.remove());
  before(() => registerBuiltinTransports());
  const scenarios = () => loadFiles([files.path('alpha.yaml')], {}).scenarios;
  // A port nothing listens on: a plan that got as far as asking the server would have a fault, not throw.
  const urls = ['ws://127.0.0.1:1'];

  it('a --grep no test matches is a usage error naming it, before anything is asked of a server', async () => {
    await assert.rejects(planSuite(scenarios(), { urls, grep: 'alpah' }), (e: unknown) => e instanceof UsageError && /no test matches --grep "alpah"/.test(e.message));
    await assert.rejects(planSuite(scenarios(), { urls, grep: 'alpha', invert: true }), (e: unknown) => e instanceof UsageError && /with --invert/.test(e.message));
  });

  it('a --grep that matches plans those tests', async () => {
    const plan = await planSuite(scenarios(), { urls, grep: 'alpha' });
    assert.deepEqual(plan.tests.map((t) => t.info.title), ['alpha [ws]']);
  });
});
