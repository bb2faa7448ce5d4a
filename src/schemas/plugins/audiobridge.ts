import type { PluginSpec } from '../types.js';

/** Placeholder until the audiobridge catalogue is written. */
export const audiobridge: PluginSpec = {
  package: 'janus.plugin.audiobridge',
  short: 'audiobridge',
  errors: {},
  requests: {},
  messages: {},
};
