import { formatDuration } from '../core/duration.js';
import { describeClose } from '../janus/client.js';
import { commonProperties, missingValues, namesValues, POSITIVE_DURATION, requireValues, unmatched } from './common.js';
import { CLOSE_CODE_SCHEMA, CLOSE_REASON_SCHEMA, checkCloseFields, observableCloseCode } from './connection.js';
import { StepFailure, type StepKind } from './contract.js';

/**
 * `closed:` asserts that the client's connection is closed, or closes within `within`: by whom,
 * with which code and reason. A server close of a client with such a step is an outcome the
 * scenario checks, not a lost server; a request on the closed connection fails.
 */
export const closedStep: StepKind = {
  key: 'closed',
  summary: 'assert that the client\'s connection is closed (or closes within a time limit): by the client or the server, with a code and reason',
  schema: {
    type: 'object',
    required: ['closed'],
    additionalProperties: false,
    properties: {
      closed: {
        description: 'true, or what the close must show: { by: server|client, code, reason } (a pattern: markers like $string work); code and reason need WebSocket transports',
        anyOf: [
          { const: true },
          {
            type: 'object',
            additionalProperties: false,
            properties: {
              by: { description: 'who closed the connection', anyOf: [{ enum: ['client', 'server'] }, { type: 'string', pattern: '^\\$' }] },
              code: { description: CLOSE_CODE_SCHEMA.description, anyOf: [{ type: 'integer' }, { type: 'string' }, { type: 'object' }] },
              reason: { description: CLOSE_REASON_SCHEMA.description, anyOf: [{ type: 'string' }, { type: 'object' }] },
            },
          },
        ],
      },
      ...commonProperties,
      within: { ...POSITIVE_DURATION, description: 'how long to wait for the close (default --step-timeout)' },
    },
  },
  compile(raw, cc) {
    const client = cc.client(raw);
    const withCode = checkCloseFields(raw, 'closed', cc, observableCloseCode, 'a close carries: 1000–4999');
    const pattern = raw.closed === true ? {} : raw.closed;
    const matcher = cc.pattern(pattern, ['closed'], false);
    // A match that never read a value the pattern names ($not, a $oneOf branch not tried) is no pass.
    const readsValues = namesValues(pattern);
    const withinMs = raw.within === undefined ? undefined : cc.durationMs(raw.within, ['within'], { positive: true });
    return {
      kind: 'closed',
      span: cc.span(),
      title: (raw.name as string | undefined) ?? `${client}'s connection is closed`,
      client,
      needs: withCode ? 'closeCodes' : 'connection',
      async execute(ctx) {
        const actor = ctx.actor(client);
        const janus = await ctx.janus(actor);
        const limit = withinMs ?? ctx.stepTimeoutMs;
        if (!(await janus.whenClosed(limit, ctx.signal))) {
          if (ctx.signal.aborted) throw new StepFailure('infrastructure', 'interrupted');
          if (janus.fault) throw new StepFailure('infrastructure', janus.fault.message);
          throw new StepFailure('assertion', `client ${client}'s connection is still open after ${formatDuration(limit)}`, { expected: pattern });
        }
        const actual = { ...janus.closed! };
        const mismatches = ctx.match(matcher, actual, actor);
        if (mismatches.length > 0) throw unmatched(`client ${client}'s connection was ${describeClose(actual)}, not as expected`, { expected: pattern, actual, mismatches }, readsValues ? missingValues(matcher, ctx, actor) : undefined);
        if (readsValues) requireValues(matcher, ctx, actor);
      },
    };
  },
};
