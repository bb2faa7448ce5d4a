import type { CompareReport } from '../../compare/report.js';
import type { RunReport } from '../../report/model.js';
import { COMPARE_STYLE, compareSection } from './compare.js';
import { embeddableJson, pageHead } from './embed.js';
import { loadProblemsPage } from './load-problems.js';
import { clientScript } from './script.js';
import { STYLE } from './style.js';

/**
 * One self-contained HTML file: the report as JSON data, the stylesheet and the script that
 * draws it, nothing fetched. The content security policy forbids any network access, so a page
 * opened from disk or an attachment cannot call out even if a message held a URL.
 */
export function renderHtml(report: RunReport, compare?: CompareReport): string {
  if (report.loadProblems) return loadProblemsPage(report.loadProblems.problems, report.loadProblems.count);
  const t = report.totals;
  const title = `Janus scenarios: ${t.failed} failed, ${t.passed} passed${report.interrupted ? ' (interrupted)' : ''}${compare ? `; compared with ${compare.baseline.serverVersion ?? 'a baseline'}: ${compare.counts.breaking} breaking, ${compare.counts.behaviour} behaviour, ${compare.counts.additive} additive` : ''}`;
  // The comparison is drawn here, as `compare --report-html` draws it (no script needed), before the run.
  return `${pageHead(title, compare ? `${STYLE}${COMPARE_STYLE}` : STYLE, { script: true })}${compare ? `${compareSection(compare)}\n` : ''}<div id="app"></div>
<noscript><p>This report draws itself with JavaScript; its data is in the page as JSON.</p></noscript>
<script type="application/json" id="report-data">${embeddableJson(report)}</script>
<script>${clientScript()}</script>
</body>
</html>
`;
}

/** The html report format (a ReportFormat; registered in ../builtin.ts, which this folder does not import). */
export const htmlFormat = {
  name: 'html',
  defaultPath: 'janus-scenarios-report.html',
  render: (report: RunReport) => renderHtml(report),
  renderWithCompare: renderHtml,
};

