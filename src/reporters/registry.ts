import type { ReportFormat, ReporterFactory } from './contract.js';
import { fileReporter } from './file.js';

export interface RegisteredReporter {
  name: string;
  factory: ReporterFactory;
  /** Set for reporters that write a file: the path when `--reporter name` gives none. */
  defaultPath?: string;
}

const reporters = new Map<string, RegisteredReporter>();

/**
 * Makes `--reporter <name>` (and the library's reporter lists) use this factory. The rule every
 * registry of the project follows: built-ins are registered explicitly, a name taken twice is an
 * error, and a registration made at any time counts from then on.
 */
export function registerReporter(name: string, factory: ReporterFactory, options: { defaultPath?: string } = {}): void {
  if (!/^[a-z][a-z0-9-]*$/i.test(name)) throw new Error(`a reporter name is letters, digits and dashes: "${name}"`);
  if (reporters.has(name)) throw new Error(`a reporter named "${name}" is already registered`);
  reporters.set(name, { name, factory, ...(options.defaultPath !== undefined && { defaultPath: options.defaultPath }) });
}

/** A report format (render a RunReport to text) as a file reporter: `--reporter <name>[:path]`. */
export function registerReportFormat(format: ReportFormat): void {
  registerReporter(format.name, fileReporter(format), { defaultPath: format.defaultPath });
}

export function getReporter(name: string): RegisteredReporter | undefined {
  return reporters.get(name);
}

export function reporterNames(): string[] {
  return [...reporters.keys()];
}
