import { renderDiagnostics } from '../core/diagnostic.js';
import type { CompiledScenario } from '../compile/scenario.js';
import { collectFiles } from '../load/collect.js';
import { loadFiles } from '../compile/load-files.js';
import { basename } from 'node:path';
import { CONFIG_FILES } from './config.js';
import { UsageError } from './options.js';

/** Collects and loads scenario files; `problems` is the rendered diagnostics, if any. */
export async function loadScenarios(inputs: string[], options: { fragments: boolean }): Promise<{ scenarios: CompiledScenario[]; files: string[]; problems?: string }> {
  const collected = await collectFiles(inputs, options);
  const { missing } = collected;
  // The project's config file is no scenario, even in a folder that is searched for YAML files.
  const files = collected.files.filter((f) => !CONFIG_FILES.includes(basename(f)));
  if (missing.length > 0) throw new UsageError(`no scenario files found for ${missing.map((m) => `"${m}"`).join(', ')}`);
  const result = loadFiles(files);
  if (result.diagnostics.length === 0) return { scenarios: result.scenarios, files };
  return { scenarios: [], files, problems: renderDiagnostics(result.diagnostics, result.sources) };
}
