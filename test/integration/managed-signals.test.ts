import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installedModules, JanusStartError, startJanus } from '../../src/managed/index.js';
import { eventually } from '../support/admin.js';
import { hasHandle, isRunning, kill, managedJanusPids, scenarioDir, SLEEPS_WITH_A_HANDLE, tmpdirPerTest, type CliRun } from '../support/cli.js';

/**
 * Signals and odd Janus binaries around a managed Janus: Ctrl-C and SIGTERM while it starts
 * stop the start at once; a binary that starts something in the background and exits is a
 * failed start that leaves nothing behind; a terminal's Ctrl-C (SIGINT to the whole process
 * group) leaves Janus to the cleanup, which destroys the sessions first; a killed runner takes
 * everything the binary started with it.
 *
 * The runner is tsc's build of the CLI (dist/src/cli/main.js): the same sources as the bundle,
 * without waiting for the bundle to be rebuilt.
 */
const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** Logs as Janus does while it loads, never opens a port, ignores SIGTERM, and has a child of its own. */
const NEVER_READY = `#!/bin/sh
trap '' TERM INT HUP
sleep 1000 &
echo "$$ $! $2" >> "$FAKE_PIDS"
while :; do echo "Loading plugin..."; sleep 0.2; done
`;
/** A wrapper that starts "Janus" in the background and exits. */
const FORKS = `#!/bin/sh
sleep 1000 &
echo "$$ $! $2" >> "$FAKE_PIDS"
exit 0
`;
/**
 * The same, with the background process in a session of its own (a daemon) that still holds
 * an output pipe (stderr). The wrapper exits once the daemon is out of its group.
 */
const ESCAPES = `#!/bin/sh
setsid sh -c 'sleep 1000 >/dev/null & echo "$1 $! $2" >> "$FAKE_PIDS"; echo left' daemon "$$" "$2" | read -r _
exit 0
`;

interface Runner {
  pid: number;
  done: Promise<CliRun>;
  output: () => string;
}

describe('managed Janus under signals and odd binaries', function () {
  const files = scenarioDir({
    'info.yaml': 'name: asks for info\nsteps:\n  - request: info\n',
    'attaches.yaml': 'name: attaches\nrequires: { plugins: [janus.plugin.echotest] }\nsteps:\n  - request: create\n  - request: { janus: attach, plugin: janus.plugin.echotest }\n',
    'attached.yaml': SLEEPS_WITH_A_HANDLE,
  });
  const pidFile = join(files.dir, 'fake-pids');
  let moduleDir: string;
  const runners: Runner[] = [];

  before(async () => {
    moduleDir = (await installedModules()).moduleDir;
  });
  beforeEach(() => rmSync(pidFile, { force: true }));
  // Before tmpdirPerTest's check, which stops the hooks after it when it fails: a failed test
  // must not leave its runner or fake Janus running.
  afterEach(function () {
    for (const runner of runners.splice(0)) kill(runner.pid);
    for (const fake of fakes()) {
      for (const pid of [fake.pid, fake.child]) kill(pid);
      // What a failed test's killed runner left: the test said so already.
      if (this.currentTest?.state === 'failed') rmSync(fake.dir, { recursive: true, force: true });
    }
  });
  const tmp = tmpdirPerTest();
  after(() => files.remove());

  /** A Janus installation whose binary is `script` and whose modules are the real ones. */
  function fakeBinary(name: string, script: string): string {
    const root = join(files.dir, name);
    if (!existsSync(root)) {
      mkdirSync(join(root, 'bin'), { recursive: true });
      mkdirSync(join(root, 'lib'));
      symlinkSync(moduleDir, join(root, 'lib', 'janus'));
      writeFileSync(join(root, 'bin', 'janus'), script, { mode: 0o755 });
    }
    return join(root, 'bin', 'janus');
  }

  /** What the fake binaries started: the binary's pid, its background child's, its instance folder. */
  function fakes(): Array<{ pid: number; child: number; dir: string }> {
    if (!existsSync(pidFile)) return [];
    return readFileSync(pidFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => {
      const [pid, child, dir] = line.split(' ');
      return { pid: Number(pid), child: Number(child), dir: dir! };
    });
  }

  /** The CLI, optionally in a process group of its own (as a shell runs a command). */
  function startRunner(args: string[], ownGroup = false): Runner {
    const child = spawn(process.execPath, [MAIN, ...args], {
      env: { ...process.env, NO_COLOR: '1', ...tmp.env(), FAKE_PIDS: pidFile },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: ownGroup,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const done = new Promise<CliRun>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
    const runner = { pid: child.pid!, done, output: () => stdout + stderr };
    runners.push(runner);
    return runner;
  }

  /** The run's end, or a failure (the runner is killed) when it does not come within `limitMs`. */
  async function exitWithin(runner: Runner, limitMs: number): Promise<CliRun> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), limitMs)));
    const outcome = await Promise.race([runner.done, late]);
    clearTimeout(timer);
    if (outcome === 'late') {
      kill(runner.pid);
      assert.fail(`the runner was still running ${limitMs} ms later: ${runner.output()}`);
    }
    return outcome;
  }

  async function assertAllGone(pids: number[]): Promise<void> {
    assert.ok(await eventually(() => pids.every((pid) => !isRunning(pid)), 5000), `left running: ${pids.filter(isRunning).map(described).join(', ')}`);
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`a first ${signal} while Janus starts stops the start at once: exit 130, its processes and folder gone`, async () => {
      const runner = startRunner(['run', files.path('info.yaml'), '--janus-binary', fakeBinary('never-ready', NEVER_READY)]);
      assert.ok(await eventually(() => fakes().length === 1), `the fake Janus did not start: ${runner.output()}`);
      const [fake] = fakes();
      process.kill(runner.pid, signal);
      // Without the abort, the start goes on until Janus has been silent 10 s (it never is: 60 s).
      const run = await exitWithin(runner, 5000);
      assert.equal(run.code, 130, run.stdout + run.stderr);
      await assertAllGone([fake!.pid, fake!.child]);
      assert.equal(existsSync(fake!.dir), false, 'the instance folder is left');
    });
  }

  it('a binary that starts Janus in the background and exits is a failed start: exit 3, one line, nothing left', async () => {
    const runner = startRunner(['run', files.path('info.yaml'), '--janus-binary', fakeBinary('forks', FORKS)]);
    const run = await exitWithin(runner, 10_000);
    assert.equal(run.code, 3, run.stdout + run.stderr);
    assert.match(run.stdout, /server problem: cannot start Janus: the Janus binary exited during startup \(code 0\)[^\n]*in the foreground/);
    const [fake] = fakes();
    await assertAllGone([fake!.child]);
    assert.equal(existsSync(fake!.dir), false, 'the instance folder is left');
  });

  it('does not wait for the output pipes a daemon it cannot stop still holds', async () => {
    const runner = startRunner(['run', files.path('info.yaml'), '--janus-binary', fakeBinary('escapes', ESCAPES)]);
    const run = await exitWithin(runner, 10_000);
    assert.equal(run.code, 3, run.stdout + run.stderr);
    const [fake] = fakes();
    // It left the process group: the runner cannot know it, so the test ends it.
    assert.ok(isRunning(fake!.child), 'the daemon is expected to outlive the runner');
    kill(fake!.child);
    await assertAllGone([fake!.child]);
  });

  it('a killed runner (SIGKILL) takes every process the binary started with it', async () => {
    const runner = startRunner(['run', files.path('info.yaml'), '--janus-binary', fakeBinary('never-ready', NEVER_READY)]);
    assert.ok(await eventually(() => fakes().length === 1), `the fake Janus did not start: ${runner.output()}`);
    const [fake] = fakes();
    process.kill(runner.pid, 'SIGKILL');
    await runner.done;
    await assertAllGone([fake!.pid, fake!.child]);
    // A killed runner leaves its folder to the next run's sweep.
    for (const name of readdirSync(tmp.dir())) rmSync(join(tmp.dir(), name), { recursive: true, force: true });
  });

  it('a terminal\'s Ctrl-C (SIGINT to the whole process group) leaves Janus to the cleanup: no session left, Janus stopped', async () => {
    const runner = startRunner(['run', files.path('attached.yaml'), '--transport', 'ws'], true);
    assert.ok(await eventually(() => managedJanusPids(runner.pid).length === 1), `no managed Janus appeared: ${runner.output()}`);
    const [janusPid] = managedJanusPids(runner.pid);
    assert.ok(await eventually(() => hasHandle(janusPid!)), `no handle attached: ${runner.output()}`);
    process.kill(-runner.pid, 'SIGINT');
    const run = await exitWithin(runner, 20_000);
    assert.equal(run.code, 130, run.stdout + run.stderr);
    assert.doesNotMatch(run.stdout + run.stderr, /may be left on the server/);
    await assertAllGone([janusPid!]);
  });

  // Its sessions died with it: the cleanup could not destroy them, and none is left anywhere.
  it('a managed Janus killed mid-scenario: exit 3 naming its death, and no "session may be left" warning; it is started again for the tests after it, which pass', async () => {
    const runner = startRunner(['run', files.path('attached.yaml'), files.path('info.yaml'), files.path('attaches.yaml'), '--transport', 'ws', '--jobs', '1']);
    assert.ok(await eventually(() => managedJanusPids(runner.pid).length === 1), `no managed Janus appeared: ${runner.output()}`);
    const [janusPid] = managedJanusPids(runner.pid);
    assert.ok(await eventually(() => hasHandle(janusPid!)), `no handle attached: ${runner.output()}`);
    process.kill(janusPid!, 'SIGKILL');
    const run = await exitWithin(runner, 20_000);
    assert.equal(run.code, 3, run.stdout + run.stderr);
    assert.match(run.stdout, /server problem: the managed Janus died during the run \(signal SIGKILL\)/);
    assert.doesNotMatch(run.stdout + run.stderr, /may be left on the server/);
    // The two tests after the crash passed: on a Janus started again (the first one is dead).
    assert.match(run.stdout, /2 passing/, run.stdout);
    assert.match(run.stdout, /1 failing/, run.stdout);
    await assertAllGone([janusPid!]);
  });

  describe('startJanus() in a library', function () {
    // The fake binaries say what they started through the environment this process passes on.
    before(() => (process.env['FAKE_PIDS'] = pidFile));
    after(() => delete process.env['FAKE_PIDS']);

    it('stops a start at once when its signal aborts', async () => {
      const interrupt = new AbortController();
      const starting = startJanus({ plugins: [], transports: ['http'], config: {} }, { binary: fakeBinary('never-ready', NEVER_READY), signal: interrupt.signal });
      const outcome = starting.then(() => 'started', (err: unknown) => err);
      assert.ok(await eventually(() => fakes().length === 1), 'the fake Janus did not start');
      const [fake] = fakes();
      const aborted = Date.now();
      interrupt.abort('SIGINT');
      const err = await outcome;
      assert.ok(err instanceof JanusStartError, String(err));
      assert.match(err.message, /interrupted/);
      assert.ok(Date.now() - aborted < 3000, `the start took ${Date.now() - aborted} ms to stop`);
      await assertAllGone([fake!.pid, fake!.child]);
      assert.equal(existsSync(fake!.dir), false, 'the instance folder is left');
    });

    it('does not start at all when its signal has aborted already', async () => {
      await assert.rejects(
        startJanus({ plugins: [], transports: ['http'], config: {} }, { binary: fakeBinary('never-ready', NEVER_READY), signal: AbortSignal.abort('SIGINT') }),
        (err: unknown) => err instanceof JanusStartError && /interrupted/.test(err.message),
      );
      assert.deepEqual(fakes(), []);
    });
  });
});

/** A process's pid, state, parent and command line, for a failure message. */
function described(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return `${pid} (${state}, parent ${ppid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim()})`;
  } catch {
    return `${pid} (gone)`;
  }
}
