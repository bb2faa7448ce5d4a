import { anyObject, boolean, constant, object, oneOfValues, string } from '../shapes.js';
import type { JsonSchema, VersionedSchema } from '../types.js';
import { handleId, sessionId, transaction, verb } from './common.js';

/**
 * Janus API requests (janus_process_incoming_request in janus.c). Every request has `janus`
 * (the verb) and `transaction`; `apisecret` and `token` may go on any of them (info and ping
 * ignore them). `session_id` and `handle_id` are optional here because over HTTP they travel in
 * the URL path rather than in the body; where they are in the body they must be positive
 * integers. Levels: root (info, ping, create), session (attach, destroy; keepalive and claim are
 * also accepted on a handle), handle (message, trickle, hangup, detach).
 */
type Level = 'root' | 'session' | 'session-or-handle' | 'handle';

const auth = { apisecret: string, token: string };

function ids(level: Level): Record<string, JsonSchema> {
  if (level === 'root') return {};
  if (level === 'session') return { session_id: sessionId };
  return { session_id: sessionId, handle_id: handleId };
}

function request(name: string, level: Level, required: Record<string, JsonSchema> = {}, optional: Record<string, JsonSchema> = {}): VersionedSchema {
  return { schema: object({ janus: verb(name), transaction, ...required }, { ...ids(level), ...auth, ...optional }) };
}

/** jsep of a `message` (jsep_parameters): type and sdp required, the rest optional flags. */
const requestJsep: JsonSchema = object(
  {
    type: oneOfValues('offer', 'answer'),
    sdp: string,
  },
  {
    /** false: all candidates are in the SDP (default true). */
    trickle: boolean,
    /** Order of simulcast rids in the SDP (default "hml"). */
    rid_order: oneOfValues('hml', 'lmh'),
    /** Force Janus to use TURN (only if allow_force_relay). */
    force_relay: boolean,
    /** Media is end-to-end encrypted (insertable streams). */
    e2ee: boolean,
  },
);

/**
 * A trickled candidate: an RTCIceCandidate-like object (candidate with sdpMid and/or
 * sdpMLineIndex), or the end-of-candidates marker `{completed: true}`.
 */
const trickleCandidate: JsonSchema = {
  oneOf: [
    { ...object({ candidate: string }, { sdpMid: string, sdpMLineIndex: { type: 'integer', minimum: 0 } }), minProperties: 2 },
    object({ completed: constant(true) }),
  ],
};

export const requests: Record<string, VersionedSchema> = {
  info: request('info', 'root'),
  ping: request('ping', 'root'),
  /** `id`: a session id chosen by the client (0 or absent: Janus picks one). */
  create: request('create', 'root', {}, { id: { type: 'integer', minimum: 0 } }),
  attach: request('attach', 'session', { plugin: string }, {
    opaque_id: string,
    /** Only with static event loops and allow_loop_indication. */
    loop_index: { type: 'integer', minimum: 0 },
  }),
  claim: request('claim', 'session-or-handle'),
  keepalive: request('keepalive', 'session-or-handle'),
  destroy: request('destroy', 'session'),
  /** `body` is checked by the plugin's request schemas. */
  message: request('message', 'handle', { body: anyObject }, { jsep: requestJsep }),
  trickle: {
    schema: {
      ...object({ janus: verb('trickle'), transaction }, { ...ids('handle'), ...auth, candidate: trickleCandidate, candidates: { type: 'array', items: trickleCandidate } }),
      /**
       * Exactly one of candidate and candidates (both: 454, neither: 456). The branches only
       * test presence (ajv's strictRequired wants the names under properties; the explicit
       * additionalProperties keeps strict mode from closing them).
       */
      oneOf: ['candidate', 'candidates'].map((key) => ({ properties: { [key]: true }, required: [key], additionalProperties: true })),
    },
  },
  hangup: request('hangup', 'handle'),
  detach: request('detach', 'handle'),
};
