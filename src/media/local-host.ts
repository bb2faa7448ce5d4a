import type { PeerCommand, PeerHost, PeerResult } from './contract.js';
import { PeerTable } from './peer-table.js';

/** Peers in the runner's own process and network namespace: for a Janus the runner did not start (`--url`). */
export class LocalPeerHost implements PeerHost {
  private readonly table = new PeerTable(true);

  run(command: PeerCommand): Promise<PeerResult> {
    return this.table.run(command);
  }

  closeAll(prefix: string): Promise<void> {
    return this.table.closeAll(prefix);
  }
}
