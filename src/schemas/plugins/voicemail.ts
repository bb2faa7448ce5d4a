import type { PluginSpec } from '../types.js';

/** Placeholder until the voicemail catalogue is written. */
export const voicemail: PluginSpec = {
  package: 'janus.plugin.voicemail',
  short: 'voicemail',
  errors: {},
  requests: {},
  messages: {},
};
