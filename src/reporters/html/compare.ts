import { RATINGS } from '../../compare/classify.js';
import { grouped, placeOf, rowsOf, type CompareReport, type ReportRow } from '../../compare/report.js';
import { escapeHtml, pageHead } from './embed.js';

/**
 * The comparison of a run against a baseline as one self-contained HTML page (`compare
 * --report-html`): grouped by plugin, then by request or event, the old and new values side by
 * side, each row rated. Drawn on the server: no script, nothing fetched (the content security
 * policy forbids both), so it reads the same from disk, an attachment or a CI artifact.
 */
export function renderCompareHtml(report: CompareReport): string {
  const title = `Janus ${report.baseline.serverVersion ?? 'baseline'} → ${report.target.serverVersion ?? 'this server'}: ${report.counts.breaking} breaking, ${report.counts.behaviour} behaviour, ${report.counts.additive} additive`;
  const plugins = [...grouped(report.differences)].map(([plugin, byMessage]) => pluginSection(plugin, byMessage));
  return `${pageHead(title, COMPARE_STYLE, { script: false })}<header class="compare">
<h1>${escapeHtml(`Janus ${report.baseline.serverVersion ?? 'baseline'} → ${report.target.serverVersion ?? 'this server'}`)}</h1>
<div class="totals">${RATINGS.map((r) => `<div class="total ${r}"><b>${report.counts[r]}</b><span>${r}</span></div>`).join('')}</div>
<dl class="facts"><dt>baseline</dt><dd>${escapeHtml(report.baseline.path)}</dd><dt>recorded</dt><dd>${escapeHtml(report.baseline.recordedAt)}</dd><dt>rules</dt><dd>${report.rules}</dd><dt>tool</dt><dd>${escapeHtml(`${report.tool.name} ${report.tool.version}`)}</dd></dl>
</header>
<main>
${plugins.join('\n') || '<p class="none">No difference.</p>'}
${uncomparedSection(report.uncompared)}
</main>
</body>
</html>
`;
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
  return `<tr class="${d.rating}" data-class="${d.class}"><td><span class="rating ${d.rating}">${d.rating}</span></td><td class="class">${d.class}</td><td class="pointer"><code>${escapeHtml(d.pointer || '/')}</code></td><td class="old">${value(d.old)}</td><td class="new">${value(d.new)}</td><td class="where">${where}</td></tr>`;
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

const COMPARE_STYLE = `
:root { --bg: #f6f7f9; --card: #fff; --ink: #1d2330; --muted: #667085; --line: #e3e6eb;
  --breaking: #c62828; --breaking-bg: #fdecea; --behaviour: #b26a00; --behaviour-bg: #fff4e0; --additive: #1a7f37; --additive-bg: #e6f4ea;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
header.compare { background: var(--card); border-bottom: 1px solid var(--line); padding: 18px 28px 14px; display: flex; flex-wrap: wrap; gap: 12px 24px; align-items: center; }
h1 { font-size: 20px; margin: 0; flex: 1; }
.totals { display: flex; gap: 10px; }
.total { min-width: 96px; padding: 6px 12px; border-radius: 8px; text-align: center; }
.total b { display: block; font-size: 22px; line-height: 1.1; }
.total span { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.total.breaking, .rating.breaking { background: var(--breaking-bg); color: var(--breaking); }
.total.behaviour, .rating.behaviour { background: var(--behaviour-bg); color: var(--behaviour); }
.total.additive, .rating.additive { background: var(--additive-bg); color: var(--additive); }
.facts { flex-basis: 100%; display: flex; flex-wrap: wrap; gap: 4px 8px; margin: 0; color: var(--muted); }
.facts dt { font-weight: 600; } .facts dt::after { content: ":"; } .facts dd { margin: 0 14px 0 0; color: var(--ink); }
main { padding: 16px 28px 40px; }
section.plugin { background: var(--card); border: 1px solid var(--line); border-radius: 8px; margin: 0 0 18px; padding: 6px 16px 12px; }
h2 { font-size: 17px; margin: 8px 0; font-family: var(--mono); }
h2 .rating { font-family: system-ui, sans-serif; font-size: 12px; font-weight: 600; }
h3 { font-size: 14px; margin: 12px 0 4px; font-family: var(--mono); color: var(--muted); }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
th, td { text-align: left; vertical-align: top; padding: 4px 6px; border-top: 1px solid var(--line); overflow-wrap: anywhere; }
th { font-size: 12px; color: var(--muted); font-weight: 600; }
th:nth-child(1) { width: 90px; } th:nth-child(2) { width: 150px; } th:nth-child(3) { width: 18%; } th:nth-child(6) { width: 22%; }
td.old { background: #fff7f7; } td.new { background: #f5fbf6; }
pre { margin: 0; font: 12px/1.4 var(--mono); white-space: pre-wrap; max-height: 18em; overflow: auto; }
code { font: 12px var(--mono); }
.rating { display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 12px; }
.absent { color: var(--muted); }
.where { font-size: 12px; color: var(--muted); }
.none { color: var(--muted); }
details.uncompared { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px 16px; }
`;
