import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startJanus } from '../../src/managed/index.js';
import { eventually } from './admin.js';
import { childPids } from './processes.js';
import { CLI as cli } from './cli.js';

/*
 * Run inside `unshare -Urn` by remote-media.test.ts: a network namespace with a veth pair, a
 * Janus started there as any server would be (not a media-managed one), and the CLI pointed at
 * it with --url, so the scenario's WebRTC peers run in peer processes the runner starts, as they
 * do against a remote server. Janus never gathers ICE candidates on loopback, hence the veth pair.
 * Arguments: the scenario files, then optionally `--kill-peer SIGNAL`: the first WebRTC peer
 * process the runner starts is killed with SIGNAL once it runs. Prints the CLI's exit code, its
 * output and the JUnit and JSON reports it wrote as one JSON line.
 */
const args = process.argv.slice(2);
const killAt = args.indexOf('--kill-peer');
const killSignal = killAt >= 0 ? (args.splice(killAt, 2)[1] as NodeJS.Signals) : undefined;

const ip = (...ipArgs: string[]) => execFileSync('ip', ipArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
ip('link', 'set', 'lo', 'up');
ip('link', 'add', 'jsremote0', 'type', 'veth', 'peer', 'name', 'jsremote1');
ip('addr', 'add', '10.78.0.1/24', 'dev', 'jsremote0');
ip('addr', 'add', '10.78.0.2/24', 'dev', 'jsremote1');
ip('link', 'set', 'jsremote0', 'up');
ip('link', 'set', 'jsremote1', 'up');

const reports = mkdtempSync(join(tmpdir(), 'jstest-remote-media-'));
const janus = await startJanus({ plugins: ['janus.plugin.echotest'], transports: ['http', 'ws'], config: {} });
try {
  const child = spawn(process.execPath, [cli, 'run', ...args, '--jobs', '1', '--url', janus.endpoints.http!, '--url', janus.endpoints.ws!,
    '-R', 'spec', '-R', `junit:${join(reports, 'junit.xml')}`, '-R', `json:${join(reports, 'report.json')}`], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let killed: number | undefined;
  if (killSignal) {
    await eventually(() => (killed = childPids(child.pid!, /peer-process\.js/)[0]) !== undefined, 60_000, 20);
    if (killed !== undefined) process.kill(killed, killSignal);
  }
  const code = await exited;
  const read = (name: string) => {
    try {
      return readFileSync(join(reports, name), 'utf8');
    } catch {
      return undefined;
    }
  };
  process.stdout.write(`${JSON.stringify({ code, stdout, stderr, killed, junit: read('junit.xml'), json: read('report.json') })}\n`);
} finally {
  rmSync(reports, { recursive: true, force: true });
  await janus.stop();
}
