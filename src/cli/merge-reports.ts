import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode } from '../core/exit-codes.js';
import type { RunEnd, SuiteEvent } from '../events/events.js';
import { readBlob, type Blob } from '../report/blob-format.js';
import { mergeBlobs, replayEvents } from '../report/merge.js';
import { Multiplexer } from '../events/multiplexer.js';
import { Redactor } from '../report/redact.js';
import { wantsColour } from '../reporters/colour.js';
import { OPTION_FILE_LIMITS, optionFileProblem } from '../load/option-file.js';
import { registeredReporters, reporterFailures } from './reporters.js';
import { parseOptions, UsageError, type OptionTable } from './options.js';

export const MERGE_OPTIONS = {
  reporter: { type: 'string', short: 'R', multiple: true, value: 'NAME[:PATH]', help: "repeatable: html, junit, json, tap (or blob: one blob of the whole run) write PATH ('-': stdout); coverage prints what the run exercised; default html" },
  help: { type: 'boolean', short: 'h', help: 'show this help', commandLineOnly: true },
} as const satisfies OptionTable;

type Io = { out: (s: string) => void; err: (s: string) => void };

/**
 * `janus-scenarios merge-reports <blobs|folders...> --reporter html:... --reporter junit:...`:
 * the blobs of a run's shards (run --shard i/n --reporter blob) into every report, as if one
 * machine had run it all. Exit code: the merged run's, as `run` gives it; 2 when the blobs are
 * not every shard of one run.
 */
export async function mergeReportsCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions(args, MERGE_OPTIONS, 'merge-reports');
  if (positionals.length === 0) throw new UsageError('give the blob files (or their folder) to merge, as written by run --reporter blob');
  // Blobs were redacted when written; this redactor only keeps the environment's secrets out.
  const context = { redactor: new Redactor(), colour: wantsColour(process.stdout, process.env), out: process.stdout };
  const reporters = await registeredReporters((values.reporter as string[] | undefined) ?? ['html'], context);
  const blobs: Blob[] = [];
  for (const path of positionals.flatMap(blobFiles)) {
    // A named pipe or a device given as a blob is refused, not read.
    const problem = optionFileProblem(path, OPTION_FILE_LIMITS.blob);
    if (problem) throw new UsageError(`${path}: ${problem}`);
    const blob = readBlob(path);
    if ('problem' in blob) throw new UsageError(blob.problem);
    blobs.push(blob);
  }
  const merged = mergeBlobs(blobs);
  if ('problem' in merged) throw new UsageError(merged.problem);
  for (const note of merged.notes) io.err(`note: ${note}`);
  // One reporter failing (a folder it cannot write to) leaves the others' files written.
  const failures = reporterFailures(io.err);
  const multiplexer = new Multiplexer(reporters, failures.onError);
  await replayEvents(merged.events, multiplexer);
  io.err(summary(blobs.length, merged.events));
  return failures.verdict(exitCodeOf((merged.events.at(-1) as RunEnd).status));
}

/** A folder stands for the blobs in it (`*.jsonl`, sorted); a file is taken as named. */
function blobFiles(input: string): string[] {
  const stat = statSync(input, { throwIfNoEntry: false });
  if (!stat?.isDirectory()) return [input];
  const found = readdirSync(input).filter((f) => f.endsWith('.jsonl')).sort().map((f) => join(input, f));
  if (found.length === 0) throw new UsageError(`${input}: no blob files (*.jsonl) in this folder`);
  return found;
}

/** One line: how many tests ended how, once the last attempt of each is counted. */
function summary(blobCount: number, events: SuiteEvent[]): string {
  const last = new Map<string, string>();
  for (const e of events) if (e.type === 'test:end') last.set(e.testId, e.result.status === 'failed' && e.result.failure?.kind === 'interrupted' ? 'unfinished' : e.result.status);
  const begin = events[0]!;
  const total = begin.type === 'run:begin' ? begin.tests.length : last.size;
  const counts = ['passed', 'failed', 'skipped'].map((s) => `${[...last.values()].filter((v) => v === s).length} ${s}`);
  const unfinished = total - [...last.values()].filter((v) => v !== 'unfinished').length;
  return `merged ${blobCount} blob(s): ${total} test(s), ${counts.join(', ')}${unfinished > 0 ? `, ${unfinished} unfinished` : ''}`;
}

function exitCodeOf(status: RunEnd['status']): number {
  switch (status) {
    case 'passed':
      return ExitCode.passed;
    case 'failed':
      return ExitCode.scenarioFailed;
    case 'fault':
      return ExitCode.infrastructure;
    case 'interrupted':
      return ExitCode.interrupted;
  }
}
