import type { PluginSpec } from '../types.js';

/** Placeholder until the recordplay catalogue is written. */
export const recordplay: PluginSpec = {
  package: 'janus.plugin.recordplay',
  short: 'recordplay',
  errors: {},
  requests: {},
  messages: {},
};
