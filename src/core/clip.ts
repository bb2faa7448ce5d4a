/** The mark a cut leaves. Redaction relies on it to catch a secret's piece next to a cut (src/report/redact.ts). */
export const CUT_MARK = '...';

/**
 * Cuts a text to `max` characters, marking the cut. Whoever can should redact before cutting;
 * a cut that always carries the mark lets redaction still find the piece of a secret it left.
 */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(0, max - CUT_MARK.length))}${CUT_MARK}` : text;
}
