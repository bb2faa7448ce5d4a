import { arrayOf, boolean, integer, object, oneOfValues, pluginData, pluginError, positiveId, string, stringArray } from '../shapes.js';
import type { JsonSchema, PluginMessage, PluginSpec } from '../types.js';

/**
 * AudioBridge (plugins/janus_audiobridge.c, v1.1.2), with the plugin's default numeric ids
 * (`string_ids = false`). Synchronous requests answer in the `success` reply; `join`,
 * `configure`, `changeroom`, `leave` and `hangup` are acked and answered by an event carrying
 * the transaction. Everything other participants learn arrives as events without a transaction.
 *
 * Observed differences from the in-source docs: `list` answers under the key `list` (not
 * `rooms`) and every entry carries `muted`; the own `joined` event has no `display`;
 * `configure` answers `{"audiobridge":"event","result":"ok"}` without `room`; `leave` answers
 * `left` with `room` and `id`; `hangup` answers `{"audiobridge":"hangingup"}`; `mute`/`unmute`
 * and `mute_room`/`unmute_room` answer with `room` only when the state changed; `destroyed`,
 * `edited` and `created` carry `permanent`.
 */

const SHORT = 'audiobridge';

/** Integers the plugin validates with JANUS_JSON_PARAM_POSITIVE (0 passes the validator). */
const unsigned = { type: 'integer', minimum: 0 } as const;
/** A room id in a request (0 passes the validator: `create` then picks a random id, others find no room). */
const roomParam = unsigned;
const codec = oneOfValues('opus', 'pcma', 'pcmu');

/** Fields `join` and `changeroom` read (join_parameters plus room/id/pin/rtp). */
const joinFields: Record<string, JsonSchema> = {
  id: unsigned,
  group: string,
  pin: string,
  display: string,
  token: string,
  muted: boolean,
  codec,
  /** Removed in 1.2.0 (speexdsp jitter buffer); still accepted by 1.1.2. */
  prebuffer: unsigned,
  bitrate: unsigned,
  /** Opus complexity; outside 1..10 is refused with INVALID_ELEMENT. */
  quality: { type: 'integer', minimum: 1, maximum: 10 },
  /** Outside 0..20 is refused with INVALID_ELEMENT. */
  expected_loss: { type: 'integer', minimum: 0, maximum: 20 },
  volume: unsigned,
  spatial_position: unsigned,
  secret: string,
  audio_level_average: unsigned,
  audio_active_packets: unsigned,
  record: boolean,
  filename: string,
  generate_offer: boolean,
};

/** Plain-RTP participant details in `join` (needs `allow_rtp_participants` in the room). */
const rtpParticipant = object({}, {
  ip: string,
  port: unsigned,
  payload_type: unsigned,
  audiolevel_ext: unsigned,
  fec: boolean,
});

/** A participant as listed in `joined`, `roomchanged`, `participants` and participant notifications. */
const participant = object(
  { id: positiveId, setup: boolean, muted: boolean },
  {
    display: string,
    /** Only for participants whose audio-level extension was negotiated (or offered by the plugin). */
    talking: boolean,
    /** Only in rooms with spatial_audio. */
    spatial_position: integer,
    /** 1.2.1 and later, for suspended participants; never sent by 1.1.2. */
    suspended: { const: true },
  },
);

const roomEntry = object({
  room: positiveId,
  description: string,
  sampling_rate: integer,
  spatial_audio: boolean,
  pin_required: boolean,
  record: boolean,
  muted: boolean,
  num_participants: { type: 'integer', minimum: 0 },
});

const forwarder = object(
  {
    stream_id: positiveId,
    ip: string,
    port: integer,
    ssrc: integer,
    codec,
    ptype: integer,
    always_on: boolean,
  },
  {
    /** Only for forwarders of one group of a room with groups. */
    group: string,
    /** Only present (true) for SRTP forwarders. */
    srtp: { const: true },
  },
);

const room = { room: positiveId };

const messages: Record<string, PluginMessage> = {
  // Synchronous replies.
  created: { schema: pluginData(SHORT, 'created', { ...room, permanent: boolean }) },
  edited: { schema: pluginData(SHORT, 'edited', { ...room, permanent: boolean }) },
  destroyed: { schema: pluginData(SHORT, 'destroyed', { ...room, permanent: boolean }) },
  recording: { schema: pluginData(SHORT, 'success', { record: boolean }) },
  mjrs: { schema: pluginData(SHORT, 'success', { mjrs: boolean }) },
  list: { schema: pluginData(SHORT, 'success', { list: arrayOf(roomEntry) }) },
  exists: { schema: pluginData(SHORT, 'success', { ...room, exists: boolean }) },
  /** `allowed` is absent after action "disable". */
  allowed: { schema: pluginData(SHORT, 'success', room, { allowed: stringArray }) },
  /** kick, kick_all, resetdecoder; mute/unmute and mute_room/unmute_room when nothing changed. */
  success: { schema: pluginData(SHORT, 'success') },
  /** mute/unmute and mute_room/unmute_room when the state changed. */
  room_success: { schema: pluginData(SHORT, 'success', room) },
  participants: { schema: pluginData(SHORT, 'participants', { ...room, participants: arrayOf(participant) }) },
  rtp_forward: {
    schema: pluginData(SHORT, 'success', { ...room, stream_id: positiveId, host: string, port: integer }, { group: string }),
  },
  rtp_forward_stopped: { schema: pluginData(SHORT, 'success', { ...room, stream_id: integer }) },
  forwarders: { schema: pluginData(SHORT, 'forwarders', { ...room, rtp_forwarders: arrayOf(forwarder) }) },
  /** play_file (file_id is a random UUID unless given) and stop_file. */
  file: { schema: pluginData(SHORT, 'success', { ...room, file_id: string }) },
  playing: { schema: pluginData(SHORT, 'success', { ...room, file_id: string, playing: boolean }) },

  // Events answering asynchronous requests.
  /** The own join: no `display` (observed). `rtp` only for plain-RTP participants. */
  joined: {
    schema: pluginData(SHORT, 'joined', { ...room, id: positiveId, participants: arrayOf(participant) }, {
      rtp: object({ ip: string, port: integer, payload_type: integer }),
    }),
  },
  configured: { schema: pluginData(SHORT, 'event', { result: { const: 'ok' } }) },
  roomchanged: { schema: pluginData(SHORT, 'roomchanged', { ...room, id: positiveId, participants: arrayOf(participant) }) },
  left: { schema: pluginData(SHORT, 'left', { ...room, id: positiveId }) },
  hangingup: { schema: pluginData(SHORT, 'hangingup') },

  // Notifications (no transaction).
  /** Someone joined (or moved in with changeroom): exactly the new participant. */
  participant_joined: {
    schema: pluginData(SHORT, 'joined', { ...room, participants: { ...arrayOf(participant), minItems: 1, maxItems: 1 } }),
    unsolicited: true,
  },
  /** Someone was muted/unmuted, changed display or position, or got a PeerConnection (setup: true). */
  participant_updated: {
    schema: pluginData(SHORT, 'event', { ...room, participants: { ...arrayOf(participant), minItems: 1, maxItems: 1 } }),
    unsolicited: true,
  },
  leaving: { schema: pluginData(SHORT, 'event', { ...room, leaving: positiveId }), unsolicited: true },
  /** Sent to everybody in the room, the kicked participant included. */
  kicked: { schema: pluginData(SHORT, 'event', { ...room, kicked: positiveId }), unsolicited: true },
  /** kick_all: each participant is told its own id. */
  kicked_all: { schema: pluginData(SHORT, 'event', { ...room, kicked_all: positiveId }), unsolicited: true },
  room_muted: { schema: pluginData(SHORT, 'event', { ...room, muted: boolean }), unsolicited: true },
  room_destroyed: { schema: pluginData(SHORT, 'destroyed', room), unsolicited: true },
  announcement_started: { schema: pluginData(SHORT, 'announcement-started', { ...room, file_id: string }), unsolicited: true },
  announcement_stopped: { schema: pluginData(SHORT, 'announcement-stopped', { ...room, file_id: string }), unsolicited: true },
  talking: { schema: pluginData(SHORT, 'talking', { ...room, id: positiveId }), unsolicited: true },
  stopped_talking: { schema: pluginData(SHORT, 'stopped-talking', { ...room, id: positiveId }), unsolicited: true },


  // Later versions.
  /** listannouncements (1.2.4). */
  announcements: {
    schema: pluginData(SHORT, 'announcements', {
      ...room,
      announcements: arrayOf(object({ file_id: string, playing: boolean, loop: boolean }, { filename: string })),
    }),
    since: '1.2.4',
  },
  /** stop_all_files (1.3.2): the ids of the playbacks it removed. */
  files_stopped: { schema: pluginData(SHORT, 'success', { ...room, file_id_list: stringArray }), since: '1.3.2' },
  suspended: { schema: pluginData(SHORT, 'event', { ...room, suspended: positiveId }), unsolicited: true, since: '1.2.1' },
  resumed: { schema: pluginData(SHORT, 'event', { ...room, resumed: positiveId }), unsolicited: true, since: '1.2.1' },
  /** To the resumed participant whose events were paused: a recap of the room. */
  resumed_recap: {
    schema: pluginData(SHORT, 'event', { ...room, resumed: positiveId, participants: arrayOf(participant) }),
    unsolicited: true,
    since: '1.2.1',
  },

  error: { schema: pluginError(SHORT) },
};

function body(required: Record<string, JsonSchema>, optional: Record<string, JsonSchema> = {}): JsonSchema {
  return object(required, optional);
}

const secret = { secret: string };
const adminKey = { admin_key: string };

export const audiobridge: PluginSpec = {
  package: 'janus.plugin.audiobridge',
  adminMessages: true,
  short: SHORT,
  errors: {
    499: { name: 'UNKNOWN_ERROR' },
    480: { name: 'NO_MESSAGE' },
    481: { name: 'INVALID_JSON' },
    482: { name: 'INVALID_REQUEST' },
    483: { name: 'MISSING_ELEMENT' },
    484: { name: 'INVALID_ELEMENT' },
    485: { name: 'NO_SUCH_ROOM' },
    486: { name: 'ROOM_EXISTS' },
    487: { name: 'NOT_JOINED' },
    488: { name: 'LIBOPUS_ERROR' },
    489: { name: 'UNAUTHORIZED' },
    490: { name: 'ID_EXISTS' },
    491: { name: 'ALREADY_JOINED' },
    492: { name: 'NO_SUCH_USER' },
    493: { name: 'INVALID_SDP' },
    494: { name: 'NO_SUCH_GROUP' },
  },
  requests: {
    create: {
      body: body({ request: { const: 'create' } }, {
        room: roomParam,
        permanent: boolean,
        description: string,
        ...secret,
        pin: string,
        is_private: boolean,
        allowed: stringArray,
        sampling_rate: oneOfValues(8000, 12000, 16000, 24000, 48000),
        /** Old name of sampling_rate, still read. */
        sampling: oneOfValues(8000, 12000, 16000, 24000, 48000),
        spatial_audio: boolean,
        audiolevel_ext: boolean,
        audiolevel_event: boolean,
        audio_active_packets: unsigned,
        audio_level_average: unsigned,
        /** Removed in 1.2.0. */
        default_prebuffering: unsigned,
        default_expectedloss: unsigned,
        default_bitrate: unsigned,
        record: boolean,
        record_file: string,
        record_dir: string,
        mjrs: boolean,
        mjrs_dir: string,
        allow_rtp_participants: boolean,
        groups: { ...stringArray, maxItems: 5 },
        ...adminKey,
      }),
      replies: ['created'],
    },
    edit: {
      body: body({ request: { const: 'edit' }, room: roomParam }, {
        ...secret,
        new_description: string,
        new_secret: string,
        new_pin: string,
        new_is_private: boolean,
        new_record_dir: string,
        new_mjrs_dir: string,
        permanent: boolean,
      }),
      replies: ['edited'],
    },
    destroy: {
      body: body({ request: { const: 'destroy' }, room: roomParam }, { ...secret, permanent: boolean }),
      replies: ['destroyed'],
    },
    enable_recording: {
      body: body({ request: { const: 'enable_recording' }, room: roomParam, record: boolean }, { ...secret, record_file: string, record_dir: string }),
      replies: ['recording'],
    },
    enable_mjrs: {
      body: body({ request: { const: 'enable_mjrs' }, room: roomParam, mjrs: boolean }, { ...secret, mjrs_dir: string }),
      replies: ['mjrs'],
    },
    list: { body: body({ request: { const: 'list' } }, adminKey), replies: ['list'] },
    exists: { body: body({ request: { const: 'exists' }, room: roomParam }), replies: ['exists'] },
    allowed: {
      body: body({ request: { const: 'allowed' }, room: roomParam, action: oneOfValues('enable', 'disable', 'add', 'remove') }, { ...secret, allowed: stringArray }),
      replies: ['allowed'],
    },
    mute: { body: body({ request: { const: 'mute' }, room: roomParam, id: unsigned }, secret), replies: ['room_success', 'success'] },
    unmute: { body: body({ request: { const: 'unmute' }, room: roomParam, id: unsigned }, secret), replies: ['room_success', 'success'] },
    mute_room: { body: body({ request: { const: 'mute_room' }, room: roomParam }, secret), replies: ['room_success', 'success'] },
    unmute_room: { body: body({ request: { const: 'unmute_room' }, room: roomParam }, secret), replies: ['room_success', 'success'] },
    kick: { body: body({ request: { const: 'kick' }, room: roomParam, id: unsigned }, secret), replies: ['success'] },
    kick_all: { body: body({ request: { const: 'kick_all' }, room: roomParam }, secret), replies: ['success'] },
    listparticipants: { body: body({ request: { const: 'listparticipants' }, room: roomParam }), replies: ['participants'] },
    resetdecoder: { body: body({ request: { const: 'resetdecoder' } }), replies: ['success'] },
    rtp_forward: {
      body: body({ request: { const: 'rtp_forward' }, room: roomParam, host: string, port: { type: 'integer', minimum: 1, maximum: 65535 } }, {
        ...secret,
        ...adminKey,
        group: string,
        ssrc: unsigned,
        codec,
        ptype: unsigned,
        host_family: oneOfValues('ipv4', 'ipv6'),
        srtp_suite: oneOfValues(32, 80),
        srtp_crypto: string,
        always_on: boolean,
      }),
      replies: ['rtp_forward'],
    },
    stop_rtp_forward: {
      body: body({ request: { const: 'stop_rtp_forward' }, room: roomParam, stream_id: unsigned }, { ...secret, ...adminKey }),
      replies: ['rtp_forward_stopped'],
    },
    listforwarders: { body: body({ request: { const: 'listforwarders' }, room: roomParam }, secret), replies: ['forwarders'] },
    play_file: {
      body: body({ request: { const: 'play_file' }, room: roomParam, filename: string }, { ...secret, ...adminKey, group: string, file_id: string, loop: boolean }),
      replies: ['file'],
    },
    is_playing: {
      body: body({ request: { const: 'is_playing' }, room: roomParam, file_id: string }, { ...secret, ...adminKey }),
      replies: ['playing'],
    },
    stop_file: {
      body: body({ request: { const: 'stop_file' }, room: roomParam, file_id: string }, { ...secret, ...adminKey }),
      replies: ['file'],
    },
    join: {
      body: body({ request: { const: 'join' }, room: roomParam }, { ...joinFields, rtp: rtpParticipant }),
      events: ['joined'],
    },
    configure: {
      body: body({ request: { const: 'configure' } }, {
        muted: boolean,
        display: string,
        /** Removed in 1.2.0. */
        prebuffer: unsigned,
        bitrate: unsigned,
        quality: { type: 'integer', minimum: 1, maximum: 10 },
        expected_loss: { type: 'integer', minimum: 0, maximum: 20 },
        volume: unsigned,
        group: string,
        spatial_position: unsigned,
        record: boolean,
        filename: string,
        generate_offer: boolean,
        update: boolean,
      }),
      events: ['configured'],
    },
    changeroom: {
      body: body({ request: { const: 'changeroom' }, room: roomParam }, joinFields),
      events: ['roomchanged'],
    },
    leave: { body: body({ request: { const: 'leave' } }), events: ['left'] },
    hangup: { body: body({ request: { const: 'hangup' } }), events: ['hangingup'] },

    // Later versions (not in 1.1.2: there they are INVALID_REQUEST).
    suspend: {
      body: body({ request: { const: 'suspend' }, room: roomParam, id: unsigned }, { ...secret, pause_events: boolean, stop_record: boolean }),
      replies: ['success'],
      since: '1.2.1',
    },
    resume: {
      body: body({ request: { const: 'resume' }, room: roomParam, id: unsigned }, { ...secret, record: boolean, filename: string }),
      replies: ['success'],
      since: '1.2.1',
    },
    denoise_enable: { body: body({ request: { const: 'denoise_enable' }, room: roomParam, id: unsigned }, secret), replies: ['room_success'], since: '1.2.3' },
    denoise_disable: { body: body({ request: { const: 'denoise_disable' }, room: roomParam, id: unsigned }, secret), replies: ['room_success'], since: '1.2.3' },
    listannouncements: { body: body({ request: { const: 'listannouncements' }, room: roomParam }, secret), replies: ['announcements'], since: '1.2.4' },
    stop_all_files: {
      body: body({ request: { const: 'stop_all_files' }, room: roomParam }, { ...secret, ...adminKey }),
      replies: ['files_stopped'],
      since: '1.3.2',
    },
  },
  messages,
};
