import { CUT_MARK } from '../core/clip.js';
import type { Span } from './spans.js';

/** Where a cut leaves its mark: our own (CUT_MARK in src/core/clip.ts) and the ellipsis character. */
const CUT_MARKERS = [CUT_MARK, '…'];

/**
 * The pieces of secrets a cut left beside its mark: a secret's start (up to `longest`
 * characters, never all of it) just before a mark, or its end just after one. A cut may close
 * a quote before its mark (V8's JSON.parse errors quote `"<xxxapiSEC"...`), or open one after
 * it. `forms` are the secrets as a cut may find them (as they are, JSON-escaped).
 */
export function cutPieces(text: string, forms: readonly string[], longest: number): Span[] {
  const out: Span[] = [];
  for (const marker of CUT_MARKERS) {
    for (let at = text.indexOf(marker); at !== -1; at = text.indexOf(marker, at + 1)) {
      const after = at + marker.length;
      for (const end of isQuote(text[at - 1]) ? [at, at - 1] : [at]) {
        for (const form of forms) pushIfAny(out, end - startBefore(text, end, form, longest), end);
      }
      for (const start of isQuote(text[after]) ? [after, after + 1] : [after]) {
        for (const form of forms) pushIfAny(out, start, start + endAfter(text, start, form, longest));
      }
    }
  }
  return out;
}

/** The length of the longest proper start of `form` (at most `longest`) that ends at `end`. */
function startBefore(text: string, end: number, form: string, longest: number): number {
  for (let n = Math.min(longest, form.length - 1, end); n > 0; n--) if (text.startsWith(form.slice(0, n), end - n)) return n;
  return 0;
}

/** The length of the longest proper end of `form` (at most `longest`) that starts at `start`. */
function endAfter(text: string, start: number, form: string, longest: number): number {
  for (let n = Math.min(longest, form.length - 1); n > 0; n--) if (text.startsWith(form.slice(form.length - n), start)) return n;
  return 0;
}

function pushIfAny(spans: Span[], start: number, end: number): void {
  if (end > start) spans.push({ start, end });
}

function isQuote(c: string | undefined): boolean {
  return c === '"' || c === "'";
}
