import type { Versioned } from './types.js';

/** Compares "1.1.2"-style versions numerically; missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Whether something versioned holds for `version`; an unknown version accepts everything. */
export function holdsFor(item: Versioned, version: string | undefined): boolean {
  if (version === undefined) return true;
  if (item.since !== undefined && compareVersions(version, item.since) < 0) return false;
  if (item.until !== undefined && compareVersions(version, item.until) > 0) return false;
  return true;
}
