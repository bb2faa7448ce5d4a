import { admin } from './admin/index.js';
import { core } from './core/index.js';
import { BUNDLED_PLUGINS } from './plugins/index.js';
import { CORE_ERROR_NAMES } from '../protocol/errors.js';

/**
 * Package names of the modules Janus ships (1.1.x), for checking `requires:` at load time and
 * for the editor schema's completions. A name not listed here is a typo far more often than a
 * third-party module; the managed Janus could not load one anyway.
 */
export const JANUS_PLUGINS: readonly string[] = [
  ...BUNDLED_PLUGINS.map((p) => p.package),
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
export const PLUGIN_ERROR_CODE_NAMES: readonly string[] = BUNDLED_PLUGINS.flatMap((p) => Object.values(p.errors).map(({ name }) => `${p.short.toUpperCase()}_${name}`));

/** Message types Janus sends (`janus:` of a reply or event), for completion in patterns. */
export const JANUS_MESSAGE_TYPES: readonly string[] = ['success', 'error', 'ack', 'event', 'pong', 'server_info', 'webrtcup', 'media', 'slowlink', 'hangup', 'detached', 'timeout', 'trickle'];
