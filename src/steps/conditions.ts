/**
 * Keys every step kind accepts besides its own: `janus`, the Janus versions whose behaviour the
 * step describes (it runs only on them), and `known_bug`, a bug of some Janus versions the step
 * shows (its failure on them is a known issue, its pass a sign the bug is gone). The compiler
 * reads them (src/compile/compile.ts); the step kinds never see them.
 */
const VERSION_RANGE = {
  type: 'string',
  minLength: 1,
  description: 'Janus versions: comparators joined by spaces (all hold), alternatives by || — ">=1.3.2", "<1.3.2", ">=1.2.2 <1.4.0", "1.1.2"',
} as const;

export const knownBugSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['what', 'janus'],
  description: 'a bug of the given Janus versions: on them a failure is reported as a known issue; a pass there fails ("fixed in this version: remove the mark")',
  properties: {
    what: { type: 'string', minLength: 1, description: 'what goes wrong, one line' },
    janus: { ...VERSION_RANGE, description: `the versions that have the bug; ${VERSION_RANGE.description}` },
    link: { type: 'string', pattern: '^https?://', description: 'where the bug is described (an issue, a pull request)' },
  },
} as const;

export const conditionProperties = {
  janus: { ...VERSION_RANGE, description: `run this step only on these Janus versions (the server's version_string); ${VERSION_RANGE.description}` },
  known_bug: knownBugSchema,
} as const;

/** A step kind's schema with the shared condition keys added. */
export function withConditions(schema: object): object {
  const s = schema as { properties?: Record<string, unknown> };
  return { ...schema, properties: { ...s.properties, ...conditionProperties } };
}
