import { loadProblemsSummary, type LoadProblem } from '../../core/diagnostic.js';
import { escapeHtml, pageHead } from './embed.js';
import { STYLE } from './style.js';

/**
 * The run that could not load its scenario files: a page of their problems, drawn here (no
 * script), each with its place and the source line as the console showed it. The run's HTML
 * report, and compare's and load's, are this page then: never the previous run's.
 */
export function loadProblemsPage(problems: readonly LoadProblem[], count: number): string {
  const title = `Janus scenarios: ${loadProblemsSummary(count)}`;
  const items = problems.map((p) => `<div class="failure load-problem">
<div class="failure-head"><span class="failure-kind">load</span><span class="failure-summary">${escapeHtml(p.message)}</span></div>
${p.location ? `<div class="failure-where"><code>${escapeHtml(p.location)}</code></div>\n` : ''}<div class="full-text"><pre>${escapeHtml(p.text)}</pre></div>
</div>`);
  return `${pageHead(title, STYLE, { script: false })}<header class="run verdict-failed"><div class="title-row"><h1>${escapeHtml(title)}</h1></div></header>
<main class="load-problems">
${items.join('\n')}
</main>
</body>
</html>
`;
}

