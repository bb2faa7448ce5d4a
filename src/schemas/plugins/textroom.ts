import { arrayOf, boolean, integer, mapOf, object, oneOfValues, pluginData, positiveId, string, stringArray } from '../shapes.js';
import type { JsonSchema, PluginMessage, PluginSpec } from '../types.js';

/**
 * TextRoom (plugins/janus_textroom.c, v1.1.2), with the plugin's default numeric room ids.
 *
 * Over the Janus API, `list`, `listparticipants`, `exists`, `create`, `edit`, `announcement`,
 * `allowed`, `kick` and `destroy` are synchronous: the plugin copies `request` into `textroom`
 * (only when the body has no `textroom` of its own) and hands the body to its data-channel
 * request processor. `setup`, `ack` and `restart` are asynchronous (ack, then an event).
 * Anything else, `join`/`message`/`leave` included, is refused with INVALID_REQUEST
 * (`"textroom":"event"`).
 *
 * Quirk of 1.1.2 (still in 1.4.1): because an existing `textroom` wins over `request`, the
 * data-channel operations `join`, `message` and `leave` run over the Janus API when a
 * synchronous request carries `"textroom":"join"` (or "message"/"leave"); they then answer in
 * the `success` reply like on the data channel. The participant has no data channel, so the
 * plugin's data-channel notifications to it go nowhere. This is the only way to have TextRoom
 * participants without WebRTC, so the catalogue models it: every synchronous request accepts
 * `textroom` and the data-channel fields, and may answer with the replies of those operations.
 *
 * Errors: the data-channel processor answers `{"textroom":"error",...}`; the Janus API
 * dispatcher (no/unknown `request`, async handler) answers `{"textroom":"event",...}` except
 * for the async handler's own errors, which are `"error"` too.
 * Observed differences from the docs: `list` answers under `list` (docs: `rooms`) and entries
 * carry `history`; `create`/`edit`/`destroy` answer `created`/`edited`/`destroyed` over the
 * Janus API (`success` on the data channel) with `permanent`; `listparticipants` has no
 * `textroom` key before 1.3.2; `kick` answers `{"textbridge":"success"}` before 1.3.2.
 */

const SHORT = 'textroom';

const unsigned = { type: 'integer', minimum: 0 } as const;
const roomParam = unsigned;
const room = { room: positiveId };

/** The body fields of the data-channel operations reachable with the `textroom` override. */
const dataChannelFields: Record<string, JsonSchema> = {
  /** Selects the operation; defaults to `request`. */
  textroom: oneOfValues('list', 'listparticipants', 'exists', 'create', 'edit', 'announcement', 'allowed', 'kick', 'destroy', 'join', 'message', 'leave'),
  // join
  username: string,
  pin: string,
  token: string,
  display: string,
  // message
  text: string,
  to: string,
  tos: stringArray,
  ack: boolean,
};
/** `history` is an integer for `create` and a boolean for `join`. */
const joinHistory = { history: boolean };
const dataChannelReplies = ['dc_joined', 'dc_success', 'dc_sent'];

function syncBody(name: string, required: Record<string, JsonSchema>, optional: Record<string, JsonSchema> = {}): JsonSchema {
  const schema = object({ request: { const: name } }, { ...dataChannelFields, ...joinHistory, ...optional, ...required });
  // room is required by every operation but list; with the override the target operation decides.
  return { ...schema, required: ['request', ...Object.keys(required)] };
}

const participant = object({ username: string }, { display: string });

const messages: Record<string, PluginMessage> = {
  created: { schema: pluginData(SHORT, 'created', { ...room, permanent: boolean }) },
  edited: { schema: pluginData(SHORT, 'edited', { ...room, permanent: boolean }) },
  destroyed: { schema: pluginData(SHORT, 'destroyed', { ...room, permanent: boolean }) },
  list: {
    schema: pluginData(SHORT, 'success', {
      list: arrayOf(object({ ...room, description: string, pin_required: boolean, num_participants: unsigned, history: unsigned })),
    }),
  },
  exists: { schema: pluginData(SHORT, 'success', { ...room, exists: boolean }) },
  /** listparticipants before 1.3.2: no "textroom" key at all (observed). */
  participants_bare: { schema: object({ ...room, participants: arrayOf(participant) }), until: '1.3.1' },
  participants: { schema: pluginData(SHORT, 'success', { ...room, participants: arrayOf(participant) }), since: '1.3.2' },
  /** `allowed` is absent after action "disable". */
  allowed: { schema: pluginData(SHORT, 'success', room, { allowed: stringArray }) },
  /** announcement. */
  success: { schema: pluginData(SHORT, 'success') },
  /** kick before 1.3.2: the key is misspelled (observed). */
  kicked_typo: { schema: object({ textbridge: { const: 'success' } }), until: '1.3.1' },

  // Replies of the data-channel operations reached with the `textroom` override.
  /** join: the participants already in the room (the new one excluded). */
  dc_joined: { schema: pluginData(SHORT, 'success', { participants: arrayOf(participant) }) },
  /** leave, and message to the whole room. */
  dc_success: { schema: pluginData(SHORT, 'success') },
  /** message with `to`/`tos`: which recipients were found. */
  dc_sent: { schema: pluginData(SHORT, 'success', { sent: mapOf(boolean) }) },

  // Events answering setup/ack/restart.
  /** setup (with a JSEP offer for a data channel only), restart (ICE-restart offer) and ack. */
  result: { schema: pluginData(SHORT, 'event', { result: { const: 'ok' } }) },

  error: { schema: object({ [SHORT]: oneOfValues('event', 'error'), error_code: integer, error: string }) },
};

export const textroom: PluginSpec = {
  package: 'janus.plugin.textroom',
  adminMessages: true,
  short: SHORT,
  errors: {
    411: { name: 'NO_MESSAGE' },
    412: { name: 'INVALID_JSON' },
    413: { name: 'MISSING_ELEMENT' },
    414: { name: 'INVALID_ELEMENT' },
    415: { name: 'INVALID_REQUEST' },
    416: { name: 'ALREADY_SETUP' },
    417: { name: 'NO_SUCH_ROOM' },
    418: { name: 'ROOM_EXISTS' },
    419: { name: 'UNAUTHORIZED' },
    420: { name: 'USERNAME_EXISTS' },
    421: { name: 'ALREADY_IN_ROOM' },
    422: { name: 'NOT_IN_ROOM' },
    423: { name: 'NO_SUCH_USER' },
    499: { name: 'UNKNOWN_ERROR' },
  },
  requests: {
    list: { body: syncBody('list', {}, { admin_key: string, room: roomParam }), replies: ['list', ...dataChannelReplies] },
    listparticipants: {
      body: syncBody('listparticipants', { room: roomParam }),
      replies: ['participants_bare', 'participants', ...dataChannelReplies],
    },
    exists: { body: syncBody('exists', { room: roomParam }), replies: ['exists', ...dataChannelReplies] },
    create: {
      body: syncBody('create', {}, {
        room: roomParam,
        description: string,
        secret: string,
        pin: string,
        /** HTTP backend the room's messages are POSTed to. */
        post: string,
        is_private: boolean,
        /** How many messages to keep (join's `history` is a boolean: see the override). */
        history: unsigned,
        allowed: stringArray,
        permanent: boolean,
        admin_key: string,
      }),
      replies: ['created', ...dataChannelReplies],
    },
    edit: {
      body: syncBody('edit', { room: roomParam }, {
        secret: string,
        new_description: string,
        new_secret: string,
        new_pin: string,
        new_post: string,
        new_is_private: boolean,
        permanent: boolean,
      }),
      replies: ['edited', ...dataChannelReplies],
    },
    announcement: { body: syncBody('announcement', { room: roomParam, text: string }, { secret: string }), replies: ['success', ...dataChannelReplies] },
    allowed: {
      body: syncBody('allowed', { room: roomParam, action: oneOfValues('enable', 'disable', 'add', 'remove') }, { secret: string, allowed: stringArray }),
      replies: ['allowed', ...dataChannelReplies],
    },
    kick: {
      body: syncBody('kick', { room: roomParam, username: string }, { secret: string }),
      replies: ['kicked_typo', 'success', ...dataChannelReplies],
    },
    destroy: { body: syncBody('destroy', { room: roomParam }, { secret: string, permanent: boolean }), replies: ['destroyed', ...dataChannelReplies] },
    /** Janus answers with a JSEP offer (a data channel only). */
    setup: { body: object({ request: { const: 'setup' } }), events: ['result'] },
    /** Carries the client's JSEP answer; without one it just answers ok. */
    ack: { body: object({ request: { const: 'ack' } }), events: ['result'] },
    /** ICE restart: a new offer (after setup only). */
    restart: { body: object({ request: { const: 'restart' } }), events: ['result'] },
  },
  messages,
};
