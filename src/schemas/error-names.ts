import { CORE_ERROR_NAMES } from '../protocol/errors.js';
import { PLUGINS_BY_PACKAGE } from './catalogue.js';

/**
 * Error codes by name, so scenarios can expect SESSION_NOT_FOUND or VIDEOROOM_NO_SUCH_ROOM
 * instead of 458 or 426: core names as in apierror.h without JANUS_ERROR_, plugin names
 * prefixed with the plugin's short name. Plugin codes overlap core ones; the name is unique.
 */
const byName = new Map<string, number>();
for (const [code, name] of Object.entries(CORE_ERROR_NAMES)) byName.set(name, Number(code));
for (const spec of PLUGINS_BY_PACKAGE.values()) {
  for (const [code, { name }] of Object.entries(spec.errors)) byName.set(`${spec.short.toUpperCase()}_${name}`, Number(code));
}

export function errorCodeByName(name: string): number | undefined {
  return byName.get(name);
}

export function errorNames(): string[] {
  return [...byName.keys()];
}

/** "VIDEOROOM_NO_SUCH_ROOM" for (426, janus.plugin.videoroom); core names without a plugin. */
export function errorNameOf(code: number, pluginPackage?: string): string | undefined {
  if (pluginPackage === undefined) return CORE_ERROR_NAMES[code];
  const spec = PLUGINS_BY_PACKAGE.get(pluginPackage);
  const name = spec?.errors[code]?.name;
  return name ? `${spec!.short.toUpperCase()}_${name}` : undefined;
}
