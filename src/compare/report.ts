import { TOOL_VERSION } from '../report/blob-format.js';
import { RATINGS, RULES_VERSION, type Rating } from './classify.js';
import type { Difference } from './diff.js';

/**
 * The JSON report of a comparison, format `janus-scenarios-compare`, version 1:
 *
 *     { format, version, rules (the classification rules' version), tool: {name, version},
 *       baseline: { path, serverVersion?, recordedAt }, target: { serverVersion? },
 *       counts: { breaking, behaviour, additive },
 *       differences: [ { test, scenario, transport, step ("file:line"), stepTitle, message, plugin,
 *                        pointer (RFC 6901, into the message), old?, new?, class, rating } ],
 *       uncompared: [ { test, reason } ] }
 *
 * `old` / `new` are absent when the value is (a field added has no old value). Volatile values
 * appear as symbols (`$3`) or placeholders (`<time>`).
 */
export interface CompareReport {
  format: 'janus-scenarios-compare';
  version: 1;
  rules: number;
  tool: { name: string; version: string };
  baseline: { path: string; serverVersion?: string; recordedAt: string };
  target: { serverVersion?: string };
  counts: Record<Rating, number>;
  differences: Difference[];
  uncompared: Array<{ test: string; reason: string }>;
}

export function compareReport(differences: Difference[], uncompared: CompareReport['uncompared'], baseline: CompareReport['baseline'], target: CompareReport['target']): CompareReport {
  const counts = Object.fromEntries(RATINGS.map((r) => [r, differences.filter((d) => d.rating === r).length])) as Record<Rating, number>;
  return { format: 'janus-scenarios-compare', version: 1, rules: RULES_VERSION, tool: { name: 'janus-scenarios', version: TOOL_VERSION }, baseline, target, counts, differences, uncompared };
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
        const where = [d.step || d.test, d.step ? d.transport : ''].filter(Boolean).join(' ');
        lines.push(`    ${d.rating.padEnd(9)} ${d.class.padEnd(20)} ${d.pointer || '(message)'}  ${shown(d.old, 40)}  →  ${shown(d.new, 40)}   ${where} (${d.scenario})`);
      }
    }
  }
  if (report.uncompared.length > 0) {
    lines.push('', `not compared (${report.uncompared.length}):`);
    for (const u of report.uncompared.slice(0, 20)) lines.push(`  ${u.test}: ${u.reason}`);
    if (report.uncompared.length > 20) lines.push(`  ... and ${report.uncompared.length - 20} more (see --report-json)`);
  }
  return lines.join('\n');
}

const md = (s: string): string => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

/**
 * Short enough to paste into a pull request: counts, then one table per plugin; the same change
 * seen in several tests (one per transport, say) is one row with the number of places.
 */
export function markdownText(report: CompareReport, maxRows = 200): string {
  const lines = [`### Janus ${versions(report)}`, '', `**${countsLine(report)}**`];
  let rows = 0;
  for (const [plugin, byMessage] of grouped(report.differences)) {
    lines.push('', `#### ${md(plugin)}`, '', '| rating | message | class | pointer | old | new | where |', '|---|---|---|---|---|---|---|');
    for (const [message, list] of byMessage) {
      const same = new Map<string, Difference[]>();
      for (const d of list) {
        const k = [d.class, d.pointer, shown(d.old), shown(d.new)].join('\u0000');
        same.set(k, [...(same.get(k) ?? []), d]);
      }
      for (const ds of same.values()) {
        if (rows++ >= maxRows) break;
        const d = ds[0]!;
        const where = `${d.step || d.test}${ds.length > 1 ? ` (+${ds.length - 1})` : ''}`;
        lines.push(`| ${d.rating} | ${md(message)} | ${d.class} | \`${md(d.pointer || '/')}\` | ${md(shown(d.old, 40))} | ${md(shown(d.new, 40))} | ${md(where)} |`);
      }
    }
  }
  if (rows > maxRows) lines.push('', `(${rows - maxRows} more rows in the JSON report)`);
  if (report.uncompared.length > 0) lines.push('', `${report.uncompared.length} test(s) not compared (skipped or not in the baseline).`);
  return lines.join('\n') + '\n';
}
