import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { clip } from '../core/clip.js';
import { PeerError, runOf, type PeerCommand, type PeerHost, type PeerResult } from './contract.js';
import type { PeerReply, PeerRequest } from './peer-ipc.js';

const PEER_PROCESS_SCRIPT = fileURLToPath(new URL('./peer-process.js', import.meta.url));
/** How long closing peers may take before their process is ended anyway. */
const CLOSE_GRACE_MS = 3000;
/** How much of the process's stderr is kept to explain an exit that was not a signal. */
const STDERR_TAIL_CHARS = 2000;

type Waiter = { resolve: (r: PeerResult) => void; reject: (e: Error) => void };

/** The WebRTC peer process of one scenario run. */
interface PeerProcess {
  child: ChildProcess;
  pending: Map<number, Waiter>;
  /** Why the process died, once it did; every later command fails with it. */
  lost?: string;
  /** Set when the host ends the process itself: that exit is no loss. */
  closing: boolean;
  stderr: string;
}

/**
 * Peers in child processes of this one, one WebRTC peer process per scenario run, started on
 * the run's first peer command and ended by closeAll. Used by the runner against a server it did
 * not start (`--url`) and by the namespace agent of a managed Janus.
 */
export class ProcessPeerHost implements PeerHost {
  private seq = 0;
  private readonly processes = new Map<string, PeerProcess>();
  private readonly watchers = new Map<string, (reason: string) => void>();

  /** onLost hears of every scenario run whose peer process died (the agent relays it). */
  constructor(private readonly onLost?: (prefix: string, reason: string) => void) {}

  run(command: PeerCommand): Promise<PeerResult> {
    return this.send(this.processFor(runOf(command.id)), (seq) => ({ seq, command }));
  }

  watch(prefix: string, onLost: (reason: string) => void): void {
    const lost = this.processes.get(prefix)?.lost;
    if (lost !== undefined) onLost(lost);
    else this.watchers.set(prefix, onLost);
  }

  async closeAll(prefix: string): Promise<void> {
    this.watchers.delete(prefix);
    const peers = this.processes.get(prefix);
    this.processes.delete(prefix);
    if (!peers || peers.lost !== undefined) return;
    const exited = once(peers.child, 'exit').catch(() => undefined);
    const timer = setTimeout(() => peers.child.kill('SIGKILL'), CLOSE_GRACE_MS);
    // Closed peers send DTLS close alerts, so Janus hangs up at once rather than after ICE timeouts.
    await Promise.race([this.send(peers, (seq) => ({ seq, closeAll: prefix })).catch(() => undefined), exited]);
    peers.closing = true;
    if (peers.child.connected) peers.child.disconnect();
    if (peers.child.exitCode === null && peers.child.signalCode === null) await exited;
    clearTimeout(timer);
  }

  /** Ends every peer process still running (the end of a run, or of the agent). */
  async shutdown(): Promise<void> {
    await Promise.all([...this.processes.keys()].map((prefix) => this.closeAll(prefix)));
  }

  private processFor(prefix: string): PeerProcess {
    const existing = this.processes.get(prefix);
    if (existing) return existing;
    // No inherited execArgv (--inspect, loaders): the peer process is plain Node.
    const child = fork(PEER_PROCESS_SCRIPT, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [] });
    const peers: PeerProcess = { child, pending: new Map(), closing: false, stderr: '' };
    this.processes.set(prefix, peers);
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (peers.stderr = (peers.stderr + chunk).slice(-STDERR_TAIL_CHARS)));
    child.on('message', (reply: PeerReply) => {
      const waiter = peers.pending.get(reply.seq);
      peers.pending.delete(reply.seq);
      if (reply.error !== undefined) waiter?.reject(new PeerError(reply.error));
      else waiter?.resolve(reply.result as PeerResult);
    });
    // A process that started reports its end by 'exit'; 'error' alone means it never started.
    child.once('error', (err) => child.pid === undefined && this.lose(prefix, peers, `cannot run the WebRTC peer process: ${err.message}`));
    child.once('exit', (code, signal) => {
      if (!peers.closing) this.lose(prefix, peers, `WebRTC peer process died: ${signal ? `signal ${signal}` : `exit code ${code}`}${lastLine(peers.stderr)}`);
    });
    return peers;
  }

  private lose(prefix: string, peers: PeerProcess, reason: string): void {
    if (peers.lost !== undefined) return;
    peers.lost = reason;
    for (const waiter of peers.pending.values()) waiter.reject(new PeerError(reason));
    peers.pending.clear();
    if (this.processes.get(prefix) === peers) {
      this.watchers.get(prefix)?.(reason);
      this.watchers.delete(prefix);
      this.onLost?.(prefix, reason);
    }
  }

  private send(peers: PeerProcess, request: (seq: number) => PeerRequest): Promise<PeerResult> {
    if (peers.lost !== undefined) return Promise.reject(new PeerError(peers.lost));
    if (!peers.child.connected) return Promise.reject(new PeerError('the WebRTC peer process is gone'));
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      peers.pending.set(seq, { resolve, reject });
      // A send to a process that just died fails; its exit rejects the command with the reason.
      peers.child.send(request(seq), () => undefined);
    });
  }
}

/**
 * What the process said last on stderr, as " (…)" or nothing: the error line of an uncaught
 * exception (`TypeError: ...`) rather than Node's closing `Node.js v20...` line or the stack.
 */
export function lastLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !/^Node\.js v\d/.test(l) && !/^at /.test(l) && l !== '^');
  const line = [...lines].reverse().find((l) => /^[\w.]*(Error|Exception)\b/.test(l)) ?? lines.at(-1);
  return line ? ` (${clip(line, 300)})` : '';
}
