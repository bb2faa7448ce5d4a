import type { CompiledScenario } from '../compile/scenario.js';
import { loadSuite } from '../compile/load-suite.js';
import { UsageError } from './options.js';

/** The command line's inputs loaded; inputs that name no file are a usage error (exit 2). */
export async function loadScenarios(inputs: string[], options: { fragments: boolean }): Promise<{ scenarios: CompiledScenario[]; files: string[]; problems?: string }> {
  const loaded = await loadSuite(inputs, { fragments: options.fragments });
  if (loaded.missing.length > 0) throw new UsageError(`no scenario files found for ${loaded.missing.map((m) => `"${m}"`).join(', ')}`);
  return loaded;
}
