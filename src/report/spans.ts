/** Where a run of characters starts and ends (exclusive) in a text. */
export interface Span {
  start: number;
  end: number;
}

/**
 * The spans in order, overlapping or touching ones merged (what several searches found side by
 * side is one secret's worth of text, shown as one replacement), each widened so that it does
 * not split a surrogate pair (half an emoji would be left behind).
 */
export function mergeSpans(text: string, spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    const { start, end } = wholeCharacters(text, span);
    const last = out[out.length - 1];
    if (last !== undefined && start <= last.end) last.end = Math.max(last.end, end);
    else out.push({ start, end });
  }
  return out;
}

/** The text with each span (in order, apart) replaced by what `replacement` makes of its characters. */
export function replaceSpans(text: string, spans: readonly Span[], replacement: (piece: string) => string): string {
  if (spans.length === 0) return text;
  let out = '';
  let from = 0;
  for (const { start, end } of spans) {
    out += text.slice(from, start) + replacement(text.slice(start, end));
    from = end;
  }
  return out + text.slice(from);
}

function wholeCharacters(text: string, { start, end }: Span): Span {
  const low = (i: number): boolean => i >= 0 && i < text.length && (text.charCodeAt(i) & 0xfc00) === 0xdc00;
  const high = (i: number): boolean => i >= 0 && i < text.length && (text.charCodeAt(i) & 0xfc00) === 0xd800;
  return { start: low(start) && high(start - 1) ? start - 1 : start, end: high(end - 1) && low(end) ? end + 1 : end };
}
