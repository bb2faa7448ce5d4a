import { isObject, type JanusObject } from './traffic.js';

/**
 * What a value in a captured message is: a secret, a value Janus generated (an id, a UUID, a
 * random room number), or a stable value to replay and compare as it is.
 */

/** Request fields the runner fills in itself from --api-secret, --token, --admin-secret. */
export const RUN_SECRETS = { janus: ['apisecret', 'token'], admin: ['admin_secret', 'apisecret', 'token'] } as const;

/** Body fields whose values are secrets of the application (room passwords, pins, SIP secrets). */
const SECRET_KEY = /^(?:new_)?(?:secret|pin|password|passwd|pwd|passphrase|ha1_secret|admin_key|plugin_secret|apisecret|admin_secret|token)$/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

const ID_KEY = /(?:^|_)ids?$|uuid|guid|timestamp|time$|^ssrc|^port$|_port$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RANDOM_TEXT = /^[A-Za-z0-9+/=_-]{16,}$/;

/** A value the server made up (an id, a UUID, a random token): compared by type only. */
export function looksGenerated(key: string, value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && (ID_KEY.test(key) || Math.abs(value) >= 2 ** 24);
  if (typeof value !== 'string') return false;
  if (key === 'sdp' || UUID.test(value)) return true;
  return (ID_KEY.test(key) && value.length >= 6) || (RANDOM_TEXT.test(value) && /\d/.test(value) && /[A-Za-z]/.test(value));
}

/** Big enough not to equal another value by chance: worth tracking from a reply into a request. */
export function isDistinctive(value: unknown): value is number | string {
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) >= 100000;
  return typeof value === 'string' && value.length >= 8 && looksGenerated('', value);
}

export function valueKey(value: unknown): string {
  return `${typeof value}:${String(value)}`;
}

export function markerOf(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? '$integer' : '$number';
  if (typeof value === 'string') return '$string';
  if (typeof value === 'boolean') return '$boolean';
  return '$present';
}

/** A literal string in a pattern: a leading `$` is a marker there, and `${` a placeholder. */
export function patternLiteral(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const escaped = value.replaceAll('${', '$${');
  return escaped.startsWith('$') && !escaped.startsWith('$${') ? `$${escaped}` : escaped;
}

/** A literal string in a request: only `${` means something there. */
export function requestLiteral(value: unknown): unknown {
  return typeof value === 'string' ? value.replaceAll('${', '$${') : value;
}

export type Leaf = { path: (string | number)[]; key: string; value: unknown };

/** Every scalar in a message, with its path. */
export function leaves(value: unknown, path: (string | number)[] = [], key = ''): Leaf[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i], key));
  if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k], k));
  return [{ path, key, value }];
}

/** A `save:` path: `plugindata.data.list[0].room`. */
export function savePath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

export function withoutKeys(message: JanusObject, keys: readonly string[]): JanusObject {
  return Object.fromEntries(Object.entries(message).filter(([k]) => !keys.includes(k)));
}
