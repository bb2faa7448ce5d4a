import { formatDuration } from '../core/duration.js';
import { isRecord, ownValue } from '../core/own.js';
import { describeClose } from '../janus/client.js';
import type { JanusMessage } from '../protocol/messages.js';
import type { Mismatch } from '../match/contract.js';
import { commonProperties, compiledParts, fixedReading, messagePattern, NAME, pluginError, pluginErrorRefusal, POSITIVE_DURATION, requireValues, saveProperty } from './common.js';
import { mismatchFailure, ownMistake, StepFailure, type Actor, type StepCompiler, type StepContext, type StepKind } from './contract.js';
import { applySave, compileSave, saveWhatIsThere } from './save.js';

/** Which messages an event step looks at: the acting client's, optionally one handle's (by sender). */
export function compileEventFilter(raw: Record<string, unknown>, cc: StepCompiler, client: string) {
  const handle = raw.handle as string | undefined;
  if (handle !== undefined && !cc.knowsHandle(client, handle)) {
    cc.error(['handle'], `no handle named "${handle}" for client ${client}: name one with \`as: ${handle}\` on an attach step first`);
  }
  // A session's `timeout` names no handle: filtered by one, a no_event would pass having seen none, a wait could only time out.
  const pattern = raw.wait ?? raw.no_event;
  if (handle !== undefined && isRecord(pattern) && ownValue(pattern, 'janus') === 'timeout') {
    cc.error(['handle'], `\`handle: ${handle}\` keeps only messages from that handle, and a \`timeout\` event comes from the session, with no sender: no message could pass; leave \`handle\` out`);
  }
  return (actor: Actor): ((msg: JanusMessage) => boolean) => {
    if (handle === undefined) return () => true;
    const sender = actor.handles.get(handle);
    // Without this, an unbound name would select every message that has no sender.
    if (sender === undefined) throw ownMistake(`client ${actor.name} has no handle named "${handle}"`);
    return (msg) => msg.sender === sender;
  };
}

/** The handle a step's `handle:` names for this client, if any (known once compiled: see compileEventFilter). */
export function handleIdOf(raw: Record<string, unknown>, actor: Actor): number | undefined {
  return raw.handle === undefined ? undefined : actor.handles.get(raw.handle as string);
}

/** `wait:` takes the first message from the client's mailbox that matches, waiting up to `within`. */
export const waitStep: StepKind = {
  key: 'wait',
  summary: 'wait for an asynchronous message (event, webrtcup, hangup, detached, timeout, ...) matching a pattern',
  schema: {
    type: 'object',
    required: ['wait'],
    additionalProperties: false,
    properties: {
      wait: messagePattern('pattern of the awaited message, a mapping like { janus: event }; messages that arrived earlier are kept and count'),
      ...commonProperties,
      handle: { ...NAME, description: 'only messages from this handle (sender)' },
      within: { ...POSITIVE_DURATION, description: 'time limit (default --step-timeout)' },
      exact: { type: 'boolean', description: 'match the pattern exactly: no extra keys at any depth' },
      ...saveProperty,
    },
  },
  compile(raw, cc) {
    const client = cc.client(raw);
    const parts = compiledParts();
    const matcher = cc.messagePattern(raw.wait, ['wait'], raw.exact === true, parts.watch);
    // A plugin's refusal taken by a pattern that names no place one is written fails, as a request's reply does.
    const refusesPluginErrors = cc.cleanup ? fixedReading(false) : pluginErrorRefusal(raw.wait, [], ['wait'], parts.at);
    const filter = compileEventFilter(raw, cc, client);
    const withinMs = raw.within === undefined ? undefined : cc.durationMs(raw.within, ['within'], { positive: true });
    const save = compileSave(raw, cc);
    return {
      kind: 'wait',
      readsEvents: true,
      span: cc.span(),
      title: (raw.name as string | undefined) ?? `${client} waits for ${describePattern(raw.wait)}`,
      client,
      async execute(ctx: StepContext) {
        const actor = ctx.actor(client);
        const janus = await ctx.janus(actor);
        const from = filter(actor);
        requireValues(matcher, ctx, actor);
        const accepts = (msg: JanusMessage): boolean => from(msg) && ctx.match(matcher, msg, actor).length === 0;
        const limit = withinMs ?? ctx.stepTimeoutMs;
        const msg = await janus.mailbox.take(accepts, limit, ctx.signal);
        if (!msg) {
          if (janus.fault) throw new StepFailure('infrastructure', janus.fault.message);
          const closest = closestMessage(janus.mailbox.leftovers().filter(from), (m) => ctx.match(matcher, m, actor));
          // Why nothing came, when it could not: a closed connection receives nothing.
          const closed = janus.closed ? `; client ${client}'s connection is ${describeClose(janus.closed)}, so nothing could arrive` : '';
          const taken = closest ? '' : takenBefore(janus.arrivals.messages, janus.mailbox.leftovers(), accepts);
          // Sessions kept through a close and not claimed (a cut HTTP poll is said by pollsCut).
          const cut = janus.cutPolls;
          const unclaimed = janus.unreachableSessions(handleIdOf(raw, actor)).filter((u) => !cut.has(u.sessionId));
          const deaf = unclaimed.map((u) => `; no event of session ${u.sessionId} could reach client ${client}: ${u.why}`).join('');
          const summary = `no message matching the pattern arrived within ${formatDuration(limit)}${closest ? '; the closest one is shown' : taken || nothingFrom(raw.handle as string | undefined, janus.mailbox.leftovers().length)}${closed}${deaf}${sessionsGone(janus.goneSessions)}${pollsCut(cut)}`;
          const details = { expected: raw.wait, actual: closest?.message, mismatches: closest?.mismatches };
          // None came to a connection the scenario closed, where nothing could: its doing, not the
          // server's silence (closed by the server, a bug may show so).
          if (!closest || !sameType(closest.mismatches)) throw new StepFailure('assertion', summary, { ...details, ownMistake: janus.closed?.by === 'client' || unclaimed.length > 0 });
          // A message of the awaited type came with other contents: it is the one this step waited
          // for, taken and bound as far as it goes, so a run that goes on after mismatches can.
          await janus.mailbox.take((m) => m === closest.message, 0);
          saveWhatIsThere(save, closest.message, ctx);
          throw mismatchFailure(summary, details);
        }
        // The message's own look first: the runtime is made only for a refusal.
        const refusal = pluginError(msg);
        if (refusal && refusesPluginErrors(ctx.matchRuntime(actor), msg)) {
          saveWhatIsThere(save, msg, ctx);
          throw mismatchFailure(`the message waited for is a plugin error: ${refusal}`, { expected: raw.wait, actual: msg });
        }
        applySave(save, msg, ctx);
      },
    };
  },
};

/** Sessions whose HTTP long-poll found them gone: their events cannot come. */
function sessionsGone(gone: ReadonlySet<number>): string {
  if (gone.size === 0) return '';
  const ids = [...gone].join(', ');
  return gone.size === 1
    ? `; the server no longer knows session ${ids} (its long-poll got HTTP 404), so none of its events can arrive`
    : `; the server no longer knows sessions ${ids} (their long-polls got HTTP 404), so none of their events can arrive`;
}

/**
 * Sessions whose long-poll a close cut off (HTTP): Janus holds the cut poll and gives it the
 * events that come meanwhile, which are lost. Said, so the failure is read as what Janus did
 * over HTTP, not as events the server never sent.
 */
function pollsCut(cut: ReadonlySet<number>): string {
  if (cut.size === 0) return '';
  const ids = [...cut].join(', ');
  return `; over HTTP, a close cut the long-poll of session${cut.size === 1 ? '' : 's'} ${ids}: Janus holds a cut poll up to 30 s (1.1.2) and gives it the session's events, which are lost with the closed connection; events after that reach a reopened client without a claim`;
}

/**
 * A message the wait would have taken, which came before it and a step took: the usual slip is
 * a request whose `expect` waited for its event, then a `wait` for that same event. Said, so
 * the failure is not read as an event the server never sent.
 */
function takenBefore(received: readonly JanusMessage[], left: readonly JanusMessage[], accepts: (msg: JanusMessage) => boolean): string {
  const message = received.find((m) => !left.includes(m) && accepts(m));
  if (!message) return '';
  const transaction = typeof message.transaction === 'string' ? ` (transaction ${message.transaction})` : '';
  return `; one that matches, ${JSON.stringify(message.janus)}${transaction}, came earlier and a step before this one took it: each message is taken once, and a request takes its reply (and its event, when its expect waits past the ack)`;
}

/** Why no message is shown: none came, or (with `handle:`) only other handles' did. */
function nothingFrom(handle: string | undefined, inMailbox: number): string {
  if (handle === undefined || inMailbox === 0) return ' (none arrived)';
  return ` (none from handle ${handle}; ${inMailbox} message${inMailbox === 1 ? '' : 's'} of other handles or of none ${inMailbox === 1 ? 'is' : 'are'} in the mailbox)`;
}

export function describePattern(pattern: unknown, otherwise = 'a message'): string {
  const janus = (pattern as { janus?: unknown } | null)?.janus;
  return typeof janus === 'string' ? janus : otherwise;
}

/** Whether a message's mismatches leave its type (`janus`) alone: an event that says something else, not another kind of message. */
function sameType(mismatches: readonly Mismatch[]): boolean {
  return !mismatches.some((m) => m.at === 'janus' || m.at === '');
}

function closestMessage(candidates: readonly JanusMessage[], match: (m: JanusMessage) => Mismatch[]) {
  let best: { message: JanusMessage; mismatches: Mismatch[] } | undefined;
  for (const message of candidates) {
    const mismatches = match(message);
    if (!best || mismatches.length < best.mismatches.length) best = { message, mismatches };
  }
  return best;
}
