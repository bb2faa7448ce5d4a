/**
 * WebRTC peers for scenarios: a PeerHost owns PeerConnections by id and runs them where ICE can
 * reach Janus. The peers of each scenario run live in a WebRTC peer process of their own
 * (peer-process.ts), never in the runner: native code that crashes there fails that scenario
 * only. A managed Janus with media runs in a private network namespace, so its peer processes
 * are started by the namespace agent there (src/managed/netns: the agent uses process-host.ts
 * and peer-ipc.ts from here; nothing here knows of it); against a remote Janus the runner starts
 * them (process-host.ts). Both speak this contract, so the `peer` step never knows which it has.
 */

/** A session description as Janus carries it in `jsep`. */
export interface SessionDescription {
  type: 'offer' | 'answer';
  sdp: string;
}

/** A candidate Janus trickled (the `candidate` of a `trickle` event). */
export interface RemoteCandidate {
  candidate: string;
  sdpMid?: string;
}

/** What a peer sends when it makes the offer. */
export interface PeerTracks {
  audio: boolean;
  video: boolean;
  data: boolean;
  /** Video as three simulcast streams (ssrc-group SIM). */
  simulcast?: boolean;
  /** Video as VP9 with two spatial and three temporal layers (SVC) instead of VP8. */
  svc?: boolean;
  /** SVC: key frames are switching-up points (U bit) too, not only upper temporal layer frames. */
  svcKeyFrameSwitchUp?: boolean;
}

export interface SendOptions {
  /**
   * Audio level in -dBov (0 loudest, 127 silence) carried in the ssrc-audio-level RTP header
   * extension of every audio packet; undefined sends no extension.
   */
  audioLevel?: number;
  /**
   * Percent of packets (0-100) skipped on every track: their sequence numbers are used but the
   * packets never sent, so Janus counts them lost (for slowlink events).
   */
  loss?: number;
}

/** One command to a peer; `id` names a PeerConnection within its host. */
export type PeerCommand =
  | { op: 'offer'; id: string; tracks: PeerTracks }
  | { op: 'accept'; id: string; jsep: SessionDescription; candidates?: RemoteCandidate[] }
  | { op: 'send'; id: string; options: SendOptions }
  | { op: 'stop'; id: string }
  /** timeoutMs: how long to wait for the data channel to open. */
  | { op: 'data'; id: string; text: string; timeoutMs: number }
  | { op: 'receive'; id: string; timeoutMs: number }
  | { op: 'close'; id: string };

/** A command for a peer the caller names: the step says what, the run says which id. */
export type PeerAction = PeerCommand extends infer C ? (C extends unknown ? Omit<C, 'id'> : never) : never;

/** What each command answers: a description for offer/accept, a message for receive, else nothing. */
export type PeerResult = SessionDescription | string | undefined;

export interface PeerHost {
  run(command: PeerCommand): Promise<PeerResult>;
  /** Closes every peer whose id starts with the prefix (one scenario run's peers). */
  closeAll(prefix: string): Promise<void>;
  /**
   * Calls onLost (once) if the peers of a scenario run die before closeAll, e.g. when their
   * process crashes; reason is one line for the report.
   */
  watch(prefix: string, onLost: (reason: string) => void): void;
}

/**
 * The least time a step of a media scenario waits by default (when it names no `within`): what a
 * DTLS handshake needs when flights are late or lost, with its retransmissions after 1, 2, 4 and
 * 8 s (RFC 6347), and ICE checks paced alike. A loaded machine delays flights; the usual step
 * limit (5 s) covers only the first two retransmissions.
 */
export const MEDIA_STEP_TIMEOUT_MS = 15_000;

/** Peer ids are "<scenario run>/<name>": the run's prefix is what closeAll and watch take. */
export function runOf(id: string): string {
  return id.slice(0, id.indexOf('/') + 1);
}

/** A peer command that failed for a reason worth one line in a report. */
export class PeerError extends Error {
  override readonly name = 'PeerError';
}
