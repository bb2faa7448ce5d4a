import { type SourceSpan, formatSpan } from './source.js';

/**
 * A problem with a scenario file, found before any network I/O. Diagnostics are values:
 * every stage returns them, and only the CLI decides how to print them and which exit code
 * follows.
 */
export interface Diagnostic {
  span: SourceSpan;
  /** One line: what is wrong, and what was expected. */
  message: string;
  /** Optional extra line, e.g. "did you mean 'expect'?". */
  hint?: string;
}

/** Orders the problems of one file as they stand in it: by line, then column. */
export function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.span.line - b.span.line || a.span.col - b.span.col;
}

/** How much of a file's problems and of a source line a reader is shown. */
export const SHOWN_PER_FILE = 10;
const LINE_WINDOW = 100;
/**
 * Problems of one document that get a "did you mean" among the names it declares: well past the
 * SHOWN_PER_FILE a reader sees. Each guess compares with every name, so thousands of unknown
 * names in a file of thousands of variables took half a minute to load without a bound.
 */
export const HINTED_PER_FILE = 100;
const MESSAGE_LIMIT = 300;

/** Renders a diagnostic the way Hurl does: location, the offending line, a caret under it. */
export function renderDiagnostic(d: Diagnostic, sourceText: string | undefined): string {
  const out = [`error: ${shorten(printable(d.message), MESSAGE_LIMIT)}`, `  --> ${printable(formatSpan(d.span))}`];
  const line = sourceText?.split(/\r?\n/)[d.span.line - 1];
  if (line !== undefined) {
    const gutter = String(d.span.line).length;
    const pad = ' '.repeat(gutter);
    const { text, caretCol, width } = excerpt(line, d.span.col - 1, d.span.width);
    out.push(`${pad} |`, `${d.span.line} | ${text}`, `${pad} | ${' '.repeat(caretCol)}${'^'.repeat(width)}`);
  }
  if (d.hint) out.push(`  = ${shorten(printable(d.hint), MESSAGE_LIMIT)}`);
  return out.join('\n');
}

/**
 * One problem as a report holds it (a run whose files failed to load): the block the console
 * prints for it, and its place and message apart. The notes that say how many more problems a
 * file has, and inputs that named no file, are problems without a `location`.
 */
export interface LoadProblem {
  /** The file it is in; absent for an input that named no file. */
  file?: string;
  /** `file:line:col`. */
  location?: string;
  /** One line: what is wrong (with its hint, when there is one). */
  message: string;
  /** As the console shows it: the message, the place, the source line with a caret under it. */
  text: string;
}

/**
 * Diagnostics as the problems the console shows, bounded: the first SHOWN_PER_FILE of each file,
 * then for each file with more, how many more there are.
 */
export function loadProblems(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): LoadProblem[] {
  const perFile = new Map<string, number>();
  const problems: LoadProblem[] = [];
  for (const d of diagnostics) {
    const n = (perFile.get(d.span.file) ?? 0) + 1;
    perFile.set(d.span.file, n);
    if (n > SHOWN_PER_FILE) continue;
    const message = shorten(printable(d.message), MESSAGE_LIMIT) + (d.hint ? ` (${shorten(printable(d.hint), MESSAGE_LIMIT)})` : '');
    problems.push({ file: printable(d.span.file), location: printable(formatSpan(d.span)), message, text: renderDiagnostic(d, sources.get(d.span.file)) });
  }
  for (const [file, n] of perFile) {
    if (n <= SHOWN_PER_FILE) continue;
    const more = `... and ${n - SHOWN_PER_FILE} more problem${n - SHOWN_PER_FILE === 1 ? '' : 's'} in ${printable(file)} (the first ${SHOWN_PER_FILE} are shown)`;
    problems.push({ file: printable(file), message: more, text: more });
  }
  return problems;
}

/** The last line the console prints under the problems. */
export function loadProblemsSummary(count: number): string {
  return `${count} problem${count === 1 ? '' : 's'} in scenario files; nothing was run`;
}

/**
 * Renders diagnostics with bounded output: the first SHOWN_PER_FILE problems of each file,
 * then how many more there are, and the count of all of them.
 */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): string {
  return loadProblemsText(loadProblems(diagnostics, sources), diagnostics.length);
}

/** The problems as the console prints them, then how many there are in all. */
export function loadProblemsText(problems: readonly LoadProblem[], count: number): string {
  return `${problems.map((p) => p.text).join('\n\n')}\n\n${loadProblemsSummary(count)}`;
}

/**
 * One source line as shown: tabs expanded, control and other invisible characters escaped
 * (never echoed raw), and a long line cut to a window around the caret with … at the cuts.
 */
function excerpt(line: string, col: number, spanWidth: number): { text: string; caretCol: number; width: number } {
  const chars = [...line];
  const shown = chars.map((ch) => (ch === '\t' ? '    ' : printable(ch)));
  // columns[i]: where character i starts on screen.
  const columns = [0];
  for (const piece of shown) columns.push(columns[columns.length - 1]! + piece.length);
  const at = Math.min(chars.length, [...line.slice(0, Math.max(0, col))].length);
  let start = 0;
  let end = chars.length;
  if (columns[end]! > LINE_WINDOW * 2) {
    start = at;
    while (start > 0 && columns[at]! - columns[start - 1]! <= LINE_WINDOW / 2) start--;
    end = at;
    while (end < chars.length && columns[end + 1]! - columns[start]! <= LINE_WINDOW * 1.5) end++;
  }
  const head = start > 0 ? '…' : '';
  const text = head + shown.slice(start, end).join('') + (end < chars.length ? '…' : '');
  const caretCol = head.length + columns[at]! - columns[start]!;
  const spanEnd = Math.min(end, [...line.slice(0, col + spanWidth)].length);
  const width = Math.max(1, Math.min(columns[Math.max(spanEnd, at)]! - columns[at]!, text.length - caretCol));
  return { text, caretCol, width };
}

const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffd]/g;

/** Escapes control and invisible characters (\x07, \u202e, ...) so that no raw byte reaches the terminal. */
export function printable(text: string): string {
  return text.replace(INVISIBLE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

function shorten(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length - limit} more characters)` : text;
}

/** The candidate nearest `name`, if near enough: within `maxDistance` edits (default: 2, or a third of the name's length). */
export function closestName(name: string, candidates: readonly string[], maxDistance = Math.max(2, Math.floor(name.length / 3))): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= maxDistance ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}
