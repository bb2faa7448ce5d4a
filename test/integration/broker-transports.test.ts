import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { JanusStartError, startJanus, type ManagedJanus } from '../../src/managed/index.js';
import { eventually } from '../support/admin.js';
import { hasHandle, isRunning, kill, runCli, scenarioDir, startCli, tmpdirPerTest } from '../support/cli.js';

/**
 * MQTT and RabbitMQ end to end: the core scenarios with `--url` against a Janus and brokers the
 * test starts (so the runner starts none), a broker that is not there, and the managed brokers'
 * life: killed mid-run (exit 3, the broker named as the cause), a killed runner (the brokers,
 * RabbitMQ's epmd included, die with it; the next run removes their folders), and a start of
 * RabbitMQ interrupted (Ctrl-C, SIGTERM, an aborted signal, an exit): nothing of it is left.
 */
describe('broker transports (MQTT, RabbitMQ)', function () {
  // RabbitMQ takes ~6 s to start on an idle machine, several times that on a busy one.
  this.timeout(240_000);
  const files = scenarioDir({
    'sleeps.yaml': `name: holds a session open
requires: { plugins: [janus.plugin.echotest] }
steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.echotest }
  - sleep: 60s
`,
  });
  after(() => files.remove());

  describe('against a Janus and brokers started by the test (--url)', () => {
    let janus: ManagedJanus;
    before(async () => {
      // claim.yaml needs a reclaim timeout.
      janus = await startJanus({ plugins: ['janus.plugin.echotest'], transports: ['mqtt', 'rabbitmq'], config: { reclaim_session_timeout: 5 } });
    });
    after(async () => {
      await janus?.stop();
    });

    it('passes the core scenarios over both, the Admin API over the brokers too', async () => {
      const e = janus.endpoints;
      const run = await runCli([
        'run', 'scenarios/core', '--transport', 'mqtt,rabbitmq', '--jobs', '4',
        '--url', e.mqtt!, '--url', e.rabbitmq!, '--admin-url', e.adminMqtt!, '--admin-url', e.adminRabbitmq!,
        '--admin-secret', janus.adminSecret,
      ]);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /the Admin API sees the client's session and handle \[mqtt\]/);
      assert.match(run.stdout, /two clients have separate sessions, events go to the session's owner \[rabbitmq\]/);
      // Skipped only for what a broker or a --url target cannot give: a connection of the client's
      // own to close, or a Janus started with other settings. Anything else skipped is a failure here.
      const listed = [...run.stdout.matchAll(/^\s+(\d+) × (.+)$/gm)];
      const reasons = listed.map((m) => m[2]!);
      assert.equal(listed.reduce((n, m) => n + Number(m[1]), 0), Number(/^\s+(\d+) skipped$/m.exec(run.stdout)?.[1] ?? 0), 'every skip has its reason listed');
      const allowed = /gives a client no connection of its own to Janus$|^needs a Janus configured with /;
      assert.deepEqual(reasons.filter((r) => !allowed.test(r)), [], run.stdout);
    });

    it('speaks MQTT 5 and QoS 1 (the broker bridges to the 3.1.1 Janus, which leaves the response topic unused)', async () => {
      const url = new URL(janus.endpoints.mqtt!);
      url.searchParams.set('version', '5');
      url.searchParams.set('qos', '1');
      const run = await runCli(['run', 'scenarios/core/two-clients.yaml', 'scenarios/core/correlation.yaml', '--transport', 'mqtt', '--url', url.href, '--admin-url', janus.endpoints.adminMqtt!, '--admin-secret', janus.adminSecret]);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /2 passing/);
    });
  });

  describe('faults', () => {
    const tmp = tmpdirPerTest();

    it('a broker that is not there: exit 3 with one line, no credentials shown', async () => {
      const port = await closedPort();
      for (const url of [`mqtt://janususer:s3cret-pw@127.0.0.1:${port}`, `amqp://janususer:s3cret-pw@127.0.0.1:${port}/`]) {
        const run = await runCli(['run', 'scenarios/core/ping.yaml', '--url', url], { env: tmp.env() });
        assert.equal(run.code, 3, run.stdout + run.stderr);
        assert.match(run.stderr, new RegExp(`^error: .*(MQTT|RabbitMQ) (mqtt|amqp)://127\\.0\\.0\\.1:${port}: connection refused$`, 'm'));
        assert.doesNotMatch(run.stdout + run.stderr, /s3cret|\n\s+at /);
      }
    });

    it('mosquitto killed mid-run: exit 3 naming the dead broker; nothing left behind', async () => {
      const cli = startCli(['run', files.path('sleeps.yaml'), '--transport', 'mqtt'], { env: tmp.env() });
      assert.ok(await eventually(() => attached(cli.child.pid!), 60_000), `the scenario never started: ${cli.output()}`);
      const [broker] = childrenNamed(cli.child.pid!, 'mosquitto');
      assert.ok(broker, 'no mosquitto child of the runner');
      process.kill(broker, 'SIGKILL');
      const run = await cli.done;
      assert.equal(run.code, 3, run.stdout + run.stderr);
      assert.match(run.stdout, /server problem: .*the managed MQTT broker \(mosquitto\) died during the run \(signal SIGKILL\)/);
      assert.deepEqual(childrenNamed(cli.child.pid!, 'janus'), []);
    });

    it('on Ctrl-C stops the broker with its Janus and exits 130', async () => {
      const cli = startCli(['run', files.path('sleeps.yaml'), '--transport', 'mqtt'], { env: tmp.env() });
      assert.ok(await eventually(() => attached(cli.child.pid!), 60_000), `the scenario never started: ${cli.output()}`);
      const [broker] = childrenNamed(cli.child.pid!, 'mosquitto');
      assert.ok(broker, 'no mosquitto child of the runner');
      cli.child.kill('SIGINT');
      const run = await cli.done;
      assert.equal(run.code, 130, run.stdout + run.stderr);
      assert.ok(await eventually(() => !isRunning(broker)), 'mosquitto survived Ctrl-C');
    });

    it('a killed runner takes RabbitMQ and its epmd along; the next run removes the folders', async () => {
      const cli = startCli(['run', files.path('sleeps.yaml'), '--transport', 'rabbitmq'], { env: tmp.env() });
      assert.ok(await eventually(() => attached(cli.child.pid!), 200_000), `the scenario never started: ${cli.output()}`);
      const servers = [...childrenNamed(cli.child.pid!, 'beam.smp'), ...childrenNamed(cli.child.pid!, 'epmd')];
      assert.equal(servers.length, 2, 'RabbitMQ and its epmd run as children of the runner');
      cli.child.kill('SIGKILL');
      await cli.done;
      assert.ok(await eventually(() => servers.every((pid) => !isRunning(pid)), 30_000), 'a broker process outlived its killed runner');
      assert.ok(readdirSync(tmp.dir()).some((name) => name.startsWith('janus-scenarios-rabbitmq-')), 'SIGKILL leaves the broker folder');
      const next = await runCli(['validate', files.path('sleeps.yaml')], { env: tmp.env() });
      assert.equal(next.code, 0, next.stdout + next.stderr);
    });
  });

  describe('a RabbitMQ start interrupted', () => {
    /** The processes of the test under way (runner, broker): killed after it, whatever its outcome. */
    const pids: number[] = [];
    /** The broker folder of the test under way. */
    let brokerDir: string | undefined;
    // Before tmpdirPerTest's check, which stops the hooks after it when it fails: a failed test
    // must not leave its processes running, nor its broker folder in the machine's temp folder.
    afterEach(function () {
      for (const pid of pids.splice(0)) kill(pid);
      if (this.currentTest?.state === 'failed' && brokerDir) rmSync(brokerDir, { recursive: true, force: true });
      brokerDir = undefined;
    });
    const tmp = tmpdirPerTest();

    /**
     * Waits until `parent` is starting RabbitMQ (its epmd and Erlang VM are running), then holds
     * the VM where it is (SIGSTOP), as a very busy machine would: the start cannot end by itself
     * before its 90 s limit, so only the interruption can end it.
     */
    async function frozenRabbitmqStart(parent: number, output: () => string): Promise<BrokerStart> {
      const found = await eventually(() => childrenNamed(parent, 'beam.smp').length === 1 && childrenNamed(parent, 'epmd').length === 1, 120_000);
      assert.ok(found, `RabbitMQ's start was not seen: ${output()}`);
      const [vm] = childrenNamed(parent, 'beam.smp');
      const [epmd] = childrenNamed(parent, 'epmd');
      process.kill(vm!, 'SIGSTOP');
      // Each runs in a process group of its own, with whatever it started (the VM's helpers).
      const processes = [...groupMembers(vm!), ...groupMembers(epmd!)];
      pids.push(...processes);
      brokerDir = readlinkSync(`/proc/${vm}/cwd`);
      return { processes, dir: brokerDir };
    }

    async function assertNothingLeft(start: BrokerStart): Promise<void> {
      assert.match(start.dir, /janus-scenarios-rabbitmq-/);
      assert.equal(existsSync(start.dir), false, 'the broker folder is left');
      const gone = await eventually(() => start.processes.every((pid) => !isRunning(pid)), 10_000);
      assert.ok(gone, `broker processes left running: ${start.processes.filter(isRunning).join(', ')}`);
    }

    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      it(`a ${signal} while RabbitMQ starts stops its start at once: exit 130, its epmd, Erlang VM and folder gone`, async () => {
        const cli = startCli(['run', files.path('sleeps.yaml'), '--transport', 'rabbitmq'], { env: tmp.env() });
        pids.push(cli.child.pid!);
        const start = await frozenRabbitmqStart(cli.child.pid!, cli.output);
        cli.child.kill(signal);
        // Unless the interruption reaches the frozen start, the run ends 90 s on at the earliest.
        const run = await within(cli.done, 30_000, () => `the runner was still running: ${cli.output()}`);
        assert.equal(run.code, 130, run.stdout + run.stderr);
        // One line says so, as for an interrupted Janus start: no failed start, no server problem.
        const said = run.stderr.trim().split('\n').filter((line) => !line.startsWith('seed: '));
        assert.deepEqual(said, ['interrupted: cleaning up (press Ctrl-C again to stop at once)'], run.stdout + run.stderr);
        assert.doesNotMatch(run.stdout, /cannot start|server problem/);
        await assertNothingLeft(start);
      });
    }

    it('startJanus() rejects as interrupted at once when its signal aborts during the broker start, and leaves nothing', async () => {
      const interrupt = new AbortController();
      const outcome = startJanus({ plugins: [], transports: ['rabbitmq'], config: {} }, { signal: interrupt.signal }).then(
        async (janus) => (await janus.stop(), 'started'),
        (err: unknown) => err,
      );
      const start = await frozenRabbitmqStart(process.pid, () => '');
      interrupt.abort('SIGINT');
      const err = await within(outcome, 30_000, () => 'the start went on after its signal aborted');
      assert.ok(err instanceof JanusStartError, String(err));
      assert.equal(err.message, 'the start was interrupted (SIGINT)');
      await assertNothingLeft(start);
    });

    it('a process that exits while RabbitMQ starts (process.exit) leaves no broker process or folder', async () => {
      const library = fileURLToPath(new URL('../../src/managed/index.js', import.meta.url));
      const script = `import { startJanus } from ${JSON.stringify(library)};
process.on('SIGUSR2', () => process.exit(0));
await startJanus({ plugins: [], transports: ['rabbitmq'], config: {} });`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...tmp.env() }, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      pids.push(child.pid!);
      const start = await frozenRabbitmqStart(child.pid!, () => output);
      child.kill('SIGUSR2');
      assert.equal(await within(exited, 30_000, () => `the process did not exit: ${output}`), 0, output);
      await assertNothingLeft(start);
    });
  });
});

interface BrokerStart {
  /** Every process of the broker's start: epmd, the Erlang VM and what it started. */
  processes: number[];
  /** The broker's folder (the VM's working directory). */
  dir: string;
}

/** `work`'s outcome, or a failure when it does not come within `limitMs`. */
async function within<T>(work: Promise<T>, limitMs: number, late: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), limitMs)));
  const outcome = await Promise.race([work, timeout]);
  clearTimeout(timer);
  if (outcome === 'late') assert.fail(`${late()} (${limitMs} ms on)`);
  return outcome;
}

/** Whether the runner's Janus has a handle: the scenario is in its sleep. */
function attached(runner: number): boolean {
  return childrenNamed(runner, 'janus').some(hasHandle);
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Live children of `ppid` whose command name is `name`. */
function childrenNamed(ppid: number, name: string): number[] {
  return livePids().filter((pid) => {
    const stat = procStat(pid);
    return stat?.comm === name && stat.fields[1] === String(ppid);
  });
}

/** Live processes of the process group `pgid`. */
function groupMembers(pgid: number): number[] {
  return livePids().filter((pid) => procStat(pid)?.fields[2] === String(pgid));
}

/** Processes that are neither gone nor zombies. */
function livePids(): number[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number).filter((pid) => {
    const state = procStat(pid)?.fields[0];
    return state !== undefined && state !== 'Z';
  });
}

/** A process's command name and the fields of /proc/<pid>/stat after it (state, parent, group, ...); undefined once gone. */
function procStat(pid: number): { comm: string; fields: string[] } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return { comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), fields: stat.slice(stat.lastIndexOf(')') + 2).split(' ') };
  } catch {
    return undefined;
  }
}
