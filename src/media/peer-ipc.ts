import { PeerError, type PeerCommand, type PeerHost, type PeerResult } from './contract.js';

/**
 * The messages of Node's IPC channel between a peer host and the process its peers run in (the
 * WebRTC peer process, or the namespace agent that relays to one): a request answers with a
 * reply of the same seq; a notice says, unasked, that the peers of one scenario run were lost.
 */
export type PeerRequest = { seq: number; command: PeerCommand } | { seq: number; closeAll: string };
export type PeerReply = { seq: number; result?: unknown; error?: string };
export type PeerNotice = { lost: string; reason: string };

/** Runs one request on the peers at hand and sends the reply, whatever happens. */
export async function answer(peers: Pick<PeerHost, 'run' | 'closeAll'>, request: PeerRequest, where: string): Promise<void> {
  let reply: PeerReply;
  try {
    const result: PeerResult | void = 'closeAll' in request ? await peers.closeAll(request.closeAll) : await peers.run(request.command);
    reply = { seq: request.seq, result };
  } catch (err) {
    reply = { seq: request.seq, error: err instanceof PeerError ? err.message : `${where}: ${(err as Error).stack ?? String(err)}` };
  }
  // The host may have gone between the check and the send: nothing is left to answer to, and a
  // throw here would be an unhandled rejection that ends the process (answer() is not awaited).
  if (!process.connected) return;
  try {
    process.send!(reply, undefined, {}, () => undefined);
  } catch {
    // channel closed meanwhile
  }
}
