import { PeerError, type PeerCommand, type PeerResult } from './contract.js';
import { MediaPeer } from './peer.js';

/**
 * The peers of one scenario run, by id, and what each command does to them. Only the WebRTC
 * peer process (peer-process.ts) runs this: libdatachannel is never loaded anywhere else.
 */
export class PeerTable {
  private readonly peers = new Map<string, MediaPeer>();
  private ndc: Promise<typeof import('node-datachannel')> | undefined;

  async run(command: PeerCommand): Promise<PeerResult> {
    switch (command.op) {
      case 'offer':
        return (this.peers.get(command.id) ?? (await this.create(command.id))).offer(command.tracks);
      case 'accept':
        return (this.peers.get(command.id) ?? (await this.create(command.id))).accept(command.jsep, command.candidates);
      case 'send':
        this.existing(command.id).send(command.options);
        return undefined;
      case 'stop':
        this.existing(command.id).stop();
        return undefined;
      case 'data':
        await this.existing(command.id).data(command.text, command.timeoutMs);
        return undefined;
      case 'receive':
        return this.existing(command.id).receive(command.timeoutMs);
      case 'close':
        this.peers.get(command.id)?.close();
        this.peers.delete(command.id);
        return undefined;
    }
  }

  async closeAll(prefix: string): Promise<void> {
    for (const [id, peer] of this.peers) {
      if (!id.startsWith(prefix)) continue;
      peer.close();
      this.peers.delete(id);
    }
  }

  /**
   * Closes every peer and stops libdatachannel's threads, which would otherwise keep the
   * process alive for ~8 s (and may crash in static destructors at a plain exit).
   */
  async shutdown(): Promise<void> {
    await this.closeAll('');
    if (this.ndc) (await this.ndc).cleanup();
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
