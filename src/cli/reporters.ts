import type { Reporter } from '../events/reporter.js';
import type { Redactor } from '../report/redact.js';
import { closestName } from '../core/diagnostic.js';
import { CONSOLE_NAMES, registerBuiltinReporters } from '../reporters/builtin.js';
import type { TextSink } from '../reporters/contract.js';
import { loadReporter, reporterNames, type LoadedReporter } from '../reporters/registry.js';
import { UsageError } from './options.js';

export interface ChoiceContext {
  redactor: Redactor;
  colour: boolean;
  out: TextSink;
  /** `--reporter-option key=value`, for mocha's reporters (xunit's `output`). */
  reporterOptions?: Record<string, unknown>;
}

/**
 * `--reporter name[:path]`, repeatable: a registered reporter (console or spec, junit, json, tap,
 * html, and whatever else is registered; a file reporter writes to `path`, '-' being standard
 * output), or else a mocha reporter (dot, list, xunit, a module path) replayed through the mocha
 * bridge, mocha being loaded only then. Unless one of them prints to standard output, the
 * console comes first. Only the chosen reporters' code is loaded.
 */
export async function chooseReporters(specs: string[], context: ChoiceContext): Promise<Reporter[]> {
  registerBuiltinReporters();
  const chosen: Reporter[] = [];
  for (const spec of specs) {
    const colon = spec.indexOf(':');
    const name = colon > 0 ? spec.slice(0, colon) : spec;
    const registered = await loadReporter(name);
    if (!registered) {
      chosen.push(await mochaReporter(spec, context));
      continue;
    }
    chosen.push(make(registered, spec, colon, context));
  }
  if (!chosen.some((r) => r.printsToStdout?.())) chosen.unshift((await loadReporter('console'))!.factory(context));
  return chosen;
}

/**
 * Registered reporters only (no mocha, no console added): what `merge-reports` writes from
 * merged blobs. An unknown name is a usage error naming the ones there are.
 */
export async function registeredReporters(specs: string[], context: ChoiceContext): Promise<Reporter[]> {
  registerBuiltinReporters();
  const chosen: Reporter[] = [];
  for (const spec of specs) {
    const colon = spec.indexOf(':');
    const name = colon > 0 ? spec.slice(0, colon) : spec;
    const registered = await loadReporter(name);
    if (!registered) throw new UsageError(`unknown reporter "${name}"${suggestion(name)}: use ${reporterNames().join(', ')}`);
    chosen.push(make(registered, spec, colon, context));
  }
  return chosen;
}

/** `; did you mean junit?` for a misspelt registered reporter's name, else nothing. */
function suggestion(name: string): string {
  const hint = closestName(name, reporterNames());
  return hint ? `; did you mean ${hint}?` : '';
}

async function mochaReporter(name: string, context: ChoiceContext): Promise<Reporter> {
  const { loadMochaReporter, MochaBridge } = await import('../mocha/bridge.js');
  const loaded = await loadMochaReporter(name);
  if (!loaded) {
    const ours = [...new Set([...CONSOLE_NAMES, ...reporterNames()])];
    throw new UsageError(`unknown reporter "${name}"${suggestion(name)}: use ${ours.join(', ')}, a mocha reporter (dot, list, xunit, ...) or a module path`);
  }
  return new MochaBridge(loaded, context, name);
}

/** A registered reporter for `name[:path]`: a file reporter's path, or its default. */
function make(registered: LoadedReporter, spec: string, colon: number, context: ChoiceContext): Reporter {
  const path = colon > 0 ? spec.slice(colon + 1) : registered.defaultPath;
  if (colon > 0 && registered.defaultPath === undefined) throw new UsageError(`--reporter ${spec}: ${registered.name} writes no file, so it takes no path`);
  if (path === '') throw new UsageError(`--reporter ${spec}: give a path after the colon`);
  return registered.factory({ redactor: context.redactor, colour: context.colour, out: context.out, ...(path !== undefined && { path }) });
}
