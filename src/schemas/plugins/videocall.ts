import { boolean, constant, integer, object, oneOfValues, pluginData, pluginError, string, stringArray } from '../shapes.js';
import type { JsonSchema, PluginSpec } from '../types.js';

/**
 * VideoCall (plugins/janus_videocall.c, 1.1.2). Every request is asynchronous: Janus acks the
 * message, then answers with an event on the same transaction. Results and notifications are
 * `{videocall: "event", result: {...}}`; the JSEP offer/answer travels in the envelope's `jsep`.
 * Requests are matched case-insensitively by Janus; the catalogue lists them in lower case.
 */

const SHORT = 'videocall';

/** `{videocall: "event", result: <result>}`, the shape of every non-error message. */
function event(result: JsonSchema): JsonSchema {
  return pluginData(SHORT, 'event', { result });
}

/** `result: {event: <name>, ...}`. */
function named(name: string, required: Record<string, JsonSchema> = {}, optional: Record<string, JsonSchema> = {}): JsonSchema {
  return object({ event: constant(name), ...required }, optional);
}

/** A request body: `{request: <name>, ...}`; Janus ignores fields it does not read. */
function body(request: string, required: Record<string, JsonSchema> = {}, optional: Record<string, JsonSchema> = {}): JsonSchema {
  return object({ request: constant(request), ...required }, optional);
}

/** Simulcast layer 0-2 (set.substream/temporal; out-of-range values get 474). */
const layer: JsonSchema = { type: 'integer', minimum: 0, maximum: 2 };
const nonNegative: JsonSchema = { type: 'integer', minimum: 0 };

export const videocall: PluginSpec = {
  package: 'janus.plugin.videocall',
  short: SHORT,
  errors: {
    499: { name: 'UNKNOWN_ERROR' },
    470: { name: 'NO_MESSAGE' },
    471: { name: 'INVALID_JSON' },
    472: { name: 'INVALID_REQUEST' },
    473: { name: 'REGISTER_FIRST' },
    474: { name: 'INVALID_ELEMENT' },
    475: { name: 'MISSING_ELEMENT' },
    476: { name: 'USERNAME_TAKEN' },
    477: { name: 'ALREADY_REGISTERED' },
    478: { name: 'NO_SUCH_USERNAME' },
    479: { name: 'USE_ECHO_TEST' },
    480: { name: 'ALREADY_IN_CALL' },
    481: { name: 'NO_CALL' },
    482: { name: 'MISSING_SDP' },
    483: { name: 'INVALID_SDP' },
  },
  requests: {
    list: { body: body('list'), events: ['list'] },
    register: { body: body('register', { username: string }), events: ['registered'] },
    /** Needs a JSEP offer. A busy callee ends it at once with a `hangup` ("User busy") on the same transaction. */
    call: { body: body('call', { username: string }), events: ['calling', 'hangup'] },
    /** Needs the JSEP answer to the `incomingcall` offer. */
    accept: { body: body('accept'), events: ['accepted'] },
    /** Media settings; with a JSEP (renegotiation) the peer gets an `update`. `restart` is read but only logged. */
    set: {
      body: body('set', {}, {
        audio: boolean,
        video: boolean,
        bitrate: nonNegative,
        record: boolean,
        filename: string,
        restart: boolean,
        substream: layer,
        temporal: layer,
        fallback: nonNegative,
      }),
      events: ['set'],
    },
    /** `reason` is passed on to the peer; the caller's own event always says "Explicit hangup". */
    hangup: { body: body('hangup', {}, { reason: string }), events: ['hangup'] },
  },
  messages: {
    /** Usernames of every registered handle (the plugin's whole registry, in no particular order). */
    list: { schema: event(object({ list: stringArray })) },
    registered: { schema: event(named('registered', { username: string })) },
    /** The caller's reply; the callee is sent `incomingcall` with the offer. */
    calling: { schema: event(named('calling')) },
    /** To the callee, with the caller's offer in `jsep`. */
    incomingcall: { schema: event(named('incomingcall', { username: string })), unsolicited: true },
    /** The callee's reply to `accept` (no username). */
    accepted: { schema: event(named('accepted')) },
    /** To the caller when the callee accepted, with the callee's answer in `jsep`: `username` is the callee. */
    call_accepted: { schema: event(named('accepted', { username: string })), unsolicited: true },
    set: { schema: event(named('set')) },
    /** To the peer of a `set` that carried a renegotiation JSEP, with that JSEP. */
    update: { schema: event(named('update')), unsolicited: true },
    /**
     * The reply to `hangup` ("Explicit hangup"), the reply to a `call` to a busy user ("User
     * busy"), and the notification to the other party ("Remote WebRTC hangup", or the reason the
     * peer gave). `username` is who hung up; it is absent when that handle never registered.
     */
    hangup: { schema: event(named('hangup', { reason: string }, { username: string })), unsolicited: true },
    /** After `set` with a substream (or, for VP8, temporal layer) that is already the current one. */
    simulcast: { schema: event(named('simulcast', { videocodec: string }, { substream: integer, temporal: integer })), unsolicited: true },
    /** Downlink packet loss reported by the core; `current-bitrate` (the cap set with `set`) for video only. */
    slow_link: { schema: event(named('slow_link', { media: oneOfValues('audio', 'video') }, { 'current-bitrate': integer })), unsolicited: true },
    error: { schema: pluginError(SHORT) },
  },
};
