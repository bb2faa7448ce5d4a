import { safeRegex, REGEX_LIMIT_MS, type SafeRegex } from '../safe-regex.js';
import { described, type Mismatch, type OperatorDefinition, type Template } from '../contract.js';

export const regexOperator: OperatorDefinition = {
  name: '$regex',
  summary: '$regex: a JavaScript regular expression the string must match (unanchored)',
  compile(arg, path, compiler) {
    if (typeof arg !== 'string') {
      compiler.error(path, '$regex expects a string holding a regular expression');
      return undefined;
    }
    // With placeholders the expression is only known when matching; it is built then.
    const template = compiler.template(arg, path);
    if (template) {
      // A value put into the expression is matched as the text it is, not read as regex syntax:
      // a saved "1.1.2" in `^${v}$` must not match "1x1y2".
      const literal: Template = (values) => template({ lookup: (ref) => escapedValue(values.lookup(ref)) });
      // The expression of the last match, kept: it is usually the same one again, and compiling a
      // guarded one makes a vm context.
      let last: { source: string; re: SafeRegex } | undefined;
      return described((actual, at, rt, out) => {
        const source = String(rt.resolve(literal));
        if (last?.source !== source) {
          try {
            last = { source, re: safeRegex(source) };
          } catch (e) {
            out.push({ at, expected: `a valid regular expression, but /${source}/ is not: ${(e as Error).message}`, actual });
            return;
          }
        }
        check(last.re, source, actual, at, out);
      }, (rt) => matching(String(rt.resolve(literal))));
    }
    let re: SafeRegex;
    try {
      re = safeRegex(arg);
    } catch (e) {
      compiler.error(path, `$regex is not a valid regular expression: ${(e as Error).message}`);
      return undefined;
    }
    return described((actual, at, _rt, out) => check(re, arg, actual, at, out), () => matching(arg));
  },
};

/**
 * Strings and numbers with every regex metacharacter escaped; other values as they are. A `-`
 * becomes `\x2d`, which means `-` inside a class and out, in unicode mode too (where `\-` outside
 * a class is a syntax error).
 */
function escapedValue(value: unknown): unknown {
  if (typeof value !== 'string' && typeof value !== 'number') return value;
  return String(value).replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&').replaceAll('-', '\\x2d');
}

function check(re: SafeRegex, source: string, actual: unknown, at: string, out: Mismatch[]): void {
  const matched = typeof actual === 'string' ? re.test(actual) : false;
  if (matched === 'too slow') out.push({ at, expected: `${matching(source)} (given up after ${REGEX_LIMIT_MS} ms on this text: the expression backtracks without end on it; rewrite it)`, actual });
  else if (!matched) out.push({ at, expected: matching(source), actual });
}

function matching(source: string): string {
  return `a string matching /${source}/`;
}
