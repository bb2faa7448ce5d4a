import { DURATION, NAME_PATTERN } from '../steps/common.js';
import { stepKinds } from '../steps/registry.js';

/** JSON Schema (draft 2020-12) pieces of the scenario language, v1. */

export { NAME_PATTERN };

const scalar = { type: ['string', 'number', 'boolean'] } as const;

export const requiresSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'what the scenario needs; scenarios whose needs a server lacks are skipped with the reason',
  properties: {
    plugins: { type: 'array', items: { type: 'string', pattern: '^janus\\.plugin\\.' }, uniqueItems: true },
    transports: { type: 'array', items: { type: 'string' }, uniqueItems: true, minItems: 1 },
    media: {
      type: 'boolean',
      description: 'uses WebRTC peers (`peer:` steps): the managed Janus runs in a private network namespace the peers can reach; skipped where namespaces are not allowed',
    },
    exclusive: {
      type: 'boolean',
      description: 'run alone on its Janus: no other scenario, nor another transport of this one, at the same time (for scenarios that change global settings)',
    },
    janus: {
      type: 'object',
      description: 'janus.jcfg `general` settings the managed Janus is started with (api_secret, token_auth, session_timeout, ...); `nat.` and `media.` keys go to those sections (nat.full_trickle)',
      propertyNames: { pattern: '^((nat|media)\\.)?[a-z_0-9]+$' },
      additionalProperties: scalar,
    },
  },
} as const;

/** Step schemas come from the registered step kinds: each kind owns its slice. */
export function stepSchema(): object {
  return { oneOf: stepKinds().map((k) => k.schema) };
}

export function scenarioSchema(): object {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://janus-scenarios.dev/schema/scenario-v1.json',
    title: 'janus-scenarios scenario file (v1)',
    type: 'object',
    additionalProperties: false,
    required: ['name', 'steps'],
    properties: {
      name: { type: 'string', minLength: 1, description: 'the test title' },
      description: { type: 'string' },
      tags: { type: 'array', items: { type: 'string', pattern: NAME_PATTERN }, uniqueItems: true },
      requires: requiresSchema,
      variables: { type: 'object', propertyNames: { pattern: NAME_PATTERN }, description: 'values for ${name} placeholders' },
      clients: {
        type: 'array',
        items: { type: 'string', pattern: NAME_PATTERN },
        uniqueItems: true,
        minItems: 1,
        description: 'named clients, each with its own connection and Janus session; the first one is the default',
      },
      keepalive: {
        description: 'false stops automatic keepalives (to test session timeouts); a duration sets their period',
        anyOf: [{ type: 'boolean' }, DURATION],
      },
      timeout: { ...DURATION, description: 'time limit for the whole scenario (default from --timeout)' },
      steps: { type: 'array', minItems: 1, items: { $ref: '#/$defs/step' } },
      cleanup: { type: 'array', items: { $ref: '#/$defs/step' }, description: 'steps that always run at the end' },
    },
    $defs: { step: stepSchema() },
  };
}

export function fragmentSchema(): object {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://janus-scenarios.dev/schema/fragment-v1.json',
    title: 'janus-scenarios fragment file (v1): steps included by scenarios',
    type: 'object',
    additionalProperties: false,
    required: ['steps'],
    properties: {
      description: { type: 'string' },
      params: {
        type: 'object',
        propertyNames: { pattern: NAME_PATTERN },
        description: 'parameter names with their default values (null: the includer must give one)',
      },
      steps: { type: 'array', minItems: 1, items: { $ref: '#/$defs/step' } },
    },
    $defs: { step: stepSchema() },
  };
}
