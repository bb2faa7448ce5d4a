import { admin } from './admin/index.js';
import { core } from './core/index.js';
import { BUNDLED_PLUGINS } from './plugins/index.js';

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
