import { since, versionedValues } from '../field-versions.js';
import { arrayOf, boolean, constant, integer, object, oneOfValues, pluginData, pluginError, positiveId, string, stringArray } from '../shapes.js';
import type { JsonSchema, PluginSpec } from '../types.js';

/**
 * Streaming (plugins/janus_streaming.c, v1.1.2). Synchronous: list, info, create, edit, destroy,
 * recording, enable, disable, kick_all (janus_streaming_process_synchronous_request); asynchronous:
 * watch, start, pause, stop, configure, switch (janus_streaming_handler). Mountpoint ids are
 * integers (string_ids = false, the default). Pre-validation errors (no/unknown `request`) are
 * synchronous even for the asynchronous requests.
 */

const S = 'streaming';

/** A mountpoint id: a positive integer (janus_random_uint64 when the client gives none). */
const mountpointId = positiveId;
/** Port numbers: 0 in requests lets Janus pick one from rtp_port_range. */
const port = { type: 'integer', minimum: 0, maximum: 65535 } as const;
const boundPort = { type: 'integer', minimum: 1, maximum: 65535 } as const;
const nonNegative = { type: 'integer', minimum: 0 } as const;
const mediaType = oneOfValues('audio', 'video', 'data');
/** `type` in list/info/created: file-based and RTP/RTSP live sources say "live", ondemand file sources "on demand". */
const mountpointType = oneOfValues('live', 'on demand');

// ---------------------------------------------------------------------------------------------
// Requests

/** One entry of `media` in an RTP `create` (rtp_media_parameters). */
const createMedia = object(
  { type: mediaType, mid: string, port },
  {
    label: string,
    /** "<stream id> <track id>": both parts are needed, otherwise ignored. */
    msid: string,
    mcast: string,
    iface: string,
    rtcpport: port,
    pt: { type: 'integer', minimum: 0, maximum: 127 },
    /** Mandatory for audio and video in practice (456 without it). */
    codec: string,
    /** Deprecated: the codec is taken from it when `codec` is missing. */
    rtpmap: string,
    fmtp: string,
    skew: boolean,
    bufferkf: boolean,
    simulcast: boolean,
    port2: port,
    port3: port,
    svc: boolean,
    buffermsg: boolean,
  },
);

const createBody = object(
  { request: constant('create'), type: oneOfValues('rtp', 'live', 'ondemand', 'rtsp') },
  {
    admin_key: string,
    /** 0 or absent: Janus picks one. */
    id: nonNegative,
    /** A name starting with a number gets an "mp-" prefix; default "mp-<id>". */
    name: string,
    description: string,
    metadata: string,
    is_private: boolean,
    secret: string,
    pin: string,
    /** Saved to janus.plugin.streaming.jcfg (456-free only when the plugin has a config file). */
    permanent: boolean,
    media: arrayOf(createMedia),
    // rtp: global options
    collision: nonNegative,
    threads: nonNegative,
    srtpsuite: oneOfValues(32, 80),
    srtpcrypto: string,
    e2ee: boolean,
    playoutdelay_ext: boolean,
    /** Read from the request root (not the media entry) for data streams in 1.1.2. */
    buffermsg: boolean,
    datatype: oneOfValues('text', 'binary'),
    // deprecated single-stream form (rtp without `media`; live/ondemand/rtsp use audio/video too)
    audio: boolean,
    video: boolean,
    data: boolean,
    audiomcast: string,
    audioport: port,
    audiortcpport: port,
    audiopt: nonNegative,
    audiocodec: string,
    audiortpmap: string,
    audiofmtp: string,
    audioiface: string,
    audioskew: boolean,
    videomcast: string,
    videoport: port,
    videortcpport: port,
    videopt: nonNegative,
    videocodec: string,
    videortpmap: string,
    videofmtp: string,
    videobufferkf: boolean,
    videoiface: string,
    videosimulcast: boolean,
    videoport2: port,
    videoport3: port,
    videoskew: boolean,
    videosvc: boolean,
    datamcast: string,
    dataport: port,
    databuffermsg: boolean,
    dataiface: string,
    // live / ondemand (file sources: .alaw/.mulaw, .opus with libogg; audio only)
    filename: string,
    // rtsp
    url: string,
    rtsp_user: string,
    rtsp_pwd: string,
    rtsp_quirk: boolean,
    rtsp_reconnect_delay: nonNegative,
    rtsp_session_timeout: nonNegative,
    rtsp_timeout: nonNegative,
    rtsp_conn_timeout: nonNegative,
    rtspiface: string,
    rtsp_failcheck: boolean,
    /** Legacy spelling of rtsp_failcheck. */
    rtsp_check: boolean,
  },
);

/** Requests that name a mountpoint and may need its secret. */
function byId(request: string, optional: Record<string, JsonSchema> = {}): JsonSchema {
  return object({ request: constant(request), id: mountpointId }, { secret: string, ...optional });
}

/** `recording` start: media [{mid, filename}] (entries without both are skipped), or the deprecated audio/video/data file names. */
const recordingMedia = object({ mid: string }, { filename: string });

// ---------------------------------------------------------------------------------------------
// Messages

const listMedia = object({ mid: string, type: mediaType, label: string }, { msid: string, age_ms: nonNegative });

const listEntry = object(
  { id: mountpointId, type: mountpointType, description: string, enabled: boolean },
  { metadata: string, /** RTP/RTSP sources only. */ media: arrayOf(listMedia) },
);

/**
 * A stream in `info`: file sources give { type: "audio", [pt], [codec, rtpmap], [fmtp] }; RTP
 * sources also mindex, mid, label and the rest. Ports, recording only with the right secret.
 */
const infoMedia = object(
  { type: mediaType },
  {
    mindex: nonNegative,
    mid: string,
    label: string,
    msid: string,
    pt: integer,
    codec: string,
    rtpmap: string,
    fmtp: string,
    videobufferkf: constant(true),
    videosimulcast: constant(true),
    videosvc: constant(true),
    skew_compensation: constant(true),
    port: boundPort,
    rtcpport: boundPort,
    port2: boundPort,
    port3: boundPort,
    age_ms: nonNegative,
    /** Data streams: what they relay (1.1.3). */
    datatype: since('1.1.3', oneOfValues('text', 'binary')),
    /** The recording's file name (e.g. "rec.mjr"), while `recording` is running. */
    recording: string,
  },
);

const info = object(
  { id: mountpointId, enabled: boolean, type: mountpointType, media: arrayOf(infoMedia) },
  {
    /** name, secret, pin, is_private (only when true), viewers: only with the right secret, or when the mountpoint has none. */
    name: string,
    description: string,
    metadata: string,
    secret: string,
    pin: string,
    is_private: constant(true),
    viewers: nonNegative,
    /** File sources, with the secret. */
    filename: string,
    /** RTSP sources (url, rtsp_user, rtsp_pwd, rtsp_quirk with the secret). */
    rtsp: constant(true),
    url: string,
    rtsp_user: string,
    rtsp_pwd: string,
    rtsp_quirk: constant(true),
    srtp: constant(true),
    collision: integer,
    threads: integer,
    /** Key-frame buffering with the deltas that follow (1.3.3, #3564), when configured. */
    bufferkf_ms: since('1.3.3', integer),
    bufferkf_bytes: since('1.3.3', integer),
    /** The address a stream is bound to (iface/mcast), set on the mountpoint object by 1.1.2. */
    host: string,
  },
);

/** One bound stream in `created` (media form); rtcp_port/port_2/port_3 only when bound. */
const createdPort = object({ type: mediaType, mid: string }, { msid: string, port: boundPort, rtcp_port: boundPort, port_2: boundPort, port_3: boundPort });

const createdStream = object(
  { id: mountpointId, type: mountpointType, description: string, is_private: boolean },
  {
    /** RTP mountpoints created with `media`. */
    ports: arrayOf(createdPort),
    host: string,
    // RTP mountpoints created with the deprecated audio/video/data form
    audio_host: string,
    audio_port: boundPort,
    audio_rtcp_port: boundPort,
    video_host: string,
    video_port: boundPort,
    video_rtcp_port: boundPort,
    video_port_2: boundPort,
    video_port_3: boundPort,
    data_host: string,
    data_port: boundPort,
  },
);

/** An asynchronous answer: { streaming: "event", result: {...} }. */
function event(result: JsonSchema): JsonSchema {
  return pluginData(S, 'event', { result });
}
const status = (...values: string[]): JsonSchema => event(object({ status: oneOfValues(...values) }));

export const streaming: PluginSpec = {
  package: 'janus.plugin.streaming',
  adminMessages: true,
  short: S,
  errors: {
    450: { name: 'NO_MESSAGE' },
    451: { name: 'INVALID_JSON' },
    452: { name: 'INVALID_REQUEST' },
    453: { name: 'MISSING_ELEMENT' },
    454: { name: 'INVALID_ELEMENT' },
    455: { name: 'NO_SUCH_MOUNTPOINT' },
    456: { name: 'CANT_CREATE' },
    457: { name: 'UNAUTHORIZED' },
    458: { name: 'CANT_SWITCH' },
    459: { name: 'CANT_RECORD' },
    460: { name: 'INVALID_STATE' },
    461: { name: 'INVALID_SDP', since: '1.1.4' },
    470: { name: 'UNKNOWN_ERROR' },
  },
  requests: {
    list: { body: object({ request: constant('list') }, { admin_key: string }), replies: ['list'] },
    info: { body: byId('info'), replies: ['info'] },
    create: { body: createBody, replies: ['created'] },
    edit: {
      body: byId('edit', {
        new_description: string,
        new_metadata: string,
        new_secret: string,
        /** An empty string removes the PIN. */
        new_pin: string,
        new_is_private: boolean,
        permanent: boolean,
        /** Notify viewers when the metadata changed. */
        edited_event: boolean,
      }),
      replies: ['edited'],
    },
    destroy: { body: byId('destroy', { permanent: boolean }), replies: ['destroyed'] },
    recording: {
      body: object(
        { request: constant('recording'), action: oneOfValues('start', 'stop'), id: mountpointId },
        {
          secret: string,
          media: arrayOf(recordingMedia),
          /** Deprecated: file names for start, booleans for stop. */
          audio: { type: ['string', 'boolean'] },
          video: { type: ['string', 'boolean'] },
          data: { type: ['string', 'boolean'] },
        },
      ),
      replies: ['ok'],
    },
    enable: { body: byId('enable'), replies: ['ok'] },
    /** stop_recording defaults to true (in 1.1.2 that crashes Janus at debug_level >= 4 when a stream has no recording). */
    disable: { body: byId('disable', { stop_recording: boolean }), replies: ['ok'] },
    kick_all: { body: byId('kick_all'), replies: ['kicked_all'] },
    watch: {
      body: object(
        { request: constant('watch'), id: mountpointId },
        {
          pin: string,
          /** mids to subscribe to; missing or empty: all. */
          media: stringArray,
          /** ICE restart: status "updating" and a new offer (the plugin's jsep.restart flag does not reach the client). */
          restart: boolean,
          offer_audio: boolean,
          offer_video: boolean,
          offer_data: boolean,
          substream: nonNegative,
          temporal: nonNegative,
          fallback: nonNegative,
          spatial_layer: nonNegative,
          temporal_layer: nonNegative,
        },
      ),
      events: ['preparing', 'answered'],
    },
    start: { body: object({ request: constant('start') }), events: ['starting'] },
    pause: { body: object({ request: constant('pause') }), events: ['pausing'] },
    /** Only answered when the PeerConnection is up; otherwise Janus ignores it (no event). */
    stop: { body: object({ request: constant('stop') }), events: ['stopping'] },
    /**
     * Janus 1.1.2 validates these fields but ignores the result: any type and negative layers are
     * accepted (a layer equal to the current one, -1 before media, is notified right away).
     */
    configure: {
      body: object(
        { request: constant('configure') },
        {
          mid: string,
          send: boolean,
          substream: integer,
          temporal: integer,
          fallback: integer,
          spatial_layer: integer,
          temporal_layer: integer,
          min_delay: integer,
          max_delay: integer,
          /** Deprecated per-type send flags. */
          audio: boolean,
          video: boolean,
          data: boolean,
        },
      ),
      events: ['configured'],
    },
    switch: { body: object({ request: constant('switch'), id: mountpointId }), events: ['switched'] },
  },
  messages: {
    list: { schema: pluginData(S, 'list', { list: arrayOf(listEntry) }) },
    info: { schema: pluginData(S, 'info', { info }) },
    /** `created` is the mountpoint name (the docs say "create"). */
    created: { schema: pluginData(S, 'created', { created: string, permanent: boolean, stream: createdStream }, { warning: constant('deprecated_api') }) },
    edited: { schema: pluginData(S, 'edited', { id: mountpointId, permanent: boolean }) },
    /** `destroyed` holds the id (the docs say "id"). */
    destroyed: { schema: pluginData(S, 'destroyed', { destroyed: mountpointId }) },
    ok: { schema: pluginData(S, 'ok') },
    kicked_all: { schema: pluginData(S, 'kicked_all') },
    /** watch: "preparing" (with Janus' SDP offer), "updating" for an ICE restart. */
    preparing: { schema: status('preparing', 'updating') },
    /** start: "started" if the PeerConnection is already up. */
    starting: { schema: status('starting', 'started') },
    /** watch with the viewer's own JSEP offer (1.1.4, #3199, WHEP): answered and started at once. */
    answered: { since: '1.1.4', schema: status('starting') },
    pausing: { schema: status('pausing') },
    /** "idle" when the handle was watching nothing (1.3.1). */
    stopping: { schema: event(object({ status: versionedValues(['stopping', {}], ['idle', { since: '1.3.1' }]) })) },
    configured: { schema: event(object({ event: constant('configured') })) },
    switched: { schema: event(object({ switched: constant('ok'), id: mountpointId })) },
    /** The PeerConnection is up (setup_media). */
    started: { schema: status('started'), unsolicited: true },
    /** The mountpoint was destroyed (or an on-demand file ended); a core hangup "Close PC" follows. */
    stopped: { schema: status('stopped'), unsolicited: true },
    /** kick_all: every viewer gets this, then a core hangup "Close PC". */
    kicked: { schema: status('kicked_all'), unsolicited: true },
    /** edit with edited_event and new metadata, to each viewer: no "streaming" key in 1.1.2. */
    edited_notification: { schema: object({ event: constant('edited'), id: mountpointId }, { metadata: string }), unsolicited: true },
    /** Simulcast layer notifications: relayed ones carry the mid, those answering configure do not. */
    simulcast: { schema: event({ ...object({}, { mid: string, substream: integer, temporal: integer }), minProperties: 1 }), unsolicited: true },
    /** VP9-SVC layer notifications, same rule. */
    svc: { schema: event({ ...object({}, { mid: string, spatial_layer: integer, temporal_layer: integer }), minProperties: 1 }), unsolicited: true },
    error: { schema: pluginError(S) },
  },
};
