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
    const client = cc.client({});
    return {
      kind: 'sleep',
      span: cc.span(),
      title: (raw.name as string | undefined) ?? `sleep ${ms}ms`,
      client,
      async execute(ctx) {
        // A client with a session listens while the scenario sleeps: events arrive meanwhile
        // (over HTTP the long-poll starts), and a connection that dies ends the sleep at once.
        const actor = ctx.actor(client);
        if (actor.sessionId !== undefined) void (await ctx.janus(actor)).mailbox;
        await delay(ms, undefined, { signal: ctx.signal }).catch(() => undefined);
      },
    };
  },
};
