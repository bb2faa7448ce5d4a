/**
 * Text from a server or a scenario file may hold control characters: an ESC that starts a
 * terminal escape sequence, a BEL, a CR that overwrites the line, C1 controls, Unicode bidi
 * overrides that reorder what a reader sees. Everything the tool prints shows them escaped
 * (`\u001b`, as JSON writes them) instead of letting them act. Newlines stay where a text is
 * multi-line (a failure text), tabs stay: both only lay text out.
 */
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;
const CONTROLS_AND_NEWLINES = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

export function escapeControls(text: string, options: { newlines?: 'keep' | 'escape' } = {}): string {
  const pattern = options.newlines === 'escape' ? CONTROLS_AND_NEWLINES : CONTROLS;
  return text.replace(pattern, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** For one-line places (a title, a TAP description, an XML attribute): newlines are escaped too. */
export function oneLinePrintable(text: string): string {
  return escapeControls(text, { newlines: 'escape' });
}
