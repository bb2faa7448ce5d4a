import { renderDiagnostics } from '../core/diagnostic.js';
import type { CompiledScenario } from '../compile/scenario.js';
import { collectFiles } from '../load/collect.js';
import { loadFiles } from '../load/load.js';
import { knownSchema } from '../schemas/catalogue.js';
import { errorCodeByName, errorNames } from '../schemas/error-names.js';
import { UsageError } from './options.js';

/** Collects and loads scenario files; `problems` is the rendered diagnostics, if any. */
export async function loadScenarios(inputs: string[], options: { fragments: boolean }): Promise<{ scenarios: CompiledScenario[]; files: string[]; problems?: string }> {
  const { files, missing } = await collectFiles(inputs, options);
  if (missing.length > 0) throw new UsageError(`no scenario files found for ${missing.map((m) => `"${m}"`).join(', ')}`);
  const result = loadFiles(files, { knownSchema, errorCodes: { code: errorCodeByName, names: errorNames } });
  if (result.diagnostics.length === 0) return { scenarios: result.scenarios, files };
  return { scenarios: [], files, problems: renderDiagnostics(result.diagnostics, result.sources) };
}
