import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { makeOwnedFolder } from '../../src/managed/stale-folders.js';
import { eventually } from './admin.js';

/**
 * The peers the scenarios under test/scenarios talk to besides Janus, on loopback UDP:
 * two SIPp processes (test/fixtures/sipp: a callee, and a registrar that also notifies and
 * calls) and coturn in STUN-only mode. Scenarios find them through the environment variables
 * in `env` (read with `${env.NAME}` / `${env_int.NAME}`), which also names the files they need.
 */
export interface Peers {
  env: Record<string, string>;
  stop(): Promise<void>;
}

const SIPP_SCENARIOS = new URL('../../../test/fixtures/sipp/', import.meta.url).pathname;
/** A one-second Ogg/Opus tone. */
const ANNOUNCEMENT_FILE = new URL('../../../test/fixtures/media/tone.opus', import.meta.url).pathname;

export async function startPeers(): Promise<Peers> {
  // SIPp writes its logs next to the working folder and coturn wants a database file: both go here.
  // Owned like the tool's own folders (0700, naming this process): a later run removes it if this one is killed.
  const dir = makeOwnedFolder('peers-');
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map(terminate));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const [callee, registrar, stun, stunLocal, media1, media2] = await freeUdpPorts(6);
    children.push(sipp(dir, 'callee.xml', callee!, media1!), sipp(dir, 'registrar.xml', registrar!, media2!));
    children.push(spawn('turnserver', [
      '-n', '--stun-only', '--listening-ip', '127.0.0.1', '--listening-port', String(stun), '--no-cli', '--no-tls', '--no-dtls',
      '--no-software-attribute', '--userdb', join(dir, 'turndb'), '--pidfile', join(dir, 'turnserver.pid'), '--log-file', 'stdout', '--simple-log',
    ], { cwd: dir, stdio: 'ignore' }));
    for (const port of [callee!, registrar!, stun!]) {
      if (!(await eventually(() => udpPortTaken(port), 5000))) throw new Error(`no peer listens on UDP port ${port}: is sipp (sip-tester) or turnserver (coturn) installed?`);
    }
    return {
      env: {
        SIP_CALLEE_URI: `sip:callee@127.0.0.1:${callee}`,
        SIP_REGISTRAR_URI: `sip:127.0.0.1:${registrar}`,
        STUN_PORT: String(stun),
        STUN_LOCAL_PORT: String(stunLocal),
        // Not a peer, a file on the Janus host: AudioBridge play_file reads it.
        ANNOUNCEMENT_OPUS: ANNOUNCEMENT_FILE,
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function sipp(dir: string, scenario: string, port: number, mediaPort: number): ChildProcess {
  const args = ['-sf', join(SIPP_SCENARIOS, scenario), '-i', '127.0.0.1', '-p', String(port), '-mp', String(mediaPort), '-nostdin', '-trace_err'];
  return spawn('sipp', args, { cwd: dir, stdio: 'ignore' });
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(killer);
}

/**
 * Distinct UDP ports free right now, above Linux's ephemeral range (32768-60999 by default).
 * Inside it, a socket that binds port 0 with SO_REUSEADDR (a SIP stack or an ICE agent in Janus)
 * may be given the very port a peer holds with SO_REUSEADDR too, and then takes its datagrams.
 * All probes stay bound until every port is known.
 */
async function freeUdpPorts(count: number): Promise<number[]> {
  const sockets = [];
  try {
    let candidate = 61000 + Math.floor(Math.random() * 4000);
    while (sockets.length < count) {
      if (++candidate > 65535) candidate = 61000;
      const socket = createSocket('udp4');
      const bound = await new Promise<boolean>((resolve) => {
        socket.once('error', () => resolve(false));
        socket.bind(candidate, '127.0.0.1', () => resolve(true));
      });
      if (bound) sockets.push(socket);
      else socket.close();
    }
    return sockets.map((s) => s.address().port);
  } finally {
    for (const s of sockets) s.close();
  }
}

/** Whether something has bound the port: binding it ourselves fails. */
function udpPortTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(true));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(false)));
  });
}
