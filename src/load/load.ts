import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Diagnostic } from '../core/diagnostic.js';
import { compileScenario } from '../compile/compile.js';
import type { CompiledScenario } from '../compile/scenario.js';
import { isFragmentFile } from './collect.js';
import { validateFile } from './validate.js';
import { YamlSource } from './yaml-source.js';

export interface LoadResult {
  scenarios: CompiledScenario[];
  diagnostics: Diagnostic[];
  /** Source text per displayed file name, for rendering carets. */
  sources: Map<string, string>;
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  knownSchema?: (name: string) => boolean;
}

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
  const fragmentCache = new Map<string, { source?: YamlSource; diagnostics: Diagnostic[] }>();

  const parse = (file: string, kind: 'scenario' | 'fragment'): { source?: YamlSource; diagnostics: Diagnostic[] } => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
      return { diagnostics: [{ span: { file: display(file), line: 1, col: 1, width: 1 }, message: `cannot read ${display(file)}: ${reason}` }] };
    }
    sources.set(display(file), text);
    const parsed = YamlSource.parse(display(file), text);
    if (!parsed.source) return parsed;
    const problems = validateFile(parsed.source, kind);
    return problems.length > 0 ? { diagnostics: problems } : parsed;
  };

  const loadFragment = (file: string) => {
    if (!fragmentCache.has(file)) fragmentCache.set(file, parse(file, 'fragment'));
    const cached = fragmentCache.get(file)!;
    // A fragment's own diagnostics are reported once, by whichever scenario includes it first.
    if (cached.diagnostics.length > 0 && !cached.source) {
      const once = { diagnostics: cached.diagnostics };
      fragmentCache.set(file, { diagnostics: [] });
      return once;
    }
    return cached;
  };

  for (const file of files) {
    if (isFragmentFile(file)) {
      diagnostics.push(...loadFragment(file).diagnostics);
      continue;
    }
    const parsed = parse(file, 'scenario');
    if (!parsed.source) {
      diagnostics.push(...parsed.diagnostics);
      continue;
    }
    const compiled = compileScenario(parsed.source, {
      env: options.env ?? process.env,
      loadFragment,
      knownSchema: options.knownSchema ?? (() => false),
    });
    diagnostics.push(...compiled.diagnostics);
    if (compiled.scenario) scenarios.push(compiled.scenario);
  }
  return { scenarios, diagnostics, sources };
}
