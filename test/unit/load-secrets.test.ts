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

  it('a value the file itself declares secret is masked in the excerpt and redacted in the message, the caret where it was', async () => {
    const PIN = 'Pv8rNq2LxW4c';
    const PIECE = 'Sfx9QkTr2mLp';
    const dir = scenarioDir({
      'declared.yaml': `name: x\nvariables: { pin: "${PIN}", key: "\${env.HOME}-${PIECE}" }\nsecrets: [pin, key]\nsteps:\n  - { request: { janus: create, apisecret: "${PIN}", k: "${PIECE}" }, timeout: ${PIN}, expct: 1 }\n`,
    });
    try {
      const loaded = await loadScenarios([dir.path('declared.yaml')], { fragments: false, redactor: new Redactor([]) });
      const problems = loaded.problems!;
      assert.match(problems, /declared\.yaml:5:/, 'the problems of line 5 are shown (the test can fail)');
      for (const secret of [PIN, PIECE]) for (let i = 0; i + 4 <= secret.length; i++) assert.ok(!problems.includes(secret.slice(i, i + 4)), `${secret.slice(i, i + 4)} shown:\n${problems}`);
      const line5 = `  - { request: { janus: create, apisecret: "${PIN}", k: "${PIECE}" }, timeout: ${PIN}, expct: 1 }`;
      const stars = (v: string) => '*'.repeat(v.length);
      assert.ok(problems.includes(`5 | ${line5.replaceAll(PIN, stars(PIN)).replace(PIECE, stars(PIECE))}`), `the line keeps its columns:\n${problems}`);
    } finally {
      dir.remove();
    }
  });
});
