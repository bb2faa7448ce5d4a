import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startJanus, type ManagedJanus } from '../../src/managed/index.js';
import { registerTransport, getTransport } from '../../src/transports/registry.js';
import { unixTransport } from '../../src/transports/unix.js';
import { eventually, listSessions } from '../support/admin.js';
import { loadNanomsg } from '../../src/transports/nanomsg.js';
import { runCli, scenarioDir, startCli, tmpdirPerTest } from '../support/cli.js';
import { withoutPackages } from '../support/hide-packages.js';

/** A managed setup with SOCK_DGRAM sockets: the built-in `unix` gives the managed Janus SEQPACKET ones. */
const DGRAM = 'unix-dgram-test';
if (!getTransport(DGRAM)) registerTransport(unixTransport({ name: DGRAM, managedType: 'dgram' }));

/** nanomsg is an optional dependency (built with node-gyp): without it these tests cannot run, and say why. */
async function requireNanomsg(): Promise<void> {
  await loadNanomsg().catch((fault: Error) => {
    throw new Error(`these tests need the nanomsg package, which is not usable here: ${fault.message}`);
  });
}

const clientFolders = () => readdirSync(tmpdir()).filter((n) => n.startsWith('janus-scenarios-ux-'));

/**
 * The Unix-socket and Nanomsg transports against a Janus started by the test (`--url`): the core
 * scenarios in SEQPACKET, DGRAM and Nanomsg modes, and the faults (a missing socket, Janus
 * killed during a run) as one-line server problems with nothing left behind.
 */
describe('Unix sockets and Nanomsg against a running Janus (--url)', function () {
  this.timeout(120_000);
  let seq: ManagedJanus;
  let dgram: ManagedJanus;
  const admin = (j: ManagedJanus) => ['--admin-secret', j.adminSecret];

  before(async () => {
    await requireNanomsg();
    [seq, dgram] = await Promise.all([
      startJanus({ plugins: ['janus.plugin.echotest'], transports: ['http', 'unix', 'nanomsg'], config: {} }),
      startJanus({ plugins: ['janus.plugin.echotest'], transports: ['http', DGRAM], config: {} }),
    ]);
  });
  after(async () => {
    await Promise.all([seq?.stop(), dgram?.stop()]);
  });
  afterEach(async () => {
    for (const j of [seq, dgram]) assert.ok(await eventually(async () => (await listSessions(j.endpoints.adminHttp!, j.adminSecret)).length === 0), 'a run left a session');
    assert.deepEqual(clientFolders(), [], 'a datagram client folder was left behind');
  });

  it('runs the core scenarios over SOCK_SEQPACKET and Nanomsg, Admin API included', async () => {
    const unix = seq.endpointFor('unix')!;
    const nano = seq.endpointFor('nanomsg')!;
    assert.match(unix.url, /^unix:\/\/\/.*api\.sock$/);
    assert.match(nano.url, /^ipc:\/\/\/.*api\.ipc$/);
    const run = await runCli(['run', 'scenarios/core', '--transport', 'unix,nanomsg', '--url', unix.url, '--url', nano.url,
      '--admin-url', unix.adminUrl!, ...admin(seq)]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /info returns server_info \[unix\]/);
    assert.match(run.stdout, /info returns server_info \[nanomsg\]/);
    assert.doesNotMatch(run.stdout, /failing/);
  });

  it('runs the core scenarios over SOCK_DGRAM with a client socket it removes afterwards', async () => {
    const { url, adminUrl } = dgram.endpointFor(DGRAM)!;
    assert.match(url, /\?type=dgram$/);
    const run = await runCli(['run', 'scenarios/core', '--transport', 'unix', '--url', url, '--admin-url', adminUrl!, ...admin(dgram)]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /two clients have separate sessions, events go to the session's owner \[unix\]/);
  });

  it('a SOCK_DGRAM URL for a SEQPACKET socket says the type is wrong', async () => {
    const run = await runCli(['run', 'scenarios/core/ping.yaml', '--transport', 'unix', '--url', `${seq.endpointFor('unix')!.url}?type=dgram`]);
    assert.equal(run.code, 3, run.stdout + run.stderr);
    assert.match(run.stderr, /wrong socket type|connection refused/);
  });
});

describe('Unix-socket and Nanomsg faults', function () {
  this.timeout(120_000);
  const tmp = tmpdirPerTest();
  const files = scenarioDir({
    'sleeps.yaml': `name: holds a session while the server goes away
requires: { plugins: [janus.plugin.echotest] }
steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.echotest }
  - sleep: 1500ms
  - request: { janus: message, body: { audio: true } }
    expect: { janus: event }
`,
  });
  before(requireNanomsg);
  after(() => files.remove());

  const missing = [
    ['unix', 'unix:///nonexistent-janus-folder/api.sock', /^error: cannot reach Janus at unix:\/\/\/nonexistent-janus-folder\/api\.sock: Unix socket \/nonexistent-janus-folder\/api\.sock: no such socket/],
    ['unix', 'unix:///nonexistent-janus-folder/api.sock?type=dgram', /no such socket/],
    ['nanomsg', 'ipc:///nonexistent-janus-folder/api.ipc', /^error: cannot reach Janus at ipc:\/\/\/nonexistent-janus-folder\/api\.ipc: Nanomsg ipc:\/\/\/nonexistent-janus-folder\/api\.ipc: no such socket/],
  ] as const;
  for (const [transport, url, reason] of missing) {
    it(`${url}: a missing socket path is a server problem (exit 3, one line)`, async () => {
      const run = await runCli(['run', 'scenarios/core/ping.yaml', '--transport', transport, '--url', url], { env: tmp.env() });
      assert.equal(run.code, 3, run.stdout + run.stderr);
      const lines = run.stderr.trim().split('\n');
      assert.equal(lines.length, 1, run.stderr);
      assert.match(lines[0]!, reason);
    });
  }

  for (const transport of ['unix', 'nanomsg', DGRAM] as const) {
    it(`Janus killed during a run over ${transport}: exit 3 with a one-line reason, nothing left behind`, async () => {
      const janus = await startJanus({ plugins: ['janus.plugin.echotest'], transports: ['http', transport], config: {} });
      try {
        const { url } = janus.endpointFor(transport)!;
        const cli = startCli(['run', files.path('sleeps.yaml'), '--transport', 'unix,nanomsg'.includes(transport) ? transport : 'unix', '--url', url, '--step-timeout', '1s'], { env: tmp.env() });
        assert.ok(await eventually(async () => (await listSessions(janus.endpoints.adminHttp!, janus.adminSecret)).length > 0), 'the run never created its session');
        process.kill(janus.pid, 'SIGKILL');
        const run = await cli.done;
        assert.equal(run.code, 3, run.stdout + run.stderr);
        const failure = run.stdout.split('\n').find((l) => /server problem:/.test(l));
        assert.ok(failure, run.stdout);
        assert.match(failure, /server problem: .*(connection closed by server|connection refused|no such socket|does not respond|connection reset|connection lost)/);
      } finally {
        await janus.stop();
      }
    });
  }
});

describe('Unix-socket and Nanomsg bindings: loaded when used, their absence one line', function () {
  this.timeout(120_000);
  let janus: ManagedJanus;
  before(async () => {
    await requireNanomsg();
    janus = await startJanus({ plugins: ['janus.plugin.echotest'], transports: ['http', 'nanomsg'], config: {} });
  });
  after(() => janus?.stop());

  it('a run over HTTP needs neither binding', async () => {
    const run = await runCli(['run', 'scenarios/core/ping.yaml', '--transport', 'http', '--url', janus.endpointFor('http')!.url], { env: withoutPackages(['nanomsg', 'node-unix-socket']) });
    assert.equal(run.code, 0, run.stdout + run.stderr);
  });

  /** A run without a binding it needs: exit 3, one line on stderr naming the package, before anything starts. */
  const oneLineWithout = async (pkg: string, args: string[], reason: RegExp) => {
    const run = await runCli(['run', 'scenarios/core/ping.yaml', ...args], { env: withoutPackages([pkg]) });
    assert.equal(run.code, 3, run.stdout + run.stderr);
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0]!, reason);
    assert.match(run.stdout, /^\s*0 passing/m, 'no scenario ran');
    assert.doesNotMatch(run.stdout, /failing/);
  };

  it('without the nanomsg package, a run over Nanomsg against a server is exit 3, one line naming it', () =>
    oneLineWithout('nanomsg', ['--transport', 'nanomsg', '--url', janus.endpointFor('nanomsg')!.url], /^error: Nanomsg: the nanomsg package is not installed; it is an optional dependency built by npm install/));

  it('without the nanomsg package, the managed Janus is not even started for Nanomsg, WebSocket beside it or not', () =>
    oneLineWithout('nanomsg', ['--transport', 'ws,nanomsg'], /^error: Nanomsg: the nanomsg package is not installed/));

  it('without node-unix-socket, a run over a Unix socket names the package', () =>
    oneLineWithout('node-unix-socket', ['--transport', 'unix'], /^error: Unix socket: the node-unix-socket package is not installed; run npm install$/));
});
