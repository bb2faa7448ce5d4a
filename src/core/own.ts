/**
 * Reading user data (scenario files, server messages, saved values) by a key that also comes
 * from user data. A plain `obj[key]` or `key in obj` also finds Object.prototype members
 * (`constructor`, `toString`, `__proto__`), so a pattern key `constructor` would be "present" in
 * every message. These helpers see own properties only.
 */

/** A plain object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value of an own property of a plain object; undefined for anything else. */
export function ownValue(value: unknown, key: string): unknown {
  return isRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

/** Whether a plain object has the key as its own property. */
export function hasOwnKey(value: unknown, key: string): boolean {
  return isRecord(value) && Object.hasOwn(value, key);
}

/** Sets a key as an own data property, also `__proto__`, which plain assignment would treat as the prototype. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A shallow copy of a plain object's own enumerable keys, as `{ ...value }` makes (`__proto__`
 * stays a key), for copies that get keys added: V8 (Node 20) makes adding a key to a spread copy
 * of objects of many shapes cost microseconds a key, a hundred times this copy.
 */
export function copyRecord<T extends Record<string, unknown>>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__') setOwn(out, key, value[key]);
    else out[key] = value[key];
  }
  return out as T;
}
