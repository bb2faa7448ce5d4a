import { since } from '../field-versions.js';
import { boolean, constant, integer, mapOf, object, oneOfValues, pluginData, string } from '../shapes.js';
import type { JsonSchema, PluginMessage, PluginSpec } from '../types.js';
import { forwarderCatalogue } from './sip-forwarders.js';

/**
 * SIP (plugins/janus_sip.c, 1.1.2; Sofia-SIP stack per registered handle). Every request is
 * asynchronous: an ack, then `{sip: "event", result: {event: ...}, [call_id]}` (or an error) on the
 * same transaction. What the SIP side does later (responses, incoming requests) arrives as
 * notifications of the same shape.
 *
 * Two quirks shape this catalogue:
 * - Notifications are pushed with the transaction of the handle's last `call` (or offerless
 *   `accept`), not with none: a `registration_failed`, `messagedelivery`, `subscribe_failed`, ...
 *   after a call carries that call's transaction. So `call` and `accept` list every notification.
 * - `hangup`, `hold`, `unhold` and `decline` in a state where they make no sense are dropped
 *   silently (only the ack comes back), and `transfer`, `recording`, `info`, `message` (in
 *   dialog) and `dtmf_info` outside a call answer `error_code: 0` ("Wrong state (not in a
 *   call?)"): the code is never set on that path (unchanged up to 1.4.x).
 */

const SHORT = 'sip';

/** Custom headers the user asked for with `incoming_header_prefixes`: header name → value. */
const headers: JsonSchema = mapOf(string);
/** Custom headers to add to an outgoing request: header name → value. */
const outHeaders: JsonSchema = mapOf(string);
const srtp: JsonSchema = oneOfValues('sdes_optional', 'sdes_mandatory');
/** A SIP status code; Sofia-SIP reports local failures with 9xx codes (e.g. 900 "Internal error at ..."). */
const sipCode: JsonSchema = { type: 'integer', minimum: 100, maximum: 999 };

/**
 * `{sip: "event", result: {event: <name>, ...}, [call_id]}`. The top-level `call_id` is the
 * handle's current Call-ID on replies and call notifications (absent when there is none), the
 * Call-ID of the SIP transaction for MESSAGE/SUBSCRIBE/NOTIFY outcomes, and never there on
 * registration outcomes and transfer requests.
 */
function event(name: string, required: Record<string, JsonSchema> = {}, optional: Record<string, JsonSchema> = {}, callId: 'optional' | 'required' | 'none' = 'optional'): JsonSchema {
  const result = object({ event: constant(name), ...required }, optional);
  if (callId === 'required') return pluginData(SHORT, 'event', { result, call_id: string });
  if (callId === 'none') return pluginData(SHORT, 'event', { result });
  return pluginData(SHORT, 'event', { result }, { call_id: string });
}

function body(request: string, required: Record<string, JsonSchema> = {}, optional: Record<string, JsonSchema> = {}): JsonSchema {
  return object({ request: constant(request), ...required }, optional);
}

const note = (schema: JsonSchema): PluginMessage => ({ schema, unsolicited: true });

/** The handle's UUID in the plugin (1.4.0, #3607): in the result of register replies. */
const uniqueId: JsonSchema = since('1.4.0', string);

/** Registrar outcomes carry the UUID next to `result` instead (1.4.0). */
function withUniqueId(schema: JsonSchema): JsonSchema {
  return { ...schema, properties: { ...(schema.properties as object), unique_id: uniqueId } };
}

/** Sent while a call is set up or up, with the call's transaction when the handle has one. */
const CALL_NOTIFICATIONS = [
  'hangingup', 'proceeding', 'ringing', 'progress', 'call_accepted', 'hangup', 'incomingcall', 'updatingcall', 'missed_call',
  'transfer', 'info', 'message', 'notify', 'messagedelivery', 'subscribe_succeeded', 'subscribe_failed',
  'registered_by_registrar', 'unregistered', 'registration_failed', 'dtmf',
];

const recordingBody = {
  audio: boolean,
  video: boolean,
  peer_audio: boolean,
  peer_video: boolean,
  send_peer_pli: boolean,
  filename: string,
};

const forwarding = forwarderCatalogue((name, required, optional) => event(name, required, optional), body);

export const sip: PluginSpec = {
  package: 'janus.plugin.sip',
  short: SHORT,
  errors: {
    /** Not a Janus macro: the error_code of the wrong-state errors whose path never sets one (see above). */
    0: { name: 'NO_CODE' },
    499: { name: 'UNKNOWN_ERROR' },
    440: { name: 'NO_MESSAGE' },
    441: { name: 'INVALID_JSON' },
    442: { name: 'INVALID_REQUEST' },
    443: { name: 'MISSING_ELEMENT' },
    444: { name: 'INVALID_ELEMENT' },
    445: { name: 'ALREADY_REGISTERED' },
    446: { name: 'INVALID_ADDRESS' },
    447: { name: 'WRONG_STATE' },
    448: { name: 'MISSING_SDP' },
    449: { name: 'LIBSOFIA_ERROR' },
    450: { name: 'IO_ERROR' },
    451: { name: 'RECORDING_ERROR' },
    452: { name: 'TOO_STRICT' },
    453: { name: 'HELPER_ERROR' },
    454: { name: 'NO_SUCH_CALLID' },
    455: { name: 'NO_SUCH_STREAM', since: '1.4.0' },
  },
  requests: {
    /**
     * `type: "guest"` or `send_register: false` registers without a REGISTER (→ `registered`
     * with `register_sent: false`); otherwise a REGISTER goes to `proxy` (→ `registering`, then
     * `registered` or `registration_failed` as notifications). `type: "helper"` with a master's
     * `master_id` attaches a helper session. `secret`/`ha1_secret` are needed unless guest or helper.
     */
    register: {
      body: body('register', { username: string }, {
        type: string,
        send_register: boolean,
        force_udp: boolean,
        force_tcp: boolean,
        sips: boolean,
        rfc2543_cancel: boolean,
        secret: string,
        ha1_secret: string,
        authuser: string,
        display_name: string,
        user_agent: string,
        headers: outHeaders,
        contact_params: mapOf(string),
        master_id: integer,
        refresh: boolean,
        incoming_header_prefixes: { type: 'array', items: string },
        register_ttl: integer,
        proxy: { type: ['string', 'null'] },
        outbound_proxy: { type: ['string', 'null'] },
      }),
      events: ['registering', 'registered'],
    },
    /** A helper just leaves its master (`unregistering`); a registered account sends REGISTER expires=0. */
    unregister: { body: body('unregister'), events: ['unregistering'] },
    subscribe: {
      body: body('subscribe', { event: string }, { to: string, accept: string, subscribe_ttl: integer, call_id: string, headers: outHeaders }),
      events: ['subscribing'],
    },
    unsubscribe: {
      body: body('unsubscribe', { event: string }, { to: string, accept: string, subscribe_ttl: integer, call_id: string, headers: outHeaders }),
      events: ['unsubscribing'],
    },
    /** Needs a JSEP offer; the outcome of the INVITE follows as notifications on this transaction. */
    call: {
      body: body('call', { uri: string }, {
        headers: outHeaders,
        call_id: string,
        srtp,
        srtp_profile: oneOfValues('AES_CM_128_HMAC_SHA1_32', 'AES_CM_128_HMAC_SHA1_80', 'AEAD_AES_128_GCM', 'AEAD_AES_256_GCM'),
        autoaccept_reinvites: boolean,
        refer_id: integer,
        secret: string,
        ha1_secret: string,
        authuser: string,
      }),
      events: ['calling', ...CALL_NOTIFICATIONS],
    },
    /** Needs a JSEP answer (or an offer, for an offerless INVITE: `accepting`, then `call_accepted`). */
    accept: {
      body: body('accept', {}, { srtp, headers: outHeaders, autoaccept_reinvites: boolean }),
      events: ['accepted', 'accepting', ...CALL_NOTIFICATIONS],
    },
    /** In a call, with a JSEP carrying `update: true`: `updating` (our offer) or `updated` (answer to a re-INVITE). */
    update: { body: body('update'), events: ['updating', 'updated'] },
    /** Only while invited (otherwise dropped without an event), or with `refer_id` to refuse a transfer. */
    decline: { body: body('decline', {}, { code: sipCode, headers: outHeaders, refer_id: integer }), events: ['declining'] },
    /** `replace` (a Call-ID) makes it an attended transfer. Up to 1.1.4 the plugin validates `call_id` but reads `replace`; 1.2.0 validates `replace`. */
    transfer: { body: body('transfer', { uri: string }, { call_id: string, replace: string }), events: ['transferring'] },
    hold: { body: body('hold', {}, { direction: oneOfValues('sendonly', 'recvonly', 'inactive'), headers: outHeaders }), events: ['holding'] },
    unhold: { body: body('unhold', {}, { headers: outHeaders }), events: ['resuming'] },
    hangup: { body: body('hangup', {}, { headers: outHeaders }), events: ['hangingup'] },
    recording: {
      body: body('recording', { action: oneOfValues('start', 'stop', 'pause', 'resume') }, recordingBody),
      events: ['recordingupdated'],
    },
    info: { body: body('info', { type: string, content: string }, { headers: outHeaders }), events: ['infosent'] },
    /** In dialog (during a call), or out of dialog to `uri` once registered (also as guest). */
    message: {
      body: body('message', { content: string }, { content_type: string, uri: string, headers: outHeaders, call_id: string }),
      events: ['messagesent'],
    },
    dtmf_info: { body: body('dtmf_info', { digit: string }, { duration: { type: 'integer', minimum: 0 }, headers: outHeaders }), events: ['dtmfsent'] },
    /** Clears a stuck "establishing" flag when idle; always answers `reset` (1.0.1+). */
    reset: { body: body('reset'), events: ['reset'] },
    /** 183 with SDP to an incoming call (1.3.1+). */
    progress: {
      since: '1.3.1',
      body: body('progress', {}, { srtp, srtp_profile: string, headers: outHeaders, autoaccept_reinvites: boolean }),
      events: ['progressed'],
    },
    /** A PLI to the WebRTC user and/or the SIP peer (1.3.1+). */
    keyframe: { since: '1.3.1', body: body('keyframe', {}, { user: boolean, peer: boolean }), events: ['keyframesent'] },
    /** A 180 to an incoming call (1.3.3+); the event has no `result`. */
    send_ringing: { since: '1.3.3', body: body('send_ringing'), events: ['ringing_sent'] },
    /** rtp_forward needs an established call: 447 "Wrong state (not in a call)" otherwise. */
    ...forwarding.requests,
  },
  messages: {
    // Replies to requests.
    registering: { schema: event('registering', {}, { unique_id: uniqueId }) },
    /** Without a REGISTER (guest, send_register: false, helper): `register_sent: false`; helpers add `helper: true`. */
    registered: {
      schema: event('registered', { username: string, register_sent: constant(false), master_id: integer }, { helper: constant(true), unique_id: uniqueId }),
    },
    unregistering: { schema: event('unregistering') },
    subscribing: { schema: event('subscribing', {}, { call_id: string }) },
    unsubscribing: { schema: event('unsubscribing') },
    /** `call_id` in the result is missing when the INVITE already failed before the reply was built. */
    calling: { schema: event('calling', {}, { call_id: string }) },
    accepted: { schema: event('accepted') },
    accepting: { schema: event('accepting') },
    progressed: { since: '1.3.1', schema: event('progressed') },
    updating: { schema: event('updating') },
    updated: { schema: event('updated') },
    /**
     * `code`: the one given if above 399, else 486 (call) or 603 (transfer). Declining a call
     * also puts its Call-ID in the result, when the SIP stack has not cleared it yet (a race).
     */
    declining: { schema: event('declining', { code: { type: 'integer', minimum: 400 } }, { refer_id: integer, call_id: string }) },
    transferring: { schema: event('transferring') },
    holding: { schema: event('holding') },
    resuming: { schema: event('resuming') },
    /** The reply to `hangup`, and a notification when the WebRTC side of a call goes away. */
    hangingup: note(event('hangingup')),
    recordingupdated: { schema: event('recordingupdated') },
    infosent: { schema: event('infosent') },
    /** `result.call_id` is the MESSAGE's Call-ID (the given one or a random one). */
    messagesent: { schema: event('messagesent', { call_id: string }) },
    dtmfsent: { schema: event('dtmfsent') },
    reset: { schema: event('reset') },
    keyframesent: { since: '1.3.1', schema: event('keyframesent') },
    ringing_sent: { since: '1.3.3', schema: pluginData(SHORT, 'event', {}, { call_id: string }) },

    // Notifications: what the SIP side did (also sent with the transaction of the last call).
    /** 200 to our REGISTER. */
    registered_by_registrar: note(withUniqueId(event('registered', { username: string, register_sent: constant(true), master_id: integer }, { headers }, 'none'))),
    registration_failed: note(event('registration_failed', { code: sipCode, reason: string }, { headers }, 'none')),
    unregistered: note(withUniqueId(event('unregistered', { username: string }, { headers }, 'none'))),
    subscribe_succeeded: note(event('subscribe_succeeded', { code: sipCode, reason: string }, { headers, expires: integer }, 'required')),
    /** Sofia reports local failures with code 900 ("Internal error at ..."). */
    subscribe_failed: note(event('subscribe_failed', { code: sipCode, reason: string }, { headers })),
    notify: note(event('notify', { content: string }, { notify: string, substate: string, 'content-type': string, headers }, 'required')),
    proceeding: note(event('proceeding', { code: sipCode })),
    ringing: note(event('ringing', {}, { headers })),
    /** 183 with SDP (the answer is in `jsep`). */
    progress: note(event('progress', { username: string }, { isfocus: constant(true), headers })),
    /** 200 to our INVITE (the answer is in `jsep`, unless a `progress` brought it). */
    call_accepted: note(event('accepted', { username: string }, { isfocus: constant(true), headers })),
    /** The call ended or failed: the SIP status and phrase (503 "Service Unavailable" when nobody listens). */
    /** `headers`: the custom headers of the BYE, with incoming_header_prefixes (1.3.3, #3558). */
    hangup: note(event('hangup', { code: sipCode, reason: string }, { reason_header: string, reason_header_protocol: string, reason_header_cause: string, headers: since('1.3.3', headers) })),
    /** An RFC 2833 DTMF digit received in the call's RTP (1.2.1, #3280); `duration` in RTP timestamp units. */
    dtmf: { ...note(event('dtmf', { sender: string, signal: string, duration: integer })), since: '1.2.1' },
    incomingcall: note(event('incomingcall', { username: string, callee: string }, {
      call_id: string, displayname: string, headers, referred_by: string, replaces: string, isfocus: constant(true), srtp,
    })),
    updatingcall: note(event('updatingcall', { username: string, callee: string }, {
      call_id: string, displayname: string, headers, referred_by: string, replaces: string, isfocus: constant(true), srtp,
    })),
    missed_call: note(event('missed_call', { caller: string, callee: string }, { displayname: string }, 'required')),
    transfer: note(event('transfer', { refer_id: integer, refer_to: string }, { referred_by: string, replaces: string, headers }, 'none')),
    info: note(event('info', { sender: string, type: string, content: string }, { displayname: string, headers })),
    message: note(event('message', { sender: string, content: string, content_type: string }, { displayname: string, headers })),
    /** The SIP response to our MESSAGE; `call_id` is the MESSAGE's Call-ID. */
    messagedelivery: note(event('messagedelivery', { code: sipCode, reason: string }, {}, 'required')),

    /** `call_id` is the handle's current Call-ID, when it has one. */
    error: { schema: pluginData(SHORT, 'event', { error_code: integer, error: string }, { call_id: string }) },
    ...forwarding.messages,
  },
};
