import { formatDuration } from '../core/duration.js';
import type { SourceSpan } from '../core/source.js';
import type { DescribedMatcher, MatchRuntime, Mismatch, Template } from '../match/contract.js';
import type { JanusMessage } from '../protocol/messages.js';
import { commonProperties, messagePattern, POSITIVE_DURATION, requireValues } from './common.js';
import { mismatchFailure, StepFailure, type Actor, type StepContext, type StepKind } from './contract.js';
import { describePattern } from './wait.js';

/**
 * `order:` asserts the order in which one client received messages: each pattern names one
 * message, and they must have arrived in the order listed. By default the language ignores the
 * order (correlation by transaction, the mailbox); this is for the orders Janus guarantees.
 */
export const orderStep: StepKind = {
  key: 'order',
  summary: 'assert that a client received messages in this order (each pattern names exactly one message)',
  schema: {
    type: 'object',
    required: ['order'],
    additionalProperties: false,
    properties: {
      order: {
        type: 'array',
        minItems: 2,
        items: messagePattern('a pattern that matches exactly one message the client received (give a transaction or a sender)'),
        description: 'patterns of messages the client received, in the order they must have arrived: the first pattern\'s message before the second\'s, and so on. Waits (up to `within`) for messages not received yet; takes nothing from the mailbox',
      },
      ...commonProperties,
      within: { ...POSITIVE_DURATION, description: 'how long to wait for messages not received yet (default --step-timeout)' },
      exact: { type: 'boolean', description: 'match the patterns exactly: no extra keys at any depth' },
    },
  },
  compile(raw, cc) {
    const client = cc.client(raw);
    const patterns: OrderPattern[] = (raw.order as unknown[]).map((pattern, i) => ({
      pattern,
      matcher: cc.messagePattern(pattern, ['order', i], raw.exact === true),
      span: cc.span(['order', i]),
    }));
    const withinMs = raw.within === undefined ? undefined : cc.durationMs(raw.within, ['within'], { positive: true });
    return {
      kind: 'order',
      readsEvents: true,
      span: cc.span(),
      title: (raw.name as string | undefined) ?? `${client} received ${(raw.order as unknown[]).map((p) => describePattern(p)).join(' before ')}`,
      client,
      execute: (ctx) => assertOrder(patterns, withinMs ?? ctx.stepTimeoutMs, ctx.actor(client), ctx),
    };
  },
};

export interface OrderPattern {
  pattern: unknown;
  matcher: DescribedMatcher;
  span: SourceSpan;
}

async function assertOrder(patterns: readonly OrderPattern[], limitMs: number, actor: Actor, ctx: StepContext): Promise<void> {
  const arrivals = (await ctx.janus(actor)).arrivals;
  for (const p of patterns) requireValues(p.matcher, ctx, actor);
  // The values the patterns name, as they are now: the check at the end of the steps must not
  // read a name a later step saved again.
  const rt = valuesAsNow(ctx.matchRuntime(actor));
  const matches = (i: number, msg: JanusMessage): boolean => {
    const out: Mismatch[] = [];
    patterns[i]!.matcher(msg, '', rt, out);
    return out.length === 0;
  };
  // Messages still to come may be waited for; once each pattern has one, the positions are final.
  await arrivals.until((received) => patterns.every((_, i) => received.some((m) => matches(i, m))), limitMs, ctx.signal);
  if (ctx.signal.aborted) throw new StepFailure('infrastructure', 'interrupted');
  const received = arrivals.messages;
  const verdict = checkOrder(patterns.length, received, matches);
  if (!verdict.ok) throw orderFailure(verdict, patterns, received, actor.name, limitMs);
  // A pattern that names one message so far may name a second one still on its way: how soon it
  // comes depends on the transport (an HTTP long-poll brings it later than a WebSocket). Each
  // pattern must name one message among all the steps saw, whatever the timing: asked again at
  // their end.
  ctx.afterSteps?.(() => {
    const atEnd = arrivals.messages;
    const again = checkOrder(patterns.length, atEnd, matches);
    if (!again.ok) throw orderFailure(again, patterns, atEnd, actor.name, limitMs, ' by the end of the steps (the step passed on the messages received until then)');
  });
}

/** A runtime that resolves each placeholder once, to its value at the first resolve. */
function valuesAsNow(rt: MatchRuntime): MatchRuntime {
  const resolved = new Map<Template, unknown>();
  return {
    ...rt,
    resolve(template) {
      if (resolved.has(template)) return resolved.get(template);
      const value = rt.resolve(template);
      resolved.set(template, value);
      return value;
    },
  };
}

/** Where the patterns' messages are among those received (positions from 1), or what is wrong. */
export type OrderVerdict =
  | { ok: true; positions: number[] }
  | { ok: false; problem: 'absent'; pattern: number }
  | { ok: false; problem: 'ambiguous'; pattern: number; positions: number[] }
  | { ok: false; problem: 'order'; earlier: number; later: number; positions: number[] };

/**
 * Checks that pattern 0's message was received before pattern 1's, and so on. Each pattern must
 * match exactly one message: a pattern matching none, or several (which one would count?), is a
 * failure, never a pass. Indexes of patterns are from 0, positions of messages from 1.
 */
export function checkOrder(count: number, received: readonly JanusMessage[], matches: (pattern: number, msg: JanusMessage) => boolean): OrderVerdict {
  const found: number[][] = [];
  for (let i = 0; i < count; i++) found.push(received.flatMap((msg, at) => (matches(i, msg) ? [at + 1] : [])));
  const absent = found.findIndex((at) => at.length === 0);
  if (absent >= 0) return { ok: false, problem: 'absent', pattern: absent };
  const ambiguous = found.findIndex((at) => at.length > 1);
  if (ambiguous >= 0) return { ok: false, problem: 'ambiguous', pattern: ambiguous, positions: found[ambiguous]! };
  const positions = found.map((at) => at[0]!);
  // Two patterns naming one message, wherever they are in the list: the order of the others
  // between them would be blamed instead (patterns 1 and 3 on #1, pattern 2 on #2: "3 before 2").
  for (let i = 1; i < count; i++) {
    const same = positions.indexOf(positions[i]!);
    if (same < i) return { ok: false, problem: 'order', earlier: same, later: i, positions };
  }
  for (let i = 1; i < count; i++) {
    if (positions[i]! <= positions[i - 1]!) return { ok: false, problem: 'order', earlier: i - 1, later: i, positions };
  }
  return { ok: true, positions };
}

function orderFailure(verdict: Exclude<OrderVerdict, { ok: true }>, patterns: readonly OrderPattern[], received: readonly JanusMessage[], client: string, limitMs: number, when = ''): StepFailure {
  const name = (i: number): string => `pattern ${i + 1} (line ${patterns[i]!.span.line})`;
  switch (verdict.problem) {
    case 'absent':
      return new StepFailure('assertion', `${client} received no message matching ${name(verdict.pattern)} within ${formatDuration(limitMs)} (${received.length} received in all)`, { expected: patterns[verdict.pattern]!.pattern });
    case 'ambiguous':
      return mismatchFailure(
        `${name(verdict.pattern)} matches ${verdict.positions.length} messages ${client} received (${verdict.positions.map((p) => `#${p}`).join(', ')})${when}: an order needs exactly one per pattern; make it specific (a transaction, a sender)`,
        { expected: patterns[verdict.pattern]!.pattern, actual: verdict.positions.map((p) => received[p - 1]) },
      );
    case 'order': {
      const { earlier, later, positions } = verdict;
      const [first, second] = [positions[earlier]!, positions[later]!];
      const summary = first === second
        ? `${name(earlier)} and ${name(later)} match the same message, #${first} of those ${client} received: each must name its own message`
        : `${client} received the message of ${name(later)} as #${second}, before the message of ${name(earlier)}, received as #${first}; expected ${name(earlier)} first`;
      return mismatchFailure(summary, {
        expected: [patterns[earlier]!.pattern, patterns[later]!.pattern],
        // As received: the one that came first first.
        actual: [...new Set([second, first])].map((p) => received[p - 1]),
      });
    }
  }
}
