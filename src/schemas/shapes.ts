import type { JsonSchema } from './types.js';

/** Small builders for schemas, so catalogue files read like the shapes they describe. */

export const integer = { type: 'integer' } as const;
export const positiveId = { type: 'integer', minimum: 1 } as const;
export const string = { type: 'string' } as const;
export const boolean = { type: 'boolean' } as const;
export const anyObject = { type: 'object' } as const;
export const stringArray = { type: 'array', items: { type: 'string' } } as const;
export const integerArray = { type: 'array', items: { type: 'integer' } } as const;

export function constant(value: unknown): JsonSchema {
  return { const: value };
}

export function oneOfValues(...values: unknown[]): JsonSchema {
  return { enum: values };
}

/** An object with the given required and optional properties. */
export function object(required: Record<string, JsonSchema>, optional: Record<string, JsonSchema> = {}): JsonSchema {
  return {
    type: 'object',
    required: Object.keys(required),
    properties: { ...required, ...optional },
  };
}

/** An object whose values all follow one schema (a map), e.g. server_info.plugins. */
export function mapOf(values: JsonSchema): JsonSchema {
  return { type: 'object', additionalProperties: values };
}

export function arrayOf(items: JsonSchema): JsonSchema {
  return { type: 'array', items };
}

/** A plugin's `plugindata.data` whose kind key (e.g. "videoroom") has the given value. */
export function pluginData(short: string, kind: string, required: Record<string, JsonSchema> = {}, optional: Record<string, JsonSchema> = {}): JsonSchema {
  return object({ [short]: constant(kind), ...required }, optional);
}

/** The error shape every bundled plugin uses: { <short>: "event", error_code, error }. */
export function pluginError(short: string, kind = 'event'): JsonSchema {
  return pluginData(short, kind, { error_code: integer, error: string });
}
