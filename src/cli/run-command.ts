import { clip } from '../core/clip.js';
import { ExitCode } from '../core/exit-codes.js';
import { Multiplexer } from '../events/multiplexer.js';
import type { Reporter } from '../events/reporter.js';
import { stopAllJanus } from '../managed/live.js';
import { listing, planUnlessInterrupted, urlTransport, withTags, type Plan, type PlanSettings } from '../plan/index.js';
import { UsageError } from '../core/usage-error.js';
import { Redactor, urlSecrets } from '../report/redact.js';
import { cleanupWarnings, sessionsLeftLine } from '../report/warnings.js';
import { wantsColour } from '../reporters/colour.js';
import { randomSeed } from '../run/seeded.js';
import { runSuite, type SuiteOutcome } from '../suite/run-suite.js';
import { loadProjectConfig, mergeOptions, type ProjectConfig } from './config.js';
import { loadScenarios } from './load-scenarios.js';
import { guardOutput } from './output-guard.js';
import { parseOptions, RUN_OPTIONS, runSettings, type OptionValues, type RunSettings } from './options.js';
import { withInterrupts } from './interrupts.js';
import { loadTransportModules } from './transport-modules.js';
import { chooseReporters, loadProblemsEvent, reporterFailures, reportLoadProblems } from './reporters.js';

type Io = { out: (s: string) => void; err: (s: string) => void };

/** The command line over the project's config file (which may also name the scenario files). */
export async function readRunSettings(args: string[], command: string): Promise<RunSettings> {
  const { values, positionals } = parseOptions(args, RUN_OPTIONS, command);
  const config = await loadProjectConfig(process.cwd(), values.config as string | undefined, RUN_OPTIONS);
  const settings = fromConfigSaid(() => runSettings(mergeOptions(values, config), positionals.length > 0 ? positionals : config.files ?? [], process.env), values, config);
  await loadTransportModules(settings.transportModules);
  if (values.transport === undefined && config.values.transport !== undefined) checkConfigTransports(settings, config.source ?? 'the config file');
  return settings;
}

/**
 * A value of the config file that the options refuse (`"timeout": 30`) is said with the file's
 * name: the command line that is wrong holds no such option.
 */
function fromConfigSaid<T>(read: () => T, commandLine: OptionValues, config: ProjectConfig): T {
  try {
    return read();
  } catch (e) {
    const option = e instanceof UsageError ? /^--([\w-]+)\b/.exec(e.message)?.[1] : undefined;
    if (option === undefined || commandLine[option] !== undefined || config.values[option] === undefined) throw e;
    throw new UsageError(`${(e as UsageError).message} (from ${config.source ?? 'the config file'})`);
  }
}

/**
 * The config file's transports (init writes http and ws) with URLs that serve fewer: said with
 * the file's name, as the command line that is wrong names no --transport.
 */
function checkConfigTransports(settings: RunSettings, source: string): void {
  if (settings.urls.length === 0) return;
  const served = [...new Set(settings.urls.map((url) => urlTransport('--url', url).name))];
  const missing = (settings.transports ?? []).filter((t) => !served.includes(t));
  if (missing.length === 0) return;
  throw new UsageError(`--transport ${missing.join(',')} (from ${source}) needs a --url for it (given: ${served.join(', ')}); give --transport ${served.join(',')} to run over the given URL only`);
}

/** `janus-scenarios run` (and `coverage`): load everything first (exit 2 on any problem), plan, run, exit code from the outcome. */
export async function runCommand(args: string[], io: Io, options: { coverage?: boolean } = {}): Promise<number> {
  const settings = await readRunSettings(args, options.coverage ? 'coverage' : 'run');
  const colour = wantsColour(process.stdout, process.env, settings.colour);
  // The run's secrets: given as options or in the environment, and any credentials in its URLs.
  const redactor = new Redactor([...Object.values(settings.secrets), ...[...settings.urls, ...settings.adminUrls].flatMap(urlSecrets)]);
  const reporters = await chooseReporters(settings.reporters, { redactor, colour, out: process.stdout, reporterOptions: settings.reporterOptions });
  const loaded = await loadScenarios(settings.inputs, { fragments: false, redactor });
  if (loaded.problems) {
    io.err(loaded.problems);
    return reportLoadProblems(reporters, loadProblemsEvent(loaded, settings.shard), { say: io.err, redactor });
  }
  const scenarios = withTags(loaded.scenarios, settings.tags);
  if (scenarios.length === 0) {
    io.err(redactor.text('no scenarios to run' + (settings.tags.length ? ` with tags ${settings.tags.join(', ')}` : '')));
    return ExitCode.invalidInput;
  }
  const unguard = guardOutput(redactor);
  // Ctrl-C is handled from the first contact with a --url server on: it ends that contact at
  // once (exit 130) instead of killing the process with whatever it holds open.
  let endReports = (): void => undefined;
  try {
    return await withInterrupts(io.err, () => endReports(), async (signal) => {
      const plan = await planUnlessInterrupted(scenarios, { ...planSettings(settings), signal });
      if (!plan) return ExitCode.interrupted;
      return planned(plan, settings, { redactor, reporters, coverage: options.coverage === true, signal, io, endWith: (end) => (endReports = end) });
    });
  } finally {
    await stopAllJanus();
    unguard();
  }
}

/** What the run does once planned: list it, or run it with the reporters and return the exit code. */
async function planned(
  plan: Plan,
  settings: RunSettings,
  how: { redactor: Redactor; reporters: Reporter[]; coverage: boolean; signal: AbortSignal; io: Io; endWith: (endReports: () => void) => void },
): Promise<number> {
  const { redactor, reporters, io } = how;
  if (plan.shard && plan.tests.length === 0) {
    io.err(`shard ${plan.shard.index}/${plan.shard.total} has no tests: ${plan.shard.allTestIds.length} test(s) are planned, and a file is never split`);
  }
  if (settings.list) {
    // A server that cannot be asked for its info is one line, as a run's is: a listing runs
    // nothing, so no reporter has a run to tell of.
    if (plan.fault) {
      io.err(`error: ${clip(redactor.text(plan.fault), 1000)}`);
      return ExitCode.infrastructure;
    }
    io.out(listing(plan));
    return ExitCode.passed;
  }
  const extra = how.coverage ? [new (await import('../reporters/coverage.js')).CoverageReporter({ redactor, out: process.stdout })] : [];
  // One reporter that throws is named once (redacted) and dropped; the others go on, and the run fails.
  const failures = reporterFailures(io.err, (t) => redactor.text(t));
  const multiplexer = new Multiplexer([learnSecrets(redactor), ...reporters, ...extra], failures.onError);
  // The console reporter warns of sessions left itself; mocha's own reporters (dot, list, ...) do
  // not. Its module is loaded already when it was chosen (the default).
  const { ConsoleReporter } = await import('../reporters/console.js');
  const consoleShown = reporters.some((r) => r instanceof ConsoleReporter);
  how.endWith(() => void multiplexer.emit({ type: 'run:end', at: Date.now(), status: 'interrupted' }));
  return failures.verdict(await runPlan(plan, { ...settings, consoleShown }, multiplexer, redactor, io, how.signal));
}

export function planSettings(settings: RunSettings): PlanSettings {
  const { transports, urls, adminUrls, secrets, tls, janusBinary, janusConfig, janusWithout, grep, invert, tags, shard, stepTimeoutMs, scenarioTimeoutMs, schemaMode } = settings;
  return { transports, urls, adminUrls, secrets, tls, janusBinary, janusConfig, janusWithout, grep, invert, tags, shard, stepTimeoutMs, scenarioTimeoutMs, schemaMode };
}

/**
 * Runs the plan; `signal` is Ctrl-C's: the first stops the run (running scenarios clean up, the
 * reports say what happened, exit 130); a second ends the reports at once, kills every Janus
 * this process started and exits (withInterrupts).
 */
async function runPlan(plan: Plan, settings: RunSettings & { consoleShown: boolean }, reporter: Multiplexer, redactor: Redactor, io: Io, signal: AbortSignal): Promise<number> {
  const seed = settings.seed ?? randomSeed();
  const outcome = await runSuite(plan, { reporter, jobs: settings.jobs, bail: settings.bail, retries: settings.retries, signal, seed });
  return exitCode(plan, outcome, settings, redactor, io);
}

/** What the run printed after its reporters, and its exit code. */
function exitCode(plan: Plan, outcome: SuiteOutcome, settings: RunSettings & { consoleShown: boolean }, redactor: Redactor, io: Io): number {
  const errorLines = (): void => {
    // Redacted whole, then cut: a server's reply quoted in the reason may be long.
    for (const line of outcome.faults) io.err(`error: ${clip(redactor.text(line), 1000)}`);
  };
  // Nothing ran: the server could not be reached (the reports still say what was meant to run).
  if (plan.fault) {
    errorLines();
    return ExitCode.infrastructure;
  }
  const { results } = outcome;
  const warnings = [...new Set(results.flatMap((r) => r.schemaWarnings))];
  if (warnings.length > 0) io.err(redactor.text(`schema warnings (${warnings.length}):\n${warnings.map((w) => `  ${w}`).join('\n')}`));
  const sessionsLeft = results.reduce((n, r) => n + r.sessionsLeft.length, 0);
  if (sessionsLeft > 0 && !settings.consoleShown) {
    io.err(redactor.text(`warning: ${sessionsLeftLine(sessionsLeft)}:\n${results.flatMap(cleanupWarnings).map((w) => `  ${w}`).join('\n')}`));
  }
  const shortfall = skipVerdict(outcome, settings);
  for (const line of shortfall.lines) io.err(line);
  io.err(`seed: ${outcome.seed} (repeat the same transactions with --seed ${outcome.seed})`);
  // Errors no scenario could take: one line each, and the run cannot be trusted (exit 3).
  errorLines();
  if (outcome.status === 'interrupted') return ExitCode.interrupted;
  if (outcome.status === 'fault') return ExitCode.infrastructure;
  return outcome.status === 'failed' || shortfall.fails ? ExitCode.scenarioFailed : ExitCode.passed;
}

/**
 * Skips are reported, and fail the run only when asked: `--fail-on-skip` (any skip) or
 * `--min-tests N` (fewer than N tests ran). A run where nothing ran says so in any case.
 */
function skipVerdict(outcome: SuiteOutcome, settings: RunSettings): { lines: string[]; fails: boolean } {
  const skipped = outcome.results.filter((r) => r.status === 'skipped').length;
  const ran = outcome.results.filter((r) => r.status !== 'skipped').length;
  const lines: string[] = [];
  let fails = false;
  if (ran === 0 && skipped > 0) {
    const hint = settings.failOnSkip || settings.minTests > 0 ? '' : ' (--fail-on-skip or --min-tests N makes such a run fail)';
    lines.push(`all ${skipped} test(s) were skipped: nothing ran${hint}`);
  }
  if (settings.failOnSkip && skipped > 0) {
    lines.push(`failing the run: ${skipped} test(s) skipped and --fail-on-skip is set`);
    fails = true;
  }
  if (ran < settings.minTests) {
    lines.push(`failing the run: ${ran} test(s) ran, fewer than --min-tests ${settings.minTests}`);
    fails = true;
  }
  return { lines, fails };
}

/** Before anything prints a result: the scenario's own secrets (values it marks secret) join the run's. */
function learnSecrets(redactor: Redactor): Reporter {
  return { onTestEnd: (event) => void redactor.add(event.result.secretValues) };
}
