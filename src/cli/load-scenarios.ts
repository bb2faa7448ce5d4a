import type { CompiledScenario } from '../compile/scenario.js';
import { loadSuite } from '../compile/load-suite.js';
import { nothingFoundMessage } from '../load/collect.js';
import type { LoadProblem } from '../core/diagnostic.js';
import { Redactor } from '../report/redact.js';
import { UsageError } from './options.js';

/**
 * The command line's inputs loaded; inputs that name no file are a usage error (exit 2), said
 * after the problems of the files that were found (a mistyped name hides none of them). A
 * problem's source line shows the run's secrets (`redactor`; at least those of the environment)
 * masked, its caret still under the right column.
 */
export async function loadScenarios(inputs: string[], options: { fragments: boolean; redactor?: Redactor }): Promise<LoadedScenarios> {
  const redactor = options.redactor ?? environmentSecrets();
  // A problem's message may quote a value the file declares secret, its source line pieces of one.
  const loaded = await loadSuite(inputs, { fragments: options.fragments, mask: (text, declared) => redactor.add(declared).masked(text) });
  const missing = loaded.missing.length > 0 ? nothingFoundMessage(loaded.missing) : undefined;
  if (loaded.problems === undefined) {
    if (missing) throw new UsageError(missing);
    return loaded;
  }
  const problemList = [...(loaded.problemList ?? []), ...(missing ? [{ message: missing, text: `error: ${missing}` }] : [])];
  return {
    ...loaded,
    problems: redactor.text(missing ? `${loaded.problems}\nerror: ${missing}` : loaded.problems),
    problemList: problemList.map((p) => redactor.value(p)),
    problemCount: loaded.diagnostics.length + (missing ? 1 : 0),
  };
}

export interface LoadedScenarios {
  scenarios: CompiledScenario[];
  files: string[];
  /** What the console prints when the files could not be loaded (redacted); absent when they could. */
  problems?: string;
  /** The same one by one (redacted), for the reports (`load:problems`); with `problems`. */
  problemList?: LoadProblem[];
  /** How many problems there are (`problemList` shows at most SHOWN_PER_FILE of a file's). */
  problemCount?: number;
}

function environmentSecrets(): Redactor {
  const env = process.env;
  return new Redactor([env.JANUS_API_SECRET, env.JANUS_TOKEN, env.JANUS_ADMIN_SECRET]);
}
