import { BLOB_DEFAULT_PATH, blobReporterFactory } from './blob.js';
import { ConsoleReporter } from './console.js';
import { CoverageReporter } from './coverage.js';
import { htmlFormat } from './html/index.js';
import { jsonFormat } from './json.js';
import { junitFormat } from './junit.js';
import { getReporter, registerReportFormat, registerReporter } from './registry.js';
import { tapFormat } from './tap.js';

/** The names that mean the console reporter: `spec` is what mocha users type. */
export const CONSOLE_NAMES = ['console', 'spec'];

/**
 * Registers the project's reporters: the console (also as `spec`), coverage, and the report
 * files junit, json, tap and html. Explicit, like every registry; calling it again is harmless,
 * but a built-in name another reporter already took is an error.
 */
export function registerBuiltinReporters(): void {
  if (getReporter('console')?.factory === consoleFactory) return;
  for (const name of CONSOLE_NAMES) registerReporter(name, consoleFactory);
  registerReporter('coverage', (context) => new CoverageReporter(context));
  registerReporter('blob', blobReporterFactory, { defaultPath: BLOB_DEFAULT_PATH });
  for (const format of [junitFormat, jsonFormat, tapFormat, htmlFormat]) registerReportFormat(format);
}

const consoleFactory = (context: ConstructorParameters<typeof ConsoleReporter>[0]) => new ConsoleReporter(context);
