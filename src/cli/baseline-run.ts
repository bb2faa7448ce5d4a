import { createHash } from 'node:crypto';
import { ExitCode } from '../core/exit-codes.js';
import { clip } from '../core/clip.js';
import { askedModules, mergeInventories, takeInventory } from '../compare/inventory.js';
import type { RunTarget } from '../run/run-scenario.js';
import type { Baseline, ServerInventory } from '../compare/baseline.js';
import type { CompareReport } from '../compare/report.js';
import type { LoadProblemsEvent, RunEnd } from '../events/events.js';
import { Multiplexer, reporterName } from '../events/multiplexer.js';
import type { Reporter } from '../events/reporter.js';
import { stopAllJanus } from '../managed/live.js';
import { planUnlessInterrupted, withTags, type Plan } from '../plan/index.js';
import { instanceKey } from '../plan/targets.js';
import { Redactor, urlSecrets } from '../report/redact.js';
import { BaselineReporter } from '../reporters/baseline.js';
import { randomSeed } from '../run/seeded.js';
import { runSuite } from '../suite/run-suite.js';
import { loadScenarios } from './load-scenarios.js';
import { withInterrupts } from './interrupts.js';
import { guardOutput } from './output-guard.js';
import { UsageError, type OptionTable } from './options.js';
import { chooseReporters, loadProblemsEvent, reporterFailures, reportLoadProblems } from './reporters.js';
import { planSettings, readRunSettings } from './run-command.js';
import { wantsColour } from '../reporters/colour.js';

type Io = { out: (s: string) => void; err: (s: string) => void };

/**
 * A run for record or compare: the baseline of what happened, or the exit code that ends the
 * command (2, 3, 130), with the problems of scenario files that failed to load (for compare's own report files).
 */
export type BaselineRun = { baseline: Baseline; redactor: Redactor; failed: number; finish: FinishReports; verdict: (code: number) => number } | { exit: number; loadProblems?: LoadProblemsEvent };

/**
 * Writes the reports whose `run:end` compare held back (`--reporter html`), with the comparison
 * when there is one: called once, whatever happened (without a comparison when it could not be made).
 */
export type FinishReports = (compare?: CompareReport) => Promise<void>;

/** Run only these tests (by id), with no reporter but the collector: a re-run that confirms differences. */
export interface RunSubset {
  only?: Set<string>;
  /** Refuses a plan before any test runs (exit 2): a reason, or undefined to go on. Given the planned tests' ids. */
  refusePlan?: (ids: string[]) => string | undefined;
}

/**
 * Runs a suite as `run` does (same options, same reporters on the console) with a reporter that
 * collects every message of every step, and takes the inventory of each server the tests ran on.
 * Failing scenarios do not stop anything: their transcript is what the comparison needs.
 */
export async function runForBaseline(args: string[], command: string, io: Io, subset: RunSubset = {}): Promise<BaselineRun> {
  const settings = await readRunSettings(args, command);
  // A baseline is of the whole suite on one server: a share of it, or a listing, is not one.
  if (settings.shard) throw new UsageError(`${command} runs the whole suite: --shard is for run`);
  if (settings.list) throw new UsageError(`${command} runs the suite: --list is for run`);
  // A baseline needs every scenario's messages, a failing one's too: stopping at the first failure would leave the rest out.
  if (settings.bail) throw new UsageError(`${command} runs every scenario to its end: --bail is for run`);
  const redactor = new Redactor([...Object.values(settings.secrets), ...[...settings.urls, ...settings.adminUrls].flatMap(urlSecrets)]);
  const colour = wantsColour(process.stdout, process.env, settings.colour);
  // A re-run writes no report of its own: the run's reports are of the run.
  const chosen = subset.only ? [] : await chooseReporters(settings.reporters, { redactor, colour, out: process.stdout, reporterOptions: settings.reporterOptions });
  // A report asked for and not written fails the command (`verdict`), once its reports are finished.
  const failures = reporterFailures(io.err, (t) => redactor.text(t));
  const held = command === 'compare' ? holdRunEnd(chosen, failures.onError) : { reporters: chosen, finish: async () => {} };
  const reporters = held.reporters;
  const loaded = await loadScenarios(settings.inputs, { fragments: false, redactor });
  if (loaded.problems) {
    io.err(loaded.problems);
    const event = loadProblemsEvent(loaded);
    return { exit: await reportLoadProblems(reporters, event, { say: io.err, redactor }), loadProblems: event };
  }
  const only = subset.only;
  const scenarios = withTags(loaded.scenarios, settings.tags).filter((s) => !only || [...only].some((id) => id.startsWith(`${s.file}#${s.name}[`)));
  if (scenarios.length === 0) {
    io.err('no scenarios to run');
    return { exit: ExitCode.invalidInput };
  }
  const unguard = guardOutput(redactor);
  try {
    // Ctrl-C from the first contact with a --url server on (see run-command.ts).
    return await withInterrupts(io.err, () => {}, async (signal) => {
      const planned = await planUnlessInterrupted(scenarios, { ...planSettings(settings), continueOnMismatch: true, wireFrames: true, signal });
      if (!planned) return { exit: ExitCode.interrupted };
      const plan = only ? { ...planned, tests: planned.tests.filter((t) => only.has(t.info.id)) } : planned;
      if (plan.fault) {
        io.err(`error: ${clip(redactor.text(plan.fault), 1000)}`);
        return { exit: ExitCode.infrastructure };
      }
      const refused = subset.refusePlan?.(plan.tests.map((t) => t.info.id));
      if (refused) {
        io.err(`error: ${redactor.text(refused)}`);
        return { exit: ExitCode.invalidInput };
      }
      const collector = new BaselineReporter();
      const inventory: Record<string, ServerInventory> = {};
      const learn = { onTestEnd: (e: { result: { secretValues: string[] } }) => void redactor.add(e.result.secretValues) };
      const multiplexer = new Multiplexer([learn, collector, ...reporters], failures.onError);
      const asked = settings.urls.length === 0 ? askedModules(planned.tests.map((t) => ({ ...t.scenario.requires, ...(t.info.skipReason !== undefined && { skipReason: t.info.skipReason }) })), plan.transports) : undefined;
      const outcome = await runSuite(withInventory(plan, inventory, asked), { reporter: multiplexer, jobs: settings.jobs, retries: settings.retries, signal, seed: settings.seed ?? randomSeed() });
      for (const line of outcome.faults) io.err(`error: ${clip(redactor.text(line), 1000)}`);
      if (outcome.status === 'interrupted' || outcome.status === 'fault') {
        await held.finish();
        return { exit: outcome.status === 'interrupted' ? ExitCode.interrupted : ExitCode.infrastructure };
      }
      const failed = outcome.results.filter((r) => r.status === 'failed').length;
      return { baseline: collector.baseline(inventory, redactor), redactor, failed, finish: held.finish, verdict: failures.verdict };
    });
  } finally {
    await stopAllJanus();
    unguard();
  }
}

/** A reporter that can show the comparison (the run's HTML report). */
interface ShowsCompare extends Reporter {
  showsCompare(): boolean;
  withCompare(compare: CompareReport): void;
}

function showsCompare(r: Reporter): r is ShowsCompare {
  return typeof (r as Partial<ShowsCompare>).showsCompare === 'function' && (r as ShowsCompare).showsCompare();
}

/**
 * The reporters, those that can show the comparison with their `run:end` held back: the
 * comparison is made after the run (and its re-runs), and goes in their report. `finish` gives
 * it to them and delivers the `run:end`, once.
 */
export function holdRunEnd(reporters: Reporter[], onError: (name: string, error: unknown) => void): { reporters: Reporter[]; finish: FinishReports } {
  const waiting: Array<{ reporter: ShowsCompare; end?: RunEnd }> = [];
  const wrapped = reporters.map((reporter): Reporter => {
    if (!showsCompare(reporter)) return reporter;
    const slot: { reporter: ShowsCompare; end?: RunEnd } = { reporter };
    waiting.push(slot);
    return new Proxy(reporter, {
      get: (target, key, receiver) => (key === 'onRunEnd' ? (event: RunEnd) => void (slot.end = event) : Reflect.get(target, key, receiver)),
    });
  });
  let finished = false;
  const finish: FinishReports = async (compare) => {
    if (finished) return;
    finished = true;
    for (const { reporter, end } of waiting) {
      if (!end) continue;
      try {
        if (compare) reporter.withCompare(compare);
        await reporter.onRunEnd?.(end);
      } catch (e) {
        onError(reporterName(reporter), e);
      }
    }
  };
  return { reporters: wrapped, finish };
}

/**
 * The plan, whose start also takes the inventory of every server the tests run on (a managed
 * run starts one Janus per set of settings, each loading the plugins its scenarios need), merged
 * per transport: see mergeInventories.
 */
function withInventory(plan: Plan, inventory: Record<string, ServerInventory>, asked: ServerInventory['asked']): Plan {
  return {
    ...plan,
    start: async () => {
      const started = await plan.start();
      for (const transport of plan.transports) {
        const targets = new Map<string, { target: RunTarget; startedWith: string }>();
        for (const test of plan.tests) {
          const target = test.info.transport === transport && !test.info.skipReason ? started.target(test) : undefined;
          const key = target && `${target.url} ${target.admin?.url ?? ''}`;
          // Hashed: a setting's value (an api_secret a scenario sets) is not written in a key the redactor does not read.
          if (target && key && !targets.has(key)) targets.set(key, { target, startedWith: createHash('sha256').update(instanceKey(test.scenario)).digest('hex').slice(0, 16) });
        }
        if (targets.size === 0) continue;
        const taken = await Promise.all([...targets.values()].map(async ({ target, startedWith }) => ({ startedWith, inventory: await takeInventory(target) })));
        inventory[transport] = mergeInventories(taken.map((t) => t.inventory));
        if (asked) inventory[transport] = { ...inventory[transport], asked, servers: Object.fromEntries(taken.map(({ startedWith, inventory: i }) => [startedWith, { ...(i.info && { info: i.info }), ...(i.adminStatus && { adminStatus: i.adminStatus }) }])) };
      }
      return started;
    },
  };
}

/** Takes a command's own options (`--out FILE`, `--fail-on X`) out of the arguments; the rest are run options. */
export function ownOptions(args: string[], table: OptionTable): { own: Record<string, string>; rest: string[] } {
  const own: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [name, inline] = arg.startsWith('--') ? arg.slice(2).split(/=(.*)/s, 2) : [undefined, undefined];
    if (name === undefined || !(name in table)) {
      rest.push(arg);
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${name} needs a value (${table[name]!.value ?? 'VALUE'})`);
    own[name] = value;
  }
  return { own, rest };
}
