import type { RunReport } from '../../report/model.js';
import { embeddableJson, pageHead } from './embed.js';
import { clientScript } from './script.js';
import { STYLE } from './style.js';

/**
 * One self-contained HTML file: the report as JSON data, the stylesheet and the script that
 * draws it, nothing fetched. The content security policy forbids any network access, so a page
 * opened from disk or an attachment cannot call out even if a message held a URL.
 */
export function renderHtml(report: RunReport): string {
  const t = report.totals;
  const title = `Janus scenarios: ${t.failed} failed, ${t.passed} passed${report.interrupted ? ' (interrupted)' : ''}`;
  return `${pageHead(title, STYLE, { script: true })}<div id="app"></div>
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
  render: renderHtml,
};

