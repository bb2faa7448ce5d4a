import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { startJanus, type ManagedJanus } from '../../src/managed/index.js';
import { eventually } from '../support/admin.js';
import { hasHandle, isRunning, runCli, scenarioDir, startCli, tmpdirPerTest } from '../support/cli.js';

/**
 * MQTT and RabbitMQ end to end: the core scenarios with `--url` against a Janus and brokers the
 * test starts (so the runner starts none), a broker that is not there, and the managed brokers'
 * life: killed mid-run (exit 3, the broker named as the cause) and a killed runner (the brokers,
 * RabbitMQ's epmd included, die with it; the next run removes their folders).
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
});

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
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (comm === name && Number(parent) === ppid && state !== 'Z') out.push(Number(entry));
    } catch {
      // gone while we looked
    }
  }
  return out;
}
