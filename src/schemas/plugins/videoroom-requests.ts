import { since } from '../field-versions.js';
import { anyObject, arrayOf, boolean, integer, object, string, stringArray } from '../shapes.js';
import type { JsonSchema } from '../types.js';
import { AUDIO_CODECS, VIDEO_CODECS, anyCodec, caseInsensitive, ci, layer, nameList, nonNegative, requestId } from './videoroom-common.js';

/**
 * VideoRoom request bodies (`message.body`), one per `request`, listing every field the 1.1.2
 * plugin reads or validates (janus_videoroom.c: the *_parameters tables and the json_object_get
 * calls of each request). Requests are matched case-insensitively by Janus (strcasecmp), so
 * `request` is a case-insensitive pattern. Integers Janus validates as "positive" accept 0.
 */

function body(request: string, required: Record<string, JsonSchema>, optional: Record<string, JsonSchema> = {}): JsonSchema {
  return object({ request: { type: 'string', pattern: `^${ci(request)}$` }, ...required }, optional);
}

const room = { room: requestId };
const secret = { secret: string };
const adminKey = { admin_key: string };
const hostFamily = caseInsensitive('ipv4', 'ipv6');
const audioCodecList = nameList(AUDIO_CODECS);
const videoCodecList = nameList(VIDEO_CODECS);
const oneAudioCodec = caseInsensitive(...AUDIO_CODECS);
const oneVideoCodec = caseInsensitive(...VIDEO_CODECS);
/** Playout-delay extension values: plain integers, negative disables. */
const delay = integer;

/**
 * create's dummy_streams entries. Entries without a string codec, or with a non-string fmtp, are
 * skipped (not an error); codecs are looked up by their lower-case name.
 */
const dummyStream = object({ codec: anyCodec }, { fmtp: string });
function oneAudioOrVideoCodec(): JsonSchema {
  return caseInsensitive(...AUDIO_CODECS, ...VIDEO_CODECS);
}

const createBody = body('create', {}, {
  ...room,
  ...adminKey,
  description: string,
  is_private: boolean,
  allowed: stringArray,
  secret: string,
  pin: string,
  require_pvtid: boolean,
  signed_tokens: boolean,
  bitrate: nonNegative,
  bitrate_cap: boolean,
  fir_freq: nonNegative,
  publishers: nonNegative,
  audiocodec: audioCodecList,
  videocodec: videoCodecList,
  vp9_profile: string,
  h264_profile: string,
  opus_fec: boolean,
  opus_dtx: boolean,
  /** Accepted by 1.1.2 only for VP9-only rooms; ignored from 1.1.4 on (SVC is auto-detected). */
  video_svc: boolean,
  audiolevel_ext: boolean,
  audiolevel_event: boolean,
  audio_active_packets: nonNegative,
  audio_level_average: nonNegative,
  videoorient_ext: boolean,
  playoutdelay_ext: boolean,
  transport_wide_cc_ext: boolean,
  record: boolean,
  rec_dir: string,
  lock_record: boolean,
  permanent: boolean,
  notify_joining: boolean,
  require_e2ee: boolean,
  dummy_publisher: boolean,
  dummy_streams: arrayOf(dummyStream),
  /** The dummy publisher's subscriptions are offered as end-to-end encrypted (1.3.2, #3553). */
  dummy_e2ee: since('1.3.2', boolean),
});

const editBody = body('edit', room, {
  ...secret,
  new_description: string,
  new_is_private: boolean,
  new_secret: string,
  new_pin: string,
  new_require_pvtid: boolean,
  new_bitrate: nonNegative,
  new_fir_freq: nonNegative,
  new_publishers: nonNegative,
  new_lock_record: boolean,
  new_rec_dir: string,
  permanent: boolean,
});

/** One target of rtp_forward's `streams` (rtp_forward_stream_parameters). */
const forwardStream = object({ mid: string, port: nonNegative }, {
  host: string,
  host_family: hostFamily,
  rtcp_port: nonNegative,
  ssrc: nonNegative,
  pt: nonNegative,
  simulcast: boolean,
  srtp_suite: nonNegative,
  srtp_crypto: string,
  /** Validated as a string in each stream, though only the request's own secret is checked. */
  secret: string,
  port_2: nonNegative,
  ssrc_2: nonNegative,
  pt_2: nonNegative,
  port_3: nonNegative,
  ssrc_3: nonNegative,
  pt_3: nonNegative,
});

const rtpForwardBody = body('rtp_forward', { ...room, publisher_id: requestId, host: string }, {
  ...secret,
  ...adminKey,
  host_family: hostFamily,
  simulcast: boolean,
  srtp_suite: { enum: [32, 80] },
  srtp_crypto: string,
  streams: arrayOf(forwardStream),
  // Deprecated flat form (answered with rtp_stream and warning "deprecated_api").
  video_port: nonNegative,
  video_rtcp_port: nonNegative,
  video_ssrc: nonNegative,
  video_pt: nonNegative,
  video_port_2: nonNegative,
  video_ssrc_2: nonNegative,
  video_pt_2: nonNegative,
  video_port_3: nonNegative,
  video_ssrc_3: nonNegative,
  video_pt_3: nonNegative,
  audio_port: nonNegative,
  audio_rtcp_port: nonNegative,
  audio_ssrc: nonNegative,
  audio_pt: nonNegative,
  data_port: nonNegative,
});

/** One stream of a remote publisher (remote_publisher_stream_parameters). */
const remoteStream = object({ mid: string, mindex: nonNegative, type: caseInsensitive('audio', 'video', 'data') }, {
  codec: oneAudioOrVideoCodec(),
  description: string,
  disabled: boolean,
  stereo: boolean,
  fec: boolean,
  dtx: boolean,
  /** Validated as booleans in 1.1.2-1.2.0 (a bug: the value is then read as a string, so it is ignored); strings from 1.2.1. */
  h264_profile: boolean,
  vp9_profile: boolean,
  simulcast: boolean,
  svc: boolean,
  audiolevel_ext_id: integer,
  videoorient_ext_id: integer,
  playoutdelay_ext_id: integer,
});

/** What a subscriber may set per stream (subscriber_stream_parameters), in subscribe and configure. */
const subscriberStreamParameters = {
  send: boolean,
  substream: layer,
  temporal: layer,
  fallback: nonNegative,
  spatial_layer: layer,
  temporal_layer: layer,
  min_delay: delay,
  max_delay: delay,
};

/** A subscription entry (subscriber_stream_parameters + feed). */
const subscribeStream = object({ feed: requestId }, { mid: string, crossrefid: string, ...subscriberStreamParameters });

/** An unsubscription entry (subscriber_remove_parameters + optional feed). */
const unsubscribeStream = object({}, { feed: requestId, mid: string, sub_mid: string });

/** A publish/configure `descriptions` entry. */
const description = object({ mid: string, description: string });

/** A configure `streams` entry, publisher (publish_stream_parameters) and subscriber (configure_stream_parameters) fields together. */
const configureStream = object({}, {
  mid: string,
  send: boolean,
  keyframe: boolean,
  min_delay: delay,
  max_delay: delay,
  /** Sic: the plugin validates this misspelled name. */
  audio_level_averge: nonNegative,
  audio_active_packets: nonNegative,
  substream: layer,
  temporal: layer,
  fallback: nonNegative,
  spatial_layer: layer,
  temporal_layer: layer,
});

/** A publisher's JSON metadata (1.3.0, #3467), on join, configure and remote publishers. */
const metadata = since('1.3.0', anyObject);

/** Fields a publisher's publish/configure reads (publish_parameters and the legacy global stream fields). */
const publisherConfigure = {
  streams: arrayOf(configureStream),
  descriptions: arrayOf(description),
  audiocodec: oneAudioCodec,
  videocodec: oneVideoCodec,
  bitrate: nonNegative,
  keyframe: boolean,
  record: boolean,
  filename: string,
  display: string,
  metadata,
  secret: string,
  audio_level_averge: nonNegative,
  audio_level_average: nonNegative,
  audio_active_packets: nonNegative,
  audio: boolean,
  video: boolean,
  data: boolean,
  update: boolean,
  restart: boolean,
  mid: string,
  send: boolean,
  min_delay: delay,
  max_delay: delay,
};

/** Fields a subscriber's configure reads (configure_parameters and the legacy global stream fields). */
const subscriberConfigure = {
  streams: arrayOf(configureStream),
  update: boolean,
  restart: boolean,
  audio: boolean,
  video: boolean,
  data: boolean,
  mid: string,
  ...subscriberStreamParameters,
};

/** join/joinandconfigure for both participant types: publisher fields and subscriber fields side by side. */
function joinBody(request: string, extra: Record<string, JsonSchema>): JsonSchema {
  return body(request, { ...room, ptype: caseInsensitive('publisher', 'subscriber') }, {
    // join_parameters (both types)
    audio: boolean,
    video: boolean,
    data: boolean,
    bitrate: nonNegative,
    record: boolean,
    filename: string,
    token: string,
    pin: string,
    // publisher
    id: requestId,
    display: string,
    metadata,
    descriptions: arrayOf(description),
    audio_active_packets: nonNegative,
    audio_level_average: nonNegative,
    // subscriber (subscriber_parameters; feed/offer_* are the deprecated single-feed form)
    streams: arrayOf(subscribeStream),
    feed: requestId,
    private_id: requestId,
    autoupdate: boolean,
    use_msid: boolean,
    offer_audio: boolean,
    offer_video: boolean,
    offer_data: boolean,
    substream: nonNegative,
    temporal: nonNegative,
    fallback: nonNegative,
    spatial_layer: nonNegative,
    temporal_layer: nonNegative,
    ...extra,
  });
}

export const requestBodies: Record<string, JsonSchema> = {
  create: createBody,
  edit: editBody,
  destroy: body('destroy', room, { ...secret, permanent: boolean }),
  list: body('list', {}, adminKey),
  exists: body('exists', room),
  allowed: body('allowed', { ...room, action: caseInsensitive('enable', 'disable', 'add', 'remove') }, { ...secret, allowed: stringArray }),
  kick: body('kick', { ...room, id: requestId }, secret),
  moderate: body('moderate', { ...room, id: requestId, mid: string, mute: boolean }, secret),
  enable_recording: body('enable_recording', { ...room, record: boolean }, secret),
  listparticipants: body('listparticipants', room),
  listforwarders: body('listforwarders', room, secret),
  rtp_forward: rtpForwardBody,
  stop_rtp_forward: body('stop_rtp_forward', { ...room, publisher_id: requestId, stream_id: nonNegative }, { ...secret, ...adminKey }),
  publish_remotely: body('publish_remotely', { ...room, publisher_id: requestId, remote_id: string, host: string, port: nonNegative }, {
    ...secret,
    ...adminKey,
    host_family: hostFamily,
    rtcp_port: nonNegative,
  }),
  unpublish_remotely: body('unpublish_remotely', { ...room, publisher_id: requestId, remote_id: string }, secret),
  listremotes: body('listremotes', { ...room, publisher_id: requestId }, secret),
  add_remote_publisher: body('add_remote_publisher', { ...room, streams: { ...arrayOf(remoteStream), minItems: 1 } }, {
    ...secret,
    id: requestId,
    display: string,
    metadata,
    mcast: string,
    iface: string,
    port: nonNegative,
    rtcp_port: nonNegative,
  }),
  update_remote_publisher: body('update_remote_publisher', { ...room, id: requestId, streams: arrayOf(remoteStream) }, { ...secret, display: string, metadata }),
  remove_remote_publisher: body('remove_remote_publisher', { ...room, id: requestId }, secret),
  join: joinBody('join', {}),
  joinandconfigure: joinBody('joinandconfigure', { audiocodec: oneAudioCodec, videocodec: oneVideoCodec }),
  configure: body('configure', {}, { ...publisherConfigure, ...subscriberConfigure }),
  publish: body('publish', {}, publisherConfigure),
  unpublish: body('unpublish', {}),
  start: body('start', {}),
  pause: body('pause', {}),
  switch: body('switch', {}, { streams: arrayOf(object({ feed: requestId, mid: string, sub_mid: string })), feed: requestId }),
  subscribe: body('subscribe', { streams: arrayOf(subscribeStream) }),
  unsubscribe: body('unsubscribe', { streams: arrayOf(unsubscribeStream) }),
  update: body('update', {}, { subscribe: arrayOf(subscribeStream), unsubscribe: arrayOf(unsubscribeStream) }),
  leave: body('leave', {}),
};
