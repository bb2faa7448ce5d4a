import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { collectFiles } from '../../src/load/collect.js';
import { loadSuite } from '../../src/compile/load-suite.js';
import { planSuite } from '../../src/plan/plan.js';
import { runSuite } from '../../src/suite/run-suite.js';
import { registerBuiltinTransports } from '../../src/transports/registry.js';
import { mutantsOf } from '../support/mutants.js';

/** The managed Janus's version (`janus --version` says `... (1.1.2)`): steps for other versions are not mutated. */
const JANUS_VERSION = /\((\d+\.\d+\.\d+)\)/.exec(spawnSync('janus', ['--version'], { encoding: 'utf8' }).stdout ?? '')?.[1];

/**
 * The shipped suite asserts what matters: for every scenario, changing the first or the last
 * value it expects in a reply makes it fail. Mutants are written into a copy of `scenarios/`,
 * so relative includes still resolve, and run over http on the managed Janus.
 */
describe('every shipped scenario fails when an expected value changes', function () {
  this.timeout(300_000);
  let copy: string;
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
      mutantsOf(readFileSync(file, 'utf8'), JANUS_VERSION).forEach((mutant, i) => {
        const target = join(dirname(file), `${basename(file, '.yaml')}.mutant-${i}.yaml`);
        writeFileSync(target, mutant.text);
        labels.set(relative(copy, target), `${relative(copy, file)}:${mutant.where} ${mutant.what}`);
      });
    }
    const loaded = await loadSuite([...labels.keys()], { cwd: copy });
    for (const d of loaded.diagnostics) broken.push(`${d.span.file}:${d.span.line}:${d.span.col} ${d.message}`);
    const plan = await planSuite(loaded.scenarios, { transports: ['http'], stepTimeoutMs: 3000, scenarioTimeoutMs: 60_000, schemaMode: 'strict' });
    const outcome = await runSuite(plan, { jobs: 4, seed: 'mutants' });
    broken.push(...outcome.faults);
    for (const result of outcome.results.filter((r) => r.status !== 'skipped')) {
      mutants++;
      const label = labels.get(result.file) ?? result.file;
      if (result.status !== 'failed') survivors.push(label);
      else if (result.failure?.kind === 'infrastructure') broken.push(`${label}: ${result.failure.summary}`);
    }
  });

  after(async () => {
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
