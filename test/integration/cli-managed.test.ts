import assert from 'node:assert/strict';
import { eventually } from '../support/admin.js';
import { readdirSync, readFileSync } from 'node:fs';
import { hasHandle, isRunning, managedJanusPids, runCli, scenarioDir, SLEEPS_WITH_A_HANDLE, startCli, tmpdirPerTest } from '../support/cli.js';

/**
 * The CLI with no --url starts its own Janus: the one the scenarios need, configured their way,
 * and removes it (process and temp folder) after a pass, a failure and Ctrl-C.
 */
describe('CLI with a managed Janus', function () {
  const files = scenarioDir({
    'secret.yaml': `name: a scenario that needs an api_secret
requires:
  plugins: [janus.plugin.echotest]
  janus: { api_secret: s3cret, session_timeout: 17 }
steps:
  - request: info
    expect: { janus: server_info, api_secret: true, session-timeout: 17, plugins: { janus.plugin.echotest: $object } }
  - request: { janus: create, apisecret: wrong }
    expect: { janus: error, error: { code: 403 } }
  - request: create
    expect: { janus: success }
`,
    'plain.yaml': `name: a scenario on a Janus without secrets
requires: { plugins: [janus.plugin.echotest] }
steps:
  - request: info
    expect: { api_secret: false, session-timeout: 60 }
  - request: create
`,
    'fails.yaml': `name: a failing scenario
steps:
  - request: create
    expect: { janus: error }
`,
    'sleeps.yaml': `name: sleeps
steps:
  - request: create
  - sleep: 30s
`,
    'attached.yaml': SLEEPS_WITH_A_HANDLE,
  });
  const tmp = tmpdirPerTest();
  const env = tmp.env;
  after(() => files.remove());

  it('starts one Janus per configuration, injects its api_secret, and passes over all four transports', async () => {
    const run = await runCli(['run', files.path('secret.yaml'), files.path('plain.yaml'), '--transport', 'http,ws,https,wss'], { env: env() });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /8 passing/);
  });

  it('after a failing run leaves no Janus process and no temp folder; exit 1', async () => {
    const cli = startCli(['run', files.path('fails.yaml')], { env: env() });
    const run = await cli.done;
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.deepEqual(managedJanusPids(cli.child.pid), []);
  });

  it('on Ctrl-C stops its Janus, removes the temp folder and exits 130', async () => {
    const cli = startCli(['run', files.path('sleeps.yaml'), '--transport', 'ws'], { env: env() });
    assert.ok(await eventually(() => managedJanusPids(cli.child.pid).length === 1), `no managed Janus appeared: ${cli.output()}`);
    const [janusPid] = managedJanusPids(cli.child.pid);
    await new Promise((r) => setTimeout(r, 300));
    cli.child.kill('SIGINT');
    const run = await cli.done;
    assert.equal(run.code, 130, run.stdout + run.stderr);
    assert.ok(await eventually(() => !isRunning(janusPid!)), 'the managed Janus survived Ctrl-C');
  });

  it('after SIGKILL its Janus dies with it, and the next run removes the orphaned folder', async () => {
    const cli = startCli(['run', files.path('sleeps.yaml'), '--transport', 'ws'], { env: env() });
    assert.ok(await eventually(() => managedJanusPids(cli.child.pid).length === 1), `no managed Janus appeared: ${cli.output()}`);
    const [janusPid] = managedJanusPids(cli.child.pid);
    cli.child.kill('SIGKILL');
    await cli.done;
    assert.ok(await eventually(() => !isRunning(janusPid!)), 'the managed Janus outlived its killed parent');
    assert.equal(readdirSync(tmp.dir()).length, 1, 'SIGKILL leaves the instance folder');
    const next = await runCli(['run', files.path('plain.yaml')], { env: env() });
    assert.equal(next.code, 0, next.stdout + next.stderr);
  });

  it('names a Janus that died during the run (a crash) as the cause of the server problems, exit 3', async () => {
    const cli = startCli(['run', files.path('attached.yaml'), '--transport', 'ws'], { env: env() });
    assert.ok(await eventually(() => managedJanusPids(cli.child.pid).length === 1), `no managed Janus appeared: ${cli.output()}`);
    const [janusPid] = managedJanusPids(cli.child.pid);
    // Dying while it starts is another message: wait until the scenario has attached its handle.
    assert.ok(await eventually(() => hasHandle(janusPid!)), `no handle attached: ${cli.output()}`);
    process.kill(janusPid!, 'SIGABRT');
    const run = await cli.done;
    assert.equal(run.code, 3, run.stdout + run.stderr);
    assert.match(run.stdout + run.stderr, /the managed Janus died during the run \(signal SIGABRT\)/);
    assert.equal(readdirSync(tmp.dir()).length, 0, 'the instance folder is left');
  });

  it('exits 3 with one line when Janus cannot be started', async () => {
    const run = await runCli(['run', files.path('plain.yaml'), '--janus-binary', '/nonexistent/janus'], { env: env() });
    assert.equal(run.code, 3, run.stdout + run.stderr);
    assert.match(run.stderr, /^error: cannot start Janus: .+$/m);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });
});

