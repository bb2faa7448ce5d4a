import { since } from '../field-versions.js';
import { arrayOf, boolean, constant, integer, object, oneOfValues, pluginData, pluginError, string } from '../shapes.js';
import type { JsonSchema, PluginMessage } from '../types.js';
import { AUDIO_CODECS, VIDEO_CODECS, anyCodec, anyInteger, audioCodec, id, mediaType, nonNegative, privateId, reportedCodecList, trueOnly, videoCodec } from './videoroom-common.js';

/**
 * Every shape of the VideoRoom `plugindata.data` in Janus 1.1.2 (plugins/janus_videoroom.c).
 * Optional fields are the ones the plugin only sets under a condition (a flag that is true, a
 * value that is set, a legacy request form...).
 */

const vr = (kind: string, required: Record<string, JsonSchema> = {}, optional: Record<string, JsonSchema> = {}): JsonSchema =>
  pluginData('videoroom', kind, required, optional);
const room = { room: id };
const mid = string;
const mindex = nonNegative;
const positive = { type: 'integer', minimum: 1 } as const;
/** A participant's own JSON metadata, given on join or configure (1.3.0, #3467): wherever its display name goes. */
const metadata = since('1.3.0', { type: 'object' });

/**
 * A publisher's stream as others see it. `joined` (the list a new participant gets) adds `talking`
 * on audio streams with the audio-level extension, and flags `moderated` streams of any type;
 * the `publishers` notification flags only moderated video; the publisher's own `configured`
 * answer has neither.
 */
function publisherStream(where: 'joined' | 'notified' | 'own'): JsonSchema {
  return object({ type: mediaType, mindex, mid }, {
    disabled: trueOnly,
    description: string,
    codec: anyCodec,
    stereo: trueOnly,
    fec: trueOnly,
    dtx: trueOnly,
    h264_profile: string,
    vp9_profile: string,
    simulcast: trueOnly,
    svc: trueOnly,
    ...(where === 'own' ? {} : { moderated: trueOnly }),
    // The publisher's own streams name the RTP extensions negotiated (1.3.2, #3252).
    ...(where === 'own' ? { audiolevel_ext_id: since('1.3.2', positive), videoorient_ext_id: since('1.3.2', positive), playoutdelay_ext_id: since('1.3.2', positive) } : {}),
    ...(where === 'joined' ? { talking: boolean } : {}),
  });
}

/** A publisher in `joined.publishers` (also the dummy publisher) or in a `publishers` notification. */
function publisher(where: 'joined' | 'notified'): JsonSchema {
  return object({ id, streams: arrayOf(publisherStream(where)) }, {
    display: string,
    metadata,
    // Backwards compatibility: the codec of the first audio and video stream.
    audio_codec: audioCodec,
    video_codec: videoCodec,
    ...(where === 'joined' ? { dummy: trueOnly, talking: boolean } : {}),
  });
}

/** A stream of a subscription (janus_videoroom_subscriber_streams_summary). */
const subscriberStream = object({ type: mediaType, active: boolean, mindex, mid, ready: boolean, send: boolean }, {
  crossrefid: string,
  // data channels: how many publishers feed it, and which
  sources: nonNegative,
  source_ids: arrayOf(id),
  // audio/video fed by a publisher stream
  feed_id: id,
  feed_display: string,
  feed_metadata: metadata,
  feed_mid: string,
  feed_description: string,
  codec: anyCodec,
  'h264-profile': string,
  'vp9-profile': string,
  'playout-delay': object({ 'min-delay': integer, 'max-delay': integer }),
  simulcast: object({ substream: anyInteger, 'substream-target': anyInteger, 'temporal-layer': anyInteger, 'temporal-layer-target': anyInteger }, { fallback: nonNegative }),
  svc: object({ 'spatial-layer': anyInteger, 'target-spatial-layer': anyInteger, 'temporal-layer': anyInteger, 'target-temporal-layer': anyInteger }),
});

/** One entry of `list` (a room; private ones only with a valid admin_key). */
const roomInfo = object({
  room: id,
  description: string,
  pin_required: boolean,
  is_private: boolean,
  max_publishers: integer,
  bitrate: nonNegative,
  fir_freq: nonNegative,
  require_pvtid: boolean,
  require_e2ee: boolean,
  dummy_publisher: boolean,
  notify_joining: boolean,
  audiocodec: reportedCodecList(AUDIO_CODECS),
  videocodec: reportedCodecList(VIDEO_CODECS),
  record: boolean,
  lock_record: boolean,
  num_participants: nonNegative,
  audiolevel_ext: boolean,
  audiolevel_event: boolean,
  videoorient_ext: boolean,
  playoutdelay_ext: boolean,
  transport_wide_cc_ext: boolean,
}, {
  bitrate_cap: trueOnly,
  opus_fec: trueOnly,
  opus_dtx: trueOnly,
  video_svc: trueOnly,
  rec_dir: string,
  // only when audiolevel_event is true
  audio_active_packets: nonNegative,
  audio_level_average: nonNegative,
});

/** A participant in `listparticipants`. */
const participant = object({ id, publisher: boolean }, {
  display: string,
  metadata,
  dummy: trueOnly,
  remote: trueOnly,
  talking: boolean,
});

/** An RTP forwarder (janus_videoroom_rtp_forwarder_summary). */
const forwarder = object({ stream_id: nonNegative, host: string, port: nonNegative, type: mediaType }, {
  local_rtcp_port: nonNegative,
  remote_rtcp_port: nonNegative,
  pt: nonNegative,
  ssrc: nonNegative,
  substream: nonNegative,
  srtp: trueOnly,
});

/** rtp_forward's answer to the deprecated flat request form. */
const legacyRtpStream = object({ host: string, warning: constant('deprecated_api') }, {
  audio_stream_id: nonNegative,
  audio: nonNegative,
  video_stream_id: nonNegative,
  video: nonNegative,
  /** The video_rtcp_port asked for, when there is one (1.2.2, 360d9cec). */
  video_rtcp: since('1.2.2', nonNegative),
  video_stream_id_2: nonNegative,
  video_2: nonNegative,
  video_stream_id_3: nonNegative,
  video_3: nonNegative,
  data_stream_id: nonNegative,
  data: nonNegative,
});

/** Fields the answer to an SDP offer (configure/publish/joinandconfigure with JSEP) adds. */
const negotiated = {
  audio_codec: audioCodec,
  video_codec: videoCodec,
  streams: arrayOf(publisherStream('own')),
};

const ok = constant('ok');
const number = { type: 'number' } as const;

export const messages: Record<string, PluginMessage> = {
  // ---- synchronous replies ----
  created: { schema: vr('created', { ...room, permanent: boolean }) },
  edited: { schema: vr('edited', { ...room, permanent: boolean }) },
  destroyed: { schema: vr('destroyed', { ...room, permanent: boolean }) },
  rooms: { schema: vr('success', { list: arrayOf(roomInfo) }) },
  /** exists echoes the room asked about, 0 included. */
  exists: { schema: vr('success', { room: nonNegative, exists: boolean }) },
  /** allowed: the token list, except after action "disable". */
  allowed: { schema: vr('success', room, { allowed: arrayOf(string) }) },
  /** kick, moderate, update_remote_publisher, remove_remote_publisher. */
  success: { schema: vr('success') },
  recording: { schema: vr('success', { record: boolean }) },
  participants: { schema: vr('participants', { ...room, participants: arrayOf(participant) }) },
  forwarders: { schema: vr('forwarders', { ...room, publishers: arrayOf(object({ publisher_id: id, forwarders: arrayOf(forwarder) }, { display: string, metadata })) }) },
  rtp_forward: { schema: vr('rtp_forward', { ...room, publisher_id: id }, { forwarders: arrayOf(forwarder), rtp_stream: legacyRtpStream }) },
  stop_rtp_forward: { schema: vr('stop_rtp_forward', { ...room, publisher_id: id, stream_id: nonNegative }) },
  remotized: { schema: vr('success', { ...room, id, remote_id: string }) },
  unremotized: { schema: vr('success', { ...room, id }) },
  remotes: { schema: vr('success', { ...room, id, list: arrayOf(object({ remote_id: string, host: string, port: nonNegative }, { rtcp_port: nonNegative })) }) },
  /** add_remote_publisher: where to send the remote publisher's RTP/RTCP. */
  remote_publisher: { schema: vr('success', { ...room, id, port: nonNegative, rtcp_port: nonNegative }, { ip: string }) },

  // ---- events answering asynchronous requests ----
  joined: {
    schema: vr('joined', { ...room, description: string, id, private_id: privateId, publishers: arrayOf(publisher('joined')) }, {
      attendees: arrayOf(object({ id }, { display: string, metadata })),
      audio_active_packets: nonNegative,
      audio_level_average: nonNegative,
      ...negotiated,
    }),
  },
  attached: {
    schema: vr('attached', { ...room, streams: arrayOf(subscriberStream) }, {
      // deprecated single-feed subscription ("feed")
      id,
      display: string,
      metadata,
      warning: constant('deprecated_api'),
    }),
  },
  configured: { schema: vr('event', { ...room, configured: ok }, negotiated) },
  unpublished: { schema: vr('event', { ...room, unpublished: ok }) },
  /** A publisher's own leave. */
  leaving: { schema: vr('event', { ...room, leaving: ok }) },
  /** A subscriber's leave. */
  left: { schema: vr('event', { ...room, left: ok }) },
  started: { schema: vr('event', { ...room, started: ok }) },
  paused: { schema: vr('event', { ...room, paused: ok }) },
  switched: { schema: vr('event', { switched: ok, ...room, changes: nonNegative, streams: arrayOf(subscriberStream) }) },
  /** subscribe/unsubscribe/update (streams + a new JSEP offer; no streams when nothing changed); also sent later, unsolicited, when a pending offer goes out or a publisher leaves. */
  updated: { schema: vr('updated', room, { streams: arrayOf(subscriberStream) }), unsolicited: true },
  /** subscribe/unsubscribe/update while Janus still waits for the answer to its previous offer. */
  updating: { schema: vr('updating', room) },

  // ---- notifications (no transaction) ----
  publishers: { schema: vr('event', { ...room, publishers: arrayOf(publisher('notified')) }), unsolicited: true },
  participant_joining: { schema: vr('event', { ...room, joining: object({ id }, { display: string, metadata }) }), unsolicited: true },
  // The display name of who left, unpublished or was kicked, when it has one (1.3.0, #3426).
  participant_unpublished: { schema: vr('event', { ...room, unpublished: id }, { display: since('1.3.0', string), metadata }), unsolicited: true },
  participant_left: { schema: vr('event', { ...room, leaving: id }, { display: since('1.3.0', string), metadata }), unsolicited: true },
  participant_kicked: { schema: vr('event', { ...room, kicked: id }, { display: since('1.3.0', string), metadata }), unsolicited: true },
  /** To the participant who was kicked. */
  kicked: { schema: vr('event', { ...room, leaving: ok, reason: constant('kicked') }), unsolicited: true },
  moderation: { schema: vr('event', { ...room, id, mid, moderation: oneOfValues('muted', 'unmuted') }), unsolicited: true },
  /** A participant changed its display name (configure "display"); no room key. */
  display: { schema: vr('event', { id, display: string }, { metadata }), unsolicited: true },
  /** A participant changed metadata it already had (configure "metadata", 1.3.0); no room key either. */
  metadata_changed: { schema: vr('event', { id, metadata }), unsolicited: true, since: '1.3.0' },
  room_destroyed: { schema: vr('destroyed', room), unsolicited: true },
  talking: { schema: vr('talking', { ...room, id, mindex, mid, 'audio-level-dBov-avg': number }), unsolicited: true },
  stopped_talking: { schema: vr('stopped-talking', { ...room, id, mindex, mid, 'audio-level-dBov-avg': number }), unsolicited: true },
  /** Publisher: current-bitrate cap; subscriber: nothing else. */
  slow_link: { schema: vr('slow_link', {}, { 'current-bitrate': nonNegative }), unsolicited: true },
  substream: { schema: vr('event', { ...room, mid, substream: anyInteger }), unsolicited: true },
  temporal: { schema: vr('event', { ...room, mid, temporal: anyInteger }), unsolicited: true },
  spatial_layer: { schema: vr('event', { ...room, mid, spatial_layer: anyInteger }, { temporal_layer: anyInteger }), unsolicited: true },
  temporal_layer: { schema: vr('event', { ...room, mid, temporal_layer: anyInteger }), unsolicited: true },

  error: { schema: pluginError('videoroom') },
};
