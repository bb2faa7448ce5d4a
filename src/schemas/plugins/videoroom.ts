import type { PluginSpec } from '../types.js';

/** Placeholder until the videoroom catalogue is written. */
export const videoroom: PluginSpec = {
  package: 'janus.plugin.videoroom',
  short: 'videoroom',
  errors: {},
  requests: {},
  messages: {},
};
