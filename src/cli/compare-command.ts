import { ExitCode } from '../core/exit-codes.js';
import { wholeNumberOption } from '../core/option-values.js';
import { readBaseline } from '../compare/baseline.js';
import { failingRatings } from '../compare/classify.js';
import type { Baseline } from '../compare/baseline.js';
import { testsToConfirm } from '../compare/confirm.js';
import { compareBaselines, uncompared, type Comparison, type CompareOptions } from '../compare/diff.js';
import { comparedTests, unpairablePlan } from '../compare/pairing.js';
import { DEFAULT_TIMING_TOLERANCE, type TimingTolerance } from '../compare/timing.js';
import { renderCompareHtml } from '../reporters/html/compare.js';
import { renderCompareJunit } from '../reporters/compare-junit.js';
import { COMPARE_REPORT_VERSION, compareReport, consoleText, markdownText, type CompareReport } from '../compare/report.js';
import { ownOptions, runForBaseline } from './baseline-run.js';
import { OPTION_FILE_LIMITS, optionFileProblem } from '../load/option-file.js';
import { RUN_OPTIONS, UsageError, type OptionTable } from './options.js';
import { checkOutputFiles } from './output-paths.js';
import { writeOutput } from '../reporters/write.js';
import { loadProblemsPage } from '../reporters/html/load-problems.js';
import { junitFormat } from '../reporters/junit.js';
import { buildReport } from '../report/builder.js';
import { loadProblemsSummary } from '../core/diagnostic.js';
import { toolVersion } from '../core/tool-version.js';
import type { LoadProblemsEvent } from '../events/events.js';

export const COMPARE_OWN_OPTIONS = {
  baseline: { type: 'string', value: 'FILE', help: 'the baseline written by record' },
  'report-json': { type: 'string', value: 'FILE', help: `write the differences as JSON (format janus-scenarios-compare, version ${COMPARE_REPORT_VERSION}; see docs/upgrades.md)` },
  'report-md': { type: 'string', value: 'FILE', help: 'write a short Markdown report (to paste into a pull request)' },
  'report-junit': { type: 'string', value: 'FILE', help: "write the comparison as JUnit XML for CI: a test case per test, failing when it shows a difference rated --fail-on (as the exit code; --reporter junit is of the scenarios' own verdicts)" },
  'report-html': { type: 'string', value: 'FILE', help: 'write the differences as one self-contained HTML page, grouped by plugin and message, old and new side by side' },
  'timing-tolerance': { type: 'string', value: 'TOL', help: `when a request's latency counts as changed: more than FACTOR times and MS longer or shorter, as "3x,1000ms" (the default), or "off"` },
  confirm: { type: 'string', value: 'N', help: 'run the tests that differ again, up to N times (default 2; 0: never): a difference a re-run does not show again is unstable, reported apart and never failing --fail-on' },
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
  const confirm = wholeNumberOption('--confirm', own.confirm ?? String(DEFAULT_CONFIRM), { min: 0, max: 10 });
  const reports = (['report-json', 'report-md', 'report-html', 'report-junit'] as const).map((key) => ({ option: `--${key}`, path: own[key] }));
  checkOutputFiles(reports, [{ option: '--baseline', path: own.baseline }]);
  // A bad baseline is bad input: said before any server is started. A named pipe or a device is not read at all.
  const problem = optionFileProblem(own.baseline, OPTION_FILE_LIMITS.baseline);
  // A first compare usually lacks the baseline itself: the command that writes one is named.
  const firstTime = problem === 'no such file' ? ' (a baseline is written by janus-scenarios record [files] --out FILE, on the Janus to compare against)' : '';
  const old = problem ? { problem: `cannot read baseline ${own.baseline}: ${problem}${firstTime}` } : readBaseline(own.baseline);
  if ('problem' in old) {
    io.err(`error: ${old.problem}`);
    return ExitCode.invalidInput;
  }
  const run = await runForBaseline(rest, 'compare', io, { refusePlan: (ids) => unpairablePlan(old, ids) });
  if ('exit' in run) {
    if (run.loadProblems) writeLoadProblemReports(own, run.loadProblems, io);
    return run.exit;
  }
  let report: CompareReport | undefined;
  let code: number;
  try {
    const confirmed = await confirmByReruns(old, run.baseline, { timing }, confirm, (only) => runForBaseline(rest, 'compare', io, { only }), io);
    if ('exit' in confirmed) return confirmed.exit;
    const { comparison, tests } = confirmed;
    report = run.redactor.value(
      compareReport(comparison.differences, uncompared(old, run.baseline), { path: own.baseline, recordedAt: old.recordedAt, ...(old.serverVersion && { serverVersion: old.serverVersion }) }, { ...(run.baseline.serverVersion && { serverVersion: run.baseline.serverVersion }) }, { unstable: comparison.unstable, confirmation: { reruns: confirm, tests } }),
    );
    io.out(consoleText(report));
    const failing = failingRatings(failOn);
    const compared = comparedTests(old, run.baseline);
    // Each file asked for is written, or said not to be: one that could not be fails the command (exit 3).
    const written = [
      !own['report-json'] || writeOutput(own['report-json'], `${JSON.stringify(report, null, 2)}\n`, io),
      !own['report-md'] || writeOutput(own['report-md'], markdownText(report), io),
      !own['report-html'] || writeOutput(own['report-html'], renderCompareHtml(report), io),
      !own['report-junit'] || writeOutput(own['report-junit'], renderCompareJunit(report, compared, failing), io),
    ];
    // A comparison of no test would pass having checked nothing: every test was skipped on one side.
    const nothing = compared.length === 0;
    if (nothing) io.err('error: no test was compared: each was skipped in the baseline or in this run (see "not compared")');
    code = written.includes(false) ? ExitCode.infrastructure : nothing || report.differences.some((d) => failing.has(d.rating)) ? ExitCode.scenarioFailed : ExitCode.passed;
  } finally {
    // The run's own reports (--reporter html) show the comparison; written even when it could not be made.
    await run.finish(report);
  }
  return run.verdict(code);
}

/**
 * Scenario files that failed to load: each report file asked for says so, the problems as
 * failures (a JUnit error per problem, a page of them, a list), and the JSON is
 * `status: "load-failed"` with the problems and no `counts`: none is left as the last
 * comparison's. Exit 2 all the same; one that cannot be written is said.
 */
function writeLoadProblemReports(own: Record<string, string>, event: LoadProblemsEvent, io: Io): void {
  const { problems, count } = event;
  const json = { format: 'janus-scenarios-compare', version: COMPARE_REPORT_VERSION, tool: { name: 'janus-scenarios', version: toolVersion() }, status: 'load-failed', loadProblems: { count, problems } };
  const md = [`### Janus scenarios: ${loadProblemsSummary(count)}`, '', ...problems.map((p) => `- ${p.location ? `\`${p.location}\` ` : ''}${p.message}`), ''].join('\n');
  const texts: Array<[string, () => string]> = [
    ['report-json', () => `${JSON.stringify(json, null, 2)}\n`],
    ['report-md', () => md],
    ['report-html', () => loadProblemsPage(problems, count)],
    ['report-junit', () => junitFormat.render(buildReport([event]))],
  ];
  for (const [key, text] of texts) if (own[key]) writeOutput(own[key], text(), io);
}

export const DEFAULT_CONFIRM = 2;

/**
 * Confirmation by re-run: the tests that show differences run again on the new server, up to
 * `times` times; after each re-run, a difference it did not show again is unstable (the server
 * did what the baseline has), and only the tests with differences still standing run again. What
 * stands at the end was shown by every re-run: a change, not a race.
 */
export async function confirmByReruns(
  old: Baseline,
  now: Baseline,
  options: CompareOptions,
  times: number,
  rerun: (only: Set<string>) => Promise<{ baseline: Baseline } | { exit: number }>,
  io: Io,
): Promise<{ comparison: Comparison; tests: number } | { exit: number }> {
  const reruns: Baseline[] = [];
  let comparison = compareBaselines(old, now, options);
  const all = new Set<string>();
  for (let i = 1; i <= times; i++) {
    const tests = testsToConfirm(comparison.differences, now);
    if (tests.size === 0) break;
    for (const id of tests) all.add(id);
    io.err(`confirming ${comparison.differences.length} difference(s): running ${tests.size} test(s) again (${i} of ${times})`);
    const again = await rerun(tests);
    if ('exit' in again) return again;
    reruns.push(again.baseline);
    comparison = compareBaselines(old, now, { ...options, reruns });
  }
  return { comparison, tests: all.size };
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
