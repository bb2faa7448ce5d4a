import { basename } from 'node:path';
import type { CompiledScenario } from '../compile/scenario.js';
import { loadProblems, loadProblemsText, type Diagnostic, type LoadProblem } from '../core/diagnostic.js';
import type { Environment } from '../core/environment.js';
import { knownSchema } from '../schemas/catalogue.js';
import { CATALOGUE_ERROR_CODES } from '../schemas/error-names.js';
import { collectFiles, CONFIG_FILES } from '../load/collect.js';
import { loadFiles } from './load-files.js';

export interface LoadSuiteOptions {
  /** Fragment files are collected too (to validate them); a run leaves them out. */
  fragments?: boolean;
  /** File names (no folder) that are never scenarios; default: the project's config files. */
  ignore?: string[];
  cwd?: string;
  env?: Environment;
  /**
   * Applied to each source line a problem shows (the run's secrets masked), keeping its columns;
   * given the values the files declare secret too (their whole values are masked already).
   */
  mask?: (sourceText: string, declaredSecrets: readonly string[]) => string;
}

export interface LoadedSuite {
  scenarios: CompiledScenario[];
  files: string[];
  /** Inputs that named no file: the caller says so (a usage problem). The files found are loaded all the same, for their problems; none of their scenarios is returned. */
  missing: string[];
  diagnostics: Diagnostic[];
  /** The diagnostics rendered with their source lines; absent when there is none. */
  problems?: string;
  /** The same problems one by one, for the reports of a run that could not load its files; absent when there is none. */
  problemList?: LoadProblem[];
}

/**
 * Collects scenario files from files, folders and globs and loads them with the schema
 * catalogue and Janus's error names. A file with any diagnostic yields no scenario; the
 * command line runs nothing when there is any (`problems`).
 */
export async function loadSuite(inputs: string[], options: LoadSuiteOptions = {}): Promise<LoadedSuite> {
  const collected = await collectFiles(inputs, { fragments: options.fragments ?? false, cwd: options.cwd });
  const ignore = options.ignore ?? CONFIG_FILES;
  const files = collected.files.filter((f) => !ignore.includes(basename(f)));
  const missing = collected.missing;
  const result = loadFiles(files, { cwd: options.cwd, env: options.env, knownSchema, errorCodes: CATALOGUE_ERROR_CODES });
  const scenarios = missing.length > 0 ? [] : result.scenarios;
  if (result.diagnostics.length === 0) return { scenarios, files, missing, diagnostics: [] };
  const mask = options.mask;
  const sources = mask ? new Map([...result.sources].map(([file, text]) => [file, mask(text, result.declaredSecrets)])) : result.sources;
  const problemList = loadProblems(result.diagnostics, sources);
  return { scenarios, files, missing, diagnostics: result.diagnostics, problems: loadProblemsText(problemList, result.diagnostics.length), problemList };
}
