import { setTimeout as delay } from 'node:timers/promises';
import { formatDuration } from '../core/duration.js';
import { describeClose } from '../janus/client.js';
import type { ConnectionClose } from '../transports/contract.js';
import type { JanusMessage } from '../protocol/messages.js';
import { commonProperties, DURATION, messagePattern, NAME, requireValues } from './common.js';
import { mismatchFailure, StepFailure, type StepKind } from './contract.js';
import { compileEventFilter, describePattern, handleIdOf } from './wait.js';

/** `no_event:` passes when no message matching the pattern is in the mailbox or arrives in the window. */
export const noEventStep: StepKind = {
  key: 'no_event',
  summary: 'assert that no message matching a pattern arrives within a window',
  schema: {
    type: 'object',
    required: ['no_event', 'for'],
    additionalProperties: false,
    properties: {
      no_event: messagePattern('pattern of the message that must not arrive, a mapping like { janus: hangup } ({} means any message)'),
      for: { ...DURATION, description: 'how long to watch' },
      ...commonProperties,
      handle: { ...NAME, description: 'only messages from this handle (sender)' },
      exact: { type: 'boolean', description: 'not allowed here: an exact pattern would let through every message with a field it does not name' },
    },
  },
  compile(raw, cc) {
    const client = cc.client(raw);
    // Exact, the pattern would only weaken the assertion: `{}` would stop meaning "any message".
    if (raw.exact === true) cc.error(['exact'], 'exact on no_event lets through any message with a field the pattern does not name (and makes {} match no message): leave it out; name the fields that must not arrive');
    const matcher = cc.messagePattern(raw.no_event, ['no_event'], false);
    const filter = compileEventFilter(raw, cc, client);
    const windowMs = cc.durationMs(raw.for, ['for']) ?? 0;
    return {
      kind: 'no_event',
      readsEvents: true,
      span: cc.span(),
      title: (raw.name as string | undefined) ?? `${client} gets no ${describePattern(raw.no_event, 'matching message')} for ${formatDuration(windowMs)}`,
      client,
      async execute(ctx) {
        const actor = ctx.actor(client);
        const janus = await ctx.janus(actor);
        const from = filter(actor);
        requireValues(matcher, ctx, actor);
        const accepts = (msg: JanusMessage): boolean => from(msg) && ctx.match(matcher, msg, actor).length === 0;
        // Look without taking, so a later wait step can still consume what arrived.
        const waiting = janus.mailbox.peek(accepts);
        if (waiting) throw mismatchFailure(`a message matching the pattern was already in the mailbox when the step began (${receivedAs(waiting, janus.arrivals.messages, client)})`, { expected: raw.no_event, actual: waiting });
        // A closed connection receives nothing: the window would pass having seen nothing at all.
        const before = closure();
        if (before) throw blind(`is ${describeClose(before)}`, before);
        // Open, it may still be deaf to a session it kept through a close: no event of it could come either.
        const [deaf, ...more] = janus.unreachableSessions(handleIdOf(raw, actor));
        if (deaf) {
          const also = more.length > 0 ? ` (and ${more.map((u) => u.sessionId).join(', ')})` : '';
          throw new StepFailure('assertion', `no event of session ${deaf.sessionId}${also} could reach client ${client}: ${deaf.why}; no_event would check nothing for it: claim the session first`, { expected: raw.no_event, ownMistake: true });
        }
        const seen = await watch();
        if (seen) throw mismatchFailure(`a message matching the pattern arrived within ${formatDuration(windowMs)}`, { expected: raw.no_event, actual: seen });
        if (janus.fault) throw new StepFailure('infrastructure', janus.fault.message);
        const during = closure();
        if (during) throw blind(`was ${describeClose(during)} during the ${formatDuration(windowMs)} window`, during);

        /** The connection's close, read anew each time (a close may come while the step watches). */
        function closure(): ConnectionClose | undefined {
          return janus.closed;
        }

        // Closed by the server, it is the server's doing (a bug may show so); by the client, the scenario's.
        function blind(state: string, close: ConnectionClose): StepFailure {
          return new StepFailure('assertion', `client ${client}'s connection ${state}: no message could reach it, so no_event would check nothing; watch before the close, or reopen (and claim the session) first`, { expected: raw.no_event, ownMistake: close.by === 'client' });
        }

        async function watch(): Promise<JanusMessage | undefined> {
          await delay(windowMs, undefined, { signal: ctx.signal }).catch(() => undefined);
          return janus.mailbox.peek(accepts);
        }
      },
    };
  },
};

/** Where a message is among those the client received, counted from 1 as `order:` failures count them. */
function receivedAs(msg: JanusMessage, received: readonly JanusMessage[], client: string): string {
  const at = received.indexOf(msg);
  return at < 0 ? `received by ${client} earlier` : `received as #${at + 1} of the messages ${client} received`;
}
