import { commonProperties } from './common.js';
import type { StepKind } from './contract.js';

/** `include:` inlines a fragment file's steps with parameters, at compile time. */
export const includeStep: StepKind = {
  key: 'include',
  summary: 'run the steps of a fragment file, with parameters',
  schema: {
    type: 'object',
    required: ['include'],
    additionalProperties: false,
    properties: {
      include: { type: 'string', pattern: '\\.fragment\\.ya?ml$', description: 'path of a .fragment.yaml file, relative to this file' },
      with: { type: 'object', description: 'values for the fragment\'s params' },
      client: { ...commonProperties.client, description: 'the client the fragment\'s steps act as by default' },
    },
  },
  compile(raw, cc) {
    const client = cc.client(raw);
    return cc.include(raw.include as string, (raw.with as Record<string, unknown> | undefined) ?? {}, ['include'], client);
  },
};
