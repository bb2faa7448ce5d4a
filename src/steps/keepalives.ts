import { formatDuration } from '../core/duration.js';
import { idOf } from '../protocol/messages.js';
import type { KeepaliveRecord } from '../janus/client.js';
import { commonProperties, POSITIVE_DURATION } from './common.js';
import { ownMistake, StepFailure, type StepKind } from './contract.js';

/**
 * `keepalives:` asserts that the client's automatic keepalives went out and were acked: at
 * least `at_least` of them (for one session, or any), waiting up to `within` for them. A
 * keepalive that was answered with an error, or not at all, fails the step at once.
 */
export const keepalivesStep: StepKind = {
  key: 'keepalives',
  summary: 'assert that the client sent at least N automatic keepalives (for a session, or any), each acked',
  schema: {
    type: 'object',
    required: ['keepalives'],
    additionalProperties: false,
    properties: {
      keepalives: {
        type: 'object',
        description: 'what the automatic keepalives must show: { at_least: N, session }',
        required: ['at_least'],
        additionalProperties: false,
        properties: {
          at_least: { type: 'integer', minimum: 1, description: 'how many automatic keepalives must have been acked' },
          session: { description: 'only keepalives for this session (a placeholder like ${session}); default: any of the client\'s sessions' },
        },
      },
      ...commonProperties,
      within: { ...POSITIVE_DURATION, description: 'how long to wait for them (default --step-timeout)' },
    },
  },
  compile(raw, cc) {
    const client = cc.client(raw);
    const spec = raw.keepalives as { at_least: number; session?: unknown };
    if (cc.keepaliveOf(client) === false) {
      cc.error(['keepalives'], `client ${client} sends no automatic keepalives (keepalive: false), so none can be asserted`);
    }
    const session = spec.session === undefined ? undefined : cc.template(spec.session, ['keepalives', 'session']);
    const withinMs = raw.within === undefined ? undefined : cc.durationMs(raw.within, ['within'], { positive: true });
    const wanted = spec.at_least;
    return {
      kind: 'keepalives',
      span: cc.span(),
      title: (raw.name as string | undefined) ?? `${client} sent at least ${wanted} keepalive${wanted === 1 ? '' : 's'}`,
      client,
      async execute(ctx) {
        const actor = ctx.actor(client);
        const janus = await ctx.janus(actor);
        const sessionId = session === undefined ? undefined : idOf(ctx.resolve(session, actor));
        if (session !== undefined && sessionId === undefined) throw ownMistake('keepalives.session is not a session id');
        const mine = (): KeepaliveRecord[] => janus.keepalives.filter((k) => sessionId === undefined || k.sessionId === sessionId);
        const failed = (): KeepaliveRecord | undefined => mine().find((k) => k.state === 'failed');
        const acked = (): number => mine().filter((k) => k.state === 'acked').length;
        const limit = withinMs ?? ctx.stepTimeoutMs;
        await janus.whenKeepalives(() => failed() !== undefined || acked() >= wanted, limit, ctx.signal);
        const bad = failed();
        if (bad) throw new StepFailure('assertion', `the keepalive for session ${bad.sessionId} (transaction ${bad.transaction}) was not acked: ${bad.detail ?? 'no reason known'}`);
        const count = acked();
        if (count >= wanted) return;
        if (ctx.signal.aborted) throw new StepFailure('infrastructure', 'interrupted');
        const scope = sessionId === undefined ? '' : ` for session ${sessionId}`;
        throw new StepFailure('assertion', `client ${client} had ${count} automatic keepalive${count === 1 ? '' : 's'} acked${scope} after ${formatDuration(limit)} (${mine().length} sent), expected at least ${wanted}`, { expected: { at_least: wanted }, actual: { acked: count, sent: mine().length } });
      },
    };
  },
};
