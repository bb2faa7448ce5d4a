import { stringify } from '../vendor/yaml.js';
import { escapeControls, oneLinePrintable } from '../core/printable.js';
import { loadProblemsSummary } from '../core/diagnostic.js';
import { sessionsLeftLine } from '../report/warnings.js';
import { stoppedWhy } from '../report/builder.js';
import type { ReportFormat } from './contract.js';
import type { ReportedFailure, RunReport, ScenarioReport } from '../report/model.js';

/**
 * TAP version 14: the plan first, a line per scenario on a transport, skips as `# SKIP reason`,
 * and for what failed or did not finish a YAML block with file:line, expected, actual and diff.
 * A run whose scenario files failed to load is a `not ok` line per problem (file:line:col and
 * message), never an empty plan (which reads as a pass).
 */
export const tapFormat: ReportFormat = {
  name: 'tap',
  defaultPath: 'janus-scenarios.tap',
  render,
};

function render(report: RunReport): string {
  if (report.loadProblems) return renderLoadProblems(report.loadProblems);
  const out = ['TAP version 14', `1..${report.scenarios.length}`];
  report.scenarios.forEach((s, i) => out.push(...testLine(s, i + 1)));
  if (report.interrupted) out.push('# the run was interrupted: scenarios that did not finish are "not ok" with status unfinished');
  const t = report.totals;
  out.push(`# passed ${t.passed}, failed ${t.failed}, skipped ${t.skipped}, unfinished ${t.unfinished}`);
  if (report.sessionsLeft > 0) out.push(`# warning: ${sessionsLeftLine(report.sessionsLeft)}`);
  return `${out.join('\n')}\n`;
}

function renderLoadProblems({ problems, count }: NonNullable<RunReport['loadProblems']>): string {
  const out = ['TAP version 14', `1..${problems.length}`];
  problems.forEach((p, i) => {
    out.push(`not ok ${i + 1} - ${oneLine(p.location ? `${p.location} ${p.message}` : p.message).replace(/\\/g, '\\\\').replace(/#/g, '\\#')}`);
    const block = { status: 'load-failed', ...(p.location && { at: p.location }), message: p.message, text: p.text };
    out.push('  ---', ...escapeControls(stringify(block, { lineWidth: 0 }).replace(/\n$/, '')).split('\n').map((l) => `  ${l}`), '  ...');
  });
  out.push(`# ${oneLine(loadProblemsSummary(count))}`);
  return `${out.join('\n')}\n`;
}

function testLine(s: ScenarioReport, n: number): string[] {
  const description = oneLine(`${s.file}: ${s.title}`).replace(/\\/g, '\\\\').replace(/#/g, '\\#');
  const warnings = s.warnings.map((w) => `# warning: ${oneLine(w)}`);
  if (s.status === 'skipped') return [`ok ${n} - ${description} # SKIP ${oneLine(s.skipReason ?? '')}`];
  if (s.status === 'passed') return [`ok ${n} - ${description}`, ...flaky(s), ...warnings];
  return [`not ok ${n} - ${description}`, ...diagnostics(s), ...warnings];
}

/** A pass after failed attempts (`--retries`) says so, with how each earlier attempt failed. */
function flaky(s: ScenarioReport): string[] {
  const earlier = s.earlierFailures ?? [];
  if (earlier.length === 0) return [];
  return [`# flaky: passed on attempt ${s.attempts}`, ...earlier.map((f, i) => `# attempt ${i + 1} failed: ${oneLine(failureLine(f))}`)];
}

function failureLine(f: ReportedFailure): string {
  return `${f.location ? `${f.location}: ` : ''}${f.summary}`;
}

function diagnostics(s: ScenarioReport): string[] {
  const f = s.failure;
  const block: Record<string, unknown> = { status: s.status, duration_ms: s.durationMs };
  if (f) {
    block.message = f.summary;
    if (f.location) block.at = f.location;
    if (f.stepTitle) block.step = f.stepTitle;
    if (f.expected !== undefined) block.expected = f.expected;
    if (f.actual !== undefined) block.actual = f.actual;
    if (f.diff) block.diff = f.diff;
    block.text = f.text;
    if (s.earlierFailures?.length) {
      block.attempts = s.attempts;
      block.earlier_failures = s.earlierFailures.map(failureLine);
    }
  } else {
    block.message = stoppedWhy(s);
  }
  const yaml = escapeControls(stringify(block, { lineWidth: 0 }).replace(/\n$/, ''));
  return ['  ---', ...yaml.split('\n').map((l) => `  ${l}`), '  ...'];
}

/** One line, every control character escaped (a newline would end the TAP line, an ESC reach the terminal). */
function oneLine(s: string): string {
  return oneLinePrintable(s.replace(/\r?\n/g, ' '));
}

