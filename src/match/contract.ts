import type { DocPath } from '../core/source.js';

/** One reason a value did not match, at a path inside the message (`plugindata.data.result`). */
export interface Mismatch {
  at: string;
  expected: string;
  actual: unknown;
}

/** What matchers need at run time: placeholders resolved against the scenario's values, schemas. */
export interface MatchRuntime {
  resolve(template: Template): unknown;
  /** Strict, for `version` (the server's): fields the catalogue does not know for it are violations. */
  validateSchema(name: string, value: unknown, version?: string): string[] | undefined;
  /** The server's version_string, for `$janus` (undefined when unknown). */
  serverVersion?: string;
}

/** A compiled value with placeholders; resolving yields typed values (a saved integer stays an integer). */
export type Template = (values: ValueLookup) => unknown;
export interface ValueLookup {
  lookup(ref: string): unknown;
}

/** Pushes mismatches into `out`; `actual` is undefined when the key is absent. */
export type Matcher = (actual: unknown, at: string, rt: MatchRuntime, out: Mismatch[]) => void;

/** What compiling a pattern needs: child compilation and positioned errors. */
export interface PatternCompiler {
  compile(pattern: unknown, path: DocPath, exact: boolean): Matcher;
  error(path: DocPath, message: string, hint?: string): void;
  knownSchema(name: string): boolean;
  /** A template for a string with placeholders; undefined when it has none. */
  template(s: string, path: DocPath): Template | undefined;
}

/** A `{ $name: argument }` operator: one file each in src/match/operators, registered by name. */
export interface OperatorDefinition {
  name: string;
  /** One line for docs and for "expected one of" messages. */
  summary: string;
  compile(argument: unknown, path: DocPath, compiler: PatternCompiler, exact: boolean): Matcher | undefined;
}

export function describeValue(value: unknown): string {
  if (value === undefined) return '(absent)';
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

export function joinPath(at: string, key: string | number): string {
  if (typeof key === 'number') return `${at}[${key}]`;
  return at ? `${at}.${key}` : key;
}
