import type { PluginSpec } from '../types.js';

/** Placeholder until the sip catalogue is written. */
export const sip: PluginSpec = {
  package: 'janus.plugin.sip',
  short: 'sip',
  errors: {},
  requests: {},
  messages: {},
};
