import type { Rating } from '../compare/classify.js';
import { placeOf, pointerText, shown, type CompareReport } from '../compare/report.js';
import { xmlAttr, xmlText } from './junit.js';

type Entry = CompareReport['differences'][number];

/**
 * The comparison as JUnit XML, for a CI job that shows test results: a <testcase> per test
 * compared (and per server inventory, wire or timing summary that shows a difference), failing
 * when it shows a difference rated `failing` (compare's --fail-on), so that the file agrees with
 * compare's exit code; the other differences are its <system-out>; a test not compared is
 * <skipped> with the reason. The run's own `--reporter junit` is of the scenarios' verdicts,
 * which a comparison does not go by (a scenario fails where a reply changed).
 */
export function renderCompareJunit(report: CompareReport, compared: string[], failing: ReadonlySet<Rating>): string {
  const byTest = new Map<string, Entry[]>(compared.map((id) => [id, []]));
  for (const d of report.differences) byTest.set(d.test, [...(byTest.get(d.test) ?? []), d]);
  const unstable = new Map<string, string[]>();
  for (const d of report.unstable) unstable.set(d.test, [...(unstable.get(d.test) ?? []), `unstable (not counted): ${line(d)}: ${d.unstable}`]);
  const cases: string[] = [];
  let failures = 0;
  for (const [test, list] of byTest) {
    const failed = list.filter((d) => failing.has(d.rating));
    const others = [...list.filter((d) => !failing.has(d.rating)).map(line), ...(unstable.get(test) ?? [])];
    const body: string[] = [];
    if (failed.length > 0) {
      failures++;
      body.push(`      <failure type="${failed.some((d) => d.rating === 'breaking') ? 'breaking' : failed[0]!.rating}" message="${xmlAttr(`${failed.length} difference(s): ${summary(failed)}`)}">${xmlText(failed.map(line).join('\n'))}</failure>`);
    }
    if (others.length > 0) body.push(`      <system-out>${xmlText(others.join('\n'))}</system-out>`);
    cases.push(...testcase(test, body));
  }
  // As compare exits 1 then: a file without a failure would read as a pass.
  if (compared.length === 0) {
    failures++;
    cases.push(...testcase('(nothing compared)', ['      <failure type="nothing-compared" message="no test was compared: each was skipped in the baseline or in this run"/>']));
  }
  for (const u of report.uncompared) cases.push(...testcase(u.test, [`      <skipped message="${xmlAttr(`not compared: ${u.reason}`)}"/>`]));
  const name = `compare ${report.baseline.serverVersion ?? 'baseline'} → ${report.target.serverVersion ?? 'this server'}`;
  const counts = `tests="${byTest.size + report.uncompared.length + (compared.length === 0 ? 1 : 0)}" failures="${failures}" errors="0" skipped="${report.uncompared.length}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="janus-scenarios compare" ${counts}>`,
    `  <testsuite name="${xmlAttr(name)}" ${counts} id="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** `file#name[transport]` as JUnit names it (as the run's report does); the inventory's or wire's summaries by their own name. */
function testcase(test: string, body: string[]): string[] {
  const m = /^([^#]*)#(.*)\[([^\]]+)\]$/s.exec(test);
  const [name, classname] = m ? [`${m[2]} [${m[3]}]`, `${m[1]}.${m[3]}`] : [test, 'compare'];
  const open = `    <testcase name="${xmlAttr(name)}" classname="${xmlAttr(classname)}"`;
  return body.length === 0 ? [`${open}/>`] : [`${open}>`, ...body, '    </testcase>'];
}

function line(d: Entry): string {
  return `${d.rating} ${d.class} ${d.message} ${pointerText(d.pointer)}: ${shown(d.old, 120)} → ${shown(d.new, 120)} at ${placeOf(d)}`;
}

function summary(list: Entry[]): string {
  const by = (r: Rating): number => list.filter((d) => d.rating === r).length;
  return (['breaking', 'behaviour', 'additive'] as const).filter((r) => by(r) > 0).map((r) => `${by(r)} ${r}`).join(', ');
}
