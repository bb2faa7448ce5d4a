import type { DocPath } from '../core/source.js';
import type { DescribedMatcher, PatternWatcher } from '../match/contract.js';

/** A pattern compiled once, and the parts its watcher was told of (in order). */
interface Shared {
  matcher: DescribedMatcher;
  parts: Array<readonly [DocPath, DescribedMatcher]>;
}

/**
 * Compiled patterns shared by the steps of one document that write the same pattern at the
 * same place in a step (`expect: { janus: success }` at `expect`, step after step). A matcher
 * is a tree of closures and arrays made per step: a scenario of a thousand steps touched each
 * once a run, out of the processor's caches (2.5 µs a reply to match, against 0.7 µs for a
 * matcher used step after step, measured with marks along the runner's path).
 *
 * Only a pattern that compiles the same wherever it is written is shared: no placeholder (a
 * `${...}` is checked against the names declared where it is) and nothing a diagnostic was
 * reported for (the same pattern elsewhere must report at its own place). A compiled matcher
 * keeps nothing of its step: it is told where it matches at each call.
 */
export class SharedPatterns {
  private readonly compiled = new Map<string, Shared>();

  /** @param reported how many diagnostics the document has so far: a compile that adds one is not shared */
  constructor(private readonly reported: () => number) {}

  /** `compile(watch)` compiled anew, or the matcher an earlier identical pattern compiled to, its parts told to `watch` again. */
  matcher(pattern: unknown, path: DocPath, exact: boolean, watch: PatternWatcher | undefined, compile: (watch: PatternWatcher | undefined) => DescribedMatcher): DescribedMatcher {
    const key = sharingKey(pattern, path, exact, watch !== undefined);
    const shared = key === undefined ? undefined : this.compiled.get(key);
    if (shared) {
      for (const [at, part] of shared.parts) watch!(at, part);
      return shared.matcher;
    }
    const parts: Shared['parts'] = [];
    const before = this.reported();
    const matcher = compile(
      watch &&
        ((at, part) => {
          parts.push([at, part]);
          watch(at, part);
        }),
    );
    if (key !== undefined && this.reported() === before) this.compiled.set(key, { matcher, parts });
    return matcher;
  }
}

/**
 * The text two identical patterns share, or undefined for one that cannot be shared: with a
 * placeholder, or a value JSON would not tell apart (NaN and the infinities print as null, -0 as 0).
 */
function sharingKey(pattern: unknown, path: DocPath, exact: boolean, watched: boolean): string | undefined {
  if (!plain(pattern)) return undefined;
  const text = JSON.stringify([pattern, path, exact, watched]);
  return text.includes('${') ? undefined : text;
}

function plain(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object':
      if (value === null) return true;
      if (Array.isArray(value)) return value.every(plain);
      return Object.getPrototypeOf(value) === Object.prototype && Object.values(value).every(plain);
    default:
      return false;
  }
}
