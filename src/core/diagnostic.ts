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

/** Renders a diagnostic the way Hurl does: location, the offending line, a caret under it. */
export function renderDiagnostic(d: Diagnostic, sourceText: string | undefined): string {
  const out = [`error: ${d.message}`, `  --> ${formatSpan(d.span)}`];
  const line = sourceText?.split(/\r?\n/)[d.span.line - 1];
  if (line !== undefined) {
    const gutter = String(d.span.line).length;
    const pad = ' '.repeat(gutter);
    const expanded = line.replace(/\t/g, '    ');
    const before = line.slice(0, d.span.col - 1);
    const caretCol = before.replace(/\t/g, '    ').length;
    const width = Math.max(1, Math.min(d.span.width, Math.max(1, expanded.length - caretCol)));
    out.push(`${pad} |`, `${d.span.line} | ${expanded}`, `${pad} | ${' '.repeat(caretCol)}${'^'.repeat(width)}`);
  }
  if (d.hint) out.push(`  = ${d.hint}`);
  return out.join('\n');
}

export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
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
