import { formatDuration } from '../core/duration.js';
import { copyRecord, ownValue } from '../core/own.js';
import { ClosedConnection, RefusedRequest, describeUncorrelated, type Exchange, type JanusClient, type RequestOutcome } from '../janus/client.js';
import { describeJanusError } from '../protocol/errors.js';
import { ACK_ENDED_VERBS, ADMIN_VERB_LEVEL, VERB_LEVEL, idOf, requestObject, verbOf, withText, type JanusMessage, type Route } from '../protocol/messages.js';
import { requestEnding, type Ending } from '../match/admits.js';
import { isConstant, NO_LOOKUP, type DescribedMatcher, type Matcher, type MatchRuntime, type Mismatch, type Template } from '../match/contract.js';
import { silenceVerdict } from './liveness.js';
import { applySave, compileSave, saveWhatIsThere, type SaveSpec } from './save.js';
import { answeredRuntime, answeringModule, checkExpectKeys, compiledParts, errorRefusal, fixedReading, missingValues, namesValues, pluginError, pluginErrorRefusal, requireValues, unmatched, type PatternReading } from './common.js';
import { mismatchFailure, ownMistake, StepFailure, type Actor, type CompiledStep, type InFlight, type StepCompiler, type StepContext } from './contract.js';

export type Level = 'root' | 'session' | 'handle';

/** A compiled request of any kind: Janus API, Admin API, or a raw payload. */
export interface ExchangeSpec {
  api: 'janus' | 'admin';
  /** The request as a template; undefined for raw payloads. */
  request?: Template;
  raw?: Template;
  at?: Level;
  handle?: string;
  as?: string;
  /** `readsValues`: the pattern names a value (a placeholder), each checked to be there once the reply matched. */
  expect?: { matcher: DescribedMatcher; pattern: unknown; readsValues: boolean };
  /** An error reply fails the step before `expect` is looked at: there is none, or it names neither `janus` nor `error` (for the server's version and the values of its placeholders). */
  refusesErrors: PatternReading<boolean>;
  /**
   * A plugin's refusal (an `error_code` in its data) fails the step: the pattern names no place a
   * refusal is written (or there is none), for the server's version, and the step is no cleanup
   * step (those undo what the steps may not have done: "destroy the room if it is there").
   */
  refusesPluginErrors: PatternReading<boolean>;
  /** At the ack or the final reply: decided by `expect` when the scenario loads, or before the request is sent. */
  ending: Ending | ((rt: MatchRuntime) => Ending);
  save: SaveSpec;
  timeoutMs?: number;
}

/**
 * The level a step's request goes to when `at:` does not say, as far as the file tells: `of`
 * names the request for messages. Undefined when a placeholder hides the verb.
 */
export interface DefaultLevel {
  level: Level;
  of: string;
}

export function compileExchangeOptions(raw: Record<string, unknown>, cc: StepCompiler, client: string, sentAt: DefaultLevel | undefined): Omit<ExchangeSpec, 'api' | 'request' | 'raw'> {
  const exact = raw.exact === true;
  const handle = raw.handle as string | undefined;
  if (handle !== undefined) checkHandle(raw, handle, cc, client, sentAt);
  if (typeof raw.as === 'string') cc.declareHandle(client, raw.as);
  checkExpectKeys(raw, cc, 'any reply but an error');
  const pattern = raw.expect;
  // The parts of `expect` as compiled: where the step ends, and whether it refuses an error
  // reply, are read off the matchers that match its reply.
  const parts = compiledParts();
  const matcher = pattern === undefined ? undefined : cc.messagePattern(pattern, ['expect'], exact, parts.watch);
  return {
    at: raw.at as Level | undefined,
    handle,
    as: raw.as as string | undefined,
    expect: matcher && { matcher, pattern, readsValues: namesValues(pattern) },
    refusesErrors: errorRefusal(pattern, [], ['expect'], parts.at),
    refusesPluginErrors: cc.cleanup ? fixedReading(false) : pluginErrorRefusal(pattern, [], ['expect'], parts.at),
    ending: requestEnding(pattern, ['expect'], parts.at),
    save: compileSave(raw, cc),
    timeoutMs: raw.timeout === undefined ? undefined : cc.durationMs(raw.timeout, ['timeout'], { positive: true }),
  };
}

/** `handle:` is read only for a request sent at handle level: anywhere else it would be silently ignored. */
function checkHandle(raw: Record<string, unknown>, handle: string, cc: StepCompiler, client: string, sentAt: DefaultLevel | undefined): void {
  const at = LEVELS.find((l) => l === raw.at);
  const level = at ?? sentAt?.level;
  if (level !== undefined && level !== 'handle') {
    const why = at ? `\`at: ${at}\` sends the request at ${at} level` : `${sentAt!.of} is sent at ${level} level`;
    cc.error(['handle'], `\`handle: ${handle}\` would be ignored: ${why}, which addresses no handle; give \`at: handle\` to send it to that handle, or leave \`handle\` out`);
  } else if (!cc.knowsHandle(client, handle)) {
    cc.error(['handle'], `no handle named "${handle}" for client ${client}: name one with \`as: ${handle}\` on an attach step first`);
  }
}

const LEVELS: readonly Level[] = ['root', 'session', 'handle'];

/**
 * The verb of a request as written in the file, lower-cased as the runner reads it; undefined
 * when a placeholder stands for it (known at run time only) or the request names none.
 */
export function writtenVerb(request: unknown): string | undefined {
  const verb = typeof request === 'string' ? request : ownValue(request, 'janus');
  return typeof verb === 'string' && !verb.includes('${') ? verb.toLowerCase() : undefined;
}

/** Where a written verb goes without `at:`: its level in `levels`, else the root, as janusRequest sends it. */
export function verbLevel(verb: string | undefined, levels: Record<string, Level>, what: string): DefaultLevel | undefined {
  return verb === undefined ? undefined : { level: (ownValue(levels, verb) as Level | undefined) ?? 'root', of: `${what} ${verb}` };
}

/** The secrets a request of each API carries unless it says otherwise. */
const JANUS_SECRETS = ['apisecret', 'token'] as const;
const ADMIN_SECRETS = ['admin_secret'] as const;

const AUTO_FILLED = ['session_id', 'handle_id', 'transaction', 'apisecret', 'token', 'admin_secret'];

/** Runs one request: fills in what the scenario left out, sends, waits, binds ids, matches, saves. */
export async function runExchange(spec: ExchangeSpec, actor: Actor, ctx: StepContext, step: CompiledStep): Promise<void> {
  const early = ctx.next?.take(step) as Early | undefined;
  if (early && 'failure' in early) throw early.failure;
  const { sent, client } = early ?? (await sendNow(spec, actor, ctx, step));
  const outcome = await sent.outcome;
  // Judged the moment it came (see judgeAtOnce): what it found stands.
  if (sent.judged) {
    if ('failure' in sent.judged) throw sent.judged.failure;
    return;
  }
  const slow = outcomeVerdict(spec, actor, ctx, step, client, sent, outcome);
  if (slow) await slow;
}

/** A request on the wire and its client, or what putting it there threw. */
type Early = { sent: Sent; client: JanusClient } | { failure: unknown };

async function sendNow(spec: ExchangeSpec, actor: Actor, ctx: StepContext, step: CompiledStep): Promise<{ sent: Sent; client: JanusClient }> {
  // Made before waiting for a connection still opening (the run opens the first one ahead):
  // the request is ready while the handshake goes on. Or made ahead, while the step before waited.
  const ahead = ctx.takeAhead?.(step) as RequestBody | undefined;
  const prepared = ahead ? addressed(ahead, spec, actor) : prepare(spec, actor, ctx);
  // A connected client is used as is: one wait less between a reply and the next request.
  const client = spec.api === 'janus' ? ctx.connected(actor) ?? await ctx.janus(actor) : await ctx.admin();
  return onTheWire(prepared, spec, actor, ctx, client, step);
}

/** Puts a step's request on the wire (see dispatch); the next step then makes ahead what it can. */
function onTheWire(prepared: Prepared, spec: ExchangeSpec, actor: Actor, ctx: StepContext, client: JanusClient, step: CompiledStep): { sent: Sent; client: JanusClient } {
  const sent = dispatch(prepared, spec, actor, ctx, client, step);
  ctx.onTheWire?.(step);
  return { sent, client };
}

/**
 * The step's request sent the moment the step before passed (CompiledStep.sendEarly): from what
 * it made ahead, over a client already connected; undefined when either is missing (the step
 * then sends when it runs). What routing throws is the step's failure when it runs.
 */
export function sendEarly(spec: ExchangeSpec, clientName: string, step: CompiledStep): CompiledStep['sendEarly'] {
  if (spec.api !== 'janus') return undefined;
  return (ctx): Early | undefined => {
    const actor = ctx.actor(clientName);
    const client = ctx.connected(actor);
    const ahead = client && (ctx.takeAhead?.(step) as RequestBody | undefined);
    if (!client || !ahead) return undefined;
    try {
      return onTheWire(addressed(ahead, spec, actor), spec, actor, ctx, client, step);
    } catch (failure) {
      return { failure };
    }
  };
}

/**
 * Fills in what the scenario left out and puts the request on the wire; the reply is looked at
 * only by `finish`, so several requests can be sent before any reply is awaited.
 */
export async function sendExchange(spec: ExchangeSpec, actor: Actor, ctx: StepContext, step: CompiledStep): Promise<InFlight> {
  const prepared = prepare(spec, actor, ctx);
  const client = spec.api === 'admin' ? await ctx.admin() : await ctx.janus(actor);
  const sent = dispatch(prepared, spec, actor, ctx, client);
  return {
    finish: async () => {
      const slow = outcomeVerdict(spec, actor, ctx, step, client, sent, await sent.outcome);
      if (slow) await slow;
    },
  };
}

/** A request on its way: what was sent, and the outcome to come. */
interface Sent {
  route: Route;
  verb?: string;
  transaction?: string;
  until: 'ack' | 'final';
  /** What `expect` made of where the step ends. */
  ending: Ending;
  timeoutMs: number;
  outcome: Promise<RequestOutcome>;
  /** The module whose answer the reply's `response` is (an Admin API message_plugin's plugin). */
  answeredBy?: string;
  /** The verdict on the reply, when it was judged the moment it came (see judgeAtOnce): passed, or what it threw. */
  judged?: { passed: true } | { failure: unknown };
}

/** The request with what the scenario left out filled in, and where it goes. */
function prepare(spec: ExchangeSpec, actor: Actor, ctx: StepContext): Prepared {
  return spec.raw ? rawRequest(spec, actor, ctx) : janusRequest(spec, actor, ctx);
}

/** Puts the request on the wire; with `step` (a step the scenario runs in order), its reply may be judged the moment it comes (see judgeAtOnce). */
function dispatch({ payload, route, verb, transaction, answeredBy }: Prepared, spec: ExchangeSpec, actor: Actor, ctx: StepContext, client: JanusClient, step?: CompiledStep): Sent {
  // With the values the request was resolved with: a placeholder in `expect` has its value by now.
  const ending = typeof spec.ending === 'function' ? spec.ending(ctx.matchRuntime(actor)) : spec.ending;
  const until = ending.untilAck || ACK_ENDED_VERBS.has(verb ?? '') ? 'ack' : 'final';
  const timeoutMs = spec.timeoutMs ?? ctx.stepTimeoutMs;
  const sent: Sent = { route, verb, transaction, until, ending, timeoutMs, answeredBy, outcome: NOT_SENT };
  const atOnce = step && ctx.next ? (outcome: RequestOutcome) => judgeAtOnce(spec, actor, ctx, step, client, sent, outcome) : undefined;
  sent.outcome = client.request(payload, route, until, timeoutMs, ctx.signal, atOnce);
  return sent;
}

/** The outcome of a request not sent yet: never read (a reply that comes within the send is not judged at once). */
const NOT_SENT: Promise<RequestOutcome> = new Promise(() => undefined);

/**
 * A reply judged the moment it comes, when the run can send the next step then (NextStep.ready):
 * the step's verdict (ids bound, reply matched, values saved) is what it would be a few
 * microtasks later: nothing it reads changes in between (messages of the same read go to the
 * mailbox); the step hands it over when it resumes. A reply that came within the send (its
 * outcome not yet the step's) is left to the step.
 */
function judgeAtOnce(spec: ExchangeSpec, actor: Actor, ctx: StepContext, step: CompiledStep, client: JanusClient, sent: Sent, outcome: RequestOutcome): void {
  if (!('exchange' in outcome) || sent.outcome === NOT_SENT || !ctx.next!.ready(step)) return;
  try {
    outcomeVerdict(spec, actor, ctx, step, client, sent, outcome);
  } catch (failure) {
    sent.judged = { failure };
    return;
  }
  sent.judged = PASSED;
  ctx.next!.go(step);
}

const PASSED = { passed: true } as const;

/**
 * What the outcome says of the step: throws its failure, or returns nothing when it passed. A
 * request without a reply (a fault, silence) needs a look at the server first: then a promise.
 */
function outcomeVerdict(spec: ExchangeSpec, actor: Actor, ctx: StepContext, step: CompiledStep, client: JanusClient, sent: Sent, outcome: RequestOutcome): Promise<void> | undefined {
  if (!('exchange' in outcome)) return noReply(outcome, spec, sent, actor, client, ctx);
  const reply = outcome.exchange.reply;
  ctx.noteReply(reply, sent.transaction);
  if (spec.api === 'janus') bindIds(sent.verb, reply, sent.route, actor, spec.as);
  checkReply(spec, outcome.exchange, sent, actor, ctx, step);
  return undefined;
}

interface Prepared {
  payload: JanusMessage | string;
  route: Route;
  verb?: string;
  transaction?: string;
  answeredBy?: string;
}

function rawRequest(spec: ExchangeSpec, actor: Actor, ctx: StepContext): Prepared {
  const payload = String(ctx.resolve(spec.raw!, actor));
  const route = routeFor(spec.at ?? 'root', actor, spec.handle);
  // Raw text that parses has a verb and a transaction like any request (for ${transaction}, acks, messages).
  const parsed = requestObject(payload);
  return { payload, route, verb: parsed && verbOf(parsed), transaction: typeof parsed?.transaction === 'string' ? parsed.transaction : undefined, answeredBy: spec.api === 'admin' ? answeringModule(parsed) : undefined };
}

function janusRequest(spec: ExchangeSpec, actor: Actor, ctx: StepContext): Prepared {
  return addressed(requestBody(spec, actor, ctx), spec, actor);
}

/** A Janus or Admin API request as it is sent, but for where it goes (the client's ids, known only when it goes). */
interface RequestBody {
  message: JanusMessage;
  verb?: string;
  level: Level;
}

/** The request with the transaction, the secrets and the explicit nulls of the scenario applied. */
function requestBody(spec: ExchangeSpec, actor: Actor, ctx: StepContext): RequestBody {
  const defaultTransaction = ctx.nextTransaction();
  const resolved = ctx.resolve(spec.request!, actor, defaultTransaction);
  const message: JanusMessage = typeof resolved === 'string' ? { janus: resolved } : copyRecord(resolved as JanusMessage);
  const verb = verbOf(message);
  if (!Object.hasOwn(message, 'transaction')) message.transaction = defaultTransaction;
  for (const key of spec.api === 'admin' ? ADMIN_SECRETS : JANUS_SECRETS) {
    const value = ctx.secrets[key];
    if (value !== undefined && !Object.hasOwn(message, key)) message[key] = value;
  }
  const levels: Record<string, Level> = spec.api === 'admin' ? ADMIN_VERB_LEVEL : VERB_LEVEL;
  const level = spec.at ?? ((ownValue(levels, verb ?? '') as Level | undefined) ?? 'root');
  return { message, verb, level };
}

/** Where the request goes, from the ids the client has now; an explicit null then leaves its key out. */
function addressed({ message, verb, level }: RequestBody, spec: ExchangeSpec, actor: Actor): Prepared {
  const route = routeFor(level, actor, spec.handle, message, spec.at !== undefined);
  // An explicit null means "leave it out", so missing-field cases are writable.
  for (const key of AUTO_FILLED) if (message[key] === null) delete message[key];
  return { payload: message, route, verb, transaction: typeof message.transaction === 'string' ? message.transaction : undefined, answeredBy: spec.api === 'admin' ? answeringModule(message) : undefined };
}

/**
 * How a step makes its request ahead (see CompiledStep.ahead), when nothing in it depends on what
 * the steps before receive: written out with no placeholder and no explicit null (which routing
 * reads); undefined for any other. What it makes: the request with its transaction drawn then
 * (the next in the run's order all the same) and its text.
 */
export function requestAhead(spec: ExchangeSpec, client: string): CompiledStep['ahead'] {
  if (!spec.request || !isConstant(spec.request) || hasNull(spec.request)) return undefined;
  return (ctx) => {
    const body = requestBody(spec, ctx.actor(client), ctx);
    withText(body.message);
    return body;
  };
}

/** Whether a written request leaves out one of the keys filled in (an explicit null). */
function hasNull(request: Template): boolean {
  const value = request(NO_LOOKUP);
  return typeof value === 'object' && value !== null && AUTO_FILLED.some((key) => (value as Record<string, unknown>)[key] === null);
}

/** Why a request ended without a reply: a fault, the time limit, an ack alone, an uncorrelated reply, a silent server. */
async function noReply(outcome: Exclude<RequestOutcome, { exchange: unknown }>, spec: ExchangeSpec, sent: Sent, actor: Actor, client: JanusClient, ctx: StepContext): Promise<void> {
  const { verb, transaction, until, timeoutMs } = sent;
  // A request on a connection the scenario closed (or saw the server close), or under a transaction
  // still in use, is the scenario's mistake, not a lost server.
  if ('fault' in outcome && outcome.fault instanceof RefusedRequest) {
    // A connection the server closed is the server's doing: a bug may show so.
    const ownMistake = !(outcome.fault instanceof ClosedConnection && outcome.fault.close.by === 'server');
    throw new StepFailure('assertion', `client ${actor.name}: ${outcome.fault.message}`, { ownMistake });
  }
  if ('fault' in outcome) throw new StepFailure('infrastructure', outcome.fault.message);
  if (ctx.signal.aborted) throw new StepFailure('infrastructure', 'interrupted');
  if (outcome.ack) {
    const why = waitedPastAck(spec, outcome.ack, sent, actor, ctx);
    throw new StepFailure('assertion', `got an ack for ${verb ?? 'the request'} (transaction ${transaction}) but no ${until === 'ack' ? 'reply' : 'final reply or event'} within ${formatDuration(timeoutMs)}${why}`, { actual: outcome.ack, slow: true });
  }
  const silence = `no reply to ${verb ?? 'the request'}${transaction ? ` (transaction ${transaction})` : ''} within ${formatDuration(timeoutMs)}`;
  if (outcome.uncorrelated) throw new StepFailure('infrastructure', `${silence}; ${describeUncorrelated(outcome.uncorrelated)}, shown as actual`, { actual: outcome.uncorrelated });
  throw await silenceVerdict(client, ctx, silence);
}

/**
 * Matches the reply against `expect`, then saves. An error reply fails first unless the pattern
 * names `janus` or `error`: without a pattern, or with one that leaves them out, any reply but an
 * error passes. A failed reply still saves what it has, so a run that goes on after mismatches can.
 */
function checkReply(spec: ExchangeSpec, exchange: Exchange, sent: Sent, actor: Actor, ctx: StepContext, step: CompiledStep): void {
  const reply = exchange.reply;
  // An Admin API reply's `response` is from the module the request named: a plugin's error name there is that plugin's.
  const rt = answeredRuntime(ctx.matchRuntime(actor), sent.answeredBy);
  refuseErrors(spec, reply, rt, ctx, step, sent.answeredBy);
  if (spec.expect) {
    const mismatches = matchWith(spec.expect.matcher, reply, rt);
    if (mismatches.length > 0) {
      saveWhatIsThere(spec.save, reply, ctx);
      const why = exchange.ack ? waitedPastAck(spec, exchange.ack, sent, actor, ctx) : '';
      const missing = spec.expect.readsValues ? missingValues(spec.expect.matcher, ctx, actor) : undefined;
      throw unmatched(`the reply to ${step.title} did not match${why}`, { expected: spec.expect.pattern, actual: reply, mismatches }, missing);
    }
    // A match may pass without reading a value the pattern names ($not, a $oneOf branch not tried): it must be there all the same.
    if (spec.expect.readsValues) requireValues(spec.expect.matcher, ctx, actor);
    // It may also pass by a `$oneOf` alternative that says nothing of errors: that lets none
    // through (readings that do not depend on the reply said their word above).
    if (!spec.refusesErrors.fixed || !spec.refusesPluginErrors.fixed) refuseErrors(spec, reply, rt, ctx, step, sent.answeredBy, true);
  }
  applySave(spec.save, reply, ctx);
}

function matchWith(matcher: Matcher, actual: unknown, rt: MatchRuntime): Mismatch[] {
  const out: Mismatch[] = [];
  matcher(actual, '', rt, out);
  return out;
}

/**
 * Fails the step on an error reply or a plugin's refusal that its pattern leaves out: whatever
 * the reply (before matching, so the failure names the error), or, once it `matched`, as the
 * `$oneOf` alternatives that matched it say.
 */
function refuseErrors(spec: ExchangeSpec, reply: JanusMessage, rt: MatchRuntime, ctx: StepContext, step: CompiledStep, answeredBy: string | undefined, matched = false): void {
  const seen = matched ? reply : undefined;
  if (reply.janus === 'error' && spec.refusesErrors(rt, seen)) {
    saveWhatIsThere(spec.save, reply, ctx);
    throw mismatchFailure(`${step.title} got an error reply: ${describeJanusError(reply) ?? '(no error code)'}`, { expected: spec.expect?.pattern, actual: reply });
  }
  // A plugin's refusal fails too, unless the pattern names where it is written: it is an error reply, in the plugin's words.
  const refusal = spec.refusesPluginErrors(rt, seen) ? pluginError(reply, answeredBy) : undefined;
  if (refusal) {
    saveWhatIsThere(spec.save, reply, ctx);
    throw mismatchFailure(`${step.title} got a plugin error: ${refusal}`, { actual: reply });
  }
}

/**
 * Why a step whose ack matched `expect` waited for a final reply (that did not match, or did not
 * come), for its failure to say; empty when the ack did not match or the step did not wait.
 */
function waitedPastAck(spec: ExchangeSpec, ack: JanusMessage, sent: Sent, actor: Actor, ctx: StepContext): string {
  const why = sent.ending.why;
  if (sent.until === 'ack' || why === undefined || !spec.expect) return '';
  if (ctx.match(spec.expect.matcher, ack, actor).length > 0) return '';
  return ` (its ack matched, but the step waited past it for the final reply: ${why})`;
}

/**
 * Where a request goes. Ids written in the request address it too (over HTTP they move into the
 * path), except above an `at:` level the step gives: `at: root` with a `session_id` posts to the
 * root path with the id in the body only, as janus.js does for a `claim` after reconnecting.
 */
function routeFor(level: Level, actor: Actor, handleName?: string, message?: JanusMessage, levelGiven = false): Route {
  const route: Route = {};
  if (explicitId(message, 'session_id', level, 'session', levelGiven)) route.sessionId = idOf(message!.session_id);
  else if (level !== 'root') route.sessionId = need(actor.sessionId, `client ${actor.name} has no session yet: a create step must succeed first`);
  if (explicitId(message, 'handle_id', level, 'handle', levelGiven)) route.handleId = idOf(message!.handle_id);
  else if (level === 'handle') {
    const handle = handleName !== undefined ? actor.handles.get(handleName) : actor.handleId;
    route.handleId = need(handle, `client ${actor.name} has no ${handleName ? `handle "${handleName}"` : 'handle'} yet: an attach step must succeed first`);
  }
  return route;
}

/** Whether the request's own id (`key`, of level `lowest`) addresses it; a function, not a closure made per request. */
function explicitId(message: JanusMessage | undefined, key: string, level: Level, lowest: Level, levelGiven: boolean): boolean {
  return message !== undefined && Object.hasOwn(message, key) && (!levelGiven || message[key] === null || LEVEL_DEPTH[level] >= LEVEL_DEPTH[lowest]);
}

const LEVEL_DEPTH: Record<Level, number> = { root: 0, session: 1, handle: 2 };

/** A session or handle the client has not: the scenario's doing, nothing the server said. */
function need<T>(value: T | undefined, message: string): T {
  if (value === undefined) throw ownMistake(message);
  return value;
}

/** create and attach bind the ids later steps use; destroy and detach unbind them. */
function bindIds(verb: string | undefined, reply: JanusMessage, route: Route, actor: Actor, as?: string): void {
  if (reply.janus !== 'success') return;
  const id = idOf((reply.data as { id?: unknown } | undefined)?.id);
  if (verb === 'create' && id !== undefined) {
    actor.sessionId = id;
    actor.handleId = undefined;
    actor.handles.clear();
  } else if (verb === 'attach' && id !== undefined) {
    actor.handleId = id;
    if (as) actor.handles.set(as, id);
  } else if (verb === 'destroy' && route.sessionId === actor.sessionId) {
    actor.sessionId = undefined;
    actor.handleId = undefined;
    actor.handles.clear();
  } else if (verb === 'detach' && actor.handleId === route.handleId) {
    // Named handles keep their name after detach, so `wait: {janus: detached}, handle: name` works.
    actor.handleId = undefined;
  }
}
