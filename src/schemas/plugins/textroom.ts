import type { PluginSpec } from '../types.js';

/** Placeholder until the textroom catalogue is written. */
export const textroom: PluginSpec = {
  package: 'janus.plugin.textroom',
  short: 'textroom',
  errors: {},
  requests: {},
  messages: {},
};
