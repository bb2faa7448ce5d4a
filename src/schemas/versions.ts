import { compareVersions, isVersion } from '../core/version-range.js';
import type { Versioned } from './types.js';

export { compareVersions };

/** Whether something versioned holds for `version`; an unknown version accepts everything. */
export function holdsFor(item: Versioned, version: string | undefined): boolean {
  if (version === undefined || !isVersion(version)) return true;
  if (item.since !== undefined && compareVersions(version, item.since) < 0) return false;
  if (item.until !== undefined && compareVersions(version, item.until) > 0) return false;
  return true;
}
