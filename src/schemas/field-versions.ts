import type { JsonSchema, Versioned } from './types.js';
import { holdsFor } from './versions.js';

/**
 * Fields and enum values that only some Janus versions send. A catalogue file marks them where it
 * lists them (`since('1.3.1', boolean)`, `valuesSince('1.4.0', 'idle')`); the checker compiles a
 * schema per server version with only what that version sends, so a 1.4.1-only field is still an
 * unknown field on 1.1.2. The marks are annotations under their own keys, removed before a schema
 * reaches the validator.
 */
const SINCE = 'x-janus-since';
const UNTIL = 'x-janus-until';
const VALUES = 'x-janus-values';

/** A field (or any sub-schema) sent from `version` on. */
export function since(version: string, schema: JsonSchema): JsonSchema {
  return { ...schema, [SINCE]: version };
}

/** A field sent up to `version` (inclusive), gone after. */
export function until(version: string, schema: JsonSchema): JsonSchema {
  return { ...schema, [UNTIL]: version };
}

/** An enum whose values each hold for their own versions: [value, range] pairs. */
export function versionedValues(...values: Array<[unknown, Versioned]>): JsonSchema {
  return { enum: values.map(([v]) => v), [VALUES]: values };
}

function rangeOf(schema: JsonSchema): Versioned {
  return { since: schema[SINCE] as string | undefined, until: schema[UNTIL] as string | undefined };
}

/**
 * The schema as `version` sends it: fields of other versions removed (from `properties` and
 * `required`), enum values of other versions dropped, the marks stripped. Without a version,
 * every field and value is accepted (a server whose version is unknown).
 */
export function forVersion(schema: JsonSchema, version: string | undefined): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === SINCE || key === UNTIL || key === VALUES) continue;
    out[key] = value;
  }
  if (Array.isArray(schema[VALUES])) {
    out.enum = (schema[VALUES] as Array<[unknown, Versioned]>).filter(([, r]) => holdsFor(r, version)).map(([v]) => v);
  }
  if (out.properties && typeof out.properties === 'object') {
    const kept = Object.entries(out.properties as Record<string, JsonSchema>).filter(([, s]) => holdsFor(rangeOf(s), version));
    out.properties = Object.fromEntries(kept.map(([k, s]) => [k, forVersion(s, version)]));
    if (Array.isArray(out.required)) out.required = (out.required as string[]).filter((k) => k in (out.properties as object));
  }
  for (const k of ['items', 'additionalProperties', 'not', 'if', 'then', 'else'] as const) {
    if (out[k] && typeof out[k] === 'object' && !Array.isArray(out[k])) out[k] = forVersion(out[k] as JsonSchema, version);
  }
  for (const k of ['anyOf', 'oneOf', 'allOf'] as const) {
    if (Array.isArray(out[k])) out[k] = (out[k] as JsonSchema[]).filter((s) => holdsFor(rangeOf(s), version)).map((s) => forVersion(s, version));
  }
  return out;
}
