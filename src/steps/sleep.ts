import { setTimeout as delay } from 'node:timers/promises';
import { commonProperties, DURATION } from './common.js';
import type { StepKind } from './contract.js';

export const sleepStep: StepKind = {
  key: 'sleep',
  summary: 'wait for a while',
  schema: {
    type: 'object',
    required: ['sleep'],
    additionalProperties: false,
    properties: { sleep: DURATION, name: commonProperties.name },
  },
  compile(raw, cc) {
    const ms = cc.durationMs(raw.sleep, ['sleep']) ?? 0;
    return {
      kind: 'sleep',
      span: cc.span(),
      title: (raw.name as string | undefined) ?? `sleep ${ms}ms`,
      client: cc.client({}),
      async execute(ctx) {
        await delay(ms, undefined, { signal: ctx.signal }).catch(() => undefined);
      },
    };
  },
};
