/** A run of literal text this long inside a templated secret is a piece of the secret worth hiding. */
const LITERAL_PIECE = 8;

/**
 * The values a scenario file declares secret and spells out itself: the variables named under
 * `secrets:` whose value is written in the file (`pin: "4821"`), and the literal runs of
 * LITERAL_PIECE characters or more of one written around placeholders. Read from the parsed
 * document before it is validated or compiled: a file with problems is shown by its source
 * lines, and those must not show what the file says is secret. Values from the environment
 * (`${env.PIN}`) are not in the file; they are redacted when the run knows them.
 */
export function declaredSecretLiterals(doc: unknown): string[] {
  if (!isRecord(doc) || !Array.isArray(doc.secrets) || !isRecord(doc.variables)) return [];
  const variables = doc.variables;
  const found: string[] = [];
  for (const name of doc.secrets) {
    if (typeof name !== 'string' || !Object.hasOwn(variables, name)) continue;
    const value = variables[name];
    if (typeof value === 'number' || typeof value === 'boolean') found.push(String(value));
    if (typeof value !== 'string') continue;
    const pieces = value.split(/\$\{[^}]*\}/);
    if (pieces.length === 1) found.push(value);
    else found.push(...pieces.filter((piece) => piece.length >= LITERAL_PIECE));
  }
  return found.filter((v) => v !== '');
}

/** The text with each value replaced by as many `*` (longest first): a source line keeps its columns. */
export function maskValues(text: string, values: readonly string[]): string {
  let masked = text;
  for (const value of [...values].sort((a, b) => b.length - a.length)) masked = masked.split(value).join('*'.repeat(value.length));
  return masked;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
