import { CORE_ERROR_NAMES } from '../protocol/errors.js';
import { BUNDLED_PLUGIN_ERRORS } from './plugins/index.js';

/**
 * Error codes by name, so scenarios can expect SESSION_NOT_FOUND or VIDEOROOM_NO_SUCH_ROOM
 * instead of 458 or 426: core names as in apierror.h without JANUS_ERROR_, plugin names
 * prefixed with the plugin's short name. Plugin codes overlap core ones; the name is unique.
 */
const byName = new Map<string, number>();
/** The plugin package of each plugin error name; core names are not in it. */
const pluginByName = new Map<string, string>();
for (const [code, name] of Object.entries(CORE_ERROR_NAMES)) byName.set(name, Number(code));
/** Plugin error names by plugin package and code: "janus.plugin.videoroom 426". */
const pluginNameByCode = new Map<string, string>();
for (const { name, code, plugin } of BUNDLED_PLUGIN_ERRORS) {
  byName.set(name, code);
  pluginByName.set(name, plugin);
  pluginNameByCode.set(`${plugin} ${code}`, name);
}

export function errorCodeByName(name: string): number | undefined {
  return byName.get(name);
}

/** "janus.plugin.videoroom" for VIDEOROOM_NO_SUCH_ROOM; undefined for a core name (and an unknown one). */
export function errorPluginByName(name: string): string | undefined {
  return pluginByName.get(name);
}

export function errorNames(): string[] {
  return [...byName.keys()];
}

/** The catalogue's error names, as scenario loading reads them (the default of `loadFiles`). */
export const CATALOGUE_ERROR_CODES = { code: errorCodeByName, names: errorNames, plugin: errorPluginByName } as const;

/** "VIDEOROOM_NO_SUCH_ROOM" for (426, janus.plugin.videoroom); core names without a plugin. */
export function errorNameOf(code: number, pluginPackage?: string): string | undefined {
  if (pluginPackage === undefined) return CORE_ERROR_NAMES[code];
  return pluginNameByCode.get(`${pluginPackage} ${code}`);
}
