import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startJanus, type ManagedJanus } from '../../src/managed/index.js';
import { findInstallation } from '../../src/managed/installation.js';
import { runCli, scenarioDir, tmpdirPerTest } from '../support/cli.js';

const ECHO = `name: echotest answers
requires: { plugins: [janus.plugin.echotest] }
steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.echotest }
  - request: { janus: message, body: { audio: true } }
    expect: { janus: ack }
`;

const ADMIN = `name: the admin api lists the session
steps:
  - request: create
  - admin: list_sessions
    expect: { sessions: { $contains: ["\${session}"] } }
`;

const VIDEOROOM = `name: videoroom lists rooms
requires: { plugins: [janus.plugin.videoroom] }
steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.videoroom }
  - request: { janus: message, body: { request: list } }
    expect: { plugindata: { data: { videoroom: success } } }
`;

/** What a server or an installation lacks is skipped with the reason; the rest runs. */
describe('CLI: skipping what the server lacks', function () {
  const files = scenarioDir({ 'echo.yaml': ECHO, 'admin.yaml': ADMIN, 'videoroom.yaml': VIDEOROOM });
  after(() => files.remove());

  describe('against a running Janus (--url) without --admin-url', function () {
    let janus: ManagedJanus;
    before(async () => {
      janus = await startJanus({ plugins: ['janus.plugin.echotest'], transports: ['http', 'ws'], config: {} });
    });
    after(() => janus?.stop());

    it('skips the scenarios with admin: steps, saying why, runs the rest; exit 0', async () => {
      const run = await runCli(['run', files.path('echo.yaml'), files.path('admin.yaml'), '--url', janus.endpoints.http!, '--url', janus.endpoints.ws!, '--reporter', 'spec', '--reporter', `junit:${files.path('junit.xml')}`]);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /the admin api lists the session \[http\] skipped: needs the Admin API: give --admin-url/);
      assert.match(run.stdout, /2 passing/);
      assert.match(run.stdout, /2 skipped/);
      assert.doesNotMatch(run.stdout + run.stderr, /server problem|no Admin API address is known/);
      assert.match(readFileSync(files.path('junit.xml'), 'utf8'), /<skipped message="needs the Admin API: give --admin-url"/);
    });

    it('--list prints every planned test with its skip reason and runs nothing', async () => {
      const run = await runCli(['run', files.path('echo.yaml'), files.path('admin.yaml'), '--url', janus.endpoints.http!, '--list']);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const lines = run.stdout.trim().split('\n');
      assert.equal(lines.length, 3, run.stdout);
      // In the order the command line names the files.
      assert.match(lines[0]!, /echo\.yaml: echotest answers \[http\]$/);
      assert.match(lines[1]!, /admin\.yaml: the admin api lists the session \[http\] {2}\(skipped: needs the Admin API: give --admin-url\)$/);
      assert.equal(lines[2], '2 test(s) planned: 1 to run, 1 skipped');
      assert.doesNotMatch(run.stdout, /passing/);
    });

    it('a run where everything is skipped says so; --fail-on-skip and --min-tests make it fail (exit 1)', async () => {
      const base = ['run', files.path('admin.yaml'), '--url', janus.endpoints.http!];
      const quiet = await runCli(base);
      assert.equal(quiet.code, 0, quiet.stdout + quiet.stderr);
      assert.match(quiet.stderr, /^all 1 test\(s\) were skipped: nothing ran \(--fail-on-skip or --min-tests N makes such a run fail\)$/m);
      const strict = await runCli([...base, '--fail-on-skip']);
      assert.equal(strict.code, 1, strict.stdout + strict.stderr);
      assert.match(strict.stderr, /failing the run: 1 test\(s\) skipped and --fail-on-skip is set/);
      const minimum = await runCli([...base, '--min-tests', '1']);
      assert.equal(minimum.code, 1, minimum.stdout + minimum.stderr);
      assert.match(minimum.stderr, /failing the run: 0 test\(s\) ran, fewer than --min-tests 1/);
      const enough = await runCli(['run', files.path('echo.yaml'), '--url', janus.endpoints.http!, '--min-tests', '1', '--fail-on-skip']);
      assert.equal(enough.code, 0, enough.stdout + enough.stderr);
    });
  });

  describe('a managed Janus whose installation lacks a plugin', function () {
    const tmp = tmpdirPerTest();
    let fake: string;
    before(async () => {
      // An installation like Debian's, without the VideoRoom plugin: a janus wrapper in
      // <prefix>/bin and the module folders in <prefix>/lib/janus.
      const real = await findInstallation();
      fake = mkdtempSync(join(tmpdir(), 'jstest-install-'));
      mkdirSync(join(fake, 'bin'));
      writeFileSync(join(fake, 'bin', 'janus'), `#!/bin/sh\nexec ${real.binary} "$@"\n`);
      chmodSync(join(fake, 'bin', 'janus'), 0o755);
      for (const folder of ['plugins', 'transports', 'events', 'loggers']) {
        mkdirSync(join(fake, 'lib', 'janus', folder), { recursive: true });
        for (const lib of readdirSync(join(real.moduleDir, folder))) {
          if (!lib.includes('videoroom')) symlinkSync(join(real.moduleDir, folder, lib), join(fake, 'lib', 'janus', folder, lib));
        }
      }
    });
    after(() => rmSync(fake, { recursive: true, force: true }));

    it('skips the scenarios that need it, with the reason, and runs the rest; exit 0', async () => {
      const junit = files.path('managed-junit.xml');
      const run = await runCli(['run', files.path('echo.yaml'), files.path('videoroom.yaml'), '--janus-binary', join(fake, 'bin', 'janus'), '--transport', 'http', '--reporter', 'spec', '--reporter', `junit:${junit}`], { env: tmp.env() });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /✔ echotest answers \[http\]/);
      assert.match(run.stdout, /videoroom lists rooms \[http\] skipped: the Janus installation in \S+ lacks janus\.plugin\.videoroom/);
      const xml = readFileSync(junit, 'utf8');
      assert.doesNotMatch(xml, /unfinished/);
      assert.match(xml, /<skipped message="the Janus installation in [^"]+ lacks janus\.plugin\.videoroom"/);
    });
  });
});
