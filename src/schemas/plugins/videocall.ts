import type { PluginSpec } from '../types.js';

/** Placeholder until the videocall catalogue is written. */
export const videocall: PluginSpec = {
  package: 'janus.plugin.videocall',
  short: 'videocall',
  errors: {},
  requests: {},
  messages: {},
};
