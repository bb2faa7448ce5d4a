import type { ReportFormat, ReporterFactory } from './contract.js';
import { fileReporter } from './file.js';

export interface RegisteredReporter {
  name: string;
  /** One line for `--help` and for the message that names the reporters there are. */
  description?: string;
  /** Set for reporters that write a file: the path when `--reporter name` gives none. */
  defaultPath?: string;
  /**
   * The factory: there from the start for a reporter registered with one, once `loadReporter`
   * has loaded it for a reporter registered with a loader (the built-ins: a run loads the code
   * of the reporters it uses, no other).
   */
  factory?: ReporterFactory;
  /** Loads the reporter's code (once) and gives its factory. */
  load(): Promise<ReporterFactory>;
}

/** A registered reporter whose code is loaded. */
export type LoadedReporter = RegisteredReporter & { factory: ReporterFactory };

export interface ReporterOptions {
  defaultPath?: string;
  description?: string;
}

const reporters = new Map<string, RegisteredReporter>();

/**
 * Makes `--reporter <name>` (and the library's reporter lists) use this factory. The rule every
 * registry of the project follows: built-ins are registered explicitly, a name taken twice is an
 * error, and a registration made at any time counts from then on.
 */
export function registerReporter(name: string, factory: ReporterFactory, options: ReporterOptions = {}): void {
  add(name, options, { factory, load: async () => factory });
}

/**
 * Registers a reporter by name whose code is loaded only when a run chooses it: `load` imports
 * its module and gives the factory. Its name, description and default path are known at once.
 */
export function registerLazyReporter(name: string, load: () => Promise<ReporterFactory>, options: ReporterOptions = {}): void {
  let loading: Promise<ReporterFactory> | undefined;
  const entry: RegisteredReporter = {
    name,
    load: () => {
      loading ??= load().then((factory) => {
        if (typeof factory !== 'function') throw new Error(`reporter "${name}": its loader gave no factory`);
        entry.factory = factory;
        return factory;
      });
      return loading;
    },
  };
  add(name, options, entry);
}

/** A report format (render a RunReport to text) as a file reporter: `--reporter <name>[:path]`. */
export function registerReportFormat(format: ReportFormat, options: Pick<ReporterOptions, 'description'> = {}): void {
  registerReporter(format.name, fileReporter(format), { defaultPath: format.defaultPath, ...options });
}

/** The reporter registered under `name` (its code not loaded unless it was registered with a factory). */
export function getReporter(name: string): RegisteredReporter | undefined {
  return reporters.get(name);
}

/** The reporter registered under `name`, its code loaded; undefined when no reporter has that name. */
export async function loadReporter(name: string): Promise<LoadedReporter | undefined> {
  const entry = reporters.get(name);
  if (!entry) return undefined;
  await entry.load();
  return entry as LoadedReporter;
}

export function reporterNames(): string[] {
  return [...reporters.keys()];
}

/** Enters `entry` (the very object: a loader sets its factory later) under its name, with the options. */
function add(name: string, options: ReporterOptions, entry: Omit<RegisteredReporter, 'name'> & { name?: string }): void {
  if (!/^[a-z][a-z0-9-]*$/i.test(name)) throw new Error(`a reporter name is letters, digits and dashes: "${name}"`);
  if (reporters.has(name)) throw new Error(`a reporter named "${name}" is already registered`);
  entry.name = name;
  if (options.defaultPath !== undefined) entry.defaultPath = options.defaultPath;
  if (options.description !== undefined) entry.description = options.description;
  reporters.set(name, entry as RegisteredReporter);
}
