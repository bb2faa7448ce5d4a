import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ExitCode } from '../core/exit-codes.js';
import { diffBaselines, fingerprint } from '../compare/diff.js';
import { ownOptions, runForBaseline } from './baseline-run.js';
import { RUN_OPTIONS, UsageError, type OptionTable } from './options.js';

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
  const repeat = Number(own.repeat ?? '1');
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 10) throw new UsageError(`--repeat is a whole number from 1 to 10, not "${own.repeat}"`);
  const run = await runForBaseline(rest, 'record', io);
  if ('exit' in run) return run.exit;
  const unstable = new Set<string>();
  for (let i = 1; i < repeat; i++) {
    const again = await runForBaseline(rest, 'record', io);
    if ('exit' in again) return again.exit;
    for (const d of diffBaselines(run.baseline, again.baseline)) unstable.add(fingerprint(d));
  }
  if (repeat > 1) {
    run.baseline.unstable = [...unstable].sort();
    io.err(`${unstable.size} difference(s) between the ${repeat} recordings kept as unstable`);
  }
  writeAtomically(own.out, `${JSON.stringify(run.baseline, null, 1)}\n`);
  const recorded = run.baseline.tests.filter((t) => t.status !== 'skipped').length;
  io.err(`recorded ${recorded} test(s)${run.failed ? ` (${run.failed} failed: recorded as far as they got)` : ''} of Janus ${run.baseline.serverVersion ?? '(version unknown)'} to ${own.out}`);
  return ExitCode.passed;
}

export function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.partial-${process.pid}`;
  try {
    writeFileSync(partial, text);
    renameSync(partial, path);
  } catch (e) {
    rmSync(partial, { force: true });
    throw new UsageError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
