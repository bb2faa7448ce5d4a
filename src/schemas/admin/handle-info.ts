import { versionedValues } from '../field-versions.js';
import { anyObject, boolean, constant, integer, object, oneOfValues, string, stringArray } from '../shapes.js';
import type { JsonSchema } from '../types.js';
import { handleId, sessionId, since } from '../core/common.js';

/**
 * The `info` object of the Admin API's handle_info reply (janus.c, Janus 1.1.2), including the
 * PeerConnection summary (janus_admin_peerconnection_summary / _medium_summary). A handle
 * without a PeerConnection has no `webrtc` and no ICE agent fields; with `plugin_only: true` the
 * reply stops after `plugin_specific` (no flags, sdps, queued-packets).
 */

const count = { type: 'integer', minimum: 0 } as const;
/** Monotonic clock values in microseconds (janus_get_monotonic_time). */
const monotonic = { type: 'integer', minimum: 0 } as const;
const ssrc = { type: 'integer', minimum: 0, maximum: 4294967295 } as const;
const payloadType = { type: 'integer', minimum: 0, maximum: 127 } as const;
const extensionId = { type: 'integer', minimum: 1, maximum: 14 } as const;

/** janus_ice_handle webrtc_flags, all always present (unless plugin_only). */
const flags: JsonSchema = object(
  Object.fromEntries(
    [
      'got-offer', 'got-answer', 'negotiated', 'processing-offer', 'starting', 'ice-restart', 'ready', 'stopped', 'alert',
      'trickle', 'all-trickles', 'resend-trickles', 'trickle-synced', 'data-channels', 'has-audio', 'has-video',
      'new-datachan-sdp', 'rfc4588-rtx', 'cleaning', 'e2ee',
    ].map((f) => [f, boolean]),
  ),
);

/** Local and remote SDP, and the negotiated RTP profile, each only once known. */
const sdps: JsonSchema = object({}, { profile: string, local: string, remote: string });

const ice: JsonSchema = object(
  {
    stream_id: count,
    component_id: count,
    state: oneOfValues('disconnected', 'gathering', 'connecting', 'connected', 'ready', 'failed'),
    /**
     * pc->cdone: 0 until local gathering is done. Up to 1.2.2 a signed one-bit field, so then -1
     * (the 1 it is set to does not fit); a gboolean from 1.2.3, so 1.
     */
    ready: versionedValues([0, {}], [-1, { until: '1.2.2' }], [1, { since: '1.2.3' }]),
  },
  {
    /** Only once ICE failure was detected. */
    'failed-detected': monotonic,
    'icetimer-started': boolean,
    /** Only once gathering is done / once connected. */
    gathered: monotonic,
    connected: monotonic,
    'local-candidates': stringArray,
    'remote-candidates': stringArray,
    'selected-pair': string,
  },
);

const packetsBytes: JsonSchema = object({ packets: count, bytes: count });

/** Empty until the DTLS stack is created for the PeerConnection. */
const dtls: JsonSchema = object(
  {},
  {
    fingerprint: string,
    'remote-fingerprint': string,
    'remote-fingerprint-hash': string,
    'dtls-role': oneOfValues('actpass', 'passive', 'active'),
    'dtls-state': oneOfValues('created', 'trying', 'connected', 'failed'),
    retransmissions: count,
    valid: boolean,
    'srtp-profile': oneOfValues('SRTP_AES128_CM_SHA1_80', 'SRTP_AES128_CM_SHA1_32', 'SRTP_AEAD_AES_256_GCM', 'SRTP_AEAD_AES_128_GCM', 'none'),
    ready: boolean,
    'handshake-started': monotonic,
    connected: monotonic,
    /** Only when built with data channel support. */
    'sctp-association': boolean,
    stats: object({ in: packetsBytes, out: packetsBytes }),
  },
);

/** Negotiated RTP header extensions by URI → id. */
const extensions: JsonSchema = object(
  {},
  {
    'urn:ietf:params:rtp-hdrext:sdes:mid': extensionId,
    'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id': extensionId,
    'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id': extensionId,
    'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time': extensionId,
    'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01': extensionId,
    'urn:ietf:params:rtp-hdrext:ssrc-audio-level': extensionId,
    'urn:3gpp:video-orientation': extensionId,
    'http://www.webrtc.org/experiments/rtp-hdrext/playout-delay': extensionId,
    'https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension': extensionId,
  },
);

/** RTCP context stats of one (simul)stream; `rtt` only for the main one. */
const rtcpStats: JsonSchema = object(
  {
    base: count,
    lost: integer,
    'lost-by-remote': integer,
    'jitter-local': integer,
    'jitter-remote': integer,
    'in-link-quality': integer,
    'in-media-link-quality': integer,
    'out-link-quality': integer,
    'out-media-link-quality': integer,
  },
  { rtt: integer },
);

/** Stats of a simulcast substream (audio/video only); `nacks` only with NACKs enabled. */
const substreamStats: JsonSchema = object({ packets: count, bytes: count, bytes_lastsec: count }, { nacks: count });

/** One m-line of the PeerConnection; data m-lines have only type, mindex, mid, [msid], stats. */
const medium: JsonSchema = object(
  {
    type: oneOfValues('audio', 'video', 'data'),
    mindex: count,
    mid: string,
    stats: object({
      in: object(
        { packets: count, bytes: count },
        {
          bytes_lastsec: count,
          nacks: count,
          retransmissions: count,
          'video-simulcast-1': substreamStats,
          'video-simulcast-2': substreamStats,
        },
      ),
      out: object({ packets: count, bytes: count }, { bytes_lastsec: count, nacks: count }),
    }),
  },
  {
    msid: object({}, { 'local-stream': string, 'local-track': string, 'remote-stream': string, 'remote-track': string }),
    do_nacks: boolean,
    'nack-queue-ms': count,
    ssrc: object(
      {},
      {
        ssrc,
        'ssrc-rtx': ssrc,
        'ssrc-peer': ssrc,
        'ssrc-peer-sim-1': ssrc,
        'ssrc-peer-sim-2': ssrc,
        'ssrc-peer-rtx': ssrc,
        'ssrc-peer-sim-1-rtx': ssrc,
        'ssrc-peer-sim-2-rtx': ssrc,
      },
    ),
    'rid-simulcast': object(
      { rid: stringArray, 'rid-ext-id': extensionId, 'rid-order': oneOfValues('hml', 'lmh') },
      { 'ridrtx-ext-id': extensionId, 'rid-syntax': constant('legacy') },
    ),
    direction: object({ send: boolean, recv: boolean }),
    codecs: object({}, { pt: payloadType, 'opus-red-pt': payloadType, 'rtx-pt': payloadType, codec: string }),
    rtcp: object({}, { main: rtcpStats, sim1: rtcpStats, sim2: rtcpStats }),
  },
);

/** The PeerConnection summary, only when the handle has one. */
const webrtc: JsonSchema = object(
  {
    ice,
    dtls,
    extensions,
    bwe: object({ twcc: boolean }, { 'twcc-ext-id': integer }),
    /** m-lines by mid. */
    media: { type: 'object', additionalProperties: medium },
  },
  { 'too-large': since('1.4.1', count) },
);

export const handleInfo: JsonSchema = object(
  {
    session_id: sessionId,
    /** Monotonic time of the session's last activity. */
    session_last_activity: monotonic,
    /** The session's own timeout, or the global one; 0: never. */
    session_timeout: count,
    handle_id: handleId,
    'loop-running': boolean,
    created: monotonic,
    current_time: monotonic,
  },
  {
    /** The transport that created or last claimed the session. */
    session_transport: string,
    /** Only for handles attached with an opaque_id. */
    opaque_id: string,
    /** Only for handles attached with a token (token_auth). */
    token: string,
    /** While the plugin session is alive (always, for a live handle). */
    plugin: string,
    /** The plugin's query_session output; its shape is the plugin's. */
    plugin_specific: anyObject,
    /** Absent with plugin_only. */
    flags,
    /** Only once the ICE agent exists (after an SDP). */
    'agent-created': monotonic,
    'agent-started': monotonic,
    'ice-mode': oneOfValues('full', 'lite'),
    'ice-role': oneOfValues('controlling', 'controlled'),
    /** Absent with plugin_only. */
    sdps,
    /** Only when trickles are queued. */
    'pending-trickles': count,
    /** Absent with plugin_only. */
    'queued-packets': count,
    /** Only while start_pcap / start_text2pcap capture. */
    'dump-to-pcap': constant(true),
    'pcap-file': string,
    'dump-to-text2pcap': constant(true),
    'text2pcap-file': string,
    webrtc,
  },
);
