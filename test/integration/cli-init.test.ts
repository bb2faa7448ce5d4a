import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, tmpdirPerTest } from '../support/cli.js';

/** `janus-scenarios init` writes a starter project that passes against the managed Janus at once. */
describe('CLI: init', function () {
  const tmp = tmpdirPerTest();
  let project: string;
  beforeEach(() => (project = mkdtempSync(join(tmpdir(), 'jstest-init-'))));
  afterEach(() => rmSync(project, { recursive: true, force: true }));

  it('writes a scenario, a fragment, a config and a CI job that pass at once (colour with FORCE_COLOR)', async () => {
    const init = await runCli(['init', project]);
    assert.equal(init.code, 0, init.stderr);
    for (const file of ['scenarios/echotest.yaml', 'scenarios/fragments/echotest-session.fragment.yaml', 'janus-scenarios.config.json', '.github/workflows/janus-scenarios.yml', 'package.json']) {
      assert.ok(existsSync(join(project, file)), file);
    }
    assert.match(readFileSync(join(project, 'scenarios/echotest.yaml'), 'utf8'), /^# yaml-language-server: \$schema=\S+\/schema\/scenario\.schema\.json\n/);
    assert.match(readFileSync(join(project, '.github/workflows/janus-scenarios.yml'), 'utf8'), /npx janus-scenarios run/);

    const validate = await runCli(['validate'], { cwd: project });
    assert.equal(validate.code, 0, validate.stdout + validate.stderr);
    assert.match(validate.stdout, /2 file\(s\) valid/);

    const run = await runCli(['run'], { cwd: project, env: { ...tmp.env(), FORCE_COLOR: '1' } });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /2 passing/);
    assert.match(run.stdout, /\u001b\[32m✔\u001b\[39m echotest answers/, 'FORCE_COLOR colours a piped console');
    assert.doesNotMatch(run.stdout, /\r/, 'no status line redrawn in a log');
    assert.ok(existsSync(join(project, 'reports/junit.xml')), 'the reporters of the config file wrote their files');

    const plain = await runCli(['run', '--no-color', '--transport', 'http'], { cwd: project, env: { ...tmp.env(), FORCE_COLOR: '1' } });
    assert.equal(plain.code, 0, plain.stdout + plain.stderr);
    assert.match(plain.stdout, /1 passing/, 'the command line wins over the config file');
    assert.doesNotMatch(plain.stdout, /\u001b\[/);
  });

  // The README's "--url ws://host:8188" in a project init made: the transports http and ws come
  // from its config file, which the user may not have in mind; the message said only "--transport http".
  it('a --url for fewer transports than the config file names says the file names them, and how to run over the URL', async () => {
    assert.equal((await runCli(['init', project])).code, 0);
    const run = await runCli(['run', '--url', 'ws://127.0.0.1:1'], { cwd: project, env: tmp.env() });
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.equal(run.stderr.split('\n')[0], 'error: --transport http (from janus-scenarios.config.json) needs a --url for it (given: ws); give --transport ws to run over the given URL only');
  });

  it('points the modeline at the installed package, and keeps existing files unless --force', async () => {
    mkdirSync(join(project, 'node_modules/janus-scenarios/schema'), { recursive: true });
    const init = await runCli(['init'], { cwd: project });
    assert.equal(init.code, 0, init.stderr);
    assert.match(readFileSync(join(project, 'scenarios/echotest.yaml'), 'utf8'), /^# yaml-language-server: \$schema=\.\.\/node_modules\/janus-scenarios\/schema\/scenario\.schema\.json\n/);
    assert.match(readFileSync(join(project, 'scenarios/fragments/echotest-session.fragment.yaml'), 'utf8'), /^# yaml-language-server: \$schema=\.\.\/\.\.\/node_modules\/janus-scenarios\/schema\/fragment\.schema\.json\n/);
    const again = await runCli(['init'], { cwd: project });
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exist\(s\); give --force to overwrite/);
    assert.equal((await runCli(['init', '--force'], { cwd: project })).code, 0);
  });
});
