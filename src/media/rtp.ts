/**
 * Fake RTP: enough for Janus to see media flowing (media events, echo, recording, audio levels).
 * The payloads are not real media: a silent Opus frame and a VP8 key-frame-looking stub, or
 * layered VP9 pictures (vp9-svc.ts).
 */
import { vp9SvcPicture, VP9_PAYLOAD_TYPE } from './vp9-svc.js';

export const OPUS_PAYLOAD_TYPE = 111;
export const VP8_PAYLOAD_TYPE = 96;
/** The id the peer offers for urn:ietf:params:rtp-hdrext:ssrc-audio-level; Janus answers with the same. */
export const AUDIO_LEVEL_EXTENSION_ID = 1;
export const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';

const OPUS_SILENCE = Buffer.from([0xf8, 0xff, 0xfe]);
// VP8 payload descriptor (S=1, partition 0) + a key-frame header: start code 9d 01 2a, 16x16,
// padded to 20 bytes: Janus takes nothing shorter than 16 for a key frame (janus_vp8_is_keyframe).
const VP8_STUB = Buffer.from([0x10, 0x50, 0x01, 0x00, 0x9d, 0x01, 0x2a, 0x10, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);

export interface RtpStream {
  ssrc: number;
  /** VP8 with temporal layers: every packet says its layer (TID 0, 2, 1, 2, ...), as simulcast encoders do. */
  temporalLayers?: boolean;
  /** VP9 with spatial and temporal layers: a picture is one packet per spatial layer. */
  svc?: boolean;
  /** SVC: key frames carry the switching-up point bit too (vp9-svc.ts). */
  svcKeyFrameSwitchUp?: boolean;
  payloadType: number;
  /** RTP clock ticks per 20 ms packet. */
  ticks: number;
  sequence: number;
  timestamp: number;
}

export function audioStream(ssrc: number): RtpStream {
  return { ssrc, payloadType: OPUS_PAYLOAD_TYPE, ticks: 960, sequence: 1, timestamp: 0 };
}

export function videoStream(ssrc: number, temporalLayers = false): RtpStream {
  return { ssrc, payloadType: VP8_PAYLOAD_TYPE, ticks: 1800, sequence: 1, timestamp: 0, temporalLayers };
}

export function svcVideoStream(ssrc: number, keyFrameSwitchUp = false): RtpStream {
  return { ssrc, payloadType: VP9_PAYLOAD_TYPE, ticks: 1800, sequence: 1, timestamp: 0, svc: true, svcKeyFrameSwitchUp: keyFrameSwitchUp };
}

const TEMPORAL_PATTERN = [0, 2, 1, 2];

/** The VP8 payload, with the extended descriptor (X, T bits and TID) when the stream has temporal layers. */
function vp8Payload(stream: RtpStream): Buffer {
  if (!stream.temporalLayers) return VP8_STUB;
  const tid = TEMPORAL_PATTERN[stream.sequence % TEMPORAL_PATTERN.length]!;
  return Buffer.concat([Buffer.from([0x90, 0x20, tid << 6]), VP8_STUB.subarray(1)]);
}

/**
 * The packets of the next 20 ms of a stream: one, or one per spatial layer for SVC video (same
 * timestamp, the marker on the last). `audioLevel` adds the one-byte-header audio-level
 * extension (RFC 6464).
 */
export function nextPackets(stream: RtpStream, audioLevel?: number): Buffer[] {
  const payloads = stream.payloadType === OPUS_PAYLOAD_TYPE ? [OPUS_SILENCE]
    : stream.svc ? vp9SvcPicture(Math.round(stream.timestamp / stream.ticks), stream.svcKeyFrameSwitchUp) : [vp8Payload(stream)];
  const extension = audioLevel === undefined ? Buffer.alloc(0)
    : Buffer.from([0xbe, 0xde, 0x00, 0x01, (AUDIO_LEVEL_EXTENSION_ID << 4) | 0, 0x80 | (audioLevel & 0x7f), 0x00, 0x00]);
  const packets = payloads.map((payload, i) => {
    const header = Buffer.alloc(12);
    header[0] = 0x80 | (extension.length > 0 ? 0x10 : 0);
    // Video frames end with their last packet (marker bit).
    const endsFrame = stream.payloadType !== OPUS_PAYLOAD_TYPE && i === payloads.length - 1;
    header[1] = (endsFrame ? 0x80 : 0) | stream.payloadType;
    header.writeUInt16BE(stream.sequence & 0xffff, 2);
    header.writeUInt32BE(stream.timestamp >>> 0, 4);
    header.writeUInt32BE(stream.ssrc >>> 0, 8);
    stream.sequence++;
    return Buffer.concat([header, extension, payload]);
  });
  stream.timestamp += stream.ticks;
  return packets;
}
