import type { ReportFormat, ReporterFactory } from './contract.js';
import { fileReporter } from './file.js';
import { registerLazyReporter } from './registry.js';

/** The names that mean the console reporter: `spec` is what mocha users type. */
export const CONSOLE_NAMES = ['console', 'spec'];

/**
 * A built-in reporter: what `--help` and a misspelt `--reporter` show, and how its code is
 * loaded. Nothing here imports a reporter: a run loads the ones it chose (the console, by
 * default), and never the HTML page's script, the comparison or the other file formats.
 */
export interface BuiltinReporter {
  name: string;
  description: string;
  /** A file reporter's path when none is given; the format's own `defaultPath` (a unit test holds them equal). */
  defaultPath?: string;
  load(): Promise<ReporterFactory>;
}

const consoleReporter = async (): Promise<ReporterFactory> => {
  const { ConsoleReporter } = await import('./console.js');
  return (context) => new ConsoleReporter(context);
};
const format = (load: () => Promise<ReportFormat>) => async (): Promise<ReporterFactory> => fileReporter(await load());

export const BUILTIN_REPORTERS: readonly BuiltinReporter[] = [
  { name: 'console', description: 'a line per scenario as it ends, then each failure in full (the default)', load: consoleReporter },
  { name: 'spec', description: 'the console reporter, by the name mocha users type', load: consoleReporter },
  {
    name: 'coverage',
    description: 'the request verbs, plugin requests and error codes the run exercised, per transport',
    load: async () => {
      const { CoverageReporter } = await import('./coverage.js');
      return (context) => new CoverageReporter(context);
    },
  },
  { name: 'blob', description: "the run's events, for merge-reports to join the shards of a run", defaultPath: 'blob-report/report-<shard>.jsonl', load: async () => (await import('./blob.js')).blobReporterFactory },
  { name: 'junit', description: 'JUnit XML', defaultPath: 'janus-scenarios-junit.xml', load: format(async () => (await import('./junit.js')).junitFormat) },
  { name: 'json', description: 'the run report as JSON', defaultPath: 'janus-scenarios-report.json', load: format(async () => (await import('./json.js')).jsonFormat) },
  { name: 'tap', description: 'TAP version 14', defaultPath: 'janus-scenarios.tap', load: format(async () => (await import('./tap.js')).tapFormat) },
  { name: 'html', description: 'one self-contained HTML page', defaultPath: 'janus-scenarios-report.html', load: format(async () => (await import('./html/index.js')).htmlFormat) },
];

let builtinsRegistered = false;

/**
 * Registers the project's reporters: the console (also as `spec`), coverage, blob and the report
 * files junit, json, tap and html, each by name with a loader. Explicit, like every registry;
 * calling it again is harmless, but a built-in name another reporter already took is an error.
 */
export function registerBuiltinReporters(): void {
  if (builtinsRegistered) return;
  builtinsRegistered = true;
  for (const { name, description, defaultPath, load } of BUILTIN_REPORTERS) {
    registerLazyReporter(name, load, { description, ...(defaultPath !== undefined && { defaultPath }) });
  }
}
