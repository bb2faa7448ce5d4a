import { ExitCode } from '../core/exit-codes.js';
import { wholeNumberOption } from '../core/option-values.js';
import { writeOutput } from '../reporters/write.js';
import { diffBaselines, fingerprint } from '../compare/diff.js';
import { ownOptions, runForBaseline } from './baseline-run.js';
import { RUN_OPTIONS, UsageError, type OptionTable } from './options.js';
import { checkOutputFiles } from './output-paths.js';

export const RECORD_OWN_OPTIONS = {
  out: { type: 'string', value: 'FILE', help: 'where the baseline goes (JSON; keep it in the repository)' },
  repeat: { type: 'string', value: 'N', help: 'record N times (default 1) and keep what differed between the recordings (races, counters) as unstable: compare does not report it' },
} as const satisfies OptionTable;

export const RECORD_OPTIONS = { ...RECORD_OWN_OPTIONS, ...RUN_OPTIONS } as const satisfies OptionTable;

type Io = { out: (s: string) => void; err: (s: string) => void };

/**
 * `janus-scenarios record <files> --out baseline.json [run options]`: runs the suite and writes
 * every message of every step of every test, and the server's inventory, as a baseline. A
 * scenario that fails is recorded as far as it got: recording does not need a passing suite.
 */
export async function recordCommand(args: string[], io: Io): Promise<number> {
  const { own, rest } = ownOptions(args, RECORD_OWN_OPTIONS);
  if (!own.out) throw new UsageError('give --out FILE: where the baseline goes');
  const repeat = wholeNumberOption('--repeat', own.repeat ?? '1', { min: 1, max: 10 });
  checkOutputFiles([{ option: '--out', path: own.out }]);
  const run = await runForBaseline(rest, 'record', io);
  if ('exit' in run) return run.exit;
  const unstable = new Set<string>();
  // A report asked for (--reporter junit:...) that one of the recordings could not write fails the command.
  const verdicts = [run.verdict];
  for (let i = 1; i < repeat; i++) {
    const again = await runForBaseline(rest, 'record', io);
    if ('exit' in again) return again.exit;
    verdicts.push(again.verdict);
    for (const d of diffBaselines(run.baseline, again.baseline)) unstable.add(fingerprint(d));
  }
  if (repeat > 1) {
    run.baseline.unstable = [...unstable].sort();
    io.err(`${unstable.size} difference(s) between the ${repeat} recordings kept as unstable`);
  }
  const recorded = run.baseline.tests.filter((t) => t.status !== 'skipped').length;
  // A baseline of skipped tests only would make every compare against it a comparison of nothing.
  if (recorded === 0) {
    io.err(`error: no test ran (each of the ${run.baseline.tests.length} was skipped): no baseline written to ${own.out}`);
    return ExitCode.scenarioFailed;
  }
  if (!writeOutput(own.out, `${JSON.stringify(run.baseline, null, 1)}\n`, io)) return ExitCode.infrastructure;
  io.err(`recorded ${recorded} test(s)${run.failed ? ` (${run.failed} failed: recorded as far as they got)` : ''} of Janus ${run.baseline.serverVersion ?? '(version unknown)'} to ${own.out}`);
  return verdicts.reduce((code, verdict) => verdict(code), ExitCode.passed as number);
}
