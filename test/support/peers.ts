import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFile, rm } from 'node:fs/promises';
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
    // A peer that cannot start (not installed, its port taken) exits: that ends the wait at once.
    // One that starts binds its port, however long a busy machine takes (bounded at 30 s).
    const exited: string[] = [];
    for (const child of children) {
      const name = child.spawnargs.join(' ');
      child.once('error', (e) => exited.push(`${child.spawnfile}: ${e.message}`));
      child.once('exit', (code, signal) => exited.push(`${name.slice(0, 80)} exited (${signal ?? code})`));
    }
    for (const port of [callee!, registrar!, stun!]) {
      await eventually(async () => exited.length > 0 || (await udpPortTaken(port)), 30_000);
      if (exited.length > 0) throw new Error(`a peer did not start: ${exited[0]}: is sipp (sip-tester) or turnserver (coturn) installed?`);
      if (!(await udpPortTaken(port))) throw new Error(`no peer listens on UDP port ${port} after 30 s`);
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
/**
 * Whether a UDP socket is bound to `port`, read from the kernel's table (Linux), not by binding
 * the port: a probe that binds it, however briefly, can hold it the moment the peer binds, and
 * the peer then exits (EADDRINUSE), likelier the busier the machine.
 */
async function udpPortTaken(port: number): Promise<boolean> {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const tables = await Promise.all(['/proc/net/udp', '/proc/net/udp6'].map((f) => readFile(f, 'utf8').catch(() => '')));
  // Each line: "sl local_address rem_address ...", local_address as HEXIP:HEXPORT.
  return tables.some((table) => table.split('\n').some((line) => line.trim().split(/\s+/)[1]?.endsWith(hex) === true));
}
