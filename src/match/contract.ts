import { clip } from '../core/clip.js';
import type { DocPath } from '../core/source.js';

/** One reason a value did not match, at a path inside the message (`plugindata.data.result`). */
export interface Mismatch {
  at: string;
  expected: string;
  actual: unknown;
}

/** What matchers need at run time: placeholders resolved against the scenario's values, schemas. */
export interface MatchRuntime {
  resolve(template: Template): unknown;
  /** Strict, for `version` (the server's): fields the catalogue does not know for it are violations. */
  validateSchema(name: string, value: unknown, version?: string): string[] | undefined;
  /** The server's version_string, for `$janus` (undefined when unknown). */
  serverVersion?: string;
  /**
   * Set while a step reads every value its pattern names (requireValues): a `$janus` with no
   * pattern for the server's version then throws NoVersionCase instead of describing itself.
   */
  requireVersionCases?: boolean;
  /**
   * The module (plugin, event handler, logger) whose answer is matched, where the message itself
   * does not say: the `response` of an Admin API message_plugin is from the plugin its request
   * named. Inside a `plugindata`, the `plugin` beside the data says it. A plugin's error name
   * matches its own plugin's messages only.
   */
  messagePlugin?: string;
}

/**
 * A `$janus` with no pattern for the server's version (none of its ranges covers it, or the
 * version is unknown): the pattern says nothing about this server. Matched, it is a mismatch;
 * but under a `$not`, in a `$oneOf` alternative not tried, or in a no_event that saw no message,
 * that mismatch never reaches the verdict, and the step would pass having asserted nothing.
 */
export class NoVersionCase extends Error {}

/** A compiled value with placeholders; resolving yields typed values (a saved integer stays an integer). */
export type Template = (values: ValueLookup) => unknown;

const CONSTANT = Symbol('constant');
type ConstantTemplate = Template & { [CONSTANT]?: true };

/** The template of a value written out, with no placeholder: it resolves to `value` itself, with no lookup. */
export function constantTemplate(value: unknown): Template {
  const t: ConstantTemplate = () => value;
  t[CONSTANT] = true;
  return t;
}

/** Whether a template is a value written out, with no placeholder: it needs no lookup to resolve. */
export function isConstant(t: Template): boolean {
  return (t as ConstantTemplate)[CONSTANT] === true;
}

export interface ValueLookup {
  lookup(ref: string): unknown;
}

/** What a constant template is resolved with: it looks nothing up. */
export const NO_LOOKUP: ValueLookup = { lookup: () => undefined };

/** Pushes mismatches into `out`; `actual` is undefined when the key is absent. */
export type Matcher = (actual: unknown, at: string, rt: MatchRuntime, out: Mismatch[]) => void;

/**
 * A compiled pattern that also says what it expects, in the words of its own mismatches:
 * placeholders resolved, markers and error names as they are compared (`absent`,
 * `459 (HANDLE_NOT_FOUND)`). Operators describe the patterns they hold with it ("one of ...",
 * "anything but ..."), so their texts show what was compared, not the pattern as written.
 */
export interface DescribedMatcher extends Matcher {
  describe(rt: MatchRuntime): string;
  /**
   * The value a placeholder standing alone (`"${saved}"`) resolves to, matched as is: what a
   * step reads off the pattern's shape (does it name `janus`?) is known only then.
   */
  valueOf?(rt: MatchRuntime): unknown;
}

/** Told the matcher of each part of a pattern, by its path, as it is compiled. */
export type PatternWatcher = (path: DocPath, matcher: DescribedMatcher) => void;

/** The matcher, told how to describe itself. */
export function described(matcher: Matcher, describe: (rt: MatchRuntime) => string): DescribedMatcher {
  return Object.assign(matcher, { describe });
}

/** What compiling a pattern needs: child compilation and positioned errors. */
export interface PatternCompiler {
  compile(pattern: unknown, path: DocPath, exact: boolean): DescribedMatcher;
  error(path: DocPath, message: string, hint?: string): void;
  knownSchema(name: string): boolean;
  /** A template for a string with placeholders; undefined when it has none. */
  template(s: string, path: DocPath): Template | undefined;
  /**
   * Compiles the argument of an operator that denies it (`$not`): `inner` gets the exactness to
   * compile with. A step's `exact: true` holds where the pattern asserts, never where it denies:
   * denying an exact pattern denies less (`$not: { janus: success }` would let a success reply
   * through for its extra keys). A denial inside a denial asserts again, and gets it back.
   */
  negate<T>(exact: boolean, inner: (exact: boolean) => T): T;
}

/** A `{ $name: argument }` operator: one file each in src/match/operators, registered by name. */
export interface OperatorDefinition {
  name: string;
  /** One line for docs and for "expected one of" messages. */
  summary: string;
  /** A matcher without `describe` is described by the operator as written. */
  compile(argument: unknown, path: DocPath, compiler: PatternCompiler, exact: boolean): Matcher | DescribedMatcher | undefined;
}

const DESCRIPTION_LENGTH = 80;

export function describeValue(value: unknown): string {
  if (value === undefined) return '(absent)';
  return clip(JSON.stringify(value), DESCRIPTION_LENGTH);
}

/**
 * What a list of patterns expects, `[1,<integer>]`: values as JSON, words in <> (as the failure's
 * diff writes them inside a message).
 */
export function describeList(matchers: readonly DescribedMatcher[], rt: MatchRuntime): string {
  return clip(`[${matchers.map((m) => inJson(m.describe(rt))).join(',')}]`, DESCRIPTION_LENGTH);
}

/** What an object pattern expects, `{"id":<integer>,"janus":"ack"}`, written like a list's. */
export function describeFields(fields: ReadonlyArray<readonly [string, DescribedMatcher]>, rt: MatchRuntime): string {
  return clip(`{${fields.map(([k, m]) => `${JSON.stringify(k)}:${inJson(m.describe(rt))}`).join(',')}}`, DESCRIPTION_LENGTH);
}

/** A description inside a list or object: a value, or a list or object described, as it is; words in <>. */
function inJson(description: string): string {
  if (description.startsWith('{') || description.startsWith('[')) return description;
  try {
    JSON.parse(description);
    return description;
  } catch {
    return `<${description}>`;
  }
}

export function joinPath(at: string, key: string | number): string {
  if (typeof key === 'number') return `${at}[${key}]`;
  return at ? `${at}.${key}` : key;
}
