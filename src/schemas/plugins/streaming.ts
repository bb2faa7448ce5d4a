import type { PluginSpec } from '../types.js';

/** Placeholder until the streaming catalogue is written. */
export const streaming: PluginSpec = {
  package: 'janus.plugin.streaming',
  short: 'streaming',
  errors: {},
  requests: {},
  messages: {},
};
