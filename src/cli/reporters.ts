import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Mocha from 'mocha';
import ConsoleReporter from '../../reporters/console.js';
import { fileReporterNames, getFileReporter } from '../../reporters/registry.js';
import type { ReportOutput } from '../../reporters/write.js';
import type { MochaReporterClass } from '../mocha/fan-out.js';
import { UsageError } from './options.js';

/** Names that mean the project's console reporter; any other mocha reporter keeps its own name. */
const CONSOLE_NAMES = ['spec', 'console'];

export interface ChosenReporters {
  console: MochaReporterClass[];
  files: ReportOutput[];
  /** `blob[:path]`: reporters on the event stream (stand-in until the registry of src/reporters/ takes every name). */
  stream: string[];
}

/**
 * `--reporter name[:path]`, repeatable: a registered file reporter (junit, json, tap, html)
 * writes its file (path '-' is standard output), anything else is a mocha reporter (spec,
 * dot, xunit, a module path). Without a mocha reporter the console one is added, unless a file
 * goes to standard output.
 */
export async function chooseReporters(specs: string[]): Promise<ChosenReporters> {
  const chosen: ChosenReporters = { console: [], files: [], stream: [] };
  for (const spec of specs) {
    const colon = spec.indexOf(':');
    const name = colon > 0 ? spec.slice(0, colon) : spec;
    if (name === 'blob') {
      chosen.stream.push(spec);
      continue;
    }
    const file = getFileReporter(name);
    if (file) {
      const path = colon > 0 ? spec.slice(colon + 1) : file.defaultPath;
      if (!path) throw new UsageError(`--reporter ${spec}: give a path after the colon`);
      chosen.files.push({ reporter: file, path });
      continue;
    }
    chosen.console.push(await mochaReporter(spec));
  }
  if (chosen.console.length === 0 && !chosen.files.some((f) => f.path === '-')) chosen.console.push(ConsoleReporter);
  return chosen;
}

async function mochaReporter(name: string): Promise<MochaReporterClass> {
  if (CONSOLE_NAMES.includes(name)) return ConsoleReporter;
  const builtin = (Mocha.reporters as unknown as Record<string, MochaReporterClass | undefined>)[name];
  if (builtin) return builtin;
  const require = createRequire(join(process.cwd(), 'reporter.js'));
  let path: string;
  try {
    path = require.resolve(name.startsWith('.') ? resolve(name) : name);
  } catch {
    throw new UsageError(`unknown reporter "${name}": use ${[...CONSOLE_NAMES, ...fileReporterNames()].join(', ')}, a mocha reporter (dot, list, xunit, ...) or a module path`);
  }
  const loaded = (await import(pathToFileURL(path).href)) as { default?: MochaReporterClass } & MochaReporterClass;
  return loaded.default ?? loaded;
}
