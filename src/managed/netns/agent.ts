/**
 * The agent of a media-capable managed Janus, run by namespace.ts inside a fresh user + network
 * namespace: it brings up the namespace's network, runs Janus there, bridges Unix sockets in
 * the instance folder to Janus's loopback ports, and starts the WebRTC peer processes the runner
 * commands over Node's IPC channel (one per scenario run, in the namespace, so a crash there
 * fails that scenario and leaves Janus and the agent running). Janus's output passes through to
 * the runner's log. When the runner goes (SIGTERM, or the IPC channel closing), the agent stops
 * Janus and exits; the namespace goes with it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { answer, type PeerNotice, type PeerRequest } from '../../media/peer-ipc.js';
import { ProcessPeerHost } from '../../media/process-host.js';
import { AGENT_JANUS_GRACE_MS, NAMESPACE_NETWORK as NET, type AgentPlan } from './agent-plan.js';
import { bridge, bridgeSocketPath, outboundSocketPath } from '../socket-bridge.js';


async function main(plan: AgentPlan): Promise<void> {
  setUpNetwork();
  for (const port of plan.ports) {
    const path = bridgeSocketPath(plan.dir, port);
    rmSync(path, { force: true });
    await bridge({ path }, { host: '127.0.0.1', port });
  }
  for (const port of plan.outbound ?? []) await bridge({ host: '127.0.0.1', port }, { path: outboundSocketPath(plan.dir, port) });
  const janus = spawn(plan.janus.file, plan.janus.args, { cwd: plan.dir, stdio: ['ignore', 'inherit', 'inherit'] });
  const peers = new ProcessPeerHost((lost, reason) => process.connected && process.send!({ lost, reason } satisfies PeerNotice));
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void peers.shutdown();
    janus.kill('SIGTERM');
    setTimeout(() => janus.kill('SIGKILL'), AGENT_JANUS_GRACE_MS).unref();
  };
  janus.once('error', (err) => {
    process.stderr.write(`[FATAL] cannot run Janus in the namespace: ${err.message}\n`);
    process.exit(70);
  });
  // The agent goes last: once it is gone, nothing of this run is left in the namespace.
  janus.once('exit', (code, signal) => void peers.shutdown().finally(() => process.exit(code ?? (signal ? 128 : 1))));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
  process.on('message', (request: PeerRequest) => void answer(peers, request, 'namespace agent'));
}

function setUpNetwork(): void {
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  ip('link', 'set', 'lo', 'up');
  ip('link', 'add', NET.janusLink, 'type', 'veth', 'peer', 'name', NET.peerLink);
  ip('addr', 'add', `${NET.janusAddress}/${NET.prefix}`, 'dev', NET.janusLink);
  ip('addr', 'add', `${NET.peerAddress}/${NET.prefix}`, 'dev', NET.peerLink);
  ip('link', 'set', NET.janusLink, 'up');
  ip('link', 'set', NET.peerLink, 'up');
}

main(JSON.parse(process.argv[2] ?? '{}') as AgentPlan).catch((err: Error) => {
  process.stderr.write(`[FATAL] namespace agent: ${err.message}\n`);
  process.exit(70);
});
