import { NoVersionCase, type DescribedMatcher, type MatchRuntime, type Mismatch, type PatternWatcher } from '../match/contract.js';
import type { DocPath } from '../core/source.js';
import { mismatchFailure, ownMistake, StepFailure, type Actor, type StepCompiler, type StepContext } from './contract.js';
import { isRecord, ownValue } from '../core/own.js';
import { DURATION_PATTERN, MAX_DURATION_MS } from '../core/duration.js';
import { caseForVersion, isVersion, parseVersionRange } from '../core/version-range.js';
import { errorNameOf } from '../schemas/error-names.js';
import type { JanusMessage } from '../protocol/messages.js';
import { CORE_ERROR_CODE_NAMES, JANUS_MESSAGE_TYPES, PLUGIN_ERROR_CODE_NAMES } from '../schemas/modules.js';

/** Schema pieces shared by several step kinds. */
export const NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_-]*$';
export const NAME = { type: 'string', pattern: NAME_PATTERN } as const;
/** `data.id`, `plugindata.data.list[0].room`: a path into a message, for `save`. */
export const SAVE_PATH_PATTERN = '^[A-Za-z0-9_$-]+(\\[[0-9]+\\])*(\\.[A-Za-z0-9_$-]+(\\[[0-9]+\\])*)*$';
export const DURATION = {
  description: 'milliseconds, or a number with a unit: 250ms, 2s, 1m (at most 2147483647 ms)',
  anyOf: [
    { type: 'integer', minimum: 0, maximum: MAX_DURATION_MS },
    { type: 'string', pattern: DURATION_PATTERN },
  ],
} as const;
/** A duration where zero makes no sense: a time limit, a period. */
export const POSITIVE_DURATION = {
  description: 'milliseconds, or a number with a unit: 250ms, 2s, 1m (at least 1ms, at most 2147483647 ms)',
  anyOf: [
    { type: 'integer', minimum: 1, maximum: MAX_DURATION_MS },
    { type: 'string', pattern: DURATION_PATTERN },
  ],
} as const;

export const commonProperties = {
  name: { type: 'string', description: 'a title for the step in reports' },
  client: { ...NAME, description: 'which client acts (default: the first in `clients`)' },
} as const;

export const saveProperty = {
  save: {
    type: 'object',
    description: 'name: path into the message (data.id, plugindata.data.list[0].room); later steps use ${name}',
    propertyNames: { pattern: NAME_PATTERN },
    additionalProperties: { type: 'string', pattern: SAVE_PATH_PATTERN },
  },
} as const;

/** Any value: the schema only describes what a pattern may hold, for completion; the pattern compiler checks it. */
const ANY_TYPE = ['object', 'array', 'string', 'number', 'boolean', 'null'];

/**
 * A message pattern: a mapping, whose well-known fields complete in an editor (message types,
 * error names for `error.code` and a plugin's `error_code`). Any value is still allowed in them:
 * markers, operators, placeholders, numbers.
 */
export function messagePattern(description: string) {
  return {
    type: 'object',
    description,
    properties: {
      janus: { description: 'the message type', anyOf: [{ enum: JANUS_MESSAGE_TYPES }, {}] },
      error: {
        type: ANY_TYPE,
        description: 'a core error: { code, reason }',
        properties: { code: { description: 'the error code, or its name as in apierror.h (SESSION_NOT_FOUND)', anyOf: [{ enum: CORE_ERROR_CODE_NAMES }, {}] } },
      },
      plugindata: {
        type: ANY_TYPE,
        description: 'what the plugin answered: { plugin, data }',
        properties: {
          data: {
            type: ANY_TYPE,
            description: 'the plugin\'s own reply',
            properties: { error_code: { description: 'the plugin\'s error code, or its name (VIDEOROOM_NO_SUCH_ROOM)', anyOf: [{ enum: PLUGIN_ERROR_CODE_NAMES }, {}] } },
          },
        },
      },
    },
  } as const;
}

export const expectProperties = {
  expect: messagePattern('pattern the reply must match, a mapping like { janus: success } (see Matching); without it, any reply but an error passes'),
  exact: { type: 'boolean', description: 'match the pattern exactly: no extra keys at any depth' },
} as const;

export const targetProperties = {
  handle: { ...NAME, description: 'which handle of the client (named with `as:`); default: the last attached' },
  at: { enum: ['root', 'session', 'handle'], description: 'the level the request is sent at, when not the verb\'s own' },
} as const;

/** The keys every request-like step (request, admin, raw) has besides its own. */
export const exchangeProperties = {
  ...commonProperties,
  ...targetProperties,
  ...expectProperties,
  ...saveProperty,
  timeout: { ...POSITIVE_DURATION, description: 'how long to wait for the reply (default --step-timeout)' },
} as const;

/**
 * What a step knows in the run of its pattern and its reply: the value a placeholder standing
 * for a whole sub-pattern (`"${saved}"`, `{ $exact: "${r}" }`) has, by the pattern path it is
 * written at (undefined when not known); whether the part at a path matches a value; the reply.
 */
export interface RunView {
  valueAt(at: DocPath): unknown;
  matches(at: DocPath, value: unknown): boolean;
  reply: unknown;
}

/** Where leavesOut is in the pattern as written and in the reply, with what the run knows. */
interface Reading {
  version?: string;
  at: DocPath;
  run?: RunView;
  /** The part of the reply the pattern at `at` is matched against (with `run`). */
  value?: unknown;
}

/**
 * Whether a pattern leaves the value at `path` unchecked: one of the mappings on the way lacks
 * the next key, or is no mapping (a marker, `$type`: a type names no key). Operators that only
 * choose or tighten patterns leave out what every pattern they hold leaves out: `$oneOf` (each
 * alternative), `$janus` (each version's), `$exact`. Others
 * (`$not`, `$schema`, ...) decide for the whole value. What `expect` leaves out keeps the check
 * a step makes without `expect` (no error reply), so writing a pattern never makes a step weaker
 * than writing none. A placeholder standing alone is matched as the value it holds: read with
 * `run`, that value (a saved error reply) leaves out what it does not have. With `run`, a
 * `$oneOf` lets a reply through only by an alternative that names the path and matches it:
 * `{ $oneOf: [{ janus: success }, { transaction: "${transaction}" }] }` passed an error reply
 * by its second alternative, which says nothing of errors.
 */
export function leavesOut(pattern: unknown, path: readonly string[], version?: string, run?: RunView, at: DocPath = []): boolean {
  return leaves(pattern, path, { version, at, run, value: run?.reply });
}

function leaves(pattern: unknown, path: readonly string[], r: Reading): boolean {
  const [key, ...rest] = path;
  // An array's elements: each pattern written for one must leave the rest of the path out.
  if (key === EACH_ELEMENT && Array.isArray(pattern)) return pattern.every((p, i) => leaves(p, rest, { ...r, at: [...r.at, i], value: undefined, run: undefined }));
  if (isTemplate(pattern)) return valueLeavesOut(r.run?.valueAt(r.at), path);
  // A pattern that is no mapping (a marker such as `$any` or `$object`, a value) names no key
  // below it: `plugindata: $object` or `body: $any` let an error reply through as checked.
  if (!isRecord(pattern)) return true;
  const operators = Object.keys(pattern).filter((k) => k.startsWith('$') && !k.startsWith('$$'));
  // Several operators on one value must all hold: the value is unchecked only if none checks it.
  if (operators.length > 0) return operators.every((op) => operatorLeavesOut(op, pattern[op], path, { ...r, at: [...r.at, op] }));
  if (!Object.hasOwn(pattern, key!)) return true;
  return rest.length > 0 && leaves(pattern[key!], rest, { ...r, at: [...r.at, key!], value: isRecord(r.value) ? ownValue(r.value, key!) : undefined });
}

/** A string with a placeholder: its value, known at run time, is matched as it is. */
function isTemplate(pattern: unknown): pattern is string {
  return typeof pattern === 'string' && !pattern.startsWith('$$') && pattern.includes('${');
}

/** Whether a value matched as it is (every key literal) leaves `path` out. */
function valueLeavesOut(value: unknown, path: readonly string[]): boolean {
  const [key, ...rest] = path;
  if (key === EACH_ELEMENT && Array.isArray(value)) return value.every((v) => valueLeavesOut(v, rest));
  if (!isRecord(value) || !Object.hasOwn(value, key!)) return true;
  return rest.length > 0 && valueLeavesOut(value[key!], rest);
}

/**
 * A path step standing for every element of an array: `['body', EACH_ELEMENT, 'janus']` is the
 * `janus` of each message of a long-poll's array. No pattern key is written so.
 */
export const EACH_ELEMENT = '\u0000each element';

/**
 * `$janus` with the server's version known holds only the pattern of that version: another
 * version's naming `janus: error` says nothing of this one (`{ $janus: { ">=1.3.0": { janus:
 * error }, "<1.3.0": { transaction: x } } }` let an error reply through on 1.1.2). With no
 * pattern for the version the step fails on the `$janus` itself; an error reply fails it first.
 * `r.at` is the operator's own path, as the pattern compiler names its parts.
 */
function operatorLeavesOut(op: string, argument: unknown, path: readonly string[], r: Reading): boolean {
  const version = r.version;
  // `$type` and `$length` check the kind and size of the value, never a key of it: an error reply is an object too.
  if (op === '$type' || op === '$length') return true;
  // The patterns of `$contains` and `$anyOrder` are each for an element.
  if (op === '$contains' || op === '$anyOrder') return path[0] !== EACH_ELEMENT || (Array.isArray(argument) && argument.every((p, i) => leaves(p, path.slice(1), { ...r, at: [...r.at, i], value: undefined, run: undefined })));
  if (op === '$exact') return leaves(argument, path, r);
  // In the run, an alternative the reply does not match lets nothing through.
  if (op === '$oneOf') return Array.isArray(argument) && argument.every((p, i) => leaves(p, path, { ...r, at: [...r.at, i] }) || (r.run !== undefined && !r.run.matches([...r.at, i], r.value)));
  if (op !== '$janus' || !isRecord(argument)) return false;
  if (version === undefined || !isVersion(version)) return Object.entries(argument).every(([text, p]) => leaves(p, path, { ...r, at: [...r.at, text] }));
  const cases = Object.entries(argument).flatMap(([text, pattern]) => {
    const parsed = parseVersionRange(text);
    return 'range' in parsed ? [{ range: parsed.range, pattern, text }] : [];
  });
  const chosen = caseForVersion(cases, version);
  return chosen === undefined || leaves(chosen.pattern, path, { ...r, at: [...r.at, chosen.text] });
}

/**
 * Whether an error reply fails a step before its pattern is matched: the pattern (at `under`
 * within it, for the body of an http response) names neither `janus` nor `error`, for the
 * server's `version` when given. A pattern naming `error` expects one: failing it with "got an
 * error reply" would be a wrong failure.
 */
export function refusesErrorReply(pattern: unknown, under: readonly string[] = [], version?: string, run?: RunView, at: DocPath = []): boolean {
  return leavesOut(pattern, [...under, 'janus'], version, run, at) && leavesOut(pattern, [...under, 'error'], version, run, at);
}

/** Where a plugin's refusal is in a reply: its data's `error_code` and `error`, or a message_plugin's `response`'s. */
const PLUGIN_ERROR_PATHS = [['plugindata', 'data', 'error_code'], ['plugindata', 'data', 'error'], ['response', 'error_code'], ['response', 'error']];

/**
 * Whether a plugin's refusal (pluginError) fails a step before its pattern is matched: the
 * pattern (at `under`, for an http body) names none of the places a refusal is written, for the
 * server's `version` when given. As with refusesErrorReply, a pattern never makes a step weaker
 * than none: `{ janus: success, plugindata: { plugin: janus.plugin.videoroom } }` passed on
 * "427 (VIDEOROOM_ROOM_EXISTS)"; one naming `error_code` (or `error`) decides for itself.
 */
export function refusesPluginError(pattern: unknown, under: readonly string[] = [], version?: string, run?: RunView, at: DocPath = []): boolean {
  return PLUGIN_ERROR_PATHS.every((path) => leavesOut(pattern, [...under, ...path], version, run, at));
}

/**
 * What a step reads off its pattern's shape, in the run: for its server, its values and the
 * reply (left out: for any reply a `$oneOf` could let through).
 */
export type PatternReading<T> = ((rt: MatchRuntime, reply?: unknown) => T) & {
  /** The same whatever the run and the reply: read once when the scenario loaded. */
  fixed?: true;
};

/** A reading that is the same on every run, for every reply. */
export function fixedReading<T>(value: T): PatternReading<T> {
  return Object.assign(() => value, { fixed: true as const });
}

/**
 * What a step reads off its pattern's shape (leavesOut, refusesErrorReply), for the server's
 * version, the values its placeholders hold and the reply: worked out once when the pattern has
 * no `$janus`, no placeholder standing for a part that decides and no `$oneOf` whose choice
 * decides (the same on every run), else in the run. `compiledAt` gives the matcher each part of
 * the pattern (at `at`) compiled to.
 */
export function perRun<T>(pattern: unknown, at: DocPath, compiledAt: (path: DocPath) => DescribedMatcher | undefined, read: (version: string | undefined, run: RunView, at: DocPath) => T): PatternReading<T> {
  if (!hasVersionCases(pattern)) {
    let consulted = false;
    const consult = (): true => (consulted = true);
    const fixed = read(undefined, { valueAt: () => void consult(), matches: consult, reply: undefined }, at);
    if (!consulted) return fixedReading(fixed);
  }
  // Without the reply, every alternative of a `$oneOf` counts as matching: what the pattern lets through at best.
  return (rt, reply) => read(rt.serverVersion, { valueAt: (path) => valueIn(compiledAt(path), rt), matches: (path, value) => reply === undefined || partMatches(compiledAt(path), value, rt), reply }, at);
}

/** Whether a part of the pattern matches a value; a part that cannot be matched (a placeholder with no value) does not. */
function partMatches(matcher: DescribedMatcher | undefined, value: unknown, rt: MatchRuntime): boolean {
  if (!matcher) return true;
  const out: Mismatch[] = [];
  try {
    matcher(value, '', rt, out);
  } catch {
    return false;
  }
  return out.length === 0;
}

/** The value a placeholder part holds; undefined when it has none yet (the match then says so). */
function valueIn(matcher: DescribedMatcher | undefined, rt: MatchRuntime): unknown {
  try {
    return matcher?.valueOf?.(rt);
  } catch {
    return undefined;
  }
}

/** Whether a pattern holds a `$janus` at any depth: only then does what it says depend on the server's version. */
function hasVersionCases(pattern: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.some(hasVersionCases);
  return isRecord(pattern) && Object.entries(pattern).some(([k, v]) => k === '$janus' || hasVersionCases(v));
}

/** The parts of a step's pattern as compiled, by path: a StepCompiler's pattern watcher fills it. */
export function compiledParts(): { watch: PatternWatcher; at: (path: DocPath) => DescribedMatcher | undefined } {
  const parts = new Map<string, DescribedMatcher>();
  return { watch: (path, m) => parts.set(JSON.stringify(path), m), at: (path) => parts.get(JSON.stringify(path)) };
}

/** refusesPluginError for the run a step is in. */
export function pluginErrorRefusal(pattern: unknown, under: readonly string[], at: DocPath, compiledAt: (path: DocPath) => DescribedMatcher | undefined): PatternReading<boolean> {
  return perRun(pattern, at, compiledAt, (version, run, p) => refusesPluginError(pattern, under, version, run, p));
}

/** refusesErrorReply for the run a step is in. */
export function errorRefusal(pattern: unknown, under: readonly string[], at: DocPath, compiledAt: (path: DocPath) => DescribedMatcher | undefined): PatternReading<boolean> {
  return perRun(pattern, at, compiledAt, (version, run, p) => refusesErrorReply(pattern, under, version, run, p));
}

/**
 * `expect` and `exact` that would check nothing, reported at their key: an empty pattern (weaker
 * than none, which at least refuses errors; `without` says what none checks) and `exact: true`
 * with no pattern to make exact. Both load silently otherwise and read as checks.
 */
export function checkExpectKeys(raw: Record<string, unknown>, cc: StepCompiler, without: string): void {
  if (isRecord(raw.expect) && Object.keys(raw.expect).length === 0) {
    cc.error(['expect'], `an empty pattern checks nothing: leave \`expect\` out (${without}) or name a field`);
  }
  if (raw.exact === true && raw.expect === undefined) {
    cc.error(['exact'], '`exact: true` without `expect` checks nothing: it makes the `expect` pattern exact, and the step has none; give `expect` or leave `exact` out');
  }
}

/**
 * Reads `a.b[0].c` out of a message; undefined when any part is missing. Names read own keys of
 * objects only (never `constructor` off the prototype), indexes read arrays only.
 */
export function readPath(value: unknown, path: string): unknown {
  let cur: unknown = value;
  for (const part of path.split('.')) {
    const m = /^([^[]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    // `list.0` indexes an array as `list[0]` does (placeholders write it so).
    cur = Array.isArray(cur) && /^\d+$/.test(m[1]!) ? cur[Number(m[1])] : ownValue(cur, m[1]!);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) cur = Array.isArray(cur) ? cur[Number(idx[1])] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/**
 * Keys of a request-like step that mean something to the runner only. Written inside the
 * request by mistake (`request: { janus: message, handle: pub }`) they would be sent to Janus,
 * which ignores unknown keys, and the step would silently act on the default handle. `janus`
 * and `timeout` are left out: they are also Janus request fields (the verb; the Admin API's
 * `set_session_timeout`).
 */
const RUNNER_ONLY_KEYS = ['name', 'client', 'handle', 'at', 'expect', 'exact', 'save', 'as', 'known_bug', 'within'];

/** Reports runner keys written inside the request object of a step (at `message.key`). */
export function checkRequestKeys(raw: Record<string, unknown>, messageKey: string, cc: StepCompiler): void {
  const message = raw[messageKey];
  if (message === null || typeof message !== 'object' || Array.isArray(message)) return;
  for (const key of RUNNER_ONLY_KEYS) {
    if (Object.hasOwn(message, key)) {
      cc.error([messageKey, key], `\`${key}\` is a step key, not part of the request: write it beside \`${messageKey}:\` (inside, it would be sent to Janus)`);
    }
  }
}

/**
 * Reads every value a pattern names: one that has none (saved by a step for other Janus
 * versions, never saved) fails the step saying so. Matching alone reads a value only where a
 * message leads it (an empty mailbox leads nowhere, a message without `plugindata` stops before
 * `plugindata.data.room`, a `$not` or `$oneOf` may decide before it): a no_event would pass
 * having asserted nothing, an expect pass on a value never there. Describing the pattern reads
 * them all: every part's description resolves its placeholders, `$janus` only in the branch of
 * the server's version; a `$janus` with no branch for it fails the step the same way (its
 * mismatch, denied by a `$not` or never tried, would let the step pass on what it does not say).
 */
export function requireValues(matcher: DescribedMatcher, ctx: StepContext, actor: Actor): void {
  const rt: MatchRuntime = Object.create(ctx.matchRuntime(actor), { requireVersionCases: { value: true } });
  try {
    matcher.describe(rt);
  } catch (e) {
    if (e instanceof NoVersionCase) throw ownMistake(`the pattern says nothing for this server: ${e.message}`);
    throw e;
  }
}

/**
 * Why a pattern that did not match cannot say what it expects: a value it names has none, or a
 * `$janus` has nothing for the server's version. Its mismatch is then the scenario's doing, not
 * what the server said (a `known_bug` mark must not take it for the bug). Undefined when every
 * value is there.
 */
export function missingValues(matcher: DescribedMatcher, ctx: StepContext, actor: Actor): string | undefined {
  try {
    requireValues(matcher, ctx, actor);
    return undefined;
  } catch (e) {
    if (e instanceof StepFailure && e.details.ownMistake === true) return e.summary;
    throw e;
  }
}

/** A mismatch's failure, marked the scenario's own mistake (and saying why) when its pattern could not say what it expects. */
export function unmatched(summary: string, details: { expected: unknown; actual: unknown; mismatches: Mismatch[] }, missing: string | undefined): StepFailure {
  return missing === undefined ? mismatchFailure(summary, details) : mismatchFailure(`${summary}; ${missing}`, { ...details, ownMistake: true });
}

/**
 * Whether a pattern (its keys or values, at any depth) names a value: a `${...}` placeholder, or
 * a `$janus` (a value for the server's version), which requireValues reads once it matched.
 */
export function namesValues(pattern: unknown): boolean {
  if (typeof pattern === 'string') return pattern.includes('${');
  if (Array.isArray(pattern)) return pattern.some(namesValues);
  if (isRecord(pattern)) return Object.entries(pattern).some(([k, v]) => k.includes('${') || k === '$janus' || namesValues(v));
  return false;
}

/**
 * A plugin's refusal of the request, "413 (ECHOTEST_INVALID_ELEMENT): Message error: ...":
 * an `error_code` in its `plugindata.data`, or in the `response` of an Admin API message_plugin
 * (from `answeredBy`, the module its request named).
 */
export function pluginError(reply: JanusMessage, answeredBy?: string): string | undefined {
  const plugindata = ownValue(reply, 'plugindata');
  const data = isRecord(plugindata) ? ownValue(plugindata, 'data') : ownValue(reply, 'response');
  const code = isRecord(data) ? ownValue(data, 'error_code') : undefined;
  if (code === undefined) return undefined;
  const plugin = isRecord(plugindata) ? ownValue(plugindata, 'plugin') : answeredBy;
  const name = typeof code === 'number' && typeof plugin === 'string' ? errorNameOf(code, plugin) : undefined;
  const reason = isRecord(data) ? ownValue(data, 'error') : undefined;
  return `${JSON.stringify(code)}${name ? ` (${name})` : ''}${typeof reason === 'string' ? `: ${reason}` : ''}`;
}

/**
 * The key of an Admin API request naming the module whose answer is the reply's `response`:
 * the plugin of a message_plugin, the event handler or logger of a query.
 */
const ANSWERING_MODULE_KEY: Readonly<Record<string, string>> = { message_plugin: 'plugin', query_eventhandler: 'handler', query_logger: 'logger' };

/** The module an Admin API request (as sent) asks, whose answer its reply's `response` is; undefined for other requests. */
export function answeringModule(request: unknown): string | undefined {
  const verb = isRecord(request) ? ownValue(request, 'janus') : undefined;
  const key = typeof verb === 'string' ? ownValue(ANSWERING_MODULE_KEY, verb.toLowerCase()) : undefined;
  const module = typeof key === 'string' ? ownValue(request, key) : undefined;
  return typeof module === 'string' ? module : undefined;
}

/**
 * The runtime to match an Admin API reply with: its `response` is from `module` though the reply
 * does not say so, and a plugin's error name there must be that module's own (RECORDPLAY's 413
 * is not the 413 EchoTest answered).
 */
export function answeredRuntime(rt: MatchRuntime, module: string | undefined): MatchRuntime {
  return module === undefined ? rt : Object.assign(Object.create(rt) as MatchRuntime, { messagePlugin: module });
}
