import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { instanceKey, managedTargets, type ManagedTargets as Targets } from '../../src/cli/targets.js';
import { collectFiles } from '../../src/load/collect.js';
import { loadFiles } from '../../src/compile/load-files.js';
import { ExclusiveLock } from '../../src/run/exclusive.js';
import { JobPool } from '../../src/run/pool.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { knownSchema, validateSchema } from '../../src/schemas/catalogue.js';
import { errorCodeByName, errorNames } from '../../src/schemas/error-names.js';
import { registerBuiltinTransports } from '../../src/transports/registry.js';
import { mutantsOf } from '../support/mutants.js';

/**
 * The shipped suite asserts what matters: for every scenario, changing the first or the last
 * value it expects in a reply makes it fail. Mutants are written into a copy of `scenarios/`,
 * so relative includes still resolve, and run over http on the managed Janus.
 */
describe('every shipped scenario fails when an expected value changes', function () {
  this.timeout(300_000);
  let copy: string;
  let targets: Targets | undefined;
  const survivors: string[] = [];
  const broken: string[] = [];
  let mutants = 0;

  before(async function () {
    registerBuiltinTransports();
    copy = mkdtempSync(join(tmpdir(), 'janus-scenarios-mutants-'));
    cpSync('scenarios', copy, { recursive: true });
    const { files } = await collectFiles([copy], { fragments: false });
    // Mutant files by the name the loader shows them under (relative to the copy), and what changed.
    const labels = new Map<string, string>();
    for (const file of files) {
      mutantsOf(readFileSync(file, 'utf8')).forEach((mutant, i) => {
        const target = join(dirname(file), `${basename(file, '.yaml')}.mutant-${i}.yaml`);
        writeFileSync(target, mutant.text);
        labels.set(relative(copy, target), `${relative(copy, file)}:${mutant.where} ${mutant.what}`);
      });
    }
    const loaded = loadFiles([...labels.keys()].map((f) => join(copy, f)), { cwd: copy, knownSchema, errorCodes: { code: errorCodeByName, names: errorNames } });
    for (const d of loaded.diagnostics) broken.push(`${d.span.file}:${d.span.line}:${d.span.col} ${d.message}`);
    targets = await managedTargets(loaded.scenarios, { transports: ['http'], secrets: {}, tls: {} });
    const locks = new Map<string, ExclusiveLock>();
    const runs = loaded.scenarios
      .filter((s) => !s.requires.transports || s.requires.transports.includes('http'))
      .map((scenario) => async () => {
        const target = targets!.targetFor(scenario, 'http');
        if ('skip' in target) return;
        mutants++;
        const key = instanceKey(scenario);
        if (!locks.has(key)) locks.set(key, new ExclusiveLock());
        const result = await locks.get(key)!.run(scenario.requires.exclusive, () =>
          runScenario(scenario, target, { seed: 'mutants', stepTimeoutMs: 3000, scenarioTimeoutMs: 60_000, schemaMode: 'strict', validateSchema }),
        );
        const label = labels.get(scenario.file) ?? scenario.file;
        if (result.status !== 'failed') survivors.push(label);
        else if (result.failure?.kind === 'infrastructure') broken.push(`${label}: ${result.failure.summary}`);
      });
    const pool = new JobPool(runs, 4);
    pool.start();
    for (let i = 0; i < runs.length; i++) await pool.result(i);
  });

  after(async () => {
    await targets?.close();
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it('every mutant loads and runs against Janus', function () {
    assert.deepEqual(broken, []);
    assert.ok(mutants > 150, `only ${mutants} mutants ran`);
  });

  it('no mutant passes', function () {
    assert.deepEqual(survivors, []);
  });
});
