import type { ChildProcess } from 'node:child_process';
import type { AgentReply, AgentRequest } from '../managed/netns-agent.js';
import { PeerError, type PeerCommand, type PeerHost, type PeerResult } from './contract.js';

/** Peers hosted by the namespace agent of a managed Janus, commanded over its IPC channel. */
export class AgentPeerHost implements PeerHost {
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (r: PeerResult) => void; reject: (e: Error) => void }>();

  constructor(private readonly agent: ChildProcess) {
    agent.on('message', (reply: AgentReply) => {
      const waiter = this.pending.get(reply.seq);
      this.pending.delete(reply.seq);
      if (reply.error !== undefined) waiter?.reject(new PeerError(reply.error));
      else waiter?.resolve(reply.result as PeerResult);
    });
    agent.once('exit', () => {
      for (const waiter of this.pending.values()) waiter.reject(new PeerError('the Janus namespace agent exited'));
      this.pending.clear();
    });
  }

  run(command: PeerCommand): Promise<PeerResult> {
    return this.send((seq) => ({ seq, command }));
  }

  async closeAll(prefix: string): Promise<void> {
    await this.send((seq) => ({ seq, closeAll: prefix })).catch(() => undefined);
  }

  private send(request: (seq: number) => AgentRequest): Promise<PeerResult> {
    if (!this.agent.connected) return Promise.reject(new PeerError('the Janus namespace agent is gone'));
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.agent.send(request(seq));
    });
  }
}
