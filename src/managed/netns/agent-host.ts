import type { ChildProcess } from 'node:child_process';
import { PeerError, type PeerCommand, type PeerHost, type PeerResult } from '../../media/contract.js';
import type { PeerNotice, PeerReply, PeerRequest } from '../../media/peer-ipc.js';

/**
 * Peers of a managed Janus in its network namespace: the namespace agent (agent.ts) starts their
 * peer processes there and relays commands, replies and losses over its IPC channel. This is the
 * runner's end of that channel; it lives with the agent so that media/ never depends on the
 * launcher that starts it.
 */
export class AgentPeerHost implements PeerHost {
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (r: PeerResult) => void; reject: (e: Error) => void }>();
  private readonly watchers = new Map<string, (reason: string) => void>();

  constructor(private readonly agent: ChildProcess) {
    agent.on('message', (message: PeerReply | PeerNotice) => {
      if ('lost' in message) return this.lose(message.lost, message.reason);
      const waiter = this.pending.get(message.seq);
      this.pending.delete(message.seq);
      if (message.error !== undefined) waiter?.reject(new PeerError(message.error));
      else waiter?.resolve(message.result as PeerResult);
    });
    agent.once('exit', () => {
      const reason = 'the Janus namespace agent exited';
      for (const waiter of this.pending.values()) waiter.reject(new PeerError(reason));
      this.pending.clear();
      for (const prefix of [...this.watchers.keys()]) this.lose(prefix, reason);
    });
  }

  run(command: PeerCommand): Promise<PeerResult> {
    return this.send((seq) => ({ seq, command }));
  }

  watch(prefix: string, onLost: (reason: string) => void): void {
    this.watchers.set(prefix, onLost);
  }

  async closeAll(prefix: string): Promise<void> {
    this.watchers.delete(prefix);
    await this.send((seq) => ({ seq, closeAll: prefix })).catch(() => undefined);
  }

  private lose(prefix: string, reason: string): void {
    const onLost = this.watchers.get(prefix);
    this.watchers.delete(prefix);
    onLost?.(reason);
  }

  private send(request: (seq: number) => PeerRequest): Promise<PeerResult> {
    if (!this.agent.connected) return Promise.reject(new PeerError('the Janus namespace agent is gone'));
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.agent.send(request(seq));
    });
  }
}
