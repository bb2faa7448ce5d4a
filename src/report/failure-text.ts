import { clip } from '../core/clip.js';
import { diffLines } from 'diff';
import { Redactor } from '../../reporters/redact.js';
import { escapeControls } from '../core/printable.js';
import { formatSpan } from '../core/source.js';
import { describeJanusError } from '../janus/errors.js';
import { errorNameOf } from '../schemas/error-names.js';
import { describeValue } from '../match/contract.js';
import { setOwn } from '../core/own.js';
import type { Failure, ScenarioResult, TranscriptEntry } from '../run/events.js';

const LAST_MESSAGES = 8;

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
  if (f.mismatches?.length) {
    lines.push('  mismatches:');
    for (const m of f.mismatches.slice(0, 10)) lines.push(`    ${m.at || '(message)'}: expected ${m.expected}, got ${describeValue(m.actual)}${codeName(m.at, m.actual, f.actual)}`);
  }
  if (f.schemaViolations && f.schemaViolations.length > 1) {
    lines.push('  schema violations:');
    for (const v of f.schemaViolations.slice(0, 10)) lines.push(`    ${v}`);
  }
  const janusError = typeof f.actual === 'object' && f.actual !== null ? describeJanusError(f.actual as Record<string, unknown>) : undefined;
  if (janusError) lines.push(`  Janus error: ${janusError}`);
  if (f.expected !== undefined) lines.push('  expected (pattern):', indent(pretty(f.expected), 4));
  if (f.actual !== undefined) lines.push('  actual:', indent(pretty(f.actual), 4));
  if (f.expected !== undefined && f.actual !== undefined) lines.push('  diff (- expected, + actual):', indent(diffText(f.expected, f.actual, f.mismatches), 4));
  const last = result.transcript.slice(-LAST_MESSAGES);
  if (last.length > 0) {
    lines.push(`  last ${last.length} message(s) exchanged:`);
    const t0 = result.transcript[0]!.at;
    for (const entry of last) lines.push(`    ${transcriptLine(entry, t0)}`);
  }
  for (const c of result.cleanupFailures) lines.push(`  during cleanup: ${headline(c)}${c.span ? ` at ${formatSpan(c.span)}` : ''}`);
  return escapeControls(redact(lines.join('\n')));
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
    cleanupFailures: deep(result.cleanupFailures),
    transcript: result.transcript.map((t) => ({ ...t, message: deep(t.message) })),
  };
}

export function headline(f: Failure): string {
  if (f.kind === 'interrupted') return 'interrupted';
  const label = f.kind === 'infrastructure' ? 'server problem' : f.kind === 'timeout' ? 'timeout' : 'failed';
  return `${label}: ${f.summary}`;
}

export function transcriptLine(entry: TranscriptEntry, t0: number): string {
  return messageLine({ ...entry, atMs: entry.at - t0 }, 300);
}

/** One message as failure texts and reports list them: time, client, direction, JSON (clipped to `clipAt`). */
export function messageLine(m: { atMs: number; client: string; direction: 'in' | 'out'; message: unknown }, clipAt = Infinity): string {
  const body = JSON.stringify(m.message);
  return `+${String(m.atMs).padStart(5)}ms ${m.client} ${m.direction === 'out' ? '->' : '<-'} ${clip(body, clipAt)}`;
}

function pretty(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v, null, 2);
}

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text.split('\n').map((l) => pad + l).join('\n');
}

/**
 * A line diff of expected against actual, `- ` and `+ ` prefixed. Patterns name only the fields
 * that matter, so the actual message is first cut down to the fields the pattern mentions (and
 * those a mismatch points at, such as a key an exact pattern forbids): what remains differs.
 */
export function diffText(expected: unknown, actual: unknown, mismatches: ReadonlyArray<{ at: string }> = []): string {
  const blamed = mismatches.map((m) => m.at);
  return diffLines(`${pretty(expected)}\n`, `${pretty(onlyWhatThePatternMentions(expected, actual, '', blamed))}\n`)
    .flatMap((part) => {
      const sign = part.added ? '+' : part.removed ? '-' : ' ';
      return part.value.replace(/\n$/, '').split('\n').map((l) => `${sign} ${l}`);
    })
    .join('\n');
}

function onlyWhatThePatternMentions(pattern: unknown, actual: unknown, path: string, blamed: string[]): unknown {
  if (!isPlainObject(pattern) || !isPlainObject(actual)) return actual;
  // Operators ($regex, $exact, ...) say something about the whole value: show it whole.
  if (Object.keys(pattern).some((k) => k.startsWith('$'))) return actual;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(actual)) {
    const at = path ? `${path}.${key}` : key;
    if (Object.hasOwn(pattern, key)) setOwn(out, key, onlyWhatThePatternMentions(pattern[key], value, at, blamed));
    else if (blamed.some((b) => b === at || b.startsWith(`${at}.`))) setOwn(out, key, value);
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
