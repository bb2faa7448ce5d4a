import type { DocPath } from '../core/source.js';
import { describeValue, joinPath, type Matcher, type PatternCompiler, type Template } from './contract.js';
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
}

/** Keys whose value may be written as an error name: `error: { code: ... }` and plugin `error_code`. */
const ERROR_CODE_KEYS = new Set(['code', 'error_code']);
const ERROR_NAME = /^[A-Z][A-Z0-9_]*$/;

export function createPatternCompiler(
  strings: StringCompiler,
  report: (path: DocPath, message: string, hint?: string) => void,
  knownSchema: (name: string) => boolean,
  errorCodes: ErrorCodeNames = { code: () => undefined, names: () => [] },
): PatternCompiler {
  const compiler: PatternCompiler = {
    error: report,
    knownSchema,
    template: strings,
    compile(pattern, path, exact) {
      if (typeof pattern === 'string') return compileStringPattern(pattern, path);
      if (Array.isArray(pattern)) return compileArray(pattern, path, exact);
      if (pattern !== null && typeof pattern === 'object') return compileObject(pattern as Record<string, unknown>, path, exact);
      return equals(pattern);
    },
  };

  function compileStringPattern(s: string, path: DocPath): Matcher {
    if (s.startsWith('$$')) return equals(s.slice(1));
    if (s.startsWith('$') && !s.startsWith('${')) {
      const check = ownValue(MARKERS, s) as ((value: unknown) => boolean) | undefined;
      if (!check) {
        const hint = closestName(s, Object.keys(MARKERS));
        report(path, `unknown marker ${s}; expected one of ${Object.keys(MARKERS).join(', ')}`, hint ? `did you mean ${hint}? (write $$ for a literal $)` : 'write $$ for a literal $');
        return () => {};
      }
      const expected = `${s.slice(1)}`;
      return (actual, at, _rt, out) => {
        if (!check(actual)) out.push({ at, expected: s === '$absent' ? 'absent' : `${expected}`, actual });
      };
    }
    const template = strings(s, path);
    if (!template) return equals(s);
    return (actual, at, rt, out) => {
      const want = rt.resolve(template);
      if (!deepEqual(actual, want)) out.push({ at, expected: describeValue(want), actual });
    };
  }

  function compileArray(items: unknown[], path: DocPath, exact: boolean): Matcher {
    const matchers = items.map((p, i) => compiler.compile(p, [...path, i], exact));
    const expected = `an array of ${items.length} element(s)`;
    return (actual, at, rt, out) => {
      if (!Array.isArray(actual) || actual.length !== matchers.length) {
        out.push({ at, expected, actual });
        return;
      }
      for (let i = 0; i < matchers.length; i++) matchers[i]!(actual[i], joinPath(at, i), rt, out);
    };
  }

  /** `self` compiles operator arguments: the error-code compiler passes itself on. */
  function compileObject(obj: Record<string, unknown>, path: DocPath, exact: boolean, self: PatternCompiler = compiler): Matcher {
    const keys = Object.keys(obj);
    const operatorKeys = keys.filter((k) => k.startsWith('$') && !k.startsWith('$$'));
    if (operatorKeys.length > 0) {
      if (operatorKeys.length !== keys.length) {
        report([...path, operatorKeys[0]!], 'an object cannot mix $operators with plain keys; write $$key for a literal key starting with $');
        return () => {};
      }
      const parts: Matcher[] = [];
      for (const k of operatorKeys) {
        const op = getOperator(k);
        if (!op) {
          const hint = closestName(k, operatorNames());
          report([...path, k], `unknown operator ${k}; expected one of ${operatorNames().join(', ')}`, hint ? `did you mean ${hint}?` : undefined);
          continue;
        }
        const m = op.compile(obj[k], [...path, k], self, exact);
        if (m) parts.push(m);
      }
      return parts.length === 1 ? parts[0]! : (actual, at, rt, out) => parts.forEach((m) => m(actual, at, rt, out));
    }
    const fields = keys.map((k) => [k.startsWith('$$') ? k.slice(1) : k, compileField(k, obj[k], [...path, k], exact)] as const);
    const allowed = new Set(fields.map(([k]) => k));
    // The fields' paths under the last path matched at: an object pattern is matched at the same
    // path again and again (every reply of its step), and joining them anew is a string each time.
    let pathsAt: string | undefined;
    let paths: string[] = [];
    return (actual, at, rt, out) => {
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
      // Own keys only: a pattern key `constructor` must not find Object.prototype.constructor.
      for (let i = 0; i < fields.length; i++) {
        const k = fields[i]![0];
        fields[i]![1](Object.hasOwn(record, k) ? record[k] : undefined, fieldPaths[i]!, rt, out);
      }
      if (exact) {
        for (const k of Object.keys(record)) {
          if (!allowed.has(k)) out.push({ at: joinPath(at, k), expected: 'absent (exact match)', actual: record[k] });
        }
      }
    };
  }

  /**
   * At an error-code key an error name stands for its number, known at compile time, also inside
   * operators (`code: { $not: SESSION_NOT_FOUND }`, `{ $oneOf: [...] }`): taken as a string there,
   * it would never equal the number, and `$not` would always pass.
   */
  const errorCodeCompiler: PatternCompiler = {
    ...compiler,
    compile(pattern, path, exact) {
      if (typeof pattern === 'string' && ERROR_NAME.test(pattern)) return errorCodeMatcher(pattern, path);
      if (pattern !== null && typeof pattern === 'object' && !Array.isArray(pattern)) return compileObject(pattern as Record<string, unknown>, path, exact, errorCodeCompiler);
      return compiler.compile(pattern, path, exact);
    },
  };

  function compileField(key: string, pattern: unknown, path: DocPath, exact: boolean): Matcher {
    return (ERROR_CODE_KEYS.has(key) ? errorCodeCompiler : compiler).compile(pattern, path, exact);
  }

  function errorCodeMatcher(name: string, path: DocPath): Matcher {
    const code = errorCodes.code(name);
    if (code === undefined) {
      const hint = closestName(name, errorCodes.names());
      report(path, `unknown error name ${name}; core errors are named as in apierror.h (SESSION_NOT_FOUND), plugin errors with the plugin's prefix (VIDEOROOM_NO_SUCH_ROOM)`, hint ? `did you mean ${hint}?` : undefined);
      return () => {};
    }
    const expected = `${code} (${name})`;
    return (actual, at, _rt, out) => {
      if (actual !== code) out.push({ at, expected, actual });
    };
  }

  return compiler;
}

function equals(want: unknown): Matcher {
  const expected = describeValue(want);
  return (actual, at, _rt, out) => {
    if (!deepEqual(actual, want)) out.push({ at, expected, actual });
  };
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
