import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import type { JanusInstallation } from './installation.js';

const ANSI_ESCAPE = /\x1b\[[0-9;]*m/g;

/** The last lines Janus printed (stdout and stderr interleaved), for error messages. */
export class LogRing {
  private readonly lines: string[] = [];
  private partial = '';
  /** Characters received so far: it grows while Janus is busy starting (a sign of progress). */
  received = 0;

  constructor(private readonly capacity = 200) {}

  push(chunk: string): void {
    this.received += chunk.length;
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.add(line.replace(/\r$/, ''));
  }

  private add(line: string): void {
    // Janus colours a few early lines (before it has read debug_colors), e.g. the pid-file error.
    this.lines.push(line.replace(ANSI_ESCAPE, ''));
    if (this.lines.length > this.capacity) this.lines.shift();
  }

  text(): string {
    return this.allLines().join('\n');
  }

  allLines(): string[] {
    return this.partial ? [...this.lines, this.partial] : [...this.lines];
  }
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be spawned at all. */
  error?: Error;
}

/**
 * How to run Janus on an instance folder. If this process dies without running its 'exit'
 * handlers (SIGKILL, an unhandled SIGTERM), the kernel kills Janus too: setpriv sets the
 * parent-death signal, then execs Janus under the same pid. Without setpriv, Janus is run
 * directly. What Janus (or a wrapper given as the binary) starts is ended by the group
 * watchdog (see JanusProcess).
 */
export function janusCommand(installation: Pick<JanusInstallation, 'binary' | 'setpriv'>, dir: string): { file: string; args: string[] } {
  const janusArgs = ['-F', dir, '-C', join(dir, 'janus.jcfg')];
  return installation.setpriv
    ? { file: installation.setpriv, args: ['--pdeathsig', 'KILL', '--', installation.binary, ...janusArgs] }
    : { file: installation.binary, args: janusArgs };
}

/**
 * A spawned Janus, held by its ChildProcess so that only our own processes are ever signalled.
 *
 * It runs in a process group (and session) of its own. A terminal's Ctrl-C, which reaches the
 * runner's whole group, does not reach it: the runner's cleanup can still destroy its sessions
 * before stopping it. And everything it starts stays in that group (a wrapper given as the
 * binary and the Janus it runs, a broker's helpers), so it is stopped by group: the group is
 * killed when its leader exits or is killed, and a watchdog kills it when this process dies.
 */
export class JanusProcess {
  readonly log = new LogRing();
  /** Resolves when the process has exited (or failed to spawn). */
  readonly exited: Promise<ExitStatus>;
  /** Resolves when stdout and stderr are drained too (or given up on), so the log holds the last words. */
  readonly closed: Promise<void>;
  private readonly child: ChildProcess;
  private readonly watchdog: ChildProcess | undefined;
  private exitStatus: ExitStatus | undefined;

  /**
   * Janus itself (`janusCommand`), or a process that runs Janus and passes its output through
   * (the network-namespace agent). `ipc` opens Node's IPC channel to it.
   */
  constructor(command: { file: string; args: string[] }, dir: string, ipc = false) {
    // Started first, told the group right after: a runner killed while the process starts (a
    // whole fork and exec of the watchdog later, on a busy machine) would leave its group behind.
    const watchdog = groupWatchdog();
    // cwd is the instance folder: whatever Janus or a plugin writes relative to it stays there.
    this.child = spawn(command.file, command.args, { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? ['ipc' as const] : [])] });
    this.watchdog = watch(watchdog, this.child.pid);
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => this.log.push(chunk));
    }
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitStatus = { code, signal };
        // What it leaves in its group goes with it: the Janus a wrapper started in the background,
        // say. Its pid was reaped a moment ago, but stays the group's id while the group has a
        // member; an empty group's id is only reused once pids have gone round, not meanwhile.
        this.killGroup();
        this.letGoOfOutput();
        resolve(this.exitStatus);
      });
      this.child.once('error', (error) => {
        this.watchdog?.kill('SIGKILL');
        resolve((this.exitStatus = { code: null, signal: null, error }));
      });
    });
    this.closed = new Promise((resolve) => {
      this.child.once('close', () => resolve());
      this.child.once('error', () => resolve());
    });
  }

  /** The IPC channel's end in this process, when the process was started with one. */
  get ipc(): ChildProcess {
    return this.child;
  }

  /** Undefined only when the spawn itself failed (then `exited` carries the error). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitStatus === undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The exit status once known, else undefined. */
  get status(): ExitStatus | undefined {
    return this.exitStatus;
  }

  /**
   * The exit status, waiting for it only when the process is dead or dying (its 'exit' event
   * is on its way), or for a moment; undefined while it runs.
   */
  async statusIfDead(): Promise<ExitStatus | undefined> {
    if (this.exitStatus || !this.running) return this.exited;
    if (this.child.pid !== undefined && isExiting(this.child.pid)) return this.exited;
    // The kernel may close a dying process's sockets a moment before /proc shows it exiting.
    let timer: NodeJS.Timeout | undefined;
    const alive = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), EXIT_GRACE_MS)));
    const outcome = await Promise.race([this.exited, alive]);
    clearTimeout(timer);
    return outcome;
  }

  /**
   * SIGTERM (to the process itself, which stops what it started), then SIGKILL to its whole
   * group after graceMs (0: at once); resolves once the process is gone, and its group with it.
   */
  async terminate(graceMs = 3000): Promise<ExitStatus> {
    if (graceMs <= 0) this.killSync();
    if (this.running) {
      this.child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
      const outcome = await Promise.race([this.exited, graceOver]);
      clearTimeout(timer);
      if (outcome === 'timeout') this.killSync();
    }
    return this.exited;
  }

  /**
   * For 'exit' handlers, which cannot wait: SIGKILL to the process's group. Only while Node has
   * not reaped the process: until then its pid is still its group's id, so no other group is hit.
   */
  killSync(): void {
    if (this.running) this.killGroup();
  }

  /** SIGKILL to the group (the process and all it started that stayed in its group), and the watchdog's end. */
  private killGroup(): void {
    const pgid = this.child.pid;
    if (pgid !== undefined) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // the group is empty: nothing left to stop
      }
    }
    // ChildProcess.kill() does nothing once Node has reaped the watchdog.
    this.watchdog?.kill('SIGKILL');
  }

  /**
   * Once the process has exited, its output ends when the last holder of the pipes closes them.
   * A process that left its group (a daemon in a session of its own) may hold them for good:
   * they are closed on our side after a moment, so that nothing waits for them.
   */
  private letGoOfOutput(): void {
    setTimeout(() => {
      this.child.stdout?.destroy();
      this.child.stderr?.destroy();
    }, OUTPUT_GRACE_MS).unref();
  }
}

/**
 * A process that kills a group when this process dies, however it dies (SIGKILL included):
 * it reads the group's id, then waits on a pipe whose other end only this process holds, and
 * the kernel closes that end when this process goes. Without it, the parent-death signal would
 * end only Janus itself, not what Janus or a wrapper started. It is in a session of its own,
 * out of a terminal's reach; it is killed when the group is stopped in an orderly way.
 */
function groupWatchdog(): ChildProcess | undefined {
  let watchdog: ChildProcess;
  try {
    watchdog = spawn('/bin/sh', ['-c', 'read -r pgid; read -r _; [ -n "$pgid" ] && kill -KILL "-$pgid" 2>/dev/null'], { argv0: 'janus-scenarios-watchdog', stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  } catch {
    return undefined;
  }
  watchdog.once('error', () => undefined);
  // A watchdog gone (no /bin/sh) makes writing to it fail: the group just has no watchdog then.
  watchdog.stdin?.on('error', () => undefined);
  // Neither keeps this process alive: it exists only to outlive it.
  watchdog.unref();
  (watchdog.stdin as Socket | null)?.unref();
  return watchdog;
}

/** Tells the watchdog the group to kill (the process's pid is its group's id); without a process, it goes. */
function watch(watchdog: ChildProcess | undefined, pgid: number | undefined): ChildProcess | undefined {
  if (pgid === undefined) {
    watchdog?.kill('SIGKILL');
    return undefined;
  }
  watchdog?.stdin?.write(`${pgid}\n`);
  return watchdog;
}

/** How long the output may stay open after the process exited (a dying group's last lines). */
const OUTPUT_GRACE_MS = 500;
/** How long a process whose connection just dropped may take to show that it is dying. */
const EXIT_GRACE_MS = 250;
/** The kernel's PF_EXITING flag: set when a process starts to exit, before its sockets close. */
const PF_EXITING = 0x4;

/** Dead (a zombie) or dying: its 'exit' event is on its way. */
function isExiting(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' || fields[0] === 'X' || (Number(fields[6]) & PF_EXITING) !== 0;
  } catch {
    return false;
  }
}
