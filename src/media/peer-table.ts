import { PeerError, type PeerCommand, type PeerResult } from './contract.js';
import { MediaPeer } from './peer.js';

/**
 * The peers of one host, by id, and what each command does to them. Both hosts run this: the
 * local one in the runner, the agent one in the network namespace.
 */
export class PeerTable {
  private readonly peers = new Map<string, MediaPeer>();
  private ndc: Promise<typeof import('node-datachannel')> | undefined;

  /** releaseWhenIdle: clean libdatachannel up whenever the last peer closes (see releaseIfIdle). */
  constructor(private readonly releaseWhenIdle: boolean) {}

  async run(command: PeerCommand): Promise<PeerResult> {
    switch (command.op) {
      case 'offer':
        return (this.peers.get(command.id) ?? (await this.create(command.id))).offer(command.tracks);
      case 'accept':
        return (this.peers.get(command.id) ?? (await this.create(command.id))).accept(command.jsep);
      case 'send':
        this.existing(command.id).send(command.options);
        return undefined;
      case 'stop':
        this.existing(command.id).stop();
        return undefined;
      case 'data':
        await this.existing(command.id).data(command.text, 5000);
        return undefined;
      case 'receive':
        return this.existing(command.id).receive(command.timeoutMs);
      case 'close':
        this.peers.get(command.id)?.close();
        this.peers.delete(command.id);
        await this.releaseIfIdle();
        return undefined;
    }
  }

  async closeAll(prefix: string): Promise<void> {
    for (const [id, peer] of this.peers) {
      if (!id.startsWith(prefix)) continue;
      peer.close();
      this.peers.delete(id);
    }
    await this.releaseIfIdle();
  }

  /**
   * libdatachannel keeps its threads (and so the runner) alive for ~8 s after the last peer
   * closes unless told to clean up; it starts again on the next peer. The agent needs none of
   * this: it exits with its Janus.
   */
  private async releaseIfIdle(): Promise<void> {
    if (!this.releaseWhenIdle || !this.ndc) return;
    const ndc = await this.ndc;
    // Checked after the await: a peer may have been created meanwhile.
    if (this.peers.size === 0) ndc.cleanup();
  }

  private async create(id: string): Promise<MediaPeer> {
    // Loaded on first use: runs without peers never load the native library.
    this.ndc ??= import('node-datachannel').then((m) => m.default ?? m);
    const peer = new MediaPeer(await this.ndc, id);
    this.peers.set(id, peer);
    return peer;
  }

  private existing(id: string): MediaPeer {
    const peer = this.peers.get(id);
    if (!peer) throw new PeerError(`no peer ${shortId(id)}: make an offer or accept one first`);
    return peer;
  }
}

/** Peer ids are "<scenario run>/<name>"; reports show the name. */
export function shortId(id: string): string {
  return id.slice(id.indexOf('/') + 1);
}
