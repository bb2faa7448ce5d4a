import { ExitCode } from '../core/exit-codes.js';
import { readBaseline } from '../compare/baseline.js';
import { failingRatings } from '../compare/classify.js';
import { diffBaselines, uncompared } from '../compare/diff.js';
import { DEFAULT_TIMING_TOLERANCE, type TimingTolerance } from '../compare/timing.js';
import { renderCompareHtml } from '../reporters/html/compare.js';
import { compareReport, consoleText, markdownText } from '../compare/report.js';
import { ownOptions, runForBaseline } from './baseline-run.js';
import { RUN_OPTIONS, UsageError, type OptionTable } from './options.js';
import { writeAtomically } from './record-command.js';

export const COMPARE_OWN_OPTIONS = {
  baseline: { type: 'string', value: 'FILE', help: 'the baseline written by record' },
  'report-json': { type: 'string', value: 'FILE', help: 'write the differences as JSON (format janus-scenarios-compare, version 2; see docs/upgrades.md)' },
  'report-md': { type: 'string', value: 'FILE', help: 'write a short Markdown report (to paste into a pull request)' },
  'report-html': { type: 'string', value: 'FILE', help: 'write the differences as one self-contained HTML page, grouped by plugin and message, old and new side by side' },
  'timing-tolerance': { type: 'string', value: 'TOL', help: `when a request's latency counts as changed: more than FACTOR times and MS longer or shorter, as "3x,1000ms" (the default), or "off"` },
  'fail-on': { type: 'string', value: 'LEVEL', help: 'exit 1 when a difference of this rating exists: breaking (default), behaviour (or breaking), any' },
} as const satisfies OptionTable;

export const COMPARE_OPTIONS = { ...COMPARE_OWN_OPTIONS, ...RUN_OPTIONS } as const satisfies OptionTable;

type Io = { out: (s: string) => void; err: (s: string) => void };

/**
 * `janus-scenarios compare <files> --baseline FILE [run options]`: runs the suite the same way
 * as record, and diffs what this server sent against the baseline, structurally. Exit 1 when a
 * difference rated `--fail-on` (or worse) exists; the scenarios' own verdicts do not count here.
 */
export async function compareCommand(args: string[], io: Io): Promise<number> {
  const { own, rest } = ownOptions(args, COMPARE_OWN_OPTIONS);
  if (!own.baseline) throw new UsageError('give --baseline FILE (written by janus-scenarios record)');
  const failOn = own['fail-on'] ?? 'breaking';
  if (failOn !== 'breaking' && failOn !== 'behaviour' && failOn !== 'any') throw new UsageError(`--fail-on is breaking, behaviour or any, not "${failOn}"`);
  const timing = timingTolerance(own['timing-tolerance']);
  // A bad baseline is bad input: said before any server is started.
  const old = readBaseline(own.baseline);
  if ('problem' in old) {
    io.err(`error: ${old.problem}`);
    return ExitCode.invalidInput;
  }
  const run = await runForBaseline(rest, 'compare', io);
  if ('exit' in run) return run.exit;
  const differences = diffBaselines(old, run.baseline, { timing });
  const report = run.redactor.value(
    compareReport(differences, uncompared(old, run.baseline), { path: own.baseline, recordedAt: old.recordedAt, ...(old.serverVersion && { serverVersion: old.serverVersion }) }, { ...(run.baseline.serverVersion && { serverVersion: run.baseline.serverVersion }) }),
  );
  io.out(consoleText(report));
  if (own['report-json']) writeAtomically(own['report-json'], `${JSON.stringify(report, null, 2)}\n`);
  if (own['report-md']) writeAtomically(own['report-md'], markdownText(report));
  if (own['report-html']) writeAtomically(own['report-html'], renderCompareHtml(report));
  const failing = failingRatings(failOn);
  return report.differences.some((d) => failing.has(d.rating)) ? ExitCode.scenarioFailed : ExitCode.passed;
}

/** `--timing-tolerance 3x,1000ms` (either part may be left out: the default's is kept), or `off`. */
export function timingTolerance(text: string | undefined): TimingTolerance | false {
  if (text === undefined) return DEFAULT_TIMING_TOLERANCE;
  if (text.trim() === 'off') return false;
  const tolerance = { ...DEFAULT_TIMING_TOLERANCE };
  for (const part of text.split(',').map((p) => p.trim())) {
    const factor = /^(\d+(?:\.\d+)?)x$/.exec(part);
    const margin = /^(\d+)ms$/.exec(part);
    if (factor && Number(factor[1]) > 1) tolerance.factor = Number(factor[1]);
    else if (margin) tolerance.marginMs = Number(margin[1]);
    else throw new UsageError(`--timing-tolerance is FACTORx,MSms (a factor above 1, a whole number of ms), as "3x,1000ms", or "off"; not "${text}"`);
  }
  return tolerance;
}
