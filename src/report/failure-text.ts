import { clip, CUT_MARK } from '../core/clip.js';
import { diffLines } from '../vendor/diff.js';
import { Redactor } from './redact.js';
import { escapeControls } from '../core/printable.js';
import { formatSpan } from '../core/source.js';
import { describeJanusError } from '../protocol/errors.js';
import { errorNameOf } from '../schemas/error-names.js';
import { describeValue } from '../match/contract.js';
import { setOwn } from '../core/own.js';
import type { Mismatch } from '../match/contract.js';
import type { Failure, HttpExchange, ScenarioResult, TranscriptEntry } from '../run/events.js';

const LAST_MESSAGES = 8;

export const SCHEMA_MODES_HINT = '(every message is checked against the Janus API catalogue: --schema warn reports violations without failing, --schema off skips the checks)';

/**
 * The text a person reads when a scenario fails: where, why, the expected pattern against the
 * actual message with a diff, and the last messages exchanged. Shared by every reporter.
 * The result is redacted before anything is cut to a length (a cut through a secret would
 * leave a prefix no search for the whole value finds), and control characters are escaped.
 */
export function failureText(unredacted: ScenarioResult, options: { redact?: (s: string) => string } = {}): string {
  if (!unredacted.failure) return '';
  const redactor = new Redactor(unredacted.secretValues);
  const redact = (s: string): string => (options.redact ? options.redact(redactor.text(s)) : redactor.text(s));
  const result = redactValues(unredacted, redactor, redact);
  const f = result.failure!;
  const lines: string[] = [headline(f)];
  if (f.span) lines.push(`  at ${formatSpan(f.span)}${f.stepTitle ? ` (step: ${f.stepTitle})` : ''}`);
  if (f.mismatches?.length) lines.push('  mismatches:', ...mismatchLines(f).map((l) => `    ${l}`));
  if (f.schemaViolations && f.schemaViolations.length > 1) {
    lines.push('  schema violations:');
    for (const v of f.schemaViolations.slice(0, 10)) lines.push(`    ${v}`);
    if (f.schemaViolations.length > 10) lines.push(`    ${CUT_MARK} (${f.schemaViolations.length - 10} more)`);
  }
  // A message the catalogue does not know fails under the default --schema strict: say what else there is.
  if (f.schemaViolations?.length) lines.push(`  ${SCHEMA_MODES_HINT}`);
  const janusError = typeof f.actual === 'object' && f.actual !== null ? describeJanusError(f.actual as Record<string, unknown>) : undefined;
  if (janusError) lines.push(`  Janus error: ${janusError}`);
  if (f.expected !== undefined) lines.push('  expected (pattern):', indent(firstLines(pretty(f.expected)), 4));
  if (f.actual !== undefined) lines.push('  actual:', indent(firstLines(pretty(f.actual)), 4));
  if (f.expected !== undefined && f.actual !== undefined && f.mismatches?.length) lines.push('  diff (- expected, + actual):', indent(diffText(f.expected, f.actual, f.mismatches), 4));
  // The messages that led to the failure: cleanup traffic after it would push them out.
  const upToFailure = result.transcript.slice(0, result.stepMessages ?? result.transcript.length);
  const last = upToFailure.slice(-LAST_MESSAGES);
  if (last.length > 0) {
    lines.push(`  last ${last.length} message(s) exchanged:`);
    const t0 = result.transcript[0]!.at;
    for (const entry of last) lines.push(`    ${transcriptLine(entry, t0)}`);
    const after = result.transcript.length - upToFailure.length;
    if (after > 0) lines.push(`    (then ${after} message(s) of cleanup, not shown here)`);
  }
  // Every failure after the first is named the same way, where and why: a later step's, a cleanup's.
  for (const later of result.laterFailures ?? []) lines.push(...briefLines('then', later));
  for (const c of result.cleanupFailures) lines.push(...briefLines('during cleanup', c));
  return escapeControls(redact(lines.join('\n')));
}

function briefLines(label: string, f: Failure): string[] {
  const [first, ...rest] = failureBrief(f).split('\n');
  return [`  ${label}: ${first}`, ...rest.map((l) => `    ${l}`)];
}

/**
 * A failure after a scenario's first one (a later step's with continueOnMismatch, a cleanup
 * step's), as every reporter names it: what and where on the first line, then the fields that
 * did not match. Reports carry it as that failure's text; the first failure's text lists them.
 */
export function failureBrief(f: Failure): string {
  const where = f.span ? ` at ${formatSpan(f.span)}${f.stepTitle ? ` (step: ${f.stepTitle})` : ''}` : '';
  return [`${headline(f)}${where}`, ...mismatchLines(f).map((l) => `  ${l}`)].join('\n');
}

/** The result with every value redacted by the scenario's secrets, and by the caller's too. */
function redactValues(result: ScenarioResult, redactor: Redactor, redact: (s: string) => string): ScenarioResult {
  const deep = <T>(v: T): T => {
    const redacted = redactor.value(v);
    try {
      return JSON.parse(redact(JSON.stringify(redacted ?? null))) as T;
    } catch {
      return redacted;
    }
  };
  return {
    ...result,
    failure: result.failure && deep(result.failure),
    ...(result.laterFailures && { laterFailures: deep(result.laterFailures) }),
    cleanupFailures: deep(result.cleanupFailures),
    transcript: result.transcript.map((t) => ({ ...t, message: deep(t.message) })),
  };
}

/** The precise lines of a failed match, one per field: `path: expected X, got Y (ERROR_NAME)`. */
export function mismatchLines(f: Failure): string[] {
  return (f.mismatches ?? []).slice(0, 10).map((m) => `${m.at || '(message)'}: expected ${m.expected}, got ${describeValue(m.actual)}${codeName(m.at, m.actual, f.actual)}`);
}

export function headline(f: Failure): string {
  if (f.kind === 'interrupted') return 'interrupted';
  const label = f.kind === 'infrastructure' ? 'server problem' : f.kind === 'timeout' ? 'timeout' : 'failed';
  return `${label}: ${f.summary}`;
}

export function transcriptLine(entry: TranscriptEntry, t0: number): string {
  return messageLine({ ...entry, atMs: entry.at - t0 }, 300);
}

/**
 * One message as failure texts and reports list them: time, client, direction, an `http:`
 * step's method and path or status, JSON (clipped to `clipAt`).
 */
export function messageLine(m: { atMs: number; client: string; direction: 'in' | 'out'; message: unknown; http?: HttpExchange; connection?: object }, clipAt = Infinity): string {
  // A connection closing or opening is told in words, not sent as a message.
  const body = m.connection ? String(m.message) : m.http && m.message === '' ? '' : JSON.stringify(m.message);
  const http = !m.http ? '' : m.direction === 'out' ? `HTTP ${m.http.method} ${m.http.path}` : `HTTP ${m.http.status}`;
  return `+${String(m.atMs).padStart(5)}ms ${m.client} ${m.direction === 'out' ? '->' : '<-'} ${[http, clip(body, clipAt)].filter(Boolean).join(' ')}`;
}

/**
 * The most lines of a pretty-printed message a failure text shows (and its diff compares). A
 * server's message of a few MB printed one value a line ran to millions of lines: tens of MB of
 * console, and a line diff of them took seconds and a GB of memory.
 */
export const MAX_LINES_SHOWN = 200;

/** The first MAX_LINES_SHOWN lines of a text, then a line that counts the rest. */
function firstLines(text: string): string {
  let end = -1;
  for (let n = 0; n < MAX_LINES_SHOWN; n++) {
    end = text.indexOf('\n', end + 1);
    if (end === -1) return text;
  }
  let more = 1;
  for (let at = text.indexOf('\n', end + 1); at !== -1; at = text.indexOf('\n', at + 1)) more++;
  return `${text.slice(0, end)}\n${CUT_MARK} (${more} more line(s) not shown)`;
}

function pretty(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v, null, 2);
}

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text.split('\n').map((l) => pad + l).join('\n');
}

/**
 * A line diff of expected against actual, `- ` and `+ ` prefixed, where only real differences
 * differ. Patterns name only the fields that matter, so the actual message is cut down to the
 * fields the pattern mentions (and those a mismatch points at, such as a key an exact pattern
 * forbids). The expected side is what the matcher compared with: a field that matched shows the
 * actual value (so a placeholder or `$integer` that held is no difference), a field that did
 * not shows the resolved expected value (or what was expected, in words), both in the actual's
 * key order.
 */
export function diffText(expected: unknown, actual: unknown, mismatches: readonly Mismatch[] = []): string {
  const blamed = new Map(mismatches.map((m) => [m.at, m]));
  const words: string[] = [];
  const expectedSide = renderWithWords(expectedView(expected, actual, '', blamed, words), words);
  const actualSide = firstLines(pretty(onlyWhatThePatternMentions(expected, actual, '', [...blamed.keys()])));
  return diffLines(`${firstLines(expectedSide)}\n`, `${actualSide}\n`)
    .flatMap((part) => {
      const sign = part.added ? '+' : part.removed ? '-' : ' ';
      return part.value.replace(/\n$/, '').split('\n').map((l) => `${sign} ${l}`);
    })
    .join('\n');
}

/** Marks a value written as words ("a string matching /x/", "426 (VIDEOROOM_NO_SUCH_ROOM)") in the JSON. */
const WORDS = '\uE000';
const ABSENT = Symbol('absent');

function expectedView(pattern: unknown, actual: unknown, at: string, blamed: ReadonlyMap<string, Mismatch>, words: string[]): unknown {
  const own = blamed.get(at);
  if (own) return expectedValue(own.expected, words);
  const blamedBelow = [...blamed.keys()].some((b) => at === '' || b.startsWith(`${at}.`) || b.startsWith(`${at}[`));
  if (!blamedBelow) return actual === undefined ? ABSENT : onlyWhatThePatternMentions(pattern, actual, at, []);
  // `$exact` wraps a pattern: its fields are compared like any other.
  if (isPlainObject(pattern) && Object.keys(pattern).length === 1 && '$exact' in pattern) return expectedView(pattern.$exact, actual, at, blamed, words);
  if (isPlainObject(pattern) && !Object.keys(pattern).some(isOperator) && isPlainObject(actual)) {
    const keys = Object.keys(pattern).map(literalKey);
    const ordered = [...Object.keys(actual).filter((k) => keys.includes(k)), ...keys.filter((k) => !(k in actual))];
    const out: Record<string, unknown> = {};
    for (const key of ordered) {
      const value = expectedView(pattern[key in pattern ? key : `$${key}`], actual[key], at ? `${at}.${key}` : key, blamed, words);
      if (value !== ABSENT) out[key] = value;
    }
    return out;
  }
  if (Array.isArray(pattern) && Array.isArray(actual) && pattern.length === actual.length) {
    return pattern.map((p, i) => {
      const value = expectedView(p, actual[i], `${at}[${i}]`, blamed, words);
      return value === ABSENT ? null : value;
    });
  }
  return pattern;
}

/** A mismatch's expectation: the resolved value when it is one (JSON), else its words. */
function expectedValue(text: string, words: string[]): unknown {
  try {
    return JSON.parse(text);
  } catch {
    words.push(text);
    return `${WORDS}${words.length - 1}${WORDS}`;
  }
}

function renderWithWords(value: unknown, words: string[]): string {
  // Unquoted when the words are the whole expectation (a whole-message `$not` or `$oneOf`): a string alone is shown as it is.
  return pretty(value).replace(new RegExp(`"?${WORDS}(\\d+)${WORDS}"?`, 'g'), (_, i: string) => `<${words[Number(i)]}>`);
}

function isOperator(key: string): boolean {
  return key.startsWith('$') && !key.startsWith('$$');
}

/** `$$key` in a pattern is the literal key `$key`. */
function literalKey(key: string): string {
  return key.startsWith('$$') ? key.slice(1) : key;
}

function onlyWhatThePatternMentions(pattern: unknown, actual: unknown, path: string, blamed: string[]): unknown {
  if (Array.isArray(pattern) && Array.isArray(actual) && pattern.length === actual.length) return actual.map((v, i) => onlyWhatThePatternMentions(pattern[i], v, `${path}[${i}]`, blamed));
  if (!isPlainObject(pattern) || !isPlainObject(actual)) return actual;
  if (Object.keys(pattern).length === 1 && Object.hasOwn(pattern, '$exact')) return actual;
  // Other operators ($regex, $contains, ...) say something about the whole value: show it whole.
  if (Object.keys(pattern).some(isOperator)) return actual;
  const mentioned = new Set(Object.keys(pattern).map(literalKey));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(actual)) {
    const at = path ? `${path}.${key}` : key;
    if (mentioned.has(key)) setOwn(out, key, onlyWhatThePatternMentions(pattern[Object.hasOwn(pattern, key) ? key : `$${key}`], value, at, blamed));
    else if (blamed.some((b) => b === at || b.startsWith(`${at}.`) || b.startsWith(`${at}[`))) setOwn(out, key, value);
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** " (VIDEOROOM_NO_SUCH_ROOM)" after an error code, named by the plugin that sent it. */
function codeName(at: string, actual: unknown, message: unknown): string {
  if (typeof actual !== 'number') return '';
  const plugin = (message as { plugindata?: { plugin?: unknown } } | undefined)?.plugindata?.plugin;
  const name = at.endsWith('error_code') && typeof plugin === 'string' ? errorNameOf(actual, plugin) : at.endsWith('error.code') ? errorNameOf(actual) : undefined;
  return name ? ` (${name})` : '';
}
