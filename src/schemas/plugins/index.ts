import type { PluginSpec } from '../types.js';
import { audiobridge } from './audiobridge.js';
import { echotest } from './echotest.js';
import { nosip } from './nosip.js';
import { recordplay } from './recordplay.js';
import { sip } from './sip.js';
import { streaming } from './streaming.js';
import { textroom } from './textroom.js';
import { videocall } from './videocall.js';
import { videoroom } from './videoroom.js';
import { voicemail } from './voicemail.js';

const PLUGINS: readonly PluginSpec[] = [echotest, videoroom, audiobridge, streaming, textroom, videocall, recordplay, sip, nosip, voicemail];

/**
 * The bundled plugins of Janus 1.1.2, schemas and all. A function: the bundle holds them as
 * data it parses on the first call (scripts/bundle-package.mjs, DATA_MODULES), which a run
 * makes at its first plugin message, not at start.
 */
export function bundledPlugins(): readonly PluginSpec[] {
  return PLUGINS;
}

/** Their package names, for what checks a scenario before any message (`requires:`, attach's `plugin`). */
export const BUNDLED_PLUGIN_PACKAGES: readonly string[] = PLUGINS.map((p) => p.package);

/** A plugin error by the name scenarios know it by: VIDEOROOM_NO_SUCH_ROOM, 426, janus.plugin.videoroom. */
export interface PluginErrorName {
  name: string;
  code: number;
  plugin: string;
}

/** Every plugin error by name (the plugin's short name, then the error's), without the schemas. */
export const BUNDLED_PLUGIN_ERRORS: readonly PluginErrorName[] = PLUGINS.flatMap((p) =>
  Object.entries(p.errors).map(([code, { name }]) => ({ name: `${p.short.toUpperCase()}_${name}`, code: Number(code), plugin: p.package })),
);
