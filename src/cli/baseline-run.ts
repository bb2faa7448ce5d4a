import { ExitCode } from '../core/exit-codes.js';
import { clip } from '../core/clip.js';
import { mergeInventories, takeInventory } from '../compare/inventory.js';
import type { RunTarget } from '../run/run-scenario.js';
import type { Baseline, ServerInventory } from '../compare/baseline.js';
import { Multiplexer, reporterErrorLine } from '../events/multiplexer.js';
import { stopAllJanus } from '../managed/live.js';
import { planSuite, withTags, type Plan } from '../plan/index.js';
import { Redactor, urlSecrets } from '../report/redact.js';
import { BaselineReporter } from '../reporters/baseline.js';
import { randomSeed } from '../run/seeded.js';
import { runSuite } from '../suite/run-suite.js';
import { loadScenarios } from './load-scenarios.js';
import { withInterrupts } from './interrupts.js';
import { guardOutput } from './output-guard.js';
import { UsageError, type OptionTable } from './options.js';
import { chooseReporters } from './reporters.js';
import { planSettings, readRunSettings } from './run-command.js';
import { wantsColour } from '../reporters/colour.js';

type Io = { out: (s: string) => void; err: (s: string) => void };

/** A run for record or compare: the baseline of what happened, or the exit code that ends the command (2, 3, 130). */
export type BaselineRun = { baseline: Baseline; redactor: Redactor; failed: number } | { exit: number };

/**
 * Runs a suite as `run` does (same options, same reporters on the console) with a reporter that
 * collects every message of every step, and takes the inventory of each server the tests ran on.
 * Failing scenarios do not stop anything: their transcript is what the comparison needs.
 */
export async function runForBaseline(args: string[], command: string, io: Io): Promise<BaselineRun> {
  const settings = await readRunSettings(args, command);
  // A baseline is of the whole suite on one server: a share of it, or a listing, is not one.
  if (settings.shard) throw new UsageError(`${command} runs the whole suite: --shard is for run`);
  if (settings.list) throw new UsageError(`${command} runs the suite: --list is for run`);
  const redactor = new Redactor([...Object.values(settings.secrets), ...[...settings.urls, ...settings.adminUrls].flatMap(urlSecrets)]);
  const colour = wantsColour(process.stdout, process.env, settings.colour);
  const reporters = await chooseReporters(settings.reporters, { redactor, colour, out: process.stdout, reporterOptions: settings.reporterOptions });
  const loaded = await loadScenarios(settings.inputs, { fragments: false });
  if (loaded.problems) {
    io.err(loaded.problems);
    return { exit: ExitCode.invalidInput };
  }
  const scenarios = withTags(loaded.scenarios, settings.tags);
  if (scenarios.length === 0) {
    io.err('no scenarios to run');
    return { exit: ExitCode.invalidInput };
  }
  const unguard = guardOutput(redactor);
  try {
    const plan = await planSuite(scenarios, { ...planSettings(settings), continueOnMismatch: true });
    if (plan.fault) {
      io.err(`error: ${clip(redactor.text(plan.fault), 1000)}`);
      return { exit: ExitCode.infrastructure };
    }
    const collector = new BaselineReporter();
    const inventory: Record<string, ServerInventory> = {};
    const learn = { onTestEnd: (e: { result: { secretValues: string[] } }) => void redactor.add(e.result.secretValues) };
    const multiplexer = new Multiplexer([learn, collector, ...reporters], (name, error) => io.err(reporterErrorLine(name, error, (t) => redactor.text(t))));
    return await withInterrupts(io.err, () => {}, async (signal) => {
      const outcome = await runSuite(withInventory(plan, inventory), { reporter: multiplexer, jobs: settings.jobs, retries: settings.retries, signal, seed: settings.seed ?? randomSeed() });
      for (const line of outcome.faults) io.err(`error: ${clip(redactor.text(line), 1000)}`);
      if (outcome.status === 'interrupted') return { exit: ExitCode.interrupted };
      if (outcome.status === 'fault') return { exit: ExitCode.infrastructure };
      const failed = outcome.results.filter((r) => r.status === 'failed').length;
      return { baseline: collector.baseline(inventory, redactor), redactor, failed };
    });
  } finally {
    await stopAllJanus();
    unguard();
  }
}

/**
 * The plan, whose start also takes the inventory of every server the tests run on (a managed
 * run starts one Janus per set of settings, each loading the plugins its scenarios need), merged
 * per transport: see mergeInventories.
 */
function withInventory(plan: Plan, inventory: Record<string, ServerInventory>): Plan {
  return {
    ...plan,
    start: async () => {
      const started = await plan.start();
      for (const transport of plan.transports) {
        const targets = new Map<string, RunTarget>();
        for (const test of plan.tests) {
          const target = test.info.transport === transport && !test.info.skipReason ? started.target(test) : undefined;
          if (target) targets.set(`${target.url} ${target.admin?.url ?? ''}`, target);
        }
        if (targets.size > 0) inventory[transport] = mergeInventories(await Promise.all([...targets.values()].map(takeInventory)));
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
