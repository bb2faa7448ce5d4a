import { setFlagsFromString } from 'node:v8';
import { createContext, Script } from 'node:vm';

/**
 * A `$regex` is matched against text the server sends, and V8's backtracking engine can take
 * exponential time on some pairs of expression and text (`(a+)+b` against forty `a`s): the run
 * would spin with its timers and Ctrl-C unheard. Two guards, so no text can hang a run:
 * - V8 switches an expression to its linear-time engine once it backtracks too much. That
 *   engine runs what has no lookaround and no backreference, which is most expressions.
 * - The others (the suite's SDP checks use lookaheads) run under a time limit in a vm context
 *   (a watchdog thread ends a match that overruns). That costs a few hundred microseconds a
 *   match, paid only by such expressions.
 */
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
// Lets an expression be compiled with the `l` flag, which is how we learn whether it runs in linear time.
setFlagsFromString('--enable-experimental-regexp-engine');

/** How long a guarded match may take: far more than any expression needs on a Janus message. */
export const REGEX_LIMIT_MS = 1000;

const GUARDED = new Script('re.test(text)');

/** A compiled `$regex`: `test` says whether the text matches, or 'too slow' when the match was given up. */
export interface SafeRegex {
  test(text: string): boolean | 'too slow';
}

/**
 * Escapes that mean something only in unicode mode (`\p{Lu}`, `\P{L}`, `\u{1F600}`), not after
 * an escaped backslash. Without that mode JavaScript reads them as the letters `p{Lu}`: a
 * property class would match only that text, and `$not` of it would pass on any string.
 */
const UNICODE_ESCAPE = /(?:^|[^\\])(?:\\\\)*\\[pPu]\{/;

/** Compiles an expression (throws a SyntaxError as `new RegExp` does), in unicode mode when it uses unicode escapes. */
export function safeRegex(source: string): SafeRegex {
  const unicode = UNICODE_ESCAPE.test(source);
  const re = new RegExp(source, unicode ? 'u' : '');
  // The linear-time engine runs no unicode-mode expression: those run guarded.
  if (!unicode && runsInLinearTime(source)) return { test: (text) => re.test(text) };
  const sandbox = createContext({ re, text: '' });
  return {
    test(text) {
      sandbox.text = text;
      try {
        return GUARDED.runInContext(sandbox, { timeout: REGEX_LIMIT_MS }) === true;
      } catch (e) {
        if ((e as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return 'too slow';
        throw e;
      }
    },
  };
}

function runsInLinearTime(source: string): boolean {
  try {
    new RegExp(source, 'l');
    return true;
  } catch {
    return false;
  }
}
