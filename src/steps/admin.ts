import { ADMIN_VERBS } from '../schemas/modules.js';
import { checkRequestKeys, exchangeProperties } from './common.js';
import type { CompiledStep, StepKind } from './contract.js';
import { compileExchangeOptions, requestAhead, runExchange, sendExchange, verbLevel, writtenVerb, type ExchangeSpec } from './exchange.js';
import { ADMIN_VERB_LEVEL } from '../protocol/messages.js';

/** `admin:` sends an Admin API request; session and handle ids come from the acting client. */
export const adminStep: StepKind = {
  key: 'admin',
  summary: 'send an Admin API request (admin_secret filled in) and match its reply',
  schema: {
    type: 'object',
    required: ['admin'],
    additionalProperties: false,
    properties: {
      admin: {
        description: 'an admin verb (list_sessions, handle_info, ...) or the whole request',
        // The enum is for editor completion; other verbs are allowed (Janus's own error for them is a test too).
        anyOf: [{ enum: ADMIN_VERBS }, { type: 'string', minLength: 1 }, { type: 'object', properties: { janus: { anyOf: [{ enum: ADMIN_VERBS }, {}], description: 'the admin verb' } } }],
      },
      ...exchangeProperties,
    },
  },
  compile(raw, cc) {
    const client = cc.client(raw);
    const request = cc.template(raw.admin, ['admin']);
    checkRequestKeys(raw, 'admin', cc);
    const options = compileExchangeOptions(raw, cc, client, verbLevel(writtenVerb(raw.admin), ADMIN_VERB_LEVEL, 'admin'));
    const verb = typeof raw.admin === 'string' ? raw.admin : (raw.admin as { janus?: unknown }).janus;
    const spec: ExchangeSpec = { api: 'admin', request, ...options };
    const step: CompiledStep = {
      kind: 'admin',
      span: cc.span(),
      title: (raw.name as string | undefined) ?? `admin ${typeof verb === 'string' ? verb : 'request'}`,
      client,
      execute: (ctx) => runExchange(spec, ctx.actor(client), ctx, step),
      send: (ctx) => sendExchange(spec, ctx.actor(client), ctx, step),
      ahead: requestAhead(spec, client),
    };
    return step;
  },
};
