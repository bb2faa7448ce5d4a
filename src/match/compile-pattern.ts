import type { DocPath } from '../core/source.js';
import { described, describeFields, describeList, describeValue, joinPath, type DescribedMatcher, type Matcher, type MatchRuntime, type PatternCompiler, type PatternWatcher, type Template } from './contract.js';
import { MARKERS } from './markers.js';
import { getOperator, operatorNames } from './registry.js';
import { closestName } from '../core/diagnostic.js';
import { ownValue } from '../core/own.js';

/** How a pattern compiler turns strings with placeholders into templates (owned by src/compile). */
export type StringCompiler = (s: string, path: DocPath) => Template | undefined;

/**
 * Compiles a pattern from a scenario into a Matcher tree, once, before anything runs.
 * Objects match partially (extra keys allowed) unless exact; arrays match element by element.
 */
export interface ErrorCodeNames {
  code(name: string): number | undefined;
  names(): string[];
  /** The plugin package a known name is an error of ("janus.plugin.videoroom"); undefined for a core name. */
  plugin(name: string): string | undefined;
}

/**
 * Which error names a value may be written with: core names at `error: { code }` (core and
 * Admin API errors), plugin names at `error_code`. Codes of the two families overlap, and so do
 * those of two plugins: a name only stands for a code of its own family.
 */
type ErrorFamily = 'core' | 'plugin';

/** The family of the error names a key takes, given the key of the object it is in; undefined: no names. */
function errorFamilyAt(key: string, owner: string | undefined): ErrorFamily | undefined {
  if (key === 'error_code') return 'plugin';
  if (key === 'code' && owner === 'error') return 'core';
  return undefined;
}
const ERROR_NAME = /^[A-Z][A-Z0-9_]*$/;

/** A step's pattern compiler: a step may watch what the parts of a pattern compile to. */
export interface StepPatternCompiler extends PatternCompiler {
  /**
   * Compiles as `compile` does, telling `watch` the matcher of every part: a request reads what
   * its `expect` admits at `janus` off the very matchers that match the reply.
   */
  compileWatched(pattern: unknown, path: DocPath, exact: boolean, watch: PatternWatcher): DescribedMatcher;
}

export function createPatternCompiler(
  strings: StringCompiler,
  report: (path: DocPath, message: string, hint?: string) => void,
  knownSchema: (name: string) => boolean,
  errorCodes: ErrorCodeNames = { code: () => undefined, names: () => [], plugin: () => undefined },
): StepPatternCompiler {
  // Compile-time context, set while a value is compiled (compiling is synchronous):
  // the key whose value it is (an object pattern reads it as the key it is under, its owner),
  // the plugin a pattern names beside `data` (`plugindata: { plugin: janus.plugin.x, data }`),
  // and how many plugin error names were compiled (an object with `data` above one passes the
  // message's plugin down to them).
  let fieldKey: string | undefined;
  let patternPlugin: string | undefined;
  let pluginNames = 0;
  // Who is told of each part compiled, while a watched pattern is.
  let watcher: PatternWatcher | undefined;
  const seen = (path: DocPath, matcher: DescribedMatcher): DescribedMatcher => {
    watcher?.(path, matcher);
    return matcher;
  };
  // The exactness the innermost `$not` set aside, for a `$not` inside it to give back.
  let setAside = false;

  const compiler: StepPatternCompiler = {
    error: report,
    knownSchema,
    template: strings,
    compile(pattern, path, exact) {
      if (typeof pattern === 'string') return seen(path, compileStringPattern(pattern, path));
      if (Array.isArray(pattern)) return seen(path, compileArray(pattern, path, exact));
      if (pattern !== null && typeof pattern === 'object') return seen(path, compileObject(pattern as Record<string, unknown>, path, exact));
      return seen(path, equals(pattern));
    },
    negate(exact, inner) {
      const saved = setAside;
      setAside = exact;
      try {
        return inner(saved);
      } finally {
        setAside = saved;
      }
    },
    compileWatched(pattern, path, exact, watch) {
      const saved = watcher;
      watcher = watch;
      try {
        return compiler.compile(pattern, path, exact);
      } finally {
        watcher = saved;
      }
    },
  };

  function compileStringPattern(s: string, path: DocPath): DescribedMatcher {
    if (s.startsWith('$$')) return equals(s.slice(1));
    if (s.startsWith('$') && !s.startsWith('${')) {
      const check = ownValue(MARKERS, s) as ((value: unknown) => boolean) | undefined;
      if (!check) {
        const hint = closestName(s, Object.keys(MARKERS));
        report(path, `unknown marker ${s}; expected one of ${Object.keys(MARKERS).join(', ')}`, hint ? `did you mean ${hint}? (write $$ for a literal $)` : 'write $$ for a literal $');
        return BROKEN;
      }
      const expected = s.slice(1);
      const matcher: Matcher = (actual, at, _rt, out) => {
        if (!check(actual)) out.push({ at, expected, actual });
      };
      return described(matcher, () => expected);
    }
    const template = strings(s, path);
    if (!template) return ownValue(MARKERS, `$${s}`) ? equalsMarkerName(s) : equals(s);
    const matcher: Matcher = (actual, at, rt, out) => {
      const want = rt.resolve(template);
      if (!deepEqual(actual, want)) out.push({ at, expected: describeValue(want), actual });
    };
    return Object.assign(described(matcher, (rt) => describeValue(rt.resolve(template))), { valueOf: (rt: MatchRuntime) => rt.resolve(template) });
  }

  function compileArray(items: unknown[], path: DocPath, exact: boolean): DescribedMatcher {
    // An element is not directly under the array's key: `error: [{ code }]` is no error code.
    const saved = fieldKey;
    fieldKey = undefined;
    let matchers: DescribedMatcher[];
    try {
      matchers = items.map((p, i) => compiler.compile(p, [...path, i], exact));
    } finally {
      fieldKey = saved;
    }
    const expected = `an array of ${items.length} element(s)`;
    const matcher: Matcher = (actual, at, rt, out) => {
      if (!Array.isArray(actual) || actual.length !== matchers.length) {
        out.push({ at, expected, actual });
        return;
      }
      for (let i = 0; i < matchers.length; i++) matchers[i]!(actual[i], joinPath(at, i), rt, out);
    };
    return described(matcher, (rt) => describeList(matchers, rt));
  }

  /** `self` compiles operator arguments: the error-code compiler passes itself on. */
  function compileObject(obj: Record<string, unknown>, path: DocPath, exact: boolean, self: PatternCompiler = compiler): DescribedMatcher {
    const owner = fieldKey;
    const keys = Object.keys(obj);
    // A key is matched as written: a placeholder in it would never be resolved, and the key never
    // found (`{ "${k}": $absent }` passing on any message).
    const templated = keys.filter(hasKeyPlaceholder);
    for (const k of templated) report([...path, k], `a placeholder in a key is not resolved: keys are matched as written ("${k}")`, KEY_PLACEHOLDER_HINT);
    if (templated.length > 0) return BROKEN;
    const operatorKeys = keys.filter((k) => k.startsWith('$') && !k.startsWith('$$'));
    if (operatorKeys.length > 0) {
      if (operatorKeys.length !== keys.length) {
        report([...path, operatorKeys[0]!], 'an object cannot mix $operators with plain keys; write $$key for a literal key starting with $');
        return BROKEN;
      }
      const parts: DescribedMatcher[] = [];
      for (const k of operatorKeys) {
        const op = getOperator(k);
        if (!op) {
          const hint = closestName(k, operatorNames());
          report([...path, k], `unknown operator ${k}; expected one of ${operatorNames().join(', ')}`, hint ? `did you mean ${hint}?` : undefined);
          continue;
        }
        const m = op.compile(obj[k], [...path, k], self, exact);
        if (m) parts.push(describedOperator(m, k, obj[k]));
      }
      if (parts.length === 1) return parts[0]!;
      // Several operators on one value must all hold.
      return described((actual, at, rt, out) => parts.forEach((m) => m(actual, at, rt, out)), (rt) => parts.map((m) => m.describe(rt)).join(' and '));
    }
    // An object with `data` is a plugindata: its `plugin` is the plugin of the errors in that data.
    const hasData = Object.hasOwn(obj, 'data');
    const savedPlugin = patternPlugin;
    const namesBefore = pluginNames;
    if (hasData && Object.hasOwn(obj, 'plugin')) patternPlugin = literalPlugin(obj.plugin);
    let fields: (readonly [string, DescribedMatcher])[];
    try {
      fields = keys.map((k) => [k.startsWith('$$') ? k.slice(1) : k, compileField(k, obj[k], [...path, k], exact, owner)] as const);
    } finally {
      patternPlugin = savedPlugin;
    }
    const scopesPlugin = hasData && pluginNames > namesBefore;
    // The runtime with the message's plugin (the `plugin` beside that data, so that a plugin
    // error name checks the plugin as well as the number), made again only when the runtime or
    // the plugin changes.
    let scopedFrom: MatchRuntime | undefined;
    let scopedPlugin: string | undefined;
    let scoped: MatchRuntime | undefined;
    const allowed = new Set(fields.map(([k]) => k));
    // The fields' paths under the last path matched at: an object pattern is matched at the same
    // path again and again (every reply of its step), and joining them anew is a string each time.
    let pathsAt: string | undefined;
    let paths: string[] = [];
    const matcher: Matcher = (actual, at, rt, out) => {
      if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
        out.push({ at, expected: 'an object', actual });
        return;
      }
      const record = actual as Record<string, unknown>;
      if (at !== pathsAt) {
        paths = fields.map(([k]) => joinPath(at, k));
        pathsAt = at;
      }
      const fieldPaths = paths;
      let inner = rt;
      if (scopesPlugin) {
        const plugin = typeof record.plugin === 'string' ? record.plugin : rt.messagePlugin;
        if (scoped === undefined || scopedFrom !== rt || scopedPlugin !== plugin) {
          scoped = Object.assign(Object.create(rt) as MatchRuntime, { messagePlugin: plugin });
          scopedFrom = rt;
          scopedPlugin = plugin;
        }
        inner = scoped;
      }
      // Own keys only: a pattern key `constructor` must not find Object.prototype.constructor.
      for (let i = 0; i < fields.length; i++) {
        const k = fields[i]![0];
        fields[i]![1](Object.hasOwn(record, k) ? record[k] : undefined, fieldPaths[i]!, inner, out);
      }
      if (exact) {
        for (const k of Object.keys(record)) {
          if (!allowed.has(k)) out.push({ at: joinPath(at, k), expected: 'absent (exact match)', actual: record[k] });
        }
      }
    };
    return described(matcher, (rt) => describeFields(fields, rt));
  }

  /**
   * At an error-code key an error name stands for its number, known at compile time, also inside
   * operators (`code: { $not: SESSION_NOT_FOUND }`, `{ $oneOf: [...] }`): taken as a string there,
   * it would never equal the number, and `$not` would always pass. One compiler per family.
   */
  const errorCodeCompiler = (family: ErrorFamily): PatternCompiler => {
    const self: PatternCompiler = {
      ...compiler,
      compile(pattern, path, exact) {
        if (typeof pattern === 'string' && ERROR_NAME.test(pattern)) return seen(path, errorCodeMatcher(pattern, path, family));
        if (pattern !== null && typeof pattern === 'object' && !Array.isArray(pattern)) return seen(path, compileObject(pattern as Record<string, unknown>, path, exact, self));
        return compiler.compile(pattern, path, exact);
      },
    };
    return self;
  };
  const errorCodeCompilers: Record<ErrorFamily, PatternCompiler> = { core: errorCodeCompiler('core'), plugin: errorCodeCompiler('plugin') };

  function compileField(key: string, pattern: unknown, path: DocPath, exact: boolean, owner: string | undefined): DescribedMatcher {
    const family = errorFamilyAt(key, owner);
    const saved = fieldKey;
    fieldKey = key;
    try {
      return (family ? errorCodeCompilers[family] : compiler).compile(pattern, path, exact);
    } finally {
      fieldKey = saved;
    }
  }

  let pluginsWithNames: Set<string> | undefined;
  /** The plugins whose error names the catalogue has. */
  function knownPlugins(): Set<string> {
    pluginsWithNames ??= new Set(errorCodes.names().map((n) => errorCodes.plugin(n)).filter((p): p is string => p !== undefined));
    return pluginsWithNames;
  }

  function errorCodeMatcher(name: string, path: DocPath, family: ErrorFamily): DescribedMatcher {
    const code = errorCodes.code(name);
    if (code === undefined) {
      const hint = closestName(name, namesOf(family, family === 'plugin' ? patternPlugin : undefined));
      report(path, `unknown error name ${name}; core errors are named as in apierror.h (SESSION_NOT_FOUND), plugin errors with the plugin's prefix (VIDEOROOM_NO_SUCH_ROOM)`, hint ? `did you mean ${hint}?` : undefined);
      return BROKEN;
    }
    const plugin = errorCodes.plugin(name);
    if (family === 'core' && plugin !== undefined) {
      report(path, `${name} is an error of ${plugin} (its error_code ${code}), not a core error: error.code takes core names as in apierror.h (SESSION_NOT_FOUND)`, hintFor(name, code, 'core', undefined));
      return BROKEN;
    }
    if (family === 'plugin' && plugin === undefined) {
      report(path, `${name} is a core error (error.code ${code}), not a plugin's: error_code takes the plugin's names, prefixed with its short name (VIDEOROOM_NO_SUCH_ROOM)`, hintFor(name, code, 'plugin', patternPlugin));
      return BROKEN;
    }
    // Beside a plugin the catalogue knows; another one (a typo, a plugin of the user's) is left to the run, which fails on it.
    if (plugin !== undefined && patternPlugin !== undefined && plugin !== patternPlugin && knownPlugins().has(patternPlugin)) {
      report(path, `${name} is an error of ${plugin}, but this plugindata is from ${patternPlugin}`, hintFor(name, code, 'plugin', patternPlugin));
      return BROKEN;
    }
    if (plugin === undefined) {
      const expected = `${code} (${name})`;
      const matcher: Matcher = (actual, at, _rt, out) => {
        if (actual !== code) out.push({ at, expected, actual });
      };
      return described(matcher, () => expected);
    }
    // The same number from another plugin is another error: the message's plugin must be the name's.
    pluginNames++;
    const named = `${code} (${name}, a ${plugin} code`;
    const expected = `${named})`;
    const otherPlugin = (rt: MatchRuntime): string | undefined => {
      const from = rt.messagePlugin;
      return from !== undefined && from !== plugin ? from : undefined;
    };
    const describe = (rt: MatchRuntime): string => {
      const from = otherPlugin(rt);
      return from === undefined ? expected : `${named}; this message is from ${from})`;
    };
    const matcher: Matcher = (actual, at, rt, out) => {
      if (actual !== code || otherPlugin(rt) !== undefined) out.push({ at, expected: describe(rt), actual });
    };
    return described(matcher, describe);
  }

  /** The names of a family: core names, or plugin names (of one plugin when known). */
  function namesOf(family: ErrorFamily, plugin: string | undefined): string[] {
    return errorCodes.names().filter((n) => {
      const p = errorCodes.plugin(n);
      return family === 'core' ? p === undefined : p !== undefined && (plugin === undefined || p === plugin);
    });
  }

  /** For a name of the wrong family: a close name of the right one, and the right one's name of that number. */
  function hintFor(name: string, code: number, family: ErrorFamily, plugin: string | undefined): string | undefined {
    const candidates = namesOf(family, plugin);
    const close = closestName(name, candidates);
    const sameCode = family === 'core' || plugin !== undefined ? candidates.find((n) => errorCodes.code(n) === code) : undefined;
    const hints = [close && `did you mean ${close}?`, sameCode && sameCode !== close && `${family === 'core' ? 'core error' : `${plugin}'s error_code`} ${code} is ${sameCode}`].filter(Boolean);
    return hints.length > 0 ? hints.join('; ') : undefined;
  }

  return compiler;
}

/** What to do about a placeholder in a key, in every load error that finds one. */
export const KEY_PLACEHOLDER_HINT = 'name the key itself; write $${ for a literal ${';

/** Whether an object key holds a `${` placeholder (`$${` is a literal `${`). */
export function hasKeyPlaceholder(key: string): boolean {
  return /(?:^|[^$])\$\{/.test(key);
}

/** The plugin a pattern names literally (`plugin: janus.plugin.echotest`); undefined for a placeholder or an operator. */
function literalPlugin(pattern: unknown): string | undefined {
  return typeof pattern === 'string' && !pattern.startsWith('$') && !pattern.includes('${') ? pattern : undefined;
}

function equals(want: unknown): DescribedMatcher {
  const expected = describeValue(want);
  const matcher: Matcher = (actual, at, _rt, out) => {
    if (!deepEqual(actual, want)) out.push({ at, expected, actual });
  };
  return described(matcher, () => expected);
}

/**
 * A marker's name written without its `$` (`id: integer`) is the word itself: when the value
 * is of the marker's kind, its mismatch says which marker was likely meant.
 */
const MARKER_MEANING: Record<string, string> = { any: 'anything, a field left out too', present: 'any value present', absent: 'a field left out', boolean: 'true or false', null: 'null' };

function equalsMarkerName(word: string): DescribedMatcher {
  const expected = describeValue(word);
  const check = MARKERS[`$${word}`]!;
  const meant = `${expected} (the word; $${word} matches ${MARKER_MEANING[word] ?? `any ${word}`})`;
  const matcher: Matcher = (actual, at, _rt, out) => {
    if (actual !== word) out.push({ at, expected: check(actual) ? meant : expected, actual });
  };
  return described(matcher, () => expected);
}

/** What a pattern with an error compiles to: it never runs (the scenario does not load). */
const BROKEN: DescribedMatcher = described(() => {}, () => 'nothing (the pattern has an error)');

/** An operator's matcher, described as the operator is written when it does not describe itself. */
function describedOperator(m: Matcher | DescribedMatcher, name: string, argument: unknown): DescribedMatcher {
  if ('describe' in m && typeof m.describe === 'function') return m as DescribedMatcher;
  const asWritten = describeValue({ [name]: argument });
  return described((actual, at, rt, out) => m(actual, at, rt, out), () => asWritten);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
