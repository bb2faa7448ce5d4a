import { since as sinceVersion, until as untilVersion } from '../field-versions.js';
import { boolean, constant, integer, mapOf, object, oneOfValues, positiveId, string } from '../shapes.js';
import type { JsonSchema } from '../types.js';

/**
 * Pieces shared by the core Janus API and the Admin API (src/janus.c, src/ice.c of Janus 1.1.2).
 * Every reply is built by janus_create_message(): `janus`, then `session_id` only when it is > 0,
 * then `transaction` only when the request had a string one.
 */

/** Session and handle ids of live sessions/handles: random 53-bit, or a client-chosen session id ≥ 1. */
export const sessionId = positiveId;
export const handleId = positiveId;
export const transaction = string;

/**
 * The `janus` verb of a request: Janus compares verbs with strcasecmp, so "PING" is ping. A
 * pattern such as ^[pP][iI][nN][gG]$ (JavaScript patterns have no inline case-insensitivity).
 */
export function verb(name: string): JsonSchema {
  const letters = [...name].map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return { type: 'string', pattern: `^${letters}$` };
}

/** A field that only later versions send: optional, unknown to earlier versions (strict mode). */
export function since(version: string, schema: JsonSchema): JsonSchema {
  return sinceVersion(version, { ...schema, description: `sent since Janus ${version}` });
}

/** A field that older versions send and later ones dropped: optional, unknown to later versions. */
export function until(version: string, schema: JsonSchema): JsonSchema {
  return untilVersion(version, { ...schema, description: `sent until Janus ${version}` });
}

/** The closed set of error codes of src/apierror.h (unchanged from 0.x to 1.4.x). */
export const CORE_ERROR_CODES = [403, 405, 450, 452, 453, 454, 455, 456, 457, 458, 459, 460, 461, 462, 463, 464, 465, 466, 467, 468, 469, 470, 471, 472, 490] as const;

/**
 * `{janus: "error", [session_id], [transaction], error: {code, reason}}`, from the core
 * (janus_process_error) and the HTTP transport (janus_http_return_error) alike. `session_id` is
 * whatever the request carried when it was > 0 as an unsigned number, so a request with
 * `session_id: -1` gets it back as -1: an integer, not a positive id. `transaction` is absent
 * when the request had no string transaction (454/456/467 envelope errors).
 */
export const errorReply: JsonSchema = object(
  {
    janus: constant('error'),
    error: object({ code: oneOfValues(...CORE_ERROR_CODES), reason: string }),
  },
  { session_id: integer, transaction },
);

/** `{janus: "pong", transaction}` for `ping` (Janus and Admin API). */
export const pongReply: JsonSchema = object({ janus: constant('pong'), transaction });

/** name/author/description/version of a plugin, transport, event handler or logger in server_info. */
const moduleInfo: JsonSchema = object({
  name: string,
  author: string,
  description: string,
  version_string: string,
  version: integer,
});

/**
 * server_info (janus_info() in janus.c), for `info` on the Janus API and the Admin API and for
 * HTTP `GET /janus/info` (which makes up a random transaction). Optional fields are the ones
 * janus_info() adds only under a condition, noted per field.
 */
export const serverInfo: JsonSchema = object(
  {
    janus: constant('server_info'),
    transaction,
    name: string,
    version: integer,
    version_string: string,
    author: string,
    'commit-hash': string,
    'compile-time': string,
    'log-to-stdout': boolean,
    'log-to-file': boolean,
    data_channels: boolean,
    'accepting-new-sessions': boolean,
    'session-timeout': { type: 'integer', minimum: 0 },
    'reclaim-session-timeout': { type: 'integer', minimum: 0 },
    'candidates-timeout': { type: 'integer', minimum: 0 },
    'server-name': string,
    'local-ip': string,
    ipv6: boolean,
    'ice-lite': boolean,
    'ice-tcp': boolean,
    'ice-keepalive-conncheck': boolean,
    'full-trickle': boolean,
    'mdns-enabled': boolean,
    'min-nack-queue': { type: 'integer', minimum: 0, maximum: 1000 },
    'nack-optimizations': boolean,
    'twcc-period': { type: 'integer', minimum: 0 },
    'dtls-mtu': { type: 'integer', minimum: 0 },
    'static-event-loops': { type: 'integer', minimum: 0 },
    api_secret: boolean,
    auth_token: boolean,
    event_handlers: boolean,
    opaqueid_in_api: boolean,
    transports: mapOf(moduleInfo),
    events: mapOf(moduleInfo),
    loggers: mapOf(moduleInfo),
    plugins: mapOf(moduleInfo),
  },
  {
    /** Only when logging to a file. */
    'log-path': string,
    /** Only with nat_1_1_mapping (the first public IP). */
    'public-ip': string,
    /** Only with more than one public IP. */
    'public-ips': { type: 'array', items: string, minItems: 2 },
    /** Only when IPv6 is enabled. */
    'ipv6-link-local': boolean,
    /** Only when libnice supports choosing the nomination mode (it does on Debian). */
    'ice-nomination': oneOfValues('regular', 'aggressive'),
    /** Only when dscp > 0. */
    dscp: { type: 'integer', minimum: 1 },
    /** "host:port", only with a STUN server. */
    'stun-server': string,
    /** "host:port", only with a TURN server. */
    'turn-server': string,
    /** Only when allow_force_relay is set. */
    'allow-force-relay': constant(true),
    /** Only with static event loops. */
    'loop-indication': boolean,
    /** Only when WebRTC encryption is disabled (-w). */
    webrtc_encryption: constant(false),
    /** Absent with hide_dependencies. */
    dependencies: object(
      { glib2: string, jansson: string, libnice: string, libsrtp: string, crypto: string },
      /** Only when built with the TURN REST API. */
      { libcurl: string },
    ),
    'ice-consent-freshness': since('1.2.0', boolean),
    'hangup-on-failed': since('1.2.1', boolean),
  },
);
