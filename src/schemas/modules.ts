import { admin } from './admin/index.js';
import { core } from './core/index.js';
import { BUNDLED_PLUGIN_ERRORS, BUNDLED_PLUGIN_PACKAGES } from './plugins/index.js';
import { CORE_ERROR_NAMES } from '../protocol/errors.js';

/**
 * Package names of the modules Janus ships (1.1.x), for checking `requires:` at load time and
 * for the editor schema's completions. A name not listed here is a typo far more often than a
 * third-party module; the managed Janus could not load one anyway.
 */
export const JANUS_PLUGINS: readonly string[] = [
  ...BUNDLED_PLUGIN_PACKAGES,
  // The Lua and Duktape plugins running the stock echo scripts name themselves so.
  'janus.plugin.echolua',
  'janus.plugin.echojs',
];

export const JANUS_EVENT_HANDLERS: readonly string[] = ['sampleevh', 'wsevh', 'mqttevh', 'rabbitmqevh', 'nanomsgevh', 'gelfevh'].map((n) => `janus.eventhandler.${n}`);

export const JANUS_LOGGERS: readonly string[] = ['janus.logger.jsonlog'];

/** Janus API request verbs (`janus:` of a request), for editor completion; others are allowed (error tests). */
export const JANUS_VERBS: readonly string[] = Object.keys(core.requests);

/** Admin API verbs, likewise. */
export const ADMIN_VERBS: readonly string[] = Object.keys(admin.requests);

/** Core error names (`error: { code: SESSION_NOT_FOUND }`), as src/schemas/error-names.ts reads them. */
export const CORE_ERROR_CODE_NAMES: readonly string[] = [...new Set(Object.values(CORE_ERROR_NAMES))];

/** Plugin error names (`error_code: VIDEOROOM_NO_SUCH_ROOM`): the plugin's short name, then the error's. */
export const PLUGIN_ERROR_CODE_NAMES: readonly string[] = BUNDLED_PLUGIN_ERRORS.map(({ name }) => name);

/** Message types Janus sends (`janus:` of a reply or event), for completion in patterns. */
export const JANUS_MESSAGE_TYPES: readonly string[] = ['success', 'error', 'ack', 'event', 'pong', 'server_info', 'webrtcup', 'media', 'slowlink', 'hangup', 'detached', 'timeout', 'trickle'];

/**
 * The fields of what Janus sends (replies, events, Admin API replies, any version the catalogue
 * knows), read off the catalogue's schemas: `names` at one level of a message, and `within` the
 * fields of those of its objects whose keys the core defines (plugindata, error, jsep). A
 * plugin's data and a reply's `data` are left out: a scenario may well assert that a field near
 * one a plugin sends is absent (a list's `rooms` where it sends `list`).
 */
export interface MessageFields {
  names: ReadonlySet<string>;
  within: ReadonlyMap<string, MessageFields>;
}

let messageFieldsMade: MessageFields | undefined;

export function messageFields(): MessageFields {
  if (messageFieldsMade) return messageFieldsMade;
  const envelopes = [core.replies, core.events, core.success, admin.success].flatMap((group) => Object.values(group).map((v) => v.schema));
  const inner = (key: string): MessageFields => fieldsOf(envelopes.flatMap((e) => fieldSchemas(e, key)));
  messageFieldsMade = fieldsOf(envelopes, new Map(['plugindata', 'error', 'jsep'].map((key) => [key, inner(key)])));
  return messageFieldsMade;
}

function fieldsOf(schemas: unknown[], within: ReadonlyMap<string, MessageFields> = new Map()): MessageFields {
  return { names: new Set(schemas.flatMap((s) => propertiesOf(s).map(([k]) => k))), within };
}

/** The schemas a field `key` has in `schema` (in any of its alternatives). */
function fieldSchemas(schema: unknown, key: string): unknown[] {
  return propertiesOf(schema).filter(([k]) => k === key).map(([, v]) => v);
}

/** The properties a schema names, also in its alternatives and combinations. */
function propertiesOf(schema: unknown): Array<[string, unknown]> {
  if (schema === null || typeof schema !== 'object') return [];
  const s = schema as Record<string, unknown>;
  const own = s.properties !== null && typeof s.properties === 'object' ? Object.entries(s.properties) : [];
  const branches = ['oneOf', 'anyOf', 'allOf'].flatMap((k) => (Array.isArray(s[k]) ? (s[k] as unknown[]) : []));
  return [...own, ...branches.flatMap(propertiesOf), ...propertiesOf(s.then), ...propertiesOf(s.else)];
}
