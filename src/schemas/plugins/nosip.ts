import type { PluginSpec } from '../types.js';

/** Placeholder until the nosip catalogue is written. */
export const nosip: PluginSpec = {
  package: 'janus.plugin.nosip',
  short: 'nosip',
  errors: {},
  requests: {},
  messages: {},
};
