import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { clip } from '../../core/clip.js';
import { startInterrupted } from '../errors.js';
import { findExecutable } from '../installation.js';
import { JanusProcess } from '../janus-process.js';
import { listeningPortsOf } from '../socket-ownership.js';
import { makeOwnedFolder } from '../stale-folders.js';
import { BrokerStartError, type BrokerKind, type BrokerStartControl, type RunningBroker } from './contract.js';

/** Bind failures are retried with fresh ports this many times in all. */
const PORT_ATTEMPTS = 3;

/**
 * Runs `attempt` again while a port it picked was taken before its server bound it; stops
 * trying once the start is interrupted.
 */
export async function withFreshPorts(signal: AbortSignal, attempt: () => Promise<RunningBroker>): Promise<RunningBroker> {
  for (let n = 1; ; n++) {
    if (signal.aborted) throw startInterrupted(signal);
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof PortTaken)) throw err;
      if (n >= PORT_ATTEMPTS) throw new BrokerStartError(err.message);
    }
  }
}

/**
 * What one start of a broker made: its private folder and the processes it spawned. A failed or
 * interrupted start discards them; until the start ends, the pool's 'exit' handler can kill
 * them (see BrokerStartControl.starting), and the started broker's killSync is theirs.
 */
export class BrokerHoldings {
  readonly dir: string;
  private readonly processes: JanusProcess[] = [];
  private readonly signal: AbortSignal;

  constructor(folderSuffix: string, control: BrokerStartControl) {
    this.dir = makeOwnedFolder(folderSuffix);
    this.signal = control.signal;
    control.starting(() => this.killSync());
  }

  /** A server of this start (see spawnServer); none once the start is interrupted. */
  async spawn(file: string, args: string[], env: Record<string, string>): Promise<JanusProcess> {
    if (this.signal.aborted) throw startInterrupted(this.signal);
    const server = await spawnServer(file, args, env, this.dir);
    this.processes.push(server);
    return server;
  }

  /** A start that failed or was interrupted: nothing of it is worth a graceful stop. */
  async discard(): Promise<void> {
    for (const server of this.processes) server.killSync();
    await Promise.all(this.processes.map((p) => p.exited));
    await rm(this.dir, { recursive: true, force: true });
  }

  /**
   * The started broker: `server` is the process clients reach on `port`; stopping it stops
   * every process of the start, the server first (epmd outlives its node), then removes the folder.
   */
  running(kind: BrokerKind, server: JanusProcess, port: number, startMs: number, shownName: string, stopGraceMs: number): RunningBroker {
    let stopping: Promise<void> | undefined;
    const ordered = [server, ...this.processes.filter((p) => p !== server)];
    return {
      kind,
      port,
      startMs,
      exited: () => !server.running,
      deathReason: () => brokerDeathReason(server, shownName, () => stopping !== undefined),
      stop: () => {
        stopping ??= (async () => {
          for (const p of ordered) await p.terminate(stopGraceMs);
          await rm(this.dir, { recursive: true, force: true });
        })();
        return stopping;
      },
      killSync: () => this.killSync(),
    };
  }

  /** For 'exit' handlers: SIGKILL to every process, folder removed. */
  killSync(): void {
    for (const server of this.processes) server.killSync();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A server process tied to this one: setpriv sets the parent-death signal (as for Janus, see
 * janus-process.ts), `env` sets its environment, and both exec, so the pid we hold is the
 * server's own and a killed runner takes the server with it.
 */
async function spawnServer(file: string, args: string[], env: Record<string, string>, dir: string): Promise<JanusProcess> {
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
 * took the port first). Fails at once when the server exits, or when `signal` aborts
 * (startInterrupted; the caller stops the server); `bindFailure` tells from its log that the
 * port was taken (PortTaken: the caller retries with new ports).
 */
export async function waitForPort(server: JanusProcess, port: number, name: string, timeoutMs: number, bindFailure: RegExp, signal: AbortSignal): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (signal.aborted) throw startInterrupted(signal);
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
    // An abort ends the pause at once; the check above then reports it.
    await Promise.race([sleep(POLL_MS, undefined, { signal }).catch(() => undefined), server.exited]);
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
