import assert from 'node:assert/strict';
import { loadScenarios } from '../../src/cli/load-scenarios.js';
import { Redactor } from '../../src/report/redact.js';
import { scenarioDir } from '../support/cli.js';

/** A broken file's problem shows its source line: the run's secrets in it are masked, the caret still under its column. */
describe('load errors and secrets', function () {
  const SECRET = 'Zq7xKp9mWv3T';
  const files = scenarioDir({
    'syntax.yaml': `name: x\nsteps:\n  - request: { janus: create, apisecret: "${SECRET}"\n`,
    'key.yaml': `name: x\nsteps:\n  - { request: { janus: create, apisecret: "${SECRET}" }, expct: 1 }\n`,
  });
  after(() => files.remove());

  for (const file of ['syntax.yaml', 'key.yaml']) {
    it(`${file}: the secret given to the run is masked in the excerpt, and the caret points where it did`, async () => {
      const plain = await loadScenarios([files.path(file)], { fragments: false, redactor: new Redactor([]) });
      const masked = await loadScenarios([files.path(file)], { fragments: false, redactor: new Redactor([SECRET]) });
      assert.ok(plain.problems?.includes(SECRET), 'the unmasked excerpt shows it (the test can fail)');
      assert.ok(!masked.problems!.includes(SECRET), masked.problems);
      assert.ok(!masked.problems!.includes(SECRET.slice(0, 6)), 'no part of it either');
      const caret = (text: string) => text.split('\n').find((l) => /\|\s*\^/.test(l));
      assert.equal(caret(masked.problems!), caret(plain.problems!), 'the caret line is the same');
    });
  }

  it('without a redactor, the secrets of the environment are masked', async () => {
    const saved = process.env.JANUS_API_SECRET;
    process.env.JANUS_API_SECRET = SECRET;
    try {
      const loaded = await loadScenarios([files.path('key.yaml')], { fragments: false });
      assert.ok(!loaded.problems!.includes(SECRET), loaded.problems);
    } finally {
      if (saved === undefined) delete process.env.JANUS_API_SECRET;
      else process.env.JANUS_API_SECRET = saved;
    }
  });
});
