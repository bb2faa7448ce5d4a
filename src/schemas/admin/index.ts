import { anyObject, arrayOf, boolean, constant, object, string, stringArray } from '../shapes.js';
import type { AdminSpec, JsonSchema, VersionedSchema } from '../types.js';
import { handleId, sessionId, since, transaction, until, verb } from '../core/common.js';
import { handleInfo } from './handle-info.js';

/**
 * The Admin API of Janus 1.1.2 (janus_process_incoming_admin_request in janus.c). Requests carry
 * `janus`, `transaction` and `admin_secret` (not needed by info and ping). Levels as in the Janus
 * API: global verbs without ids; destroy_session, list_handles and the session-level
 * set_session_timeout with a session_id; handle_info, start/stop_(text2)pcap, hangup_webrtc and
 * detach_handle with session_id and handle_id (in the URL path over HTTP, hence optional here).
 * info and ping answer with the core server_info and pong; errors are the core error reply.
 */
type Level = 'global' | 'session' | 'handle';

function ids(level: Level): Record<string, JsonSchema> {
  if (level === 'global') return {};
  if (level === 'session') return { session_id: sessionId };
  return { session_id: sessionId, handle_id: handleId };
}

function request(name: string, level: Level, required: Record<string, JsonSchema> = {}, optional: Record<string, JsonSchema> = {}, versions: { since?: string; until?: string } = {}): VersionedSchema {
  return { schema: object({ janus: verb(name), transaction, ...required }, { ...ids(level), admin_secret: string, ...optional }), ...versions };
}

/** `{janus: "success", transaction, ...}`: global replies never carry a session_id. */
function reply(required: Record<string, JsonSchema> = {}, optional: Record<string, JsonSchema> = {}, versions: { since?: string; until?: string } = {}): VersionedSchema {
  return { schema: object({ janus: constant('success'), transaction, ...required }, optional), ...versions };
}

const nonNegative = { type: 'integer', minimum: 0 } as const;
const logLevel = { type: 'integer', minimum: 0, maximum: 7 } as const;
/** janus_set_min_nack_queue caps the value at 1000 ms. */
const nackQueue = { type: 'integer', minimum: 0, maximum: 1000 } as const;
const pluginList = { type: 'array', items: string, minItems: 1 } as const;
/** What a plugin, transport, event handler or logger answers: its own shape. */
const response = anyObject;

const requests: Record<string, VersionedSchema> = {
  info: request('info', 'global'),
  ping: request('ping', 'global'),
  get_status: request('get_status', 'global'),
  /** Global: timeout ≥ 0 (0: never); with a session_id: that session's, -1 meaning the global one. */
  set_session_timeout: request('set_session_timeout', 'session', { timeout: { type: 'integer', minimum: -1 } }),
  set_log_level: request('set_log_level', 'global', { level: logLevel }),
  set_locking_debug: request('set_locking_debug', 'global', { debug: boolean }),
  set_refcount_debug: request('set_refcount_debug', 'global', { debug: boolean }),
  set_log_timestamps: request('set_log_timestamps', 'global', { timestamps: boolean }),
  set_log_colors: request('set_log_colors', 'global', { colors: boolean }),
  set_libnice_debug: request('set_libnice_debug', 'global', { debug: boolean }, {}, { until: '1.3.1' }),
  set_min_nack_queue: request('set_min_nack_queue', 'global', { min_nack_queue: nonNegative }),
  set_nack_optimizations: request('set_nack_optimizations', 'global', { nack_optimizations: boolean }),
  set_no_media_timer: request('set_no_media_timer', 'global', { no_media_timer: nonNegative }),
  set_slowlink_threshold: request('set_slowlink_threshold', 'global', { slowlink_threshold: nonNegative }),
  accept_new_sessions: request('accept_new_sessions', 'global', { accept: boolean }),
  list_sessions: request('list_sessions', 'global'),
  /** Without plugins the token may use every plugin. Stored-token mode only (token_auth without token_auth_secret). */
  add_token: request('add_token', 'global', { token: string }, { plugins: { type: 'array', items: string } }),
  allow_token: request('allow_token', 'global', { token: string, plugins: pluginList }),
  disallow_token: request('disallow_token', 'global', { token: string, plugins: pluginList }),
  list_tokens: request('list_tokens', 'global'),
  remove_token: request('remove_token', 'global', { token: string }),
  /** Global in the code, although the docs call it handle-level. */
  message_plugin: request('message_plugin', 'global', { plugin: string }, { request: anyObject }),
  query_transport: request('query_transport', 'global', { transport: string }, { request: anyObject }),
  query_eventhandler: request('query_eventhandler', 'global', { handler: string }, { request: anyObject }),
  query_logger: request('query_logger', 'global', { logger: string }, { request: anyObject }),
  /** Forwarded to the event handlers (a no-op without them). */
  custom_event: request('custom_event', 'global', { schema: string, data: anyObject }),
  /** `level` defaults to 4 (info); values over 7 fall back to it. */
  custom_logline: request('custom_logline', 'global', { line: string }, { level: logLevel }),
  resolve_address: request('resolve_address', 'global', { address: string }),
  test_stun: request('test_stun', 'global', { address: string, port: { type: 'integer', minimum: 0, maximum: 65535 } }, { localport: { type: 'integer', minimum: 0, maximum: 65535 } }),
  loops_info: request('loops_info', 'global'),
  destroy_session: request('destroy_session', 'session'),
  list_handles: request('list_handles', 'session'),
  handle_info: request('handle_info', 'handle', {}, { plugin_only: boolean }),
  start_pcap: request('start_pcap', 'handle', {}, { folder: string, filename: string, truncate: nonNegative }),
  stop_pcap: request('stop_pcap', 'handle'),
  start_text2pcap: request('start_text2pcap', 'handle', {}, { folder: string, filename: string, truncate: nonNegative }),
  stop_text2pcap: request('stop_text2pcap', 'handle'),
  hangup_webrtc: request('hangup_webrtc', 'handle'),
  detach_handle: request('detach_handle', 'handle'),
};

/** get_status: the current values of the settings the other set_* verbs change. */
const status: JsonSchema = object(
  {
    token_auth: boolean,
    session_timeout: nonNegative,
    reclaim_session_timeout: nonNegative,
    candidates_timeout: nonNegative,
    log_level: logLevel,
    log_timestamps: boolean,
    log_colors: boolean,
    locking_debug: boolean,
    refcount_debug: boolean,
    min_nack_queue: nackQueue,
    'nack-optimizations': boolean,
    no_media_timer: nonNegative,
    slowlink_threshold: nonNegative,
  },
  {
    /** Always sent by 1.1.2; dropped in 1.3.2. */
    libnice_debug: until('1.3.1', boolean),
    /** Added in 1.3.2 (0: none). */
    log_rotate_sig: since('1.3.2', nonNegative),
  },
);

const tokenPlugins = object({ plugins: { type: 'array', items: string } });

const success: Record<string, VersionedSchema> = {
  get_status: reply({ status }),
  /** session_id only for the session-level form. */
  set_session_timeout: reply({ timeout: { type: 'integer', minimum: -1 } }, { session_id: sessionId }),
  set_log_level: reply({ level: logLevel }),
  set_locking_debug: reply({ locking_debug: boolean }),
  set_refcount_debug: reply({ refcount_debug: boolean }),
  set_log_timestamps: reply({ log_timestamps: boolean }),
  set_log_colors: reply({ log_colors: boolean }),
  set_libnice_debug: reply({ libnice_debug: boolean }, {}, { until: '1.3.1' }),
  /** Values over 1000 are capped. */
  set_min_nack_queue: reply({ min_nack_queue: nackQueue }),
  /** Note the hyphen, unlike the request's nack_optimizations. */
  set_nack_optimizations: reply({ 'nack-optimizations': boolean }),
  set_no_media_timer: reply({ no_media_timer: nonNegative }),
  set_slowlink_threshold: reply({ slowlink_threshold: nonNegative }),
  accept_new_sessions: reply({ accept: boolean }),
  list_sessions: reply({ sessions: arrayOf(sessionId) }),
  /** The plugins the token may now use. */
  add_token: reply({ data: tokenPlugins }),
  allow_token: reply({ data: tokenPlugins }),
  disallow_token: reply({ data: tokenPlugins }),
  /** Tokens allowed no plugin at all are left out. */
  list_tokens: reply({ data: object({ tokens: { type: 'array', items: object({ token: string, allowed_plugins: stringArray }) } }) }),
  remove_token: reply(),
  /** `{}` when the plugin returned nothing. */
  message_plugin: reply({ response }),
  query_transport: reply({ response }),
  query_eventhandler: reply({ response }),
  query_logger: reply({ response }),
  custom_event: reply(),
  custom_logline: reply(),
  /** `elapsed`: microseconds the resolution took. */
  resolve_address: reply({ ip: string, elapsed: nonNegative }),
  test_stun: reply({ public_ip: string, public_port: { type: 'integer', minimum: 0, maximum: 65535 }, elapsed: nonNegative }),
  /** One entry per static event loop; empty without them. */
  loops_info: reply({ loops: { type: 'array', items: object({ id: nonNegative, handles: nonNegative }) } }),
  destroy_session: reply({ session_id: sessionId }),
  list_handles: reply({ session_id: sessionId, handles: arrayOf(handleId) }),
  handle_info: reply({ session_id: sessionId, handle_id: handleId, info: handleInfo }),
  /** The capture verbs answer without a session_id. */
  start_pcap: reply(),
  stop_pcap: reply(),
  start_text2pcap: reply(),
  stop_text2pcap: reply(),
  hangup_webrtc: reply({ session_id: sessionId }),
  detach_handle: reply({ session_id: sessionId }),
};

export const admin: AdminSpec = { requests, success };
