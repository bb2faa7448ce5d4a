
/**
 * Janus version ranges, as scenarios write them: comparators joined by spaces (all must hold),
 * alternatives joined by `||`. `>=1.3.2`, `<1.3.2`, `>=1.2.2 <1.4.0`, `1.1.2` (exactly),
 * `<1.2.0 || >=1.3.1`. Versions are numbers separated by dots (`1.3` is `1.3.0`).
 */
export interface VersionRange {
  /** As written, spaces normalised. */
  text: string;
  alternatives: Comparator[][];
}

type Operator = '>=' | '<=' | '>' | '<' | '=';

interface Comparator {
  op: Operator;
  version: string;
}

const COMPARATOR = /^(>=|<=|>|<|=)?(\d+(?:\.\d+){0,2})$/;

export function parseVersionRange(text: string): { range: VersionRange } | { problem: string } {
  const alternatives: Comparator[][] = [];
  for (const part of text.split('||')) {
    const words = part.trim().split(/\s+/).filter((w) => w !== '');
    if (words.length === 0) return { problem: `"${text}" has an empty alternative: write comparators like >=1.3.2 on both sides of ||` };
    const comparators: Comparator[] = [];
    for (const word of words) {
      const m = COMPARATOR.exec(word);
      if (!m) return { problem: `"${word}" is not a version comparator: write >=1.3.2, <1.3.2, >1.1.2, <=1.4.1 or a version like 1.1.2` };
      comparators.push({ op: (m[1] ?? '=') as Operator, version: m[2]! });
    }
    alternatives.push(comparators);
  }
  const range = { text: alternatives.map((a) => a.map((c) => `${c.op === '=' ? '' : c.op}${c.version}`).join(' ')).join(' || '), alternatives };
  if (alternatives.some(isEmpty)) return { problem: `"${text}" matches no version: a part of it excludes itself` };
  return { range };
}

/**
 * Whether a server's version_string is a version ranges can place: dot-separated numbers, as
 * Janus writes it ("1.1.2"), with at most a suffix after them ("1.4.0-dev"). "v1.3.0" or
 * "garbage" are not: compared anyway, they would read as 0.3.0 and 0.0.0.
 */
export function isVersion(versionString: string): boolean {
  // The last answer is kept: a run asks about its server's version for every message checked.
  if (versionString === lastAsked) return lastAnswer;
  lastAnswer = VERSION.test(versionString);
  lastAsked = versionString;
  return lastAnswer;
}

const VERSION = /^\d+(?:\.\d+){0,3}(?:[-+~][0-9A-Za-z.~+-]*)?$/;
let lastAsked: string | undefined;
let lastAnswer = false;

export function satisfies(range: VersionRange, version: string): boolean {
  return range.alternatives.some((all) => all.every((c) => holds(c, version)));
}

/** The first case whose range holds for the server's version (`$janus`); none for an unknown version or one no range covers. */
export function caseForVersion<T extends { range: VersionRange }>(cases: readonly T[], version: string | undefined): T | undefined {
  return version !== undefined && isVersion(version) ? cases.find((c) => satisfies(c.range, version)) : undefined;
}

function holds(c: Comparator, version: string): boolean {
  const d = compareVersions(version, c.version);
  switch (c.op) {
    case '>=': return d >= 0;
    case '<=': return d <= 0;
    case '>': return d > 0;
    case '<': return d < 0;
    case '=': return d === 0;
  }
}

/** Whether some version is in every one of the ranges (a step's own, those of the includes around it, its known_bug mark's). */
export function rangesMeet(ranges: readonly VersionRange[]): boolean {
  let meets: Comparator[][] = [[]];
  // One alternative of each range at a time, dropping the conjunctions that already exclude every version.
  for (const range of ranges) meets = meets.flatMap((all) => range.alternatives.map((a) => [...all, ...a])).filter((all) => !isEmpty(all));
  return meets.length > 0;
}

/** Whether every version in `range` is in one of `earlier`: a `$janus` case after them would never be chosen. */
export function coveredBy(range: VersionRange, earlier: readonly VersionRange[]): boolean {
  // Outside an alternative is below or above one of its comparators: each alternative's outside is a range of its own.
  const outside = earlier.flatMap((r) => r.alternatives.map((all) => ({ text: '', alternatives: all.flatMap(negation) })));
  return !rangesMeet([range, ...outside]);
}

/** The versions a comparator leaves out, as alternatives of one comparator each. */
function negation(c: Comparator): Comparator[][] {
  const { version } = c;
  switch (c.op) {
    case '>=': return [[{ op: '<', version }]];
    case '>': return [[{ op: '<=', version }]];
    case '<': return [[{ op: '>=', version }]];
    case '<=': return [[{ op: '>', version }]];
    case '=': return [[{ op: '<', version }], [{ op: '>', version }]];
  }
}

/** A conjunction no version satisfies (>=1.4 <1.3): its lower bound is above its upper bound. */
function isEmpty(all: Comparator[]): boolean {
  const lows = all.filter((c) => c.op === '>=' || c.op === '>' || c.op === '=');
  const highs = all.filter((c) => c.op === '<=' || c.op === '<' || c.op === '=');
  return lows.some((lo) => highs.some((hi) => {
    const d = compareVersions(lo.version, hi.version);
    return d > 0 || (d === 0 && (lo.op === '>' || hi.op === '<'));
  }));
}

/** For titles and reports: `1.3.2+`, `<1.3.2`, `>=1.2.2 <1.4.0`. */
export function describeRange(range: VersionRange): string {
  return range.alternatives.map((all) => (all.length === 1 && all[0]!.op === '>=' ? `${all[0]!.version}+` : all.map((c) => `${c.op === '=' ? '' : c.op}${c.version}`).join(' '))).join(' or ');
}

/** Compares "1.1.2"-style versions numerically; missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = versionParts(a);
  const pb = versionParts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * A version's numbers, read once: the schema checker compares the server's version with the
 * catalogue's bounds for messages all run long, and splitting it anew cost half a microsecond a message.
 */
const partsKnown = new Map<string, readonly number[]>();
const PARTS_KEPT = 256;

function versionParts(version: string): readonly number[] {
  let parts = partsKnown.get(version);
  if (!parts) {
    parts = version.split('.').map((x) => Number.parseInt(x, 10) || 0);
    // Versions come from servers and files: a bound keeps odd ones from growing this.
    if (partsKnown.size >= PARTS_KEPT) partsKnown.clear();
    partsKnown.set(version, parts);
  }
  return parts;
}
