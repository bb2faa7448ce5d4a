import { commonProperties } from './common.js';
import { CLOSE_CODE_SCHEMA, CLOSE_REASON_SCHEMA, checkCloseFields, sendableCloseCode } from './connection.js';
import type { StepKind } from './contract.js';

/**
 * `close:` closes a client's connection as a real client does (janus.js `destroy({unload})` or
 * its 3504 after a session timeout, janode `close()`): the WebSocket with a code and reason, the
 * HTTP long-polls cut. The client's sessions stay on the server, bound to no connection.
 */
export const closeStep: StepKind = {
  key: 'close',
  summary: 'close the client\'s connection (WebSocket: with a close code and reason); its sessions stay on the server until claimed or timed out',
  schema: {
    type: 'object',
    required: ['close'],
    additionalProperties: false,
    properties: {
      close: {
        description: 'true, or { code, reason } to close a WebSocket with (default code 1000); code and reason need WebSocket transports',
        anyOf: [
          { const: true },
          { type: 'object', additionalProperties: false, properties: { code: CLOSE_CODE_SCHEMA, reason: CLOSE_REASON_SCHEMA } },
        ],
      },
      ...commonProperties,
    },
  },
  compile(raw, cc) {
    const client = cc.client(raw);
    const withCode = checkCloseFields(raw, 'close', cc, sendableCloseCode, 'a client may send: 1000, or 3000–4999 (1001–2999 belong to the WebSocket protocol)');
    const how = typeof raw.close === 'object' && raw.close !== null ? (raw.close as { code?: number; reason?: string }) : {};
    const code = how.code === undefined ? '' : ` with code ${how.code}`;
    return {
      kind: 'close',
      span: cc.span(),
      title: (raw.name as string | undefined) ?? `${client} closes its connection${code}`,
      client,
      needs: withCode ? 'closeCodes' : 'connection',
      async execute(ctx) {
        const janus = await ctx.janus(ctx.actor(client));
        await janus.disconnect({ code: how.code, reason: how.reason });
      },
    };
  },
};
