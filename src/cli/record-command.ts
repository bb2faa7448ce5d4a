import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ExitCode } from '../core/exit-codes.js';
import { ownOptions, runForBaseline } from './baseline-run.js';
import { RUN_OPTIONS, UsageError, type OptionTable } from './options.js';

export const RECORD_OWN_OPTIONS = {
  out: { type: 'string', value: 'FILE', help: 'where the baseline goes (JSON; keep it in the repository)' },
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
  const run = await runForBaseline(rest, 'record', io);
  if ('exit' in run) return run.exit;
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
