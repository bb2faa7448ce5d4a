import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../support/admin.js';
import { runCli, scenarioDir, startCli, tmpdirPerTest } from '../support/cli.js';
import { ECHOTEST_CONNECTED } from '../support/media-scenarios.js';

/**
 * Media scenarios run on a managed Janus inside a network namespace of the runner's own, with
 * an agent process hosting Janus and starting the WebRTC peer processes. Whatever the outcome (pass, failure,
 * Ctrl-C, SIGKILL of the runner), the agent, Janus, the namespace and the instance folder go.
 */
describe('CLI with a namespaced Janus for media scenarios', function () {
  const connect = ECHOTEST_CONNECTED;
  const files = scenarioDir({
    'passes.yaml': `name: connects\n${connect}  - wait: { janus: media, receiving: true }\n`,
    'fails.yaml': `name: fails with a live PeerConnection\n${connect}  - wait: { janus: media, receiving: false }\n    within: 300ms\n`,
    'plain.yaml': 'name: no media\nsteps:\n  - request: ping\n',
    'sleeps.yaml': `name: sleeps with a live PeerConnection\n${connect}  - sleep: 30s\n`,
    // Sorts before passes.yaml, so with --jobs 1 its peer process is the first one.
    'crashes.yaml': `name: loses its peer process\n${connect}  - sleep: 30s\n`,
  });
  const tmp = tmpdirPerTest();
  const env = tmp.env;
  after(() => files.remove());

  /** The agent (and Janus) of a run: processes whose command line names an instance folder in tmp. */
  const instanceProcesses = () => processesMentioning(tmp.dir());

  /** Starts a run and waits for its agent and Janus; on a slow start the run is killed, not left running. */
  async function startWithAgent(file: string, transport: string) {
    const cli = startCli(['run', file, '--transport', transport], { env: env() });
    if (!(await eventually(() => instanceProcesses().length === 2, 30_000))) {
      cli.child.kill('SIGINT');
      await cli.done;
      assert.fail(`no agent and Janus appeared (seen: ${instanceProcesses().join(', ') || 'none'}): ${cli.output()}`);
    }
    return { cli, namespace: netnsOf(instanceProcesses()[0]!) };
  }

  it('passes on every transport, and leaves no process, namespace or folder behind', async () => {
    const run = await runCli(['run', files.path('passes.yaml'), '--transport', 'http,ws,https,wss', '--schema', 'strict'], { env: env() });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /4 passing/);
    assert.deepEqual(instanceProcesses(), []);
  });

  it('after a failing scenario, the agent, Janus and the namespace are gone; exit 1', async () => {
    const { cli, namespace } = await startWithAgent(files.path('fails.yaml'), 'ws');
    assert.notEqual(namespace, netnsOf(process.pid), 'Janus runs in the root network namespace');
    const run = await cli.done;
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /no message matching the pattern arrived within 300ms/);
    assert.deepEqual(instanceProcesses(), []);
    assert.equal(namespaceAlive(namespace!), false, 'the network namespace outlived the run');
  });

  it('on Ctrl-C closes the peers, stops the agent and Janus, and exits 130', async () => {
    const { cli, namespace } = await startWithAgent(files.path('sleeps.yaml'), 'http');
    // The scenario is under way once its peers are: their process runs in the namespace.
    assert.ok(await eventually(() => peerProcessesIn(namespace!).length > 0, 30_000), `no peer process appeared: ${cli.output()}`);
    cli.child.kill('SIGINT');
    const run = await cli.done;
    assert.equal(run.code, 130, run.stdout + run.stderr);
    assert.ok(await eventually(() => instanceProcesses().length === 0), 'the agent or Janus survived Ctrl-C');
    assert.equal(namespaceAlive(namespace!), false, 'the network namespace outlived Ctrl-C');
  });

  it('after SIGKILL of the runner the agent and Janus die with it; the next run removes the folder', async () => {
    const { cli, namespace } = await startWithAgent(files.path('sleeps.yaml'), 'ws');
    cli.child.kill('SIGKILL');
    await cli.done;
    assert.ok(await eventually(() => instanceProcesses().length === 0), 'the agent or Janus outlived its killed parent');
    // The peer process in it closes its peers once its agent is gone, then exits: wait for that.
    assert.ok(await eventually(() => !namespaceAlive(namespace!)), 'the network namespace outlived the killed runner');
    assert.equal(readdirSync(tmp.dir()).length, 1, 'SIGKILL leaves the instance folder');
    const next = await runCli(['run', files.path('passes.yaml'), '--transport', 'ws'], { env: env() });
    assert.equal(next.code, 0, next.stdout + next.stderr);
  });

  it('a crashed peer process fails its scenario with the reason; Janus and the agent live on for the next', async () => {
    const cli = startCli(['run', files.path('crashes.yaml'), files.path('passes.yaml'), '--transport', 'http', '--jobs', '1', '-R', 'spec', '-R', `junit:${files.path('junit.xml')}`], { env: env() });
    let victim: number | undefined;
    const seen = await eventually(() => (victim = instanceProcesses().flatMap((p) => peerProcessesIn(netnsOf(p)!))[0]) !== undefined, 30_000, 20);
    if (!seen) cli.child.kill('SIGINT');
    const agents = instanceProcesses();
    if (victim !== undefined) process.kill(victim, 'SIGSEGV');
    const run = await cli.done;
    assert.ok(seen, `no peer process appeared in the namespace: ${run.stdout}${run.stderr}`);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /loses its peer process \[http\][\s\S]*WebRTC peer process died: signal SIGSEGV/);
    assert.match(run.stdout, /✔ connects \[http\]/);
    assert.equal(agents.length, 2, 'the agent and Janus ran when the peer process was killed');
    assert.match(readFileSync(files.path('junit.xml'), 'utf8'), /<failure [^>]*message="[^"]*WebRTC peer process died: signal SIGSEGV/);
    rmSync(files.path('junit.xml'));
    assert.deepEqual(instanceProcesses(), []);
  });

  it('where no network namespace can be made, media scenarios are skipped with the reason and the others run', async () => {
    const janusBinary = execFileSync('sh', ['-c', 'command -v janus'], { encoding: 'utf8' }).trim();
    const emptyPath = mkdtempSync(join(tmp.dir(), 'no-unshare-'));
    const run = await runCli(['run', files.path('passes.yaml'), files.path('plain.yaml'), '--transport', 'http', '--janus-binary', janusBinary], { env: { ...env(), PATH: emptyPath } });
    rmSync(emptyPath, { recursive: true });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /connects \[http\] skipped: needs WebRTC peers, but cannot run unshare /);
    assert.match(run.stdout, /1 passing/);
    assert.match(run.stdout, /1 skipped/);
  });
});

/** Live (not zombie) processes whose command line contains `text`. */
function processesMentioning(text: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] === 'Z') continue;
      out.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** The WebRTC peer processes in a network namespace. */
function peerProcessesIn(namespace: string): number[] {
  return processesMentioning('peer-process.js').filter((pid) => netnsOf(pid) === namespace);
}

function netnsOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`);
  } catch {
    return undefined;
  }
}

/** A network namespace exists while any process is in it. */
function namespaceAlive(namespace: string): boolean {
  return readdirSync('/proc').some((entry) => /^\d+$/.test(entry) && netnsOf(Number(entry)) === namespace);
}
