import type { Audio, DataChannel, PeerConnection, Track, Video } from 'node-datachannel';
import { PeerError, type PeerTracks, type RemoteCandidate, type SendOptions, type SessionDescription } from './contract.js';
import { AUDIO_LEVEL_EXTENSION_ID, AUDIO_LEVEL_URI, audioStream, nextPackets, OPUS_PAYLOAD_TYPE, svcVideoStream, videoStream, VP8_PAYLOAD_TYPE, type RtpStream } from './rtp.js';
import { VP9_PAYLOAD_TYPE } from './vp9-svc.js';

type NodeDataChannel = typeof import('node-datachannel');

const PACKET_INTERVAL_MS = 20;
const GATHERING_TIMEOUT_MS = 5000;

/** A sending media track with its RTP state. */
interface Outgoing {
  track: Track;
  stream: RtpStream;
  kind: 'audio' | 'video';
  /** Loss accumulator: each packet adds the loss percentage; at 100 a packet is skipped. */
  lossDebt: number;
}

/**
 * One PeerConnection (libdatachannel through node-datachannel) with fake media. Its answers carry
 * its host candidates; its offers carry none (see withoutCandidates), so no trickle is needed
 * from this side: Janus learns the peer's address from the peer's own connectivity checks.
 */
export class MediaPeer {
  private readonly pc: PeerConnection;
  private readonly outgoing: Outgoing[] = [];
  /** Tracks Janus offered; held so they live as long as the peer. */
  private readonly incoming: Track[] = [];
  private channel: DataChannel | undefined;
  private readonly received: string[] = [];
  private readonly receivers: Array<(text: string) => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private sending: SendOptions = {};
  /** `a=ssrc-group:SIM ...` for a simulcast video track, added to every offer. */
  private simulcastGroup: string | undefined;

  constructor(private readonly ndc: NodeDataChannel, readonly id: string) {
    // No STUN or TURN: host candidates only. Binding to one address (bindAddress) made Janus's
    // DTLS handshake stall for ~2 s in the namespace, so the peer gathers on every interface.
    this.pc = new ndc.PeerConnection(id, { iceServers: [], disableAutoNegotiation: true });
    this.pc.onTrack((track) => this.incoming.push(track));
    this.pc.onDataChannel((dc) => this.useChannel(dc));
  }

  /** The first offer adds the tracks; later ones renegotiate what the peer already has. */
  async offer(tracks: PeerTracks): Promise<SessionDescription> {
    if (this.pc.signalingState() !== 'stable') throw new PeerError(`peer ${this.id} is in the middle of a negotiation (${this.pc.signalingState()}): accept the answer first`);
    if (this.pc.remoteDescription() === null) this.addTracks(tracks);
    this.pc.setLocalDescription('offer');
    return { type: 'offer', sdp: withoutCandidates(withSimulcast(withAudioLevel(await this.gathered()), this.simulcastGroup)) };
  }

  private addTracks(tracks: PeerTracks): void {
    const ssrcBase = 0x10000000 + Math.floor(Math.random() * 0x6fffffff);
    if (tracks.audio) {
      const audio: Audio = new this.ndc.Audio('0', 'SendRecv');
      audio.addOpusCodec(OPUS_PAYLOAD_TYPE);
      audio.addSSRC(ssrcBase, 'janus-scenarios', 'janus-scenarios', 'audio');
      this.outgoing.push({ track: this.pc.addTrack(audio), stream: audioStream(ssrcBase), kind: 'audio', lossDebt: 0 });
    }
    if (tracks.video) {
      const video: Video = new this.ndc.Video(tracks.audio ? '1' : '0', 'SendRecv');
      if (tracks.svc) {
        // One VP9 stream carrying every layer: Janus drops the layers a subscriber does not want.
        video.addVP9Codec(VP9_PAYLOAD_TYPE);
        video.addSSRC(ssrcBase + 1, 'janus-scenarios', 'janus-scenarios', 'video');
        this.outgoing.push({ track: this.pc.addTrack(video), stream: svcVideoStream(ssrcBase + 1, tracks.svcKeyFrameSwitchUp), kind: 'video', lossDebt: 0 });
        return this.addData(tracks);
      }
      video.addVP8Codec(VP8_PAYLOAD_TYPE);
      // Simulcast: three SSRCs (low, medium, high), each a full stream of its own.
      const ssrcs = tracks.simulcast ? [ssrcBase + 1, ssrcBase + 2, ssrcBase + 3] : [ssrcBase + 1];
      for (const ssrc of ssrcs) video.addSSRC(ssrc, 'janus-scenarios', 'janus-scenarios', 'video');
      const track = this.pc.addTrack(video);
      for (const ssrc of ssrcs) this.outgoing.push({ track, stream: videoStream(ssrc, tracks.simulcast === true), kind: 'video', lossDebt: 0 });
      if (tracks.simulcast) this.simulcastGroup = `a=ssrc-group:SIM ${ssrcs.join(' ')}`;
    }
    this.addData(tracks);
  }

  private addData(tracks: PeerTracks): void {
    if (tracks.data) this.useChannel(this.pc.createDataChannel('janus-scenarios'));
  }

  /**
   * Applies Janus's answer, or answers Janus's offer (receiving whatever it offers). candidates:
   * Janus's trickled ones, for an answer without any (Janus with full_trickle): the peer's offer
   * has none either, so without them neither side could reach the other.
   */
  async accept(jsep: SessionDescription, candidates: RemoteCandidate[] = []): Promise<SessionDescription | undefined> {
    if (jsep.type === 'answer' && candidates.length === 0 && !/^a=candidate:/m.test(jsep.sdp)) {
      throw new PeerError(`the answer to peer ${this.id} has no ICE candidates (Janus trickles them with full_trickle): give the trickled ones with \`candidates:\``);
    }
    this.pc.setRemoteDescription(jsep.sdp, jsep.type);
    for (const { candidate, sdpMid } of candidates) this.pc.addRemoteCandidate(candidate, sdpMid ?? firstMid(jsep.sdp));
    if (jsep.type === 'answer') return undefined;
    this.pc.setLocalDescription('answer');
    return { type: 'answer', sdp: await this.gathered() };
  }

  /** Starts (or changes) fake RTP on every sending track, one packet per track every 20 ms. */
  send(options: SendOptions): void {
    if (this.outgoing.length === 0) throw new PeerError(`peer ${this.id} has no tracks to send on: offer with audio or video first`);
    this.sending = options;
    this.timer ??= setInterval(() => this.tick(), PACKET_INTERVAL_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  async data(text: string, timeoutMs: number): Promise<void> {
    const channel = this.channel;
    if (!channel) throw new PeerError(`peer ${this.id} has no data channel: offer with data: true`);
    if (!channel.isOpen()) await within(timeoutMs, `the data channel of peer ${this.id} did not open`, (done) => channel.onOpen(done));
    channel.sendMessage(text);
  }

  /** The next data channel message, waiting up to timeoutMs. */
  receive(timeoutMs: number): Promise<string> {
    const ready = this.received.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return within(timeoutMs, `no data channel message reached peer ${this.id}`, (done) => this.receivers.push(done));
  }

  close(): void {
    this.stop();
    try {
      this.channel?.close();
      this.pc.close();
    } catch {
      // already closed
    }
  }

  private tick(): void {
    for (const out of this.outgoing) {
      if (!out.track.isOpen()) continue;
      for (const packet of nextPackets(out.stream, out.kind === 'audio' ? this.sending.audioLevel : undefined)) {
        out.lossDebt += this.sending.loss ?? 0;
        if (out.lossDebt >= 100) out.lossDebt -= 100;
        else if (!sendQuietly(out.track, packet)) break;
      }
    }
  }

  private useChannel(dc: DataChannel): void {
    this.channel = dc;
    dc.onMessage((msg) => {
      const text = typeof msg === 'string' ? msg : Buffer.from(msg as ArrayBuffer).toString('utf8');
      const receiver = this.receivers.shift();
      if (receiver) receiver(text);
      else this.received.push(text);
    });
  }

  /** The local description once host candidates are in it. */
  private async gathered(): Promise<string> {
    if (this.pc.gatheringState() !== 'complete') {
      await within(GATHERING_TIMEOUT_MS, `peer ${this.id} gathered no ICE candidates`, (done) =>
        this.pc.onGatheringStateChange((state) => state === 'complete' && done()));
    }
    const sdp = this.pc.localDescription()?.sdp;
    if (!sdp) throw new PeerError(`peer ${this.id} has no local description`);
    return sdp;
  }
}

/**
 * The offer without the peer's candidates. Janus can then not check the peer before the peer has
 * applied Janus's answer. If it could, libjuice would answer those early checks and keep them as
 * candidate pairs; libdatachannel's setRemoteDescription hands the answer's ICE credentials to
 * libjuice (which checks those pairs at once) before it stores the answer's DTLS fingerprint, so
 * on a loaded machine ICE and the DTLS handshake could finish in between: "certificate verify
 * failed", Janus hangs up with "DTLS alert". Without them, the peer's checks start from the
 * answer's candidates, which libdatachannel adds after storing the fingerprint; Janus learns the
 * peer's address from those checks (peer-reflexive). Answers keep their candidates: Janus, the
 * offerer then, has its fingerprint from its own offer before it hears from the peer.
 */
function withoutCandidates(sdp: string): string {
  return sdp.replace(/^a=(candidate:|end-of-candidates)[^\n]*\n/gm, '');
}

/** The first m-line's mid, where a trickled candidate that names none belongs (bundled). */
function firstMid(sdp: string): string {
  return /^a=mid:([^\r\n]+)/m.exec(sdp)?.[1] ?? '0';
}

/** Offers the audio-level header extension on the audio m-line, so `send` can carry levels. */
function withAudioLevel(sdp: string): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  return sdp.replace(/(m=audio [^\r\n]*\r?\n)/, `$1a=extmap:${AUDIO_LEVEL_EXTENSION_ID} ${AUDIO_LEVEL_URI}${eol}`);
}

/** Declares the simulcast SSRCs of the video m-line, the way browsers without rid do. */
function withSimulcast(sdp: string, group: string | undefined): string {
  if (!group) return sdp;
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  return sdp.replace(/(m=video [^\r\n]*\r?\n)/, `$1${group}${eol}`);
}

function within<T = void>(timeoutMs: number, failure: string, start: (done: (value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new PeerError(`${failure} within ${timeoutMs}ms`)), timeoutMs);
    start((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

/**
 * A timer callback has no one to report to: a track that closed between isOpen() and the send
 * (libdatachannel throws then) would end the whole peer process, every peer of the run with it.
 * The packet is dropped; the track's state says the rest.
 */
function sendQuietly(track: { sendMessageBinary(packet: Buffer): boolean }, packet: Buffer): boolean {
  try {
    track.sendMessageBinary(packet);
    return true;
  } catch {
    return false;
  }
}
