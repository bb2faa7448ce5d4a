import { RATINGS } from '../../compare/classify.js';
import { grouped, placeOf, pointerText, rowsOf, unstableLine, type CompareReport, type ReportRow } from '../../compare/report.js';
import { escapeHtml, pageHead } from './embed.js';

/**
 * The comparison of a run against a baseline as one self-contained HTML page (`compare
 * --report-html`): grouped by plugin, then by request or event, the old and new values side by
 * side, each row rated. Drawn on the server: no script, nothing fetched (the content security
 * policy forbids both), so it reads the same from disk, an attachment or a CI artifact.
 */
export function renderCompareHtml(report: CompareReport): string {
  const title = `${versions(report)}: ${report.counts.breaking} breaking, ${report.counts.behaviour} behaviour, ${report.counts.additive} additive`;
  return `${pageHead(title, `${PAGE_STYLE}${COMPARE_STYLE}`, { script: false })}${compareSection(report, 'h1')}
</body>
</html>
`;
}

/**
 * The comparison as one element, the whole of what `renderCompareHtml` shows: its page, and the
 * section of the run's HTML report when `compare` runs with `--reporter html` (whose page then
 * takes COMPARE_STYLE too; every rule of it is scoped to `.compare-report`).
 */
export function compareSection(report: CompareReport, heading: 'h1' | 'h2' = 'h2'): string {
  const plugins = [...grouped(report.differences)].map(([plugin, byMessage]) => pluginSection(plugin, byMessage));
  return `<section class="compare-report" id="compare">
<header class="compare">
<${heading} class="versions">${escapeHtml(versions(report))}</${heading}>
<div class="totals">${RATINGS.map((r) => `<div class="total ${r}"><b>${report.counts[r]}</b><span>${r}</span></div>`).join('')}</div>
<dl class="facts"><dt>baseline</dt><dd>${escapeHtml(report.baseline.path)}</dd><dt>recorded</dt><dd>${escapeHtml(report.baseline.recordedAt)}</dd><dt>rules</dt><dd>${report.rules}</dd><dt>tool</dt><dd>${escapeHtml(`${report.tool.name} ${report.tool.version}`)}</dd></dl>
</header>
<div class="compare-body">
${plugins.join('\n') || '<p class="none">No difference.</p>'}
${unstableSection(report)}
${uncomparedSection(report.uncompared)}
</div>
</section>`;
}

function versions(report: CompareReport): string {
  return `Janus ${report.baseline.serverVersion ?? 'baseline'} → ${report.target.serverVersion ?? 'this server'}`;
}

/** What the same server did not do every time: folded, counted, each with why. */
function unstableSection(report: CompareReport): string {
  if (report.unstable.length === 0) return '';
  const items = report.unstable.map((d) => `<li><code>${escapeHtml(`${d.message} ${pointerText(d.pointer)}`)}</code> ${escapeHtml(d.class)}, ${escapeHtml(placeOf(d))}: ${escapeHtml(d.unstable)}</li>`);
  return `<details class="unstable"><summary>${escapeHtml(unstableLine(report))}</summary><ul>${items.join('')}</ul></details>`;
}

function pluginSection(plugin: string, byMessage: Map<string, CompareReport['differences']>): string {
  const counts = RATINGS.map((r) => [r, [...byMessage.values()].flat().filter((d) => d.rating === r).length] as const).filter(([, n]) => n > 0);
  const messages = new Map<string, ReportRow[]>();
  for (const row of rowsOf(byMessage)) messages.set(row.message, [...(messages.get(row.message) ?? []), row]);
  return `<section class="plugin" data-plugin="${escapeHtml(plugin)}">
<h2>${escapeHtml(plugin)} ${counts.map(([r, n]) => `<span class="rating ${r}">${n} ${r}</span>`).join(' ')}</h2>
${[...messages].map(([message, rows]) => messageBlock(message, rows)).join('\n')}
</section>`;
}

function messageBlock(message: string, rows: ReportRow[]): string {
  return `<div class="message" data-message="${escapeHtml(message)}">
<h3>${escapeHtml(message)}</h3>
<table>
<thead><tr><th>rating</th><th>class</th><th>pointer</th><th>old</th><th>new</th><th>where</th></tr></thead>
<tbody>
${rows.map(row).join('\n')}
</tbody>
</table>
</div>`;
}

function row(r: ReportRow): string {
  const d = r.first;
  const places = r.all.map(placeOf);
  const where = places.length === 1 ? escapeHtml(places[0]!) : `<details><summary>${r.places} places</summary><ul>${places.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul></details>`;
  return `<tr class="${d.rating}" data-class="${d.class}"><td><span class="rating ${d.rating}">${d.rating}</span></td><td class="class">${d.class}</td><td class="pointer"><code>${escapeHtml(pointerText(d.pointer))}</code></td><td class="old">${value(d.old)}</td><td class="new">${value(d.new)}</td><td class="where">${where}</td></tr>`;
}

function value(v: unknown): string {
  if (v === undefined) return '<span class="absent">—</span>';
  const text = typeof v === 'string' ? v : JSON.stringify(v, null, 2);
  return `<pre>${escapeHtml(text.length > 4000 ? `${text.slice(0, 3999)}…` : text)}</pre>`;
}

function uncomparedSection(list: CompareReport['uncompared']): string {
  if (list.length === 0) return '';
  return `<details class="uncompared"><summary>${list.length} test(s) not compared</summary><ul>${list.map((u) => `<li><code>${escapeHtml(u.test)}</code>: ${escapeHtml(u.reason)}</li>`).join('')}</ul></details>`;
}

/** The standalone page's own frame; COMPARE_STYLE styles the section wherever it is. */
const PAGE_STYLE = `
body { margin: 0; background: #f6f7f9; color: #1d2330; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
`;

export const COMPARE_STYLE = `
.compare-report { --bg: #f6f7f9; --card: #fff; --ink: #1d2330; --muted: #667085; --line: #e3e6eb;
  --breaking: #c62828; --breaking-bg: #fdecea; --behaviour: #b26a00; --behaviour-bg: #fff4e0; --additive: #1a7f37; --additive-bg: #e6f4ea;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace;
  background: var(--bg); color: var(--ink); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
.compare-report * { box-sizing: border-box; }
.compare-report header.compare { background: var(--card); border-bottom: 1px solid var(--line); padding: 18px 28px 14px; display: flex; flex-wrap: wrap; gap: 12px 24px; align-items: center; }
.compare-report .versions { font-size: 20px; margin: 0; flex: 1; }
.compare-report .totals { display: flex; gap: 10px; }
.compare-report .total { min-width: 96px; padding: 6px 12px; border-radius: 8px; text-align: center; }
.compare-report .total b { display: block; font-size: 22px; line-height: 1.1; }
.compare-report .total span { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.compare-report .total.breaking, .compare-report .rating.breaking { background: var(--breaking-bg); color: var(--breaking); }
.compare-report .total.behaviour, .compare-report .rating.behaviour { background: var(--behaviour-bg); color: var(--behaviour); }
.compare-report .total.additive, .compare-report .rating.additive { background: var(--additive-bg); color: var(--additive); }
.compare-report .facts { flex-basis: 100%; display: flex; flex-wrap: wrap; gap: 4px 8px; margin: 0; color: var(--muted); }
.compare-report .facts dt { font-weight: 600; } .compare-report .facts dt::after { content: ":"; } .compare-report .facts dd { margin: 0 14px 0 0; color: var(--ink); }
.compare-report .compare-body { padding: 16px 28px 40px; }
.compare-report section.plugin { background: var(--card); border: 1px solid var(--line); border-radius: 8px; margin: 0 0 18px; padding: 6px 16px 12px; }
.compare-report h2:not(.versions), .compare-report section.plugin h2 { font-size: 17px; margin: 8px 0; font-family: var(--mono); }
.compare-report h2 .rating { font-family: system-ui, sans-serif; font-size: 12px; font-weight: 600; }
.compare-report h3 { font-size: 14px; margin: 12px 0 4px; font-family: var(--mono); color: var(--muted); }
.compare-report table { width: 100%; border-collapse: collapse; table-layout: fixed; }
.compare-report th, .compare-report td { text-align: left; vertical-align: top; padding: 4px 6px; border-top: 1px solid var(--line); overflow-wrap: anywhere; }
.compare-report th { font-size: 12px; color: var(--muted); font-weight: 600; }
.compare-report th:nth-child(1) { width: 90px; } .compare-report th:nth-child(2) { width: 150px; } .compare-report th:nth-child(3) { width: 18%; } .compare-report th:nth-child(6) { width: 22%; }
.compare-report td.old { background: #fff7f7; } .compare-report td.new { background: #f5fbf6; }
.compare-report pre { margin: 0; font: 12px/1.4 var(--mono); white-space: pre-wrap; max-height: 18em; overflow: auto; }
.compare-report code { font: 12px var(--mono); }
.compare-report .rating { display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 12px; }
.compare-report .absent { color: var(--muted); }
.compare-report .where { font-size: 12px; color: var(--muted); }
.compare-report .none { color: var(--muted); }
.compare-report details.uncompared, .compare-report details.unstable { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px 16px; margin: 0 0 12px; }
`;
