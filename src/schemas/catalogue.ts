import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

/**
 * Named JSON Schemas that scenarios can ask for with `{ $schema: name }`. This holds the core
 * envelope shapes; the full catalogue of the Janus API grows here. Compiled once, on first use.
 */
const SCHEMAS: Record<string, object> = {
  'janus/server_info': {
    type: 'object',
    required: ['janus', 'name', 'version', 'version_string', 'plugins', 'transports'],
    properties: {
      janus: { const: 'server_info' },
      name: { type: 'string' },
      version: { type: 'integer' },
      version_string: { type: 'string' },
      'session-timeout': { type: 'integer' },
      plugins: { type: 'object' },
      transports: { type: 'object' },
    },
  },
  'janus/error': {
    type: 'object',
    required: ['janus', 'error'],
    properties: {
      janus: { const: 'error' },
      error: { type: 'object', required: ['code', 'reason'], properties: { code: { type: 'integer' }, reason: { type: 'string' } } },
    },
  },
  'janus/success-with-id': {
    type: 'object',
    required: ['janus', 'transaction', 'data'],
    properties: {
      janus: { const: 'success' },
      transaction: { type: 'string' },
      data: { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } },
    },
  },
};

let ajv: Ajv2020 | undefined;
const validators = new Map<string, ValidateFunction>();

export function knownSchema(name: string): boolean {
  return name in SCHEMAS;
}

/** Problems as "pointer: rule (value)" lines; undefined when valid. */
export function validateSchema(name: string, value: unknown): string[] | undefined {
  let validate = validators.get(name);
  if (!validate) {
    ajv ??= new Ajv2020({ strict: true, allErrors: true });
    validate = ajv.compile(SCHEMAS[name]!);
    validators.set(name, validate);
  }
  if (validate(value)) return undefined;
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? e.keyword} (${e.keyword})`);
}
