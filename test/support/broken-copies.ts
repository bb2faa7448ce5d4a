/**
 * Broken copies of a valid message for a schema: each required field removed, each typed field
 * given a value of another type. Each copy says which pointer the validator must blame.
 */
export interface BrokenCopy {
  what: string;
  pointer: string;
  value: unknown;
}

type Schema = { type?: unknown; required?: string[]; properties?: Record<string, Schema>; const?: unknown; enum?: unknown[] };

export function brokenCopies(schema: Schema, valid: unknown, pointer = ''): BrokenCopy[] {
  if (!valid || typeof valid !== 'object' || Array.isArray(valid) || !schema.properties) return [];
  const out: BrokenCopy[] = [];
  const record = valid as Record<string, unknown>;
  for (const key of schema.required ?? []) {
    if (!(key in record)) continue;
    const copy = { ...record };
    delete copy[key];
    out.push({ what: `without ${key}`, pointer: `${pointer}/${key}`, value: copy });
  }
  for (const [key, sub] of Object.entries(schema.properties)) {
    if (!(key in record)) continue;
    const wrong = wrongTypeFor(sub);
    if (wrong !== undefined) out.push({ what: `${key} of the wrong type`, pointer: `${pointer}/${key}`, value: { ...record, [key]: wrong } });
    for (const nested of brokenCopies(sub, record[key], `${pointer}/${key}`)) {
      out.push({ ...nested, value: { ...record, [key]: nested.value } });
    }
  }
  return out;
}

/** A value no schema of that kind accepts: a number for strings, a string for everything else. */
function wrongTypeFor(schema: Schema): unknown {
  const t = schema.type;
  if (t === 'string' || (schema.const !== undefined && typeof schema.const === 'string')) return 12345;
  if (t === 'integer' || t === 'number' || t === 'boolean' || t === 'object' || t === 'array') return 'not-the-right-type';
  if (schema.enum) return { unexpected: true };
  return undefined;
}
