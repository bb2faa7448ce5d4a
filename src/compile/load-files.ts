import { realpathSync } from 'node:fs';
import { relative } from 'node:path';
import { byPosition, type Diagnostic } from '../core/diagnostic.js';
import { compileFragment, compileScenario, type CompileOptions } from './compile.js';
import type { CompiledScenario } from './scenario.js';
import type { ErrorCodeNames } from '../match/compile-pattern.js';
import { knownSchema } from '../schemas/catalogue.js';
import { CATALOGUE_ERROR_CODES } from '../schemas/error-names.js';
import { isFragmentFile } from '../load/collect.js';
import { readScenarioText } from '../load/read-text.js';
import { checkFile, type RefusedSteps } from './validate.js';
import { declaredSecretLiterals, maskValues } from './declared-secrets.js';
import { YamlSource } from '../load/yaml-source.js';
import type { Environment } from '../core/environment.js';

export interface LoadResult {
  scenarios: CompiledScenario[];
  diagnostics: Diagnostic[];
  /** Source text per displayed file name, for rendering carets; what a file declares secret is masked. */
  sources: Map<string, string>;
  /** The values the files declare secret and spell out (declaredSecretLiterals), to redact in the problems' texts too. */
  declaredSecrets: string[];
}

export interface LoadOptions {
  env?: Environment;
  cwd?: string;
  /** Which names `$schema:` accepts; default: the schema catalogue's (core/success/create, ...). */
  knownSchema?: (name: string) => boolean;
  /** Which error names `code:` accepts (SESSION_NOT_FOUND, ...); default: the catalogue's. */
  errorCodes?: ErrorCodeNames;
}

/**
 * A parsed file, or why there is none: `unreadable` is a problem with no place inside the file;
 * `partly`, a file whose schema problems are all in steps it can be compiled without.
 */
type Parsed = { source?: YamlSource; diagnostics: Diagnostic[]; missing?: boolean; unreadable?: string; partly?: { source: YamlSource; refused: RefusedSteps } };

/**
 * Loads scenario files: parse with positions, validate against the schema, compile. Nothing
 * here touches the network; a file with any diagnostic yields no scenario.
 */
export function loadFiles(files: string[], options: LoadOptions = {}): LoadResult {
  const cwd = options.cwd ?? process.cwd();
  const sources = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const scenarios: CompiledScenario[] = [];
  const declaredSecrets = new Set<string>();
  const display = (file: string): string => {
    const rel = relative(cwd, file);
    return rel.startsWith('..') ? file : rel;
  };

  const parse = (file: string, kind: 'scenario' | 'fragment'): Parsed => {
    const read = readScenarioText(file);
    if ('problem' in read) {
      const { message, line, col, missing, display: shown } = read.problem;
      if (missing) return { diagnostics: [], missing: true };
      if (line === undefined) return { diagnostics: [], unreadable: message };
      if (shown !== undefined) sources.set(display(file), shown);
      return { diagnostics: [{ span: { file: display(file), line, col: col ?? 1, width: 1 }, message }] };
    }
    const text = read.text;
    sources.set(display(file), text);
    const parsed = YamlSource.parse(display(file), file, text);
    if (!parsed.source) return parsed;
    const declared = declaredSecretLiterals(parsed.source.value);
    if (declared.length > 0) {
      declared.forEach((v) => declaredSecrets.add(v));
      sources.set(display(file), maskValues(text, declared));
    }
    const checked = checkFile(parsed.source, kind);
    if (checked.diagnostics.length === 0) return parsed;
    return { diagnostics: checked.diagnostics, ...(!checked.blocking && { partly: { source: parsed.source, refused: checked.refused } }) };
  };
  /** A file's own problems when it was named directly: missing or unreadable ones at its 1:1. */
  const ownProblems = (file: string, parsed: Parsed): Diagnostic[] => {
    const at = { file: display(file), line: 1, col: 1, width: 1 };
    if (parsed.missing) return [{ span: at, message: `cannot read ${display(file)}: no such file` }];
    if (parsed.unreadable) return [{ span: at, message: `cannot read ${display(file)}: ${parsed.unreadable}` }];
    return parsed.diagnostics;
  };

  // A fragment's own problems are reported once, however many scenarios include it.
  const fragmentCache = new Map<string, Parsed>();
  const reported = new Set<string>();
  const loadFragment = (file: string): Parsed => {
    const key = realPath(file);
    if (!fragmentCache.has(key)) fragmentCache.set(key, parse(file, 'fragment'));
    const cached = fragmentCache.get(key)!;
    if (reported.has(key)) return { ...cached, diagnostics: [] };
    reported.add(key);
    return cached;
  };

  const compileOptions = (): CompileOptions => ({
    env: options.env ?? process.env,
    loadFragment,
    identify: realPath,
    knownSchema: options.knownSchema ?? knownSchema,
    errorCodes: options.errorCodes ?? CATALOGUE_ERROR_CODES,
  });
  for (const file of files) {
    if (isFragmentFile(file)) {
      const fragment = loadFragment(file);
      // A fragment named on its own is compiled on its own too: its includes, placeholders and
      // patterns; those of the steps the schema did not refuse when it refused some.
      const compiled = fragment.source ?? fragment.partly?.source;
      const rest = compiled ? compileFragment(compiled, { ...compileOptions(), refused: fragment.partly?.refused }).diagnostics : [];
      diagnostics.push(...inFileOrder(display(file), [...ownProblems(file, fragment), ...rest]));
      continue;
    }
    const parsed = parse(file, 'scenario');
    if (!parsed.source) {
      const own = ownProblems(file, parsed);
      // The steps the schema did not refuse are compiled too: their problems are said in this run, not the next.
      const rest = parsed.partly ? compileScenario(parsed.partly.source, { ...compileOptions(), refused: parsed.partly.refused }).diagnostics : [];
      diagnostics.push(...inFileOrder(display(file), [...own, ...rest]));
      continue;
    }
    const compiled = compileScenario(parsed.source, compileOptions());
    diagnostics.push(...compiled.diagnostics);
    if (compiled.scenario) scenarios.push(compiled.scenario);
  }

  // The same problem can be reached twice (a fragment included by several steps); say it once.
  const seen = new Set<string>();
  const unique = diagnostics.filter((d) => {
    const key = `${d.span.file}:${d.span.line}:${d.span.col}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { scenarios, diagnostics: unique, sources, declaredSecrets: [...declaredSecrets] };
}

/** A file's problems by line and column; those in other files (the fragments it includes) after them, as they came. */
function inFileOrder(file: string, list: Diagnostic[]): Diagnostic[] {
  const own = list.filter((d) => d.span.file === file).sort(byPosition);
  return [...own, ...list.filter((d) => d.span.file !== file)];
}

/** The same file reached through symbolic links is one file (include cycles, the fragment cache). */
function realPath(file: string): string {
  try {
    return realpathSync.native(file);
  } catch {
    return file;
  }
}
