import { DURATION_PATTERN, MAX_DURATION_MS } from '../core/duration.js';

/** Schema pieces shared by several step kinds. */
export const NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_-]*$';
export const NAME = { type: 'string', pattern: NAME_PATTERN } as const;
/** `data.id`, `plugindata.data.list[0].room`: a path into a message, for `save`. */
export const SAVE_PATH_PATTERN = '^[A-Za-z0-9_$-]+(\\[[0-9]+\\])*(\\.[A-Za-z0-9_$-]+(\\[[0-9]+\\])*)*$';
export const DURATION = {
  description: 'milliseconds, or a number with a unit: 250ms, 2s, 1m (at most 2147483647 ms)',
  anyOf: [
    { type: 'integer', minimum: 0, maximum: MAX_DURATION_MS },
    { type: 'string', pattern: DURATION_PATTERN },
  ],
} as const;
/** A duration where zero makes no sense: a time limit, a period. */
export const POSITIVE_DURATION = {
  description: 'milliseconds, or a number with a unit: 250ms, 2s, 1m (at least 1ms, at most 2147483647 ms)',
  anyOf: [
    { type: 'integer', minimum: 1, maximum: MAX_DURATION_MS },
    { type: 'string', pattern: DURATION_PATTERN },
  ],
} as const;

export const commonProperties = {
  name: { type: 'string', description: 'a title for the step in reports' },
  client: { ...NAME, description: 'which client acts (default: the first in `clients`)' },
} as const;

export const saveProperty = {
  save: {
    type: 'object',
    description: 'name: path into the message (data.id, plugindata.data.list[0].room); later steps use ${name}',
    propertyNames: { pattern: NAME_PATTERN },
    additionalProperties: { type: 'string', pattern: SAVE_PATH_PATTERN },
  },
} as const;

export const expectProperties = {
  expect: { type: 'object', description: 'pattern the reply must match, a mapping like { janus: success } (see Matching); without it, any reply but an error passes' },
  exact: { type: 'boolean', description: 'match the pattern exactly: no extra keys at any depth' },
} as const;

export const targetProperties = {
  handle: { ...NAME, description: 'which handle of the client (named with `as:`); default: the last attached' },
  at: { enum: ['root', 'session', 'handle'], description: 'the level the request is sent at, when not the verb\'s own' },
} as const;

/** The keys every request-like step (request, admin, raw) has besides its own. */
export const exchangeProperties = {
  ...commonProperties,
  ...targetProperties,
  ...expectProperties,
  ...saveProperty,
  timeout: { ...POSITIVE_DURATION, description: 'how long to wait for the reply (default --step-timeout)' },
} as const;

/** Reads `a.b[0].c` out of a message; undefined when any part is missing. */
export function readPath(value: unknown, path: string): unknown {
  let cur: unknown = value;
  for (const part of path.split('.')) {
    const m = /^([^[]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    cur = (cur as Record<string, unknown> | undefined)?.[m[1]!];
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) cur = (cur as unknown[] | undefined)?.[Number(idx[1])];
    if (cur === undefined) return undefined;
  }
  return cur;
}
