import assert from 'node:assert/strict';
import { compileString } from '../../src/compile/template.js';
import { createPatternCompiler, deepEqual } from '../../src/match/compile-pattern.js';
import type { Mismatch } from '../../src/match/contract.js';
import { schemaEntry, schemaNames } from '../../src/schemas/catalogue.js';

/**
 * Properties of the matcher over messages generated from the schema catalogue (every schema,
 * seeded, so every run sees the same cases): a pattern written from a message matches it, and
 * every single change of a value, a type or a key makes it fail. Keys named like
 * Object.prototype members are among the keys generated and changed.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = Record<string, unknown>;
type Path = Array<string | number>;

const SEED = 0x5eed;
const PROTOTYPE_KEYS = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'isPrototypeOf'];

/** mulberry32: small, seeded, the same sequence on every machine. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}
type Random = ReturnType<typeof random>;

/** An object whose keys are all own data properties, `__proto__` included. */
function record(entries: Array<[string, Json]>): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

function randomString(r: Random): string {
  const base = r.pick(['ok', 'event', 'x', 'abc', 'janus', 'Room 1', '', '1', 'true', 'null']);
  return r.chance(0.1) ? `$${base}` : base;
}

/** A value satisfying the shape of a schema (not every rule: patterns, bounds are approximated). */
function instance(schema: Schema, r: Random, depth = 0): Json {
  if ('const' in schema) return schema.const as Json;
  if (Array.isArray(schema.enum)) return r.pick(schema.enum as Json[]);
  if (Array.isArray(schema.oneOf)) return instance(r.pick(schema.oneOf as Schema[]), r, depth);
  if (Array.isArray(schema.anyOf)) return instance(r.pick(schema.anyOf as Schema[]), r, depth);
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : schema.type ? [schema.type as string] : ['string', 'integer', 'object'];
  const type = r.pick(types);
  switch (type) {
    case 'null':
      return null;
    case 'boolean':
      return r.chance(0.5);
    case 'integer':
      return (typeof schema.minimum === 'number' ? schema.minimum : 0) + r.int(1000);
    case 'number':
      return r.int(1000) / 4;
    case 'string':
      return randomString(r);
    case 'array': {
      if (depth > 5) return [];
      const n = Math.max(typeof schema.minItems === 'number' ? schema.minItems : 0, r.int(4));
      return Array.from({ length: n }, () => instance((schema.items as Schema | undefined) ?? {}, r, depth + 1));
    }
    default: {
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      const required = new Set((schema.required as string[] | undefined) ?? []);
      const entries: Array<[string, Json]> = [];
      for (const [k, s] of Object.entries(props)) if (depth < 6 && (required.has(k) || r.chance(0.6))) entries.push([k, instance(s, r, depth + 1)]);
      if (r.chance(0.15)) entries.push([r.pick(PROTOTYPE_KEYS), instance({}, r, depth + 3)]);
      if (r.chance(0.05)) entries.push(['$dollar', randomString(r)]);
      return record(entries);
    }
  }
}

/** The pattern that says exactly this value: `$` escaped in strings and keys. */
function literalPattern(value: Json): unknown {
  if (typeof value === 'string') return value.startsWith('$') ? `$${value}` : value;
  if (Array.isArray(value)) return value.map(literalPattern);
  if (value !== null && typeof value === 'object') return record(Object.entries(value).map(([k, v]) => [k.startsWith('$') ? `$${k}` : k, literalPattern(v) as Json]));
  return value;
}

function matches(pattern: unknown, actual: unknown, exact = false): boolean {
  const errors: string[] = [];
  const compiler = createPatternCompiler((s, path) => (s.includes('${') ? compileString(s, path, () => true) : undefined), (_p, m) => errors.push(m), () => false);
  const matcher = compiler.compile(pattern, ['expect'], exact);
  assert.deepEqual(errors, [], `pattern ${JSON.stringify(pattern)} does not compile`);
  const out: Mismatch[] = [];
  matcher(actual, '', { resolve: (t) => t({ lookup: () => undefined }), validateSchema: () => undefined }, out);
  return out.length === 0;
}

function clone(value: Json): Json {
  if (Array.isArray(value)) return value.map(clone);
  if (value !== null && typeof value === 'object') return record(Object.entries(value).map(([k, v]) => [k, clone(v)]));
  return value;
}

/** Every path to a value inside a message (the root excluded). */
function paths(value: Json, at: Path = []): Path[] {
  const out: Path[] = [];
  const children = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : value !== null && typeof value === 'object' ? Object.entries(value) : [];
  for (const [k, v] of children) out.push([...at, k], ...paths(v, [...at, k]));
  return out;
}

function get(value: Json, path: Path): Json {
  return path.reduce<Json>((v, k) => (v as Record<string, Json>)[k as string]!, value);
}

/** A copy with the value at `path` changed by `change` (undefined: removed). */
function edit(message: Json, path: Path, change: (old: Json) => Json | undefined): Json {
  const copy = clone(message);
  const parent = get(copy, path.slice(0, -1)) as Record<string, Json> | Json[];
  const key = path[path.length - 1]!;
  const next = change((parent as Record<string, Json>)[key as string]!);
  if (Array.isArray(parent)) {
    if (next === undefined) parent.splice(key as number, 1);
    else parent[key as number] = next;
  } else if (next === undefined) delete parent[key as string];
  else Object.defineProperty(parent, key, { value: next, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** One change of a value or of its type, never to an equal value. */
function changedValue(old: Json, r: Random): Json {
  if (typeof old === 'number') return r.pick([old + 1, String(old), -old - 1, null, [old]]);
  if (typeof old === 'string') return r.pick([`${old}x`, old.toUpperCase() === old ? `${old}y` : old.toUpperCase(), Number.isFinite(Number(old)) && old !== '' ? Number(old) : 0, null, [old]]);
  if (typeof old === 'boolean') return r.pick([!old, String(old), old ? 1 : 0, null]);
  if (old === null) return r.pick(['null', 0, false, {}, []]);
  if (Array.isArray(old)) return r.pick([record(old.map((v, i) => [String(i), v])), [...old, 'extra'], old.slice(1), 'array']);
  return r.pick([Object.values(old), record([...Object.entries(old), ['extra_key', 1]]), 'object', null]);
}

const messages: Array<{ schema: string; message: Json }> = [];
{
  const r = random(SEED);
  for (const name of schemaNames()) {
    const schema = schemaEntry(name)!.schema as Schema;
    messages.push({ schema: name, message: instance(schema, r) });
  }
}

describe('matcher properties over the schema catalogue', function () {
  it(`generates ${messages.length} messages from every schema, some with keys named like Object.prototype members`, function () {
    assert.ok(messages.length >= 400, `${messages.length} messages`);
    assert.ok(messages.some(({ message }) => paths(message).some((p) => PROTOTYPE_KEYS.includes(String(p[p.length - 1])))));
  });

  it('a pattern written from a message matches it, partially and exactly', function () {
    for (const { schema, message } of messages) {
      const pattern = literalPattern(message);
      assert.ok(matches(pattern, message), `${schema}: ${JSON.stringify(message)}`);
      assert.ok(matches(pattern, message, true), `${schema} (exact): ${JSON.stringify(message)}`);
      assert.ok(matches({ $exact: pattern }, message), `${schema} ($exact): ${JSON.stringify(message)}`);
    }
  });

  it('each single change of a value or a type makes it fail', function () {
    const r = random(SEED + 1);
    let checked = 0;
    for (const { schema, message } of messages) {
      const pattern = literalPattern(message);
      for (const path of paths(message)) {
        const changed = edit(message, path, (old) => changedValue(old, r));
        if (deepEqual(changed, message)) continue;
        checked++;
        const addsOnlyAKey = !matches(pattern, changed, true) && matches(pattern, changed);
        if (addsOnlyAKey) {
          // An extra key is allowed by a partial pattern, never by an exact one: it must be the only change.
          assert.ok(JSON.stringify(changed).includes('extra_key'), `${schema}: ${JSON.stringify(path)} passed: ${JSON.stringify(changed)}`);
          continue;
        }
        assert.ok(!matches(pattern, changed, true), `${schema}: changing ${JSON.stringify(path)} passed: ${JSON.stringify(changed)}`);
      }
    }
    assert.ok(checked > 500, `only ${checked} changes checked`);
  });

  it('removing a key, or renaming it (to a prototype member name too), makes it fail', function () {
    const r = random(SEED + 2);
    for (const { schema, message } of messages) {
      const pattern = literalPattern(message);
      for (const path of paths(message).filter((p) => typeof p[p.length - 1] === 'string')) {
        const removed = edit(message, path, () => undefined);
        assert.ok(!matches(pattern, removed), `${schema}: removing ${JSON.stringify(path)} passed`);
        const parentPath = path.slice(0, -1);
        const key = path[path.length - 1] as string;
        const other = r.pick(PROTOTYPE_KEYS.filter((k) => k !== key && !Object.hasOwn(get(message, parentPath) as object, k)));
        const withOther = (parent: Json): Json => record([...Object.entries(parent as Record<string, Json>), [other, get(message, path)]]);
        const renamed = parentPath.length === 0 ? withOther(removed) : edit(removed, parentPath, withOther);
        assert.ok(!matches(pattern, renamed), `${schema}: renaming ${JSON.stringify(path)} to ${other} passed`);
      }
    }
  });

  it('a key the message lacks, named like a prototype member, is absent: $present fails, $absent passes', function () {
    for (const { schema, message } of messages) {
      if (message === null || typeof message !== 'object' || Array.isArray(message)) continue;
      for (const key of PROTOTYPE_KEYS) {
        if (Object.hasOwn(message, key)) continue;
        const base = literalPattern(message) as Record<string, unknown>;
        const withKey = (v: unknown) => record([...Object.entries(base as Record<string, Json>), [key, v as Json]]);
        assert.ok(!matches(withKey('$present'), message), `${schema}: ${key}: $present passed`);
        assert.ok(!matches(withKey({ $type: 'object' }), message), `${schema}: ${key}: $type object passed`);
        assert.ok(matches(withKey('$absent'), message), `${schema}: ${key}: $absent failed`);
      }
    }
  });

  it('a leaf generalised to its type marker still matches; a change of type there fails', function () {
    const r = random(SEED + 3);
    const markerOf = (v: Json): string => (v === null ? '$null' : Array.isArray(v) ? '$array' : typeof v === 'object' ? '$object' : typeof v === 'number' ? (Number.isInteger(v) ? '$integer' : '$number') : `$${typeof v}`);
    for (const { schema, message } of messages) {
      for (const path of paths(message)) {
        const leaf = get(message, path);
        const pattern = edit(literalPattern(message) as Json, path.map((k) => (typeof k === 'string' && k.startsWith('$') ? `$${k}` : k)), () => markerOf(leaf));
        assert.ok(matches(pattern, message), `${schema}: ${JSON.stringify(path)} as ${markerOf(leaf)}`);
        const retyped = edit(message, path, (old) => r.pick([typeof old === 'string' ? 1 : 'text', old === null ? false : null]));
        assert.ok(!matches(pattern, retyped), `${schema}: ${JSON.stringify(path)} retyped passed: ${JSON.stringify(get(retyped, path))}`);
      }
    }
  });

  it('operators: $oneOf with the value passes and without it fails; $not inverts; $anyOrder and $contains see every element', function () {
    const r = random(SEED + 4);
    for (const { schema, message } of messages) {
      for (const path of paths(message)) {
        const value = get(message, path);
        const other = changedValue(value, r);
        if (deepEqual(other, value)) continue;
        const escapedPath = path.map((k) => (typeof k === 'string' && k.startsWith('$') ? `$${k}` : k));
        const at = (p: unknown) => edit(literalPattern(message) as Json, escapedPath, () => p as Json);
        assert.ok(matches(at({ $oneOf: [literalPattern(other), literalPattern(value)] }), message), `${schema}: $oneOf at ${JSON.stringify(path)}`);
        assert.ok(!matches(at({ $oneOf: [literalPattern(other)] }), message), `${schema}: $oneOf without the value at ${JSON.stringify(path)}`);
        assert.ok(matches(at({ $not: literalPattern(other) }), message), `${schema}: $not other at ${JSON.stringify(path)}`);
        assert.ok(!matches(at({ $not: literalPattern(value) }), message), `${schema}: $not itself at ${JSON.stringify(path)}`);
        if (Array.isArray(value) && value.length > 0) {
          const reversed = [...value].reverse().map(literalPattern);
          assert.ok(matches(at({ $anyOrder: reversed }), message), `${schema}: $anyOrder at ${JSON.stringify(path)}`);
          assert.ok(matches(at({ $contains: reversed.slice(1) }), message), `${schema}: $contains at ${JSON.stringify(path)}`);
          assert.ok(!matches(at({ $anyOrder: reversed.slice(1) }), message), `${schema}: $anyOrder of fewer at ${JSON.stringify(path)}`);
          assert.ok(!matches(at({ $contains: [...reversed, literalPattern(value[0]!)] }), message), `${schema}: $contains of more at ${JSON.stringify(path)}`);
        }
      }
    }
  });
});
