import type { LatencySummary } from './histogram.js';
import type { LoadReport } from './report.js';

/** The end-of-run summary on the console: k6's order (thresholds last, where the eye ends). */
export function summaryText(r: LoadReport): string {
  const lines: string[] = [];
  const s = r.settings;
  lines.push(`load: "${r.scenario.name}" (${r.scenario.file}) over ${r.transport}, ${s.users} user(s), ramp ${seconds(s.rampMs)}, duration ${seconds(s.durationMs)}${s.paceMs !== null ? `, an iteration every ${seconds(s.paceMs)} per user` : ''}`);
  const it = r.iterations;
  lines.push(`  iterations   ${it.passed + it.failed} finished (${it.perSecond.toFixed(1)}/s): ${it.passed} passed, ${it.failed} failed${it.interrupted ? `, ${it.interrupted} stopped at the end` : ''}${it.lateStarts ? `; ${it.lateStarts} started late (up to ${Math.round(it.maxLagMs)}ms)` : ''}`);
  lines.push(`  users        peak ${r.users.peak} of ${r.users.target}; ${r.keepalives} keepalive(s) sent`);
  lines.push(`  latency      ${r.latencyMethod.method === 'intended-start' ? 'from each iteration\'s scheduled start' : `corrected for coordinated omission (expected interval ${r.latencyMethod.expectedIntervalMs ?? '-'}ms)`}`);
  const rows: Array<[string, LatencySummary, number | string]> = [
    ['requests (all steps)', r.requests, `${r.requests.perSecond.toFixed(1)}/s`],
    ['iteration', r.iteration, ''],
    ...r.steps.map((st): [string, LatencySummary, string] => [`  ${st.label}`, st.latency, st.failed ? `${st.failed} failed` : '']),
  ];
  const width = Math.min(48, Math.max(...rows.map(([label]) => label.length)) + 2);
  lines.push(`  ${''.padEnd(width)}${['count', 'p50', 'p90', 'p95', 'p99', 'max'].map((h) => h.padStart(10)).join('')}`);
  for (const [label, l, extra] of rows) {
    lines.push(`  ${clipLabel(label, width - 1).padEnd(width)}${[String(l.count), ...[l.p50, l.p90, l.p95, l.p99, l.max].map(ms)].map((v) => v.padStart(10)).join('')}  ${extra}`.trimEnd());
  }
  lines.push(`  errors       ${r.errors.total === 0 ? 'none' : `${r.errors.total} (${(r.errors.rate * 100).toFixed(2)}% of iterations)`}`);
  for (const e of r.errors.byKind.slice(0, 10)) lines.push(`    ${e.count} x ${e.kind}${e.step ? ` at "${e.step}"` : ''}: ${e.example}`);
  const left = r.sessions.leftOnServer;
  lines.push(`  sessions     ${left === null ? `left on the server unknown: ${r.sessions.checkedVia}` : `${left} left on the server (${r.sessions.checkedVia})`}${r.sessions.peakOnServer !== null ? `, peak ${r.sessions.peakOnServer} on the server` : ''}${r.sessions.leftReportedByCleanup ? `; the iterations' cleanup could not confirm ${r.sessions.leftReportedByCleanup} destroy(s)` : ''}${r.sessions.destroyedByAdmin ? `; ${r.sessions.destroyedByAdmin} destroyed afterwards through the Admin API, ${r.sessions.stillLeft ?? 'an unknown number'} still there` : ''}`);
  const u = r.runner;
  lines.push(`  runner       CPU ${u.cpuPercent}% of a core on average (busiest second ${u.peakCpuPercent}%), memory peak ${u.peakRssMB} MB RSS (${u.peakHeapMB} MB heap), event-loop delay p99 ${u.eventLoopDelayMs.p99}ms`);
  if (r.thresholds.length > 0) {
    lines.push('  thresholds');
    for (const t of r.thresholds) lines.push(`    ${t.ok ? 'ok  ' : 'FAIL'} ${t.detail}`);
  }
  lines.push(`  result       ${r.status}${r.reasons.length ? `: ${r.reasons.join('; ')}` : ''}`);
  return lines.join('\n');
}

function ms(v: number): string {
  return v >= 1000 ? `${(v / 1000).toFixed(2)}s` : `${v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)}ms`;
}

function seconds(msValue: number): string {
  return msValue % 1000 === 0 ? `${msValue / 1000}s` : `${msValue}ms`;
}

function clipLabel(label: string, max: number): string {
  return label.length <= max ? label : `${label.slice(0, max - 3)}...`;
}
