import { escapeControls } from '../core/printable.js';
import { messageLine } from '../report/failure-text.js';
import { stoppedWhy } from '../report/builder.js';
import type { ReportFormat } from './contract.js';
import type { ReportedFailure, RunReport, ScenarioReport } from '../report/model.js';
import type { LoadProblem } from '../core/diagnostic.js';

/**
 * JUnit XML as GitHub Actions, GitLab and Jenkins read it: a file is a <testsuite>, a scenario
 * on a transport a <testcase> named "name [transport]". Assertion failures and timeouts are
 * <failure>, server problems <error>, unfinished scenarios <error type="unfinished"> (those that
 * never ran because the server could not be reached <error type="infrastructure">); the
 * failure text (file:line, diff, last messages) is the element's content, the whole exchange
 * goes to <system-out>. A test `--retries` ran again carries its earlier attempts' failures as
 * Maven Surefire writes them (Jenkins reads them): <flakyFailure> in a test that passed in the
 * end (a flaky test), <rerunFailure> in one that failed every attempt. A run whose scenario
 * files failed to load is a <testsuite> per broken file, a <testcase> per problem with an
 * <error type="load"> whose message is `file:line:col message`: CI shows it red, not the last run.
 */
export const junitFormat: ReportFormat = {
  name: 'junit',
  defaultPath: 'janus-scenarios-junit.xml',
  render,
};

function render(report: RunReport): string {
  if (report.loadProblems) return renderLoadProblems(report, report.loadProblems.problems);
  const byFile = new Map<string, ScenarioReport[]>();
  for (const s of report.scenarios) byFile.set(s.file, [...(byFile.get(s.file) ?? []), s]);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const totals = counts(report.scenarios);
  out.push(`<testsuites name="janus-scenarios" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}" time="${seconds(report.durationMs)}" timestamp="${report.startedAt.replace(/\.\d+Z$/, '')}">`);
  let id = 0;
  for (const [file, scenarios] of byFile) {
    const c = counts(scenarios);
    const time = scenarios.reduce((sum, s) => sum + s.durationMs, 0);
    out.push(`  <testsuite name="${xmlAttr(file)}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" time="${seconds(time)}" timestamp="${report.startedAt.replace(/\.\d+Z$/, '')}" id="${id++}">`);
    out.push('    <properties>');
    for (const [name, value] of properties(report)) out.push(`      <property name="${xmlAttr(name)}" value="${xmlAttr(value)}"/>`);
    out.push('    </properties>');
    for (const s of scenarios) out.push(...testcase(s));
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

/** The run that could not load its files: each problem an error, grouped by the file it is in. */
function renderLoadProblems(report: RunReport, problems: LoadProblem[]): string {
  const byFile = new Map<string, LoadProblem[]>();
  for (const p of problems) byFile.set(p.file ?? 'scenario files', [...(byFile.get(p.file ?? 'scenario files') ?? []), p]);
  const timestamp = report.startedAt.replace(/\.\d+Z$/, '');
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="janus-scenarios" tests="${problems.length}" failures="0" errors="${problems.length}" skipped="0" time="0.000" timestamp="${timestamp}">`];
  let id = 0;
  for (const [file, list] of byFile) {
    out.push(`  <testsuite name="${xmlAttr(file)}" tests="${list.length}" failures="0" errors="${list.length}" skipped="0" time="0.000" timestamp="${timestamp}" id="${id++}">`);
    for (const p of list) {
      const message = p.location ? `${p.location} ${p.message}` : p.message;
      out.push(`    <testcase name="${xmlAttr(p.location ? `load ${p.location}` : 'load')}" classname="${xmlAttr(file)}" time="0.000">`);
      out.push(`      <error type="load" message="${xmlAttr(message)}">${xmlText(p.text)}</error>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

function testcase(s: ScenarioReport): string[] {
  const open = `    <testcase name="${xmlAttr(s.title)}" classname="${xmlAttr(s.transport ? `${s.file}.${s.transport}` : s.file)}" time="${seconds(s.durationMs)}"`;
  const body: string[] = [];
  if (s.status === 'skipped') body.push(`      <skipped message="${xmlAttr(s.skipReason ?? 'skipped')}"/>`);
  if (s.status === 'failed' && s.failure) {
    const element = s.failure.kind === 'infrastructure' ? 'error' : 'failure';
    body.push(`      <${element} type="${s.failure.kind}" message="${xmlAttr(oneLine(s.failure))}">${xmlText(s.failure.text)}</${element}>`);
  }
  if (s.status === 'unfinished' && s.failure?.kind === 'infrastructure') {
    // Never ran: the server could not be reached or started; the reason is the message.
    body.push(`      <error type="infrastructure" message="${xmlAttr(oneLine(s.failure))}">${xmlText(s.failure.text)}</error>`);
  } else if (s.status === 'unfinished') {
    const why = s.failure ? `interrupted${s.failure.location ? ` at ${s.failure.location}` : ''}` : stoppedWhy(s);
    body.push(`      <error type="unfinished" message="${xmlAttr(`unfinished: ${why}`)}">${xmlText(s.failure?.text ?? `unfinished: ${why}`)}</error>`);
  }
  for (const f of s.earlierFailures ?? []) body.push(earlierAttempt(s.status === 'passed' ? 'flakyFailure' : 'rerunFailure', f));
  if (s.status !== 'passed' && s.status !== 'skipped' && s.messages.length > 0) body.push(`      <system-out>${xmlText(s.messages.map((m) => messageLine(m)).join('\n'))}</system-out>`);
  if (s.warnings.length > 0) body.push(`      <system-err>${xmlText(s.warnings.map((w) => `warning: ${w}`).join('\n'))}</system-err>`);
  return body.length === 0 ? [`${open}/>`] : [`${open}>`, ...body, '    </testcase>'];
}

/** An attempt before the last, in Surefire's shape: the failure text is its stackTrace. */
function earlierAttempt(element: 'flakyFailure' | 'rerunFailure', f: ReportedFailure): string {
  return `      <${element} type="${f.kind}" message="${xmlAttr(oneLine(f))}"><stackTrace>${xmlText(f.text)}</stackTrace></${element}>`;
}

function oneLine(f: ReportedFailure): string {
  return `${f.location ? `${f.location}: ` : ''}${f.summary.split('\n')[0]}`;
}

function properties(report: RunReport): Array<[string, string]> {
  const props: Array<[string, string]> = [['transports', report.transports.join(',')], ['interrupted', String(report.interrupted)]];
  if (report.janusVersion) props.push(['janus.version', report.janusVersion]);
  if (report.seed) props.push(['seed', report.seed]);
  if (report.sessionsLeft > 0) props.push(['sessions.left', String(report.sessionsLeft)]);
  return props;
}

function counts(scenarios: ScenarioReport[]): { tests: number; failures: number; errors: number; skipped: number } {
  const is = (p: (s: ScenarioReport) => boolean) => scenarios.filter(p).length;
  return {
    tests: scenarios.length,
    failures: is((s) => s.status === 'failed' && s.failure?.kind !== 'infrastructure'),
    errors: is((s) => s.status === 'unfinished' || (s.status === 'failed' && s.failure?.kind === 'infrastructure')),
    skipped: is((s) => s.status === 'skipped'),
  };
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** XML 1.0 forbids most control characters even escaped: they become U+FFFD. */
function xmlChars(s: string): string {
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

export function xmlText(s: string): string {
  return xmlChars(escapeControls(s)).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

