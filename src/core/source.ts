/** A path into a parsed document, as keys and indexes (the shape ajv's instancePath splits into). */
export type DocPath = ReadonlyArray<string | number>;

/** A place in a scenario file, 1-based, as shown to users as `file:line:col`. */
export interface SourceSpan {
  file: string;
  line: number;
  col: number;
  /** Width of the blamed text on its first line, for the caret; at least 1. */
  width: number;
}

export function formatSpan(span: SourceSpan): string {
  return `${span.file}:${span.line}:${span.col}`;
}
