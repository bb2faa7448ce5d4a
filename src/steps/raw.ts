import { exchangeProperties } from './common.js';
import type { CompiledStep, StepKind } from './contract.js';
import { compileExchangeOptions, runExchange, sendExchange, type ExchangeSpec } from './exchange.js';

/** `raw:` sends a payload byte for byte (invalid JSON, arrays, ...) and matches the reply. */
export const rawStep: StepKind = {
  key: 'raw',
  summary: 'send a payload verbatim (for invalid-JSON cases) and match the reply',
  schema: {
    type: 'object',
    required: ['raw'],
    additionalProperties: false,
    properties: {
      raw: { type: 'string', description: 'the exact text to send' },
      ...exchangeProperties,
    },
  },
  compile(raw, cc) {
    const client = cc.client(raw);
    const payload = cc.template(raw.raw, ['raw']);
    // Raw text is sent at the root unless `at:` says otherwise, whatever verb it holds (see rawRequest).
    const options = compileExchangeOptions(raw, cc, client, { level: 'root', of: 'a raw payload' });
    const spec: ExchangeSpec = { api: 'janus', raw: payload, ...options };
    const step: CompiledStep = {
      kind: 'raw',
      span: cc.span(),
      title: (raw.name as string | undefined) ?? `${client} raw payload`,
      client,
      opensClient: true,
      execute: (ctx) => runExchange(spec, ctx.actor(client), ctx, step),
      send: (ctx) => sendExchange(spec, ctx.actor(client), ctx, step),
    };
    return step;
  },
};
