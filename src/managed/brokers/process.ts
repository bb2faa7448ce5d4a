import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { clip } from '../../core/clip.js';
import { findExecutable } from '../installation.js';
import { JanusProcess } from '../janus-process.js';
import { listeningPortsOf } from '../socket-ownership.js';
import { BrokerStartError } from './contract.js';

/**
 * A server process tied to this one: setpriv sets the parent-death signal (as for Janus, see
 * janus-process.ts), `env` sets its environment, and both exec, so the pid we hold is the
 * server's own and a killed runner takes the server with it.
 */
export async function spawnServer(file: string, args: string[], env: Record<string, string>, dir: string): Promise<JanusProcess> {
  const setpriv = await findExecutable('setpriv');
  const envArgs = ['env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`)];
  const command = setpriv
    ? { file: setpriv, args: ['--pdeathsig', 'KILL', '--', ...envArgs, file, ...args] }
    : { file: envArgs[0]!, args: [...envArgs.slice(1), file, ...args] };
  const server = new JanusProcess(command, dir);
  if (server.pid === undefined) {
    const { error } = await server.exited;
    throw new BrokerStartError(`could not run ${file}: ${error?.message ?? 'spawn failed'}`);
  }
  return server;
}

const POLL_MS = 20;

/**
 * Waits until `port` accepts connections and is held by `server` itself (not by a process that
 * took the port first). Fails at once when the server exits; `portTaken` says whether its log
 * shows a bind failure (the caller retries with new ports).
 */
export async function waitForPort(server: JanusProcess, port: number, name: string, timeoutMs: number, bindFailure: RegExp): Promise<void> {
  const started = Date.now();
  for (;;) {
    const failed = server.log.allLines().find((l) => bindFailure.test(l));
    if (failed) throw new PortTaken(`${name}: ${clip(failed.trim(), 200)}`);
    if (!server.running) {
      await Promise.race([server.closed, sleep(200)]);
      const status = server.status;
      const how = status?.signal ? `signal ${status.signal}` : `code ${status?.code}`;
      throw new BrokerStartError(`${name} exited during startup (${how}): ${lastWords(server)}`);
    }
    if (await accepts(port)) {
      const owned = server.pid === undefined ? undefined : await listeningPortsOf(server.pid);
      if (owned && !owned.has(port)) throw new PortTaken(`${name}: port ${port} taken by another process`);
      return;
    }
    if (Date.now() - started > timeoutMs) throw new BrokerStartError(`${name} not accepting connections on 127.0.0.1:${port} within ${timeoutMs} ms: ${lastWords(server)}`);
    await Promise.race([sleep(POLL_MS), server.exited]);
  }
}

/** The port was taken between our probe and the server's bind. */
export class PortTaken extends Error {}

export function lastWords(server: JanusProcess): string {
  const lines = server.log.allLines().map((l) => l.trim()).filter(Boolean);
  return lines.length === 0 ? '(no output)' : clip(lines.slice(-2).join(' | '), 300);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: 1000 });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/**
 * Why a broker is gone, in one line, or undefined while it runs (or once its stop began).
 * The kernel resets a dying broker's connections a moment before its exit shows: the status is
 * waited for, and a stop begun meanwhile means it was ours.
 */
export async function brokerDeathReason(server: JanusProcess, label: string, stopping: () => boolean): Promise<string | undefined> {
  if (stopping()) return undefined;
  const status = await server.statusIfDead();
  if (!status || stopping()) return undefined;
  const how = status.signal ? `signal ${status.signal}` : `exit code ${status.code}`;
  return `the managed ${label} died during the run (${how}); its last words: ${lastWords(server)}`;
}
