import type { DocPath } from '../core/source.js';
import { setOwn } from '../core/own.js';
import { constantTemplate, isConstant, NO_LOOKUP, type Template, type ValueLookup } from '../match/contract.js';
import { hasKeyPlaceholder } from '../match/compile-pattern.js';

/** `${name}`, `${name.field}`, `${env.HOME}`, `${alice.session}`; `$${` is a literal `${`. */
const PLACEHOLDER = /\$\$\{|\$\{([^}]*)\}/g;
const REF = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;

export interface PlaceholderRef {
  ref: string;
  /** The placeholder as written, `${...}`. */
  text: string;
  /** Offset of `${` in the string, for the caret. */
  offset: number;
  width: number;
  /** A `${` with no `}` after it: the rest of the string is not a placeholder. */
  unclosed?: boolean;
}

/** Says whether a reference names something that exists at this point of the scenario. */
export type RefChecker = (ref: PlaceholderRef, path: DocPath) => boolean;

export function hasPlaceholder(s: string): boolean {
  return s.includes('${');
}

/**
 * Compiles a parsed value into a Template. Placeholders are resolved on typed values: a string
 * that is exactly one placeholder becomes the referenced value itself (an integer stays an
 * integer); placeholders inside longer strings are interpolated as text.
 */
export function compileTemplate(value: unknown, path: DocPath, check: RefChecker): Template {
  if (typeof value === 'string') return compileString(value, path, check);
  if (Array.isArray(value)) {
    const items = value.map((v, i) => compileTemplate(v, [...path, i], check));
    // Built from the items' values, not the value as written: a `$${` in it is a `${` now.
    if (items.every(isConstant)) return constantTemplate(items.map((t) => t(NO_LOOKUP)));
    return (values) => items.map((t) => t(values));
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, compileTemplate(v, [...path, k], check)] as const);
    const build = (values: ValueLookup): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      // setOwn: a key `__proto__` stays a key of the request, not its prototype.
      for (const [k, t] of entries) setOwn(out, k, t(values));
      return out;
    };
    return entries.every(([, t]) => isConstant(t)) ? constantTemplate(build(NO_LOOKUP)) : build;
  }
  return constantTemplate(value);
}


export function compileString(s: string, path: DocPath, check: RefChecker): Template {
  if (!s.includes('$')) return constantTemplate(s);
  const parts: Array<string | string> = [];
  const refs: boolean[] = [];
  let last = 0;
  let ok = true;
  const literal = (from: number, to: number): void => {
    const text = s.slice(from, to);
    const open = text.indexOf('${');
    if (open >= 0) {
      check({ ref: '', text: text.slice(open), offset: from + open, width: text.length - open, unclosed: true }, path);
      ok = false;
    }
    push(text, false);
  };
  for (const m of s.matchAll(PLACEHOLDER)) {
    const offset = m.index!;
    if (offset > last) literal(last, offset);
    last = offset + m[0].length;
    if (m[0] === '$${') {
      push('${', false);
      continue;
    }
    const ref = m[1]!.trim();
    if (!check({ ref, text: m[0], offset, width: m[0].length }, path)) ok = false;
    push(ref, true);
  }
  if (last < s.length) literal(last, s.length);
  if (!ok) return constantTemplate(s);
  if (refs.length === 1 && refs[0]) {
    const ref = parts[0]!;
    return (values) => values.lookup(ref);
  }
  if (!refs.includes(true)) return constantTemplate(parts.join(''));
  return (values: ValueLookup) =>
    parts.map((p, i) => (refs[i] ? stringify(values.lookup(p)) : p)).join('');

  function push(text: string, isRef: boolean): void {
    parts.push(text);
    refs.push(isRef);
  }
}

/**
 * The paths of the object keys in a value that hold a placeholder: compileTemplate resolves
 * values, never keys, so `body: { "${k}": true }` would send the key `${k}` as written.
 */
export function keysWithPlaceholders(value: unknown, path: DocPath = []): DocPath[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => keysWithPlaceholders(v, [...path, i]));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [...(hasKeyPlaceholder(k) ? [[...path, k]] : []), ...keysWithPlaceholders(v, [...path, k])]);
}

export function isValidRef(ref: string): boolean {
  return REF.test(ref);
}

function stringify(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}
