import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Diagnostic } from '../core/diagnostic.js';
import { compileScenario } from '../compile/compile.js';
import type { CompiledScenario } from '../compile/scenario.js';
import type { ErrorCodeNames } from '../match/compile-pattern.js';
import { isFragmentFile } from './collect.js';
import { validateFile } from './validate.js';
import { YamlSource } from './yaml-source.js';
import type { Environment } from '../core/environment.js';

export interface LoadResult {
  scenarios: CompiledScenario[];
  diagnostics: Diagnostic[];
  /** Source text per displayed file name, for rendering carets. */
  sources: Map<string, string>;
}

export interface LoadOptions {
  env?: Environment;
  cwd?: string;
  knownSchema?: (name: string) => boolean;
  errorCodes?: ErrorCodeNames;
}

type Parsed = { source?: YamlSource; diagnostics: Diagnostic[]; missing?: boolean };

/**
 * Loads scenario files: parse with positions, validate against the schema, compile. Nothing
 * here touches the network; a file with any diagnostic yields no scenario.
 */
export function loadFiles(files: string[], options: LoadOptions = {}): LoadResult {
  const cwd = options.cwd ?? process.cwd();
  const sources = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const scenarios: CompiledScenario[] = [];
  const display = (file: string): string => {
    const rel = relative(cwd, file);
    return rel.startsWith('..') ? file : rel;
  };

  const parse = (file: string, kind: 'scenario' | 'fragment'): Parsed => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { diagnostics: [], missing: true };
      return { diagnostics: [{ span: { file: display(file), line: 1, col: 1, width: 1 }, message: `cannot read ${display(file)}: ${(e as Error).message}` }] };
    }
    sources.set(display(file), text);
    const parsed = YamlSource.parse(display(file), file, text);
    if (!parsed.source) return parsed;
    const problems = validateFile(parsed.source, kind);
    return problems.length > 0 ? { diagnostics: problems } : parsed;
  };

  // A fragment's own problems are reported once, however many scenarios include it.
  const fragmentCache = new Map<string, Parsed>();
  const reported = new Set<string>();
  const loadFragment = (file: string): Parsed => {
    if (!fragmentCache.has(file)) fragmentCache.set(file, parse(file, 'fragment'));
    const cached = fragmentCache.get(file)!;
    if (reported.has(file)) return { ...cached, diagnostics: [] };
    reported.add(file);
    return cached;
  };

  for (const file of files) {
    if (isFragmentFile(file)) {
      const fragment = loadFragment(file);
      if (fragment.missing) diagnostics.push({ span: { file: display(file), line: 1, col: 1, width: 1 }, message: `cannot read ${display(file)}: no such file` });
      diagnostics.push(...fragment.diagnostics);
      continue;
    }
    const parsed = parse(file, 'scenario');
    if (parsed.missing) diagnostics.push({ span: { file: display(file), line: 1, col: 1, width: 1 }, message: `cannot read ${display(file)}: no such file` });
    if (!parsed.source) {
      diagnostics.push(...parsed.diagnostics);
      continue;
    }
    const compiled = compileScenario(parsed.source, {
      env: options.env ?? process.env,
      loadFragment,
      knownSchema: options.knownSchema ?? (() => false),
      errorCodes: options.errorCodes,
    });
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
  return { scenarios, diagnostics: unique, sources };
}
