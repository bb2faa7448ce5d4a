import { statSync } from 'node:fs';
import type { LoadProblemsEvent } from '../events/events.js';
import type { Reporter } from '../events/reporter.js';
import type { Redactor } from '../report/redact.js';
import { closestName } from '../core/diagnostic.js';
import { ExitCode } from '../core/exit-codes.js';
import { Multiplexer, reporterErrorLine } from '../events/multiplexer.js';
import { CONSOLE_NAMES, registerBuiltinReporters } from '../reporters/builtin.js';
import type { TextSink } from '../reporters/contract.js';
import { loadReporter, reporterNames, type LoadedReporter } from '../reporters/registry.js';
import { OPTION_FILE_LIMITS, optionFileProblem } from '../load/option-file.js';
import { UsageError } from './options.js';
import { checkOutputFiles } from './output-paths.js';
import type { LoadedScenarios } from './load-scenarios.js';

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
  const chosen = await reportersFor(specs, context, (spec) => mochaReporter(spec, context));
  if (!chosen.some((r) => r.printsToStdout?.())) chosen.unshift((await loadReporter('console'))!.factory(context));
  return chosen;
}

/**
 * Registered reporters only (no mocha, no console added): what `merge-reports` writes from
 * merged blobs. An unknown name is a usage error naming the ones there are.
 */
export function registeredReporters(specs: string[], context: ChoiceContext): Promise<Reporter[]> {
  return reportersFor(specs, context, (_spec, name) => {
    throw new UsageError(`unknown reporter "${name}"${suggestion(name)}: use ${reporterNames().join(', ')}`);
  });
}

/** Each `name[:path]` as its registered reporter, in order; a name none is registered under goes to `unregistered`. */
async function reportersFor(specs: string[], context: ChoiceContext, unregistered: (spec: string, name: string) => Promise<Reporter>): Promise<Reporter[]> {
  registerBuiltinReporters();
  const chosen: Reporter[] = [];
  for (const spec of specs) {
    const colon = spec.indexOf(':');
    const name = colon > 0 ? spec.slice(0, colon) : spec;
    const registered = await loadReporter(name);
    chosen.push(registered ? make(registered, spec, colon, context) : await unregistered(spec, name));
  }
  return chosen;
}

/** `; did you mean junit?` for a misspelt registered reporter's name, else nothing. */
function suggestion(name: string): string {
  const hint = closestName(name, reporterNames());
  return hint ? `; did you mean ${hint}?` : '';
}

async function mochaReporter(name: string, context: ChoiceContext): Promise<Reporter> {
  // A module path is imported: a named pipe would hang the run, /dev/zero fill its memory.
  const path = /^[./]/.test(name);
  const stat = path ? statSync(name, { throwIfNoEntry: false }) : undefined;
  if (path && !stat) throw new UsageError(`--reporter ${name}: no such file (a reporter module's path is read from the working folder, ${process.cwd()})`);
  const problem = stat && !stat.isDirectory() ? optionFileProblem(name, OPTION_FILE_LIMITS.module) : undefined;
  if (problem) throw new UsageError(`--reporter ${name}: cannot load it: ${problem}`);
  const { loadMochaReporter, MochaBridge } = await import('../mocha/bridge.js');
  const loaded = await loadMochaReporter(name);
  if (!loaded) {
    const ours = [...new Set([...CONSOLE_NAMES, ...reporterNames()])];
    // `junt:out.xml`: the name is what comes before the path, and what is misspelt.
    const named = /^[a-z][\w-]*(?=:)/i.exec(name)?.[0] ?? name;
    throw new UsageError(`unknown reporter "${named}"${named === name ? '' : ` in --reporter ${name}`}${suggestion(named)}: use ${ours.join(', ')}, a mocha reporter (dot, list, xunit, ...) or a module path`);
  }
  return new MochaBridge(loaded, context, name);
}

/** A registered reporter for `name[:path]`: a file reporter's path, or its default. */
function make(registered: LoadedReporter, spec: string, colon: number, context: ChoiceContext): Reporter {
  const path = colon > 0 ? spec.slice(colon + 1) : registered.defaultPath;
  if (colon > 0 && registered.defaultPath === undefined) throw new UsageError(`--reporter ${spec}: ${registered.name} writes no file, so it takes no path`);
  if (path === '') throw new UsageError(`--reporter ${spec}: give a path after the colon`);
  checkOutputFiles([{ option: '--reporter', path }]);
  return registered.factory({ redactor: context.redactor, colour: context.colour, out: context.out, ...(path !== undefined && { path }) });
}

/**
 * A command's handler for reporters that fail: each is one line on standard error (redacted,
 * the multiplexer drops the reporter), and the command remembers it. A report the command line
 * asked for and did not get (a file that could not be written) fails the run: see `verdict`.
 */
export function reporterFailures(say: (line: string) => void, redact?: (text: string) => string): { onError: (name: string, error: unknown) => void; verdict: (code: number) => number } {
  let failed = false;
  return {
    onError: (name, error) => {
      failed = true;
      say(reporterErrorLine(name, error, redact));
    },
    // Exit 3, as for a server problem: the run's outcome cannot be taken from its reports. An
    // interrupted run keeps its 130.
    verdict: (code) => (failed && (code === ExitCode.passed || code === ExitCode.scenarioFailed) ? ExitCode.infrastructure : code),
  };
}

/** The event of a run whose scenario files failed to load (`loaded.problems`). */
export function loadProblemsEvent(loaded: LoadedScenarios, shard?: { index: number; total: number }): LoadProblemsEvent {
  return {
    type: 'load:problems',
    at: Date.now(),
    problems: loaded.problemList ?? [],
    count: loaded.problemCount ?? loaded.problemList?.length ?? 0,
    ...(shard && { shard: { index: shard.index, total: shard.total } }),
  };
}

/**
 * Scenario files that failed to load (their problems printed already): each reporter that
 * writes a report writes it of that, the problems as failures (`load:problems`), so that no
 * report file is left as the previous run's. Nothing else happens: no Janus, no connection.
 * Exit 2 whatever the reporters did (one that could not write is said on standard error).
 */
export async function reportLoadProblems(reporters: Reporter[], event: LoadProblemsEvent, context: { say: (line: string) => void; redactor: Redactor }): Promise<number> {
  const failures = reporterFailures(context.say, (t) => context.redactor.text(t));
  await new Multiplexer(reporters, failures.onError).emit(event);
  return ExitCode.invalidInput;
}
