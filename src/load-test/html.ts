import { embeddableJson, escapeHtml } from '../reporters/html/embed.js';
import { decode, logBuckets } from './histogram.js';
import type { LoadReport } from './report.js';

const W = 760;
const H = 220;
const PAD = { left: 56, right: 16, top: 14, bottom: 30 };
const COLOURS = { p50: '#2b8a3e', p95: '#e67700', p99: '#c92a2a', users: '#1c7ed6', iterations: '#5f3dc4', sessions: '#868e96', keepalives: '#0ca678' };

/**
 * The HTML load report: one self-contained page (inline SVG and CSS, no script, nothing fetched)
 * with the verdict, the latency over time, users and throughput over time, the per-step table
 * and a latency histogram per step. The JSON report is embedded for tools.
 */
export function loadReportHtml(r: LoadReport): string {
  const title = `Load: ${r.scenario.name} (${r.transport}, ${r.settings.users} users)`;
  const points = r.timeline.points;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#212529;max-width:900px}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}
.passed{color:#2b8a3e}.failed,.interrupted{color:#c92a2a}
table{border-collapse:collapse}td,th{padding:3px 8px;border-bottom:1px solid #dee2e6;text-align:right}td:first-child,th:first-child{text-align:left}
svg{display:block;margin:8px 0}svg text{font-size:11px;fill:#495057}.legend span{margin-right:14px}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p class="${r.status}"><strong>${escapeHtml(r.status)}</strong>${r.reasons.length ? `: ${escapeHtml(r.reasons.join('; '))}` : ''}</p>
<p>${escapeHtml(r.scenario.file)} against ${escapeHtml(r.target.url)}${r.target.serverVersion ? ` (Janus ${escapeHtml(r.target.serverVersion)})` : ''}, started ${escapeHtml(r.startedAt)}, ${(r.elapsedMs / 1000).toFixed(1)} s.
${r.iterations.passed + r.iterations.failed} iterations (${r.iterations.perSecond}/s), ${r.errors.total} failed; ${r.requests.count} requests (${r.requests.perSecond}/s).
Sessions left on the server: ${r.sessions.leftOnServer ?? `unknown (${escapeHtml(r.sessions.checkedVia)})`}. Runner: CPU ${r.runner.cpuPercent}% of a core, ${r.runner.peakRssMB} MB RSS at most.</p>
<p>${escapeHtml(r.latencyMethod.note)}.</p>
${thresholdTable(r)}
<h2>Request latency over time (ms)</h2>
<div class="legend">${legend([['p50', COLOURS.p50], ['p95', COLOURS.p95], ['p99', COLOURS.p99]])}</div>
${lineChart(points.map((p) => p.t), [
    // An interval where no request ended has no latency: a gap, not a zero.
    { values: points.map((p) => (p.requests > 0 ? p.p50 : null)), colour: COLOURS.p50 },
    { values: points.map((p) => (p.requests > 0 ? p.p95 : null)), colour: COLOURS.p95 },
    { values: points.map((p) => (p.requests > 0 ? p.p99 : null)), colour: COLOURS.p99 },
  ], 'ms')}
<h2>Users, iterations, keepalives and sessions over time</h2>
<div class="legend">${legend([['users', COLOURS.users], [`iterations per ${r.timeline.intervalMs / 1000} s`, COLOURS.iterations], [`keepalives per ${r.timeline.intervalMs / 1000} s`, COLOURS.keepalives], ...(points.some((p) => p.sessionsOnServer !== null) ? [['sessions on the server', COLOURS.sessions] as [string, string]] : [])])}</div>
${lineChart(points.map((p) => p.t), [
    { values: points.map((p) => p.users), colour: COLOURS.users },
    { values: points.map((p) => p.iterations), colour: COLOURS.iterations },
    { values: points.map((p) => p.keepalives), colour: COLOURS.keepalives },
    // Sessions are counted every few seconds: the line joins the counts.
    ...(points.some((p) => p.sessionsOnServer !== null) ? [{ values: points.map((p) => p.sessionsOnServer), colour: COLOURS.sessions, joinGaps: true }] : []),
  ], '')}
<h2>Steps</h2>
${stepTable(r)}
<h2>Latency histogram per step</h2>
${r.steps.filter((s) => s.latency.count > 0).map((s) => `<h3>${escapeHtml(s.label)} <small>${escapeHtml(s.location)}</small></h3>${histogramChart(s.histogram)}`).join('\n')}
${r.errors.byKind.length ? `<h2>Errors</h2><table><tr><th>kind</th><th>step</th><th>count</th><th>example</th></tr>${r.errors.byKind.map((e) => `<tr><td>${escapeHtml(e.kind)}</td><td>${escapeHtml(e.step ?? '')}</td><td>${e.count}</td><td style="text-align:left">${escapeHtml(e.example)}</td></tr>`).join('')}</table>` : ''}
<script type="application/json" id="load-report">${embeddableJson(r)}</script>
</body></html>
`;
}

function thresholdTable(r: LoadReport): string {
  if (r.thresholds.length === 0) return '';
  return `<h2>Thresholds</h2><table>${r.thresholds.map((t) => `<tr><td class="${t.ok ? 'passed' : 'failed'}">${t.ok ? 'ok' : 'FAIL'}</td><td style="text-align:left">${escapeHtml(t.detail)}</td></tr>`).join('')}</table>`;
}

function stepTable(r: LoadReport): string {
  const row = (label: string, l: LoadReport['iteration'], failed: number | string): string =>
    `<tr><td>${escapeHtml(label)}</td><td>${l.count}</td>${[l.p50, l.p90, l.p95, l.p99, l.max].map((v) => `<td>${v.toFixed(2)}</td>`).join('')}<td>${failed}</td></tr>`;
  return `<table><tr><th>step</th><th>count</th><th>p50 ms</th><th>p90 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th><th>failed</th></tr>
${row('requests (all steps)', r.requests, '')}${row('iteration', r.iteration, r.iterations.failed)}${r.steps.map((s) => row(s.label, s.latency, s.failed)).join('')}</table>`;
}

function legend(items: Array<[string, string]>): string {
  return items.map(([name, colour]) => `<span><svg width="12" height="12" style="display:inline;margin:0"><rect width="12" height="12" fill="${colour}"/></svg> ${escapeHtml(name)}</span>`).join('');
}

/** A line chart of series over x (seconds), with axes and a few ticks; null is no value (a gap, or joined over). */
function lineChart(xs: number[], series: Array<{ values: Array<number | null>; colour: string; joinGaps?: boolean }>, unit: string): string {
  if (xs.length === 0) return '<p>No samples.</p>';
  const maxX = Math.max(1, xs[xs.length - 1]!);
  const maxY = niceMax(Math.max(1e-9, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null))));
  const x = (v: number): number => PAD.left + ((W - PAD.left - PAD.right) * v) / maxX;
  const y = (v: number): number => H - PAD.bottom - ((H - PAD.top - PAD.bottom) * v) / maxY;
  const lines = series.flatMap((s) => segments(s.values, s.joinGaps === true).map((segment) => segment.length === 1
    ? `<circle r="1.6" fill="${s.colour}" cx="${x(xs[segment[0]!]!).toFixed(1)}" cy="${y(s.values[segment[0]!]!).toFixed(1)}"/>`
    : `<polyline fill="none" stroke="${s.colour}" stroke-width="1.6" points="${segment.map((i) => `${x(xs[i]!).toFixed(1)},${y(s.values[i]!).toFixed(1)}`).join(' ')}"/>`));
  return `<svg width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img">${axes(maxX, maxY, x, y, unit)}${lines.join('')}</svg>`;
}

/** Runs of indexes with a value: split at each null, or one run over them all. */
function segments(values: Array<number | null>, joinGaps: boolean): number[][] {
  const runs: number[][] = [[]];
  values.forEach((v, i) => {
    if (v !== null) runs[runs.length - 1]!.push(i);
    else if (!joinGaps && runs[runs.length - 1]!.length > 0) runs.push([]);
  });
  return runs.filter((r) => r.length > 0);
}

function axes(maxX: number, maxY: number, x: (v: number) => number, y: (v: number) => number, unit: string): string {
  const out = [`<line x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}" stroke="#adb5bd"/>`, `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${H - PAD.bottom}" stroke="#adb5bd"/>`];
  for (let i = 0; i <= 4; i++) {
    const v = (maxY * i) / 4;
    out.push(`<line x1="${PAD.left}" y1="${y(v).toFixed(1)}" x2="${W - PAD.right}" y2="${y(v).toFixed(1)}" stroke="#f1f3f5"/><text x="${PAD.left - 4}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${short(v)}${unit}</text>`);
    const t = (maxX * i) / 4;
    out.push(`<text x="${x(t).toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${short(t)}s</text>`);
  }
  return out.join('');
}

/** Bars of a step's latency distribution, on log-scale buckets from its fastest to its slowest sample. */
function histogramChart(encoded: string): string {
  const buckets = logBuckets(decode(encoded), 24);
  if (buckets.length === 0) return '';
  const h = 140;
  const maxCount = Math.max(1, ...buckets.map((b) => b.count));
  const barW = (W - PAD.left - PAD.right) / buckets.length;
  const bars = buckets.map((b, i) => {
    const bh = ((h - PAD.top - PAD.bottom) * b.count) / maxCount;
    return `<rect x="${(PAD.left + i * barW + 1).toFixed(1)}" y="${(h - PAD.bottom - bh).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${bh.toFixed(1)}" fill="#1c7ed6"><title>${short(b.fromMs)}-${short(b.toMs)} ms: ${b.count}</title></rect>`;
  });
  const labels = [0, Math.floor(buckets.length / 2), buckets.length - 1].map((i) => `<text x="${(PAD.left + i * barW + barW / 2).toFixed(1)}" y="${h - PAD.bottom + 16}" text-anchor="middle">${short(buckets[i]!.toMs)}ms</text>`);
  return `<svg width="${W}" height="${h}" viewBox="0 0 ${W} ${h}" role="img"><text x="${PAD.left - 4}" y="${PAD.top + 4}" text-anchor="end">${maxCount}</text><line x1="${PAD.left}" y1="${h - PAD.bottom}" x2="${W - PAD.right}" y2="${h - PAD.bottom}" stroke="#adb5bd"/>${bars.join('')}${labels.join('')}</svg>`;
}

function niceMax(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((c) => c >= v) ?? v;
}

function short(v: number): string {
  return v >= 100 ? String(Math.round(v)) : v >= 10 ? v.toFixed(1).replace(/\.0$/, '') : v.toFixed(2).replace(/\.?0+$/, '') || '0';
}
