import { NAME_PATTERN, POSITIVE_DURATION } from '../steps/common.js';
import { JANUS_EVENT_HANDLERS, JANUS_LOGGERS, JANUS_PLUGINS } from '../schemas/modules.js';
import { transportNames } from '../transports/registry.js';
import { stepKinds } from '../steps/registry.js';
import type { StepKind } from '../steps/contract.js';
import { knownBugSchema, withConditions } from '../steps/conditions.js';

/** JSON Schema (draft 2020-12) pieces of the scenario language, v1. */

export { NAME_PATTERN };

const scalar = { type: ['string', 'number', 'boolean'] } as const;

export const requiresSchema = () => ({
  type: 'object',
  additionalProperties: false,
  description: 'what the scenario needs; scenarios whose needs a server lacks are skipped with the reason',
  properties: {
    plugins: {
      type: 'array',
      items: { enum: JANUS_PLUGINS, description: 'a plugin package name like janus.plugin.echotest' },
      uniqueItems: true,
      description: 'plugins the scenario uses: the managed Janus loads them; a server without one skips the scenario (plugins attached by name are added by themselves)',
    },
    transports: {
      type: 'array',
      items: { enum: transportNames(), description: 'a transport name' },
      uniqueItems: true,
      minItems: 1,
      description: 'the only transports the scenario runs on (default: every transport of the run); e.g. [http, https] for http steps',
    },
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
    eventhandlers: observers(JANUS_EVENT_HANDLERS, 'event handlers to load (janus.eventhandler.sampleevh, ...)'),
    loggers: observers(JANUS_LOGGERS, 'loggers to load (janus.logger.jsonlog)'),
  },
}) as const;

/**
 * Event handlers or loggers: a list of package names, or a map from package name to settings
 * for the `general` section of its jcfg (the managed Janus fills in what it needs to load).
 */
function observers(known: readonly string[], description: string) {
  const name = { enum: known, description: `a package name like ${known[0]}` } as const;
  const settings = { type: 'object', propertyNames: { pattern: '^[a-z_0-9]+$' }, additionalProperties: scalar } as const;
  return {
    description: `${description}: a list of package names, or package name → settings for its jcfg \`general\` section`,
    // if/then/else rather than anyOf: an error then points into the form that was used.
    if: { type: 'array' },
    then: { type: 'array', items: name, uniqueItems: true },
    else: { type: 'object', propertyNames: name, additionalProperties: settings },
  } as const;
}

/** Step schemas come from the registered step kinds: each kind owns its slice. */
export function stepSchema(): object {
  const kinds = stepKinds();
  const schemaOf = (k: StepKind): object => ({ description: k.summary, ...withConditions(k.schema) });
  // Where a kind's schema is, for the kinds that hold steps to refer to it rather than repeat it.
  const refTo = (key: string): object => ({ $ref: `${STEP_DEF}/oneOf/${kinds.findIndex((k) => k.key === key)}` });
  return { oneOf: kinds.map((k) => (k.nestedSteps ? withNestedSteps(schemaOf(k), k.nestedSteps, k.nestedSteps.kinds.map(refTo)) : schemaOf(k))) };
}

/** Where stepSchema() is put in the scenario and fragment schemas. */
const STEP_DEF = '#/$defs/step';

/**
 * A kind that holds steps, for editors: its list completes and checks as the steps allowed
 * there. (The loader checks each held step against its own kind instead, for clearer errors.)
 */
function withNestedSteps(schema: object, nested: NonNullable<StepKind['nestedSteps']>, allowed: object[]): object {
  const s = schema as { properties: Record<string, object> };
  return { ...schema, properties: { ...s.properties, [nested.key]: { ...s.properties[nested.key], items: { oneOf: allowed } } } };
}

const KEEPALIVE = {
  description: 'false stops automatic keepalives (to test session timeouts); a duration sets their period',
  anyOf: [{ type: 'boolean' }, ...POSITIVE_DURATION.anyOf],
} as const;

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
      description: { type: 'string', description: 'free text about the scenario' },
      tags: { type: 'array', items: { type: 'string', pattern: NAME_PATTERN }, uniqueItems: true, description: 'names to select scenarios with --tags' },
      requires: requiresSchema(),
      variables: { type: 'object', propertyNames: { pattern: NAME_PATTERN }, description: 'values for ${name} placeholders' },
      secrets: {
        type: 'array',
        items: { type: 'string', pattern: NAME_PATTERN },
        uniqueItems: true,
        description: 'names of variables or saved values that are secret: reports and console output show [redacted] instead',
      },
      clients: {
        type: 'array',
        items: {
          anyOf: [
            { type: 'string', pattern: NAME_PATTERN, description: 'a client name' },
            {
              type: 'object',
              required: ['name'],
              additionalProperties: false,
              description: 'a client with settings of its own',
              properties: {
                name: { type: 'string', pattern: NAME_PATTERN, description: 'the client name' },
                keepalive: { ...KEEPALIVE, description: 'this client\'s automatic keepalives, instead of the scenario\'s `keepalive`: false stops them, a duration sets their period' },
              },
            },
          ],
        },
        // No uniqueItems: with entries of two forms ajv compares every pair deeply (a list of 30,000
        // names took 10 s), and misses a name given in both; the compiler checks names with a Set.
        minItems: 1,
        description: 'named clients, each with its own connection and Janus session; the first one is the default; { name, keepalive } gives one its own keepalives',
      },
      keepalive: KEEPALIVE,
      timeout: { ...POSITIVE_DURATION, description: 'time limit for the whole scenario (default from --timeout)' },
      known_bug: knownBugSchema,
      steps: { type: 'array', minItems: 1, items: { $ref: '#/$defs/step' }, description: 'what the scenario does, in order; it stops at the first failing step' },
      cleanup: { type: 'array', items: { $ref: '#/$defs/step' }, description: 'steps that always run at the end' },
    },
    $defs: { step: stepSchema() }, // at STEP_DEF
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
      description: { type: 'string', description: 'what the fragment does and what it leaves bound' },
      params: {
        type: 'object',
        propertyNames: { pattern: NAME_PATTERN },
        description: 'parameter names with their default values (null: the includer must give one)',
      },
      steps: { type: 'array', minItems: 1, items: { $ref: '#/$defs/step' }, description: 'the steps an include runs in its place' },
    },
    $defs: { step: stepSchema() }, // at STEP_DEF
  };
}
