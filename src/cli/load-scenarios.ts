import type { CompiledScenario } from '../compile/scenario.js';
import { loadSuite } from '../compile/load-suite.js';
import { nothingFoundMessage } from '../load/collect.js';
import { Redactor } from '../report/redact.js';
import { UsageError } from './options.js';

/**
 * The command line's inputs loaded; inputs that name no file are a usage error (exit 2), said
 * after the problems of the files that were found (a mistyped name hides none of them). A
 * problem's source line shows the run's secrets (`redactor`; at least those of the environment)
 * masked, its caret still under the right column.
 */
export async function loadScenarios(inputs: string[], options: { fragments: boolean; redactor?: Redactor }): Promise<{ scenarios: CompiledScenario[]; files: string[]; problems?: string }> {
  const redactor = options.redactor ?? environmentSecrets();
  // A problem's message may quote a value the file declares secret, its source line pieces of one.
  const loaded = await loadSuite(inputs, { fragments: options.fragments, mask: (text, declared) => redactor.add(declared).masked(text) });
  const missing = loaded.missing.length > 0 ? nothingFoundMessage(loaded.missing) : undefined;
  if (loaded.problems === undefined) {
    if (missing) throw new UsageError(missing);
    return loaded;
  }
  return { ...loaded, problems: redactor.text(missing ? `${loaded.problems}\nerror: ${missing}` : loaded.problems) };
}

function environmentSecrets(): Redactor {
  const env = process.env;
  return new Redactor([env.JANUS_API_SECRET, env.JANUS_TOKEN, env.JANUS_ADMIN_SECRET]);
}
