import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startJanus } from '../../src/managed/index.js';

/*
 * Run inside `unshare -Urn` by remote-media.test.ts: a network namespace with a veth pair, a
 * Janus started there as any server would be (not a media-managed one), and the CLI pointed at
 * it with --url, so the scenario's WebRTC peers run in the runner's own process, as they do
 * against a remote server. Janus never gathers ICE candidates on loopback, hence the veth pair.
 * Prints the CLI's exit code and output as one JSON line.
 */
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
ip('link', 'set', 'lo', 'up');
ip('link', 'add', 'jsremote0', 'type', 'veth', 'peer', 'name', 'jsremote1');
ip('addr', 'add', '10.78.0.1/24', 'dev', 'jsremote0');
ip('addr', 'add', '10.78.0.2/24', 'dev', 'jsremote1');
ip('link', 'set', 'jsremote0', 'up');
ip('link', 'set', 'jsremote1', 'up');

const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const janus = await startJanus({ plugins: ['janus.plugin.echotest'], transports: ['http', 'ws'], config: {} });
try {
  const run = spawnSync(process.execPath, [cli, 'run', ...process.argv.slice(2), '--url', janus.endpoints.http!, '--url', janus.endpoints.ws!], { encoding: 'utf8', timeout: 60_000 });
  process.stdout.write(`${JSON.stringify({ code: run.status, stdout: run.stdout, stderr: run.stderr })}\n`);
} finally {
  await janus.stop();
}
