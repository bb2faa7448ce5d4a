import { toolVersion } from '../core/tool-version.js';
import { RATINGS, RULES_VERSION, type Rating } from './classify.js';
import type { Difference, UnstableDifference } from './diff.js';

/**
 * The JSON report of a comparison, format `janus-scenarios-compare`, version 3:
 *
 *     { format, version, rules (the classification rules' version), tool: {name, version},
 *       baseline: { path, serverVersion?, recordedAt }, target: { serverVersion? },
 *       counts: { breaking, behaviour, additive },
 *       differences: [ { test, scenario, transport, step ("file:line"), stepTitle, message, plugin,
 *                        pointer (RFC 6901, into the message), old?, new?, class, rating,
 *                        count?, example? } ],
 *       uncompared: [ { test, reason } ] }
 *
 * `old` / `new` are absent when the value is (a field added has no old value). Volatile values
 * appear as symbols (`$3`) or placeholders (`<time>`). Version 2 added the classes `renamed`,
 * `timing-changed` and `wire-changed`, and `count` / `example` (a wire change is one entry for
 * all the messages that showed it: how many, and the first). Version 3 added `unstable` (the
 * differences a re-run on the new server did not show again, or that the baseline's own
 * recordings had: counted apart, never failing `--fail-on`), `counts.unstable` and
 * `confirmation` (how many times, at most, the tests that differed were run again, and how many
 * tests that was).
 */
export const COMPARE_REPORT_VERSION = 3;

export interface CompareReport {
  format: 'janus-scenarios-compare';
  version: typeof COMPARE_REPORT_VERSION;
  rules: number;
  tool: { name: string; version: string };
  baseline: { path: string; serverVersion?: string; recordedAt: string };
  target: { serverVersion?: string };
  counts: Record<Rating | 'unstable', number>;
  differences: Difference[];
  unstable: UnstableDifference[];
  confirmation: Confirmation;
  uncompared: Array<{ test: string; reason: string }>;
}

/** Confirmation by re-run: at most how many re-runs of the tests that differed, and how many tests were re-run. */
export interface Confirmation {
  reruns: number;
  tests: number;
}

export function compareReport(
  differences: Difference[],
  uncompared: CompareReport['uncompared'],
  baseline: CompareReport['baseline'],
  target: CompareReport['target'],
  stability: { unstable?: UnstableDifference[]; confirmation?: Confirmation } = {},
): CompareReport {
  const unstable = stability.unstable ?? [];
  const counts = { ...Object.fromEntries(RATINGS.map((r) => [r, differences.filter((d) => d.rating === r).length])), unstable: unstable.length } as CompareReport['counts'];
  const confirmation = stability.confirmation ?? { reruns: 0, tests: 0 };
  return { format: 'janus-scenarios-compare', version: COMPARE_REPORT_VERSION, rules: RULES_VERSION, tool: { name: 'janus-scenarios', version: toolVersion() }, baseline, target, counts, differences, unstable, confirmation, uncompared };
}

/** One line on what confirmation by re-run found, or '' when nothing was unstable. */
export function unstableLine(report: CompareReport): string {
  if (report.unstable.length === 0) return '';
  const reruns = report.confirmation.reruns > 0 ? ` (${report.confirmation.tests} test(s) run again up to ${report.confirmation.reruns} time(s))` : '';
  return `${report.unstable.length} unstable difference(s) not counted: the same server did not do them every time${reruns}`;
}

/** Differences grouped by plugin, then by message, in the order first seen. */
export function grouped(differences: Difference[]): Map<string, Map<string, Difference[]>> {
  const out = new Map<string, Map<string, Difference[]>>();
  for (const d of differences) {
    const byMessage = out.get(d.plugin) ?? new Map<string, Difference[]>();
    out.set(d.plugin, byMessage);
    byMessage.set(d.message, [...(byMessage.get(d.message) ?? []), d]);
  }
  return out;
}

/** Where a difference was seen: the step, transport and scenario; for a wire change, how many messages and the first. */
export function placeOf(d: Difference): string {
  if (d.example) return `${d.count ?? 1} message(s) on ${d.transport}, first ${d.example}`;
  // The inventory is named by its test (`inventory[ws]`), its "scenario" is already in parentheses.
  return d.step ? `${d.step} ${d.transport} (${d.scenario})` : d.test;
}

/** A difference's JSON pointer as printed: '' (RFC 6901's whole message) as "(message)", since "/" would be the key "". */
export function pointerText(pointer: string): string {
  return pointer || '(message)';
}

export function shown(value: unknown, max = 80): string {
  if (value === undefined) return '—';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function versions(report: CompareReport): string {
  return `${report.baseline.serverVersion ?? 'baseline'} → ${report.target.serverVersion ?? 'this server'}`;
}

function countsLine(report: CompareReport): string {
  return `${report.differences.length} difference(s): ${report.counts.breaking} breaking, ${report.counts.behaviour} behaviour, ${report.counts.additive} additive`;
}

/** The console summary: grouped by plugin then message, old and new side by side. */
export function consoleText(report: CompareReport): string {
  const lines = [`compare ${versions(report)}: ${countsLine(report)}`];
  for (const [plugin, byMessage] of grouped(report.differences)) {
    lines.push('', plugin);
    for (const [message, list] of byMessage) {
      lines.push(`  ${message}`);
      for (const d of list) {
        const where = d.example ? placeOf(d) : [d.step || d.test, d.step ? d.transport : ''].filter(Boolean).join(' ');
        lines.push(`    ${d.rating.padEnd(9)} ${d.class.padEnd(20)} ${pointerText(d.pointer)}  ${shown(d.old, 40)}  →  ${shown(d.new, 40)}   ${where} (${d.scenario})`);
      }
    }
  }
  if (report.unstable.length > 0) {
    lines.push('', `${unstableLine(report)}:`);
    for (const d of report.unstable.slice(0, 20)) lines.push(`  ${d.class} ${d.message} ${pointerText(d.pointer)}  ${d.step || d.test} ${d.transport} (${d.scenario}): ${d.unstable}`);
    if (report.unstable.length > 20) lines.push(`  ... and ${report.unstable.length - 20} more (see --report-json)`);
  }
  if (report.uncompared.length > 0) {
    lines.push('', `not compared (${report.uncompared.length}):`);
    for (const u of report.uncompared.slice(0, 20)) lines.push(`  ${u.test}: ${u.reason}`);
    if (report.uncompared.length > 20) lines.push(`  ... and ${report.uncompared.length - 20} more (see --report-json)`);
  }
  return lines.join('\n');
}

const md = (s: string): string => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The rows of one plugin's table: the same change seen in several places (each transport, say) is one row. */
export interface ReportRow {
  message: string;
  first: Difference;
  /** Every entry of the row (one per test that showed the change). */
  all: Difference[];
  /** How many places: tests (a wire change: transports). */
  places: number;
}

export function rowsOf(byMessage: Map<string, Difference[]>): ReportRow[] {
  const rows: ReportRow[] = [];
  for (const [message, list] of byMessage) {
    const same = new Map<string, ReportRow>();
    for (const d of list) {
      const k = [d.class, d.pointer, shown(d.old), shown(d.new)].join('\u0000');
      const row = same.get(k);
      if (row) {
        row.places += 1;
        row.all.push(d);
      } else same.set(k, { message, first: d, all: [d], places: 1 });
    }
    rows.push(...same.values());
  }
  // Breaking first: what is cut off to keep the text short is the least serious.
  return rows.sort((a, b) => RATINGS.indexOf(a.first.rating) - RATINGS.indexOf(b.first.rating));
}

/**
 * Short enough to paste into a pull request: counts, then one table per plugin, breaking rows
 * first; the same change seen in several tests is one row with the number of places, and a
 * plugin with more than `perPlugin` rows (or the whole beyond `maxRows`) says how many more
 * there are and where they are (the JSON report), by rating.
 */
export function markdownText(report: CompareReport, limits: { perPlugin?: number; maxRows?: number } = {}): string {
  const perPlugin = limits.perPlugin ?? 8;
  const maxRows = limits.maxRows ?? 60;
  const lines = [`### Janus ${versions(report)}`, '', `**${countsLine(report)}**`];
  let total = 0;
  for (const [plugin, byMessage] of grouped(report.differences)) {
    const rows = rowsOf(byMessage);
    const room = Math.max(0, Math.min(perPlugin, maxRows - total));
    const shownRows = rows.slice(0, room);
    total += shownRows.length;
    lines.push('', `#### ${md(plugin)} (${rows.length})`);
    if (shownRows.length > 0) lines.push('', '| rating | message | class | pointer | old | new | where |', '|---|---|---|---|---|---|---|');
    for (const { message, first: d, places } of shownRows) {
      // The count of places is never clipped away with a long path.
      const where = `${shown(d.example ? placeOf(d) : d.step || d.test, 70)}${places > 1 ? ` (${places} places)` : ''}`;
      lines.push(`| ${d.rating} | ${md(shown(message, 60))} | ${d.class} | \`${md(shown(pointerText(d.pointer), 50))}\` | ${md(shown(d.old, 40))} | ${md(shown(d.new, 40))} | ${md(where)} |`);
    }
    const rest = rows.slice(shownRows.length);
    if (rest.length > 0) lines.push('', `… and ${rest.length} more row(s) here (${byRating(rest.map((r) => r.first))}): see the JSON report.`);
  }
  if (report.unstable.length > 0) lines.push('', `${unstableLine(report)}: see the JSON report.`);
  if (report.uncompared.length > 0) lines.push('', `${report.uncompared.length} test(s) not compared (skipped or not in the baseline).`);
  return lines.join('\n') + '\n';
}

function byRating(list: Difference[]): string {
  return RATINGS.map((r) => [r, list.filter((d) => d.rating === r).length] as const).filter(([, n]) => n > 0).map(([r, n]) => `${n} ${r}`).join(', ');
}
