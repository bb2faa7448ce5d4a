import type { RunReport, ScenarioReport, ScenarioStatus } from '../../../report/model.js';
import { el, formatMs } from './dom.js';
import { scenarioBody } from './scenario.js';

/* Runs in the browser (see dom.ts): the page around the scenarios, and its filters. */

export function startReport(): void {
  const report = JSON.parse(document.getElementById('report-data')!.textContent!) as RunReport;
  const root = document.getElementById('app')!;
  const list = el('main', { id: 'scenarios' });
  const filters = filterBar(report, () => applyFilters(list, filters.state()));
  // An open scenario's details are built when it comes near the screen: 500 failures open at
  // once cost no more to load than the few a person looks at.
  const builders = new WeakMap<Element, () => void>();
  const nearScreen = new IntersectionObserver((entries) => {
    for (const entry of entries.filter((e) => e.isIntersecting)) {
      nearScreen.unobserve(entry.target);
      builders.get(entry.target)?.();
    }
  }, { rootMargin: '800px 0px' });
  const whenNear = (row: Element, build: () => void): void => {
    builders.set(row, build);
    nearScreen.observe(row);
  };
  root.append(runHeader(report), filters.element, list);
  const byFile = new Map<string, ScenarioReport[]>();
  for (const s of report.scenarios) byFile.set(s.file, [...(byFile.get(s.file) ?? []), s]);
  for (const [file, scenarios] of byFile) {
    const failed = scenarios.filter((s) => s.status === 'failed').length;
    list.append(el('section', { class: 'file', 'data-file': file },
      el('h2', null, el('span', { class: 'file-name' }, file), el('span', { class: 'file-counts' }, `${scenarios.length} run${scenarios.length === 1 ? '' : 's'}${failed ? ` · ${failed} failed` : ''}`)),
      ...scenarios.map((s) => scenarioRow(s, whenNear))));
  }
  list.append(el('p', { class: 'nothing', hidden: '' }, 'No scenario matches the filters.'));
  applyFilters(list, filters.state());
}

export function runHeader(report: RunReport): HTMLElement {
  const statuses: ScenarioStatus[] = ['passed', 'failed', 'skipped', 'unfinished'];
  const verdict = report.interrupted ? 'interrupted' : report.totals.failed + report.totals.unfinished > 0 ? 'failed' : 'passed';
  const facts: Array<[string, string | undefined]> = [
    ['Janus', report.janusVersion],
    ['Transports', report.transports.join(', ')],
    ['Duration', formatMs(report.durationMs)],
    ['Started', new Date(report.startedAt).toLocaleString()],
    ['Seed', report.seed],
    [report.tool.name, report.tool.version],
  ];
  return el('header', { class: `run verdict-${verdict}` },
    el('div', { class: 'title-row' },
      el('h1', null, 'Janus scenarios report'),
      el('div', { class: 'totals' }, ...statuses.map((s) => el('div', { class: `total ${s}`, 'data-status': s }, el('b', null, report.totals[s]), el('span', null, s))))),
    el('dl', { class: 'facts' }, ...facts.filter(([, v]) => v).flatMap(([k, v]) => [el('dt', null, k), el('dd', null, v)])),
    report.interrupted ? el('div', { class: 'banner', role: 'alert' }, 'This run was interrupted: scenarios that had not finished are marked unfinished.') : null,
    report.sessionsLeft > 0 ? el('div', { class: 'banner warning', role: 'status' }, `Warning: ${report.sessionsLeft} session${report.sessionsLeft === 1 ? '' : 's'} may be left on the server (cleanup could not destroy ${report.sessionsLeft === 1 ? 'it' : 'them'}); the scenarios say which.`) : null);
}

export function scenarioRow(s: ScenarioReport, whenNear: (row: Element, build: () => void) => void): HTMLElement {
  const row = el('details', { class: `scenario ${s.status}`, id: `s-${s.id}`, 'data-status': s.status, 'data-transport': s.transport, 'data-tags': s.tags.join(' '), 'data-search': `${s.title} ${s.file} ${s.tags.join(' ')} ${s.failure?.summary ?? ''}`.toLowerCase() },
    el('summary', null,
      el('span', { class: `status ${s.status}` }, s.status),
      el('span', { class: 'name' }, s.name),
      el('span', { class: 'chip transport' }, s.transport),
      s.status === 'passed' && s.earlierFailures?.length ? el('span', { class: 'chip warning flaky', title: `passed on attempt ${s.attempts}` }, 'flaky') : null,
      s.warnings.length > 0 ? el('span', { class: 'chip warning', title: s.warnings.join('\n') }, `⚠ ${s.warnings.length} warning${s.warnings.length === 1 ? '' : 's'}`) : null,
      ...s.tags.map((t) => el('span', { class: 'chip tag' }, t)),
      el('span', { class: 'spacer' }),
      el('span', { class: 'count' }, s.messages.length ? `${s.messages.length} msg` : ''),
      el('span', { class: 'duration' }, formatMs(s.durationMs))),
    s.failure ? el('div', { class: 'summary-line' }, s.failure.summary) : null) as HTMLDetailsElement;
  const build = (): void => {
    if (row.querySelector('.scenario-body')) return;
    row.append(scenarioBody(s));
    const failed = row.querySelector<SVGGElement>('.msg.failed');
    const scroller = row.querySelector<HTMLElement>('.diagram');
    if (failed && scroller) requestAnimationFrame(() => (scroller.scrollTop = failed.getBBox().y - scroller.clientHeight / 2));
  };
  // Opened by a click, or open from the start for a failure: built once, when near the screen.
  row.addEventListener('toggle', () => row.open && whenNear(row, build));
  row.open = s.status === 'failed' || s.status === 'unfinished';
  return row;
}

interface FilterState {
  statuses: Set<string>;
  tag: string;
  transport: string;
  text: string;
}

export function filterBar(report: RunReport, changed: () => void): { element: HTMLElement; state: () => FilterState } {
  const statuses = new Set<string>(['passed', 'failed', 'skipped', 'unfinished']);
  const toggles = [...statuses].map((s) => {
    const button = el('button', { class: `toggle ${s}`, 'data-status': s, 'aria-pressed': 'true' }, `${s} (${report.totals[s as ScenarioStatus]})`);
    button.addEventListener('click', () => {
      if (statuses.has(s)) statuses.delete(s);
      else statuses.add(s);
      button.setAttribute('aria-pressed', String(statuses.has(s)));
      changed();
    });
    return button;
  });
  const choice = (name: string, all: string, values: string[]): HTMLSelectElement => {
    const select = el('select', { name, 'aria-label': name }, el('option', { value: '' }, all), ...values.map((v) => el('option', { value: v }, v))) as HTMLSelectElement;
    select.addEventListener('change', changed);
    return select;
  };
  const tag = choice('tag', 'all tags', [...new Set(report.scenarios.flatMap((s) => s.tags))].sort());
  const transport = choice('transport', 'all transports', [...new Set(report.scenarios.map((s) => s.transport))].sort());
  const search = el('input', { type: 'search', name: 'search', placeholder: 'Search names, files, tags, failures', 'aria-label': 'search' }) as HTMLInputElement;
  search.addEventListener('input', changed);
  const shown = el('span', { class: 'shown' });
  return {
    element: el('nav', { class: 'filters' }, el('div', { class: 'toggles' }, ...toggles), tag, transport, search, shown),
    state: () => ({ statuses, tag: tag.value, transport: transport.value, text: search.value.trim().toLowerCase() }),
  };
}

export function applyFilters(list: HTMLElement, state: FilterState): void {
  let shown = 0;
  for (const section of list.querySelectorAll<HTMLElement>('section.file')) {
    let visible = 0;
    for (const row of section.querySelectorAll<HTMLElement>('details.scenario')) {
      const d = row.dataset;
      const match = state.statuses.has(d.status!)
        && (!state.tag || d.tags!.split(' ').includes(state.tag))
        && (!state.transport || d.transport === state.transport)
        && (!state.text || d.search!.includes(state.text));
      row.hidden = !match;
      if (match) visible++;
    }
    section.hidden = visible === 0;
    shown += visible;
  }
  list.querySelector<HTMLElement>('.nothing')!.hidden = shown > 0;
  const counter = document.querySelector('.filters .shown');
  if (counter) counter.textContent = `${shown} shown`;
}
