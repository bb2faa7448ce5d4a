import type { ReportedFailure, ScenarioReport } from '../../../report/model.js';
import { failedMessageIndex, sequenceDiagram } from './diagram.js';
import { el, formatMs, jsonView } from './dom.js';

/* Runs in the browser (see dom.ts): the body of one scenario, built when it is first opened. */

/** A failure as a person reads it: what, where, the diff or expected/actual, schema violations. */
export function failureBox(failure: ReportedFailure, heading: string): HTMLElement {
  const box = el('div', { class: `failure kind-${failure.kind}` },
    el('div', { class: 'failure-head' }, el('span', { class: 'failure-kind' }, `${heading} · ${failure.kind}`), el('span', { class: 'failure-summary' }, failure.summary)));
  if (failure.location || failure.stepTitle) {
    box.append(el('div', { class: 'failure-where' },
      failure.location ? el('code', { class: 'location' }, failure.location) : null,
      failure.stepTitle ? el('span', { class: 'step' }, ` step: ${failure.stepTitle}`) : null));
  }
  // The precise lines first: what differed, field by field, before any diff or full text.
  if (failure.mismatchLines?.length) {
    box.append(el('div', { class: 'label' }, 'Mismatches'), el('ul', { class: 'mismatches' }, ...failure.mismatchLines.map((line) => el('li', null, el('code', null, line)))));
  }
  if (failure.schemaViolations?.length) {
    box.append(el('div', { class: 'label' }, 'Schema violations'), el('ul', { class: 'violations' }, ...failure.schemaViolations.map((v) => el('li', null, v))));
  }
  if (failure.diff) {
    const pre = el('pre', { class: 'diff' });
    for (const line of failure.diff.split('\n')) pre.append(el('span', { class: line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : 'same' }, line), '\n');
    box.append(el('div', { class: 'label' }, 'Diff (− expected, + actual)'), pre);
  } else if (failure.expected !== undefined || failure.actual !== undefined) {
    box.append(el('div', { class: 'pair' },
      failure.expected !== undefined ? el('div', null, el('div', { class: 'label' }, 'Expected'), jsonView(failure.expected)) : null,
      failure.actual !== undefined ? el('div', null, el('div', { class: 'label' }, 'Actual'), jsonView(failure.actual)) : null));
  }
  box.append(el('details', { class: 'full-text' }, el('summary', null, 'Full failure text'), el('pre', null, failure.text)));
  return box;
}

/** Where a clicked arrow's message is shown in full. */
export function messagePanel(scenario: ScenarioReport, index: number | undefined): HTMLElement {
  if (index === undefined) return el('div', { class: 'message-panel empty' }, 'Click an arrow to see its message.');
  const m = scenario.messages[index]!;
  const server = m.api === 'admin' ? 'Janus Admin API' : 'Janus';
  const route = m.direction === 'out' ? `${m.client} → ${server}` : `${server} → ${m.client}`;
  return el('div', { class: 'message-panel', 'data-index': String(index) },
    el('div', { class: 'message-meta' }, el('b', null, `#${index + 1}`), ` ${route} · +${formatMs(m.atMs)} · ${m.api} API`),
    jsonView(m.message));
}

/** Diagrams longer than this wait for a click, so a page of huge scenarios still opens quickly. */
export function scenarioBody(scenario: ScenarioReport, messageLimit = 400): HTMLElement {
  const body = el('div', { class: 'scenario-body' });
  if (scenario.skipReason) body.append(el('div', { class: 'note' }, `Skipped: ${scenario.skipReason}`));
  (scenario.earlierFailures ?? []).forEach((f, i) => body.append(failureBox(f, `Attempt ${i + 1} of ${scenario.attempts} failed`)));
  if (scenario.failure) body.append(failureBox(scenario.failure, scenario.attempts ? `Attempt ${scenario.attempts} failed` : 'Failed'));
  for (const f of scenario.laterFailures ?? []) body.append(failureBox(f, 'Then'));
  for (const f of scenario.cleanupFailures) body.append(failureBox(f, 'During cleanup'));
  if (scenario.warnings.length > 0) {
    body.append(el('div', { class: 'warnings cleanup-warnings' }, el('div', { class: 'label' }, 'Cleanup warnings'), el('ul', null, ...scenario.warnings.map((w) => el('li', null, w)))));
  }
  if (scenario.schemaWarnings.length > 0) {
    body.append(el('div', { class: 'warnings' }, el('div', { class: 'label' }, 'Schema warnings'), el('ul', null, ...scenario.schemaWarnings.map((w) => el('li', null, w)))));
  }
  if (scenario.messages.length > 0) body.append(exchange(scenario, messageLimit));
  else if (scenario.status !== 'skipped') body.append(el('div', { class: 'note' }, 'No message was exchanged.'));
  if (Object.keys(scenario.saved).length > 0) body.append(el('details', { class: 'saved' }, el('summary', null, 'Saved values'), jsonView(scenario.saved)));
  return body;
}

/** The diagram beside the panel of the selected message; the failed message is selected first. */
export function exchange(scenario: ScenarioReport, limit: number): HTMLElement {
  const failedIndex = failedMessageIndex(scenario);
  const section = el('div', { class: 'exchange' },
    el('div', { class: 'label' }, `Message exchange (${scenario.messages.length} message${scenario.messages.length === 1 ? '' : 's'})`));
  let panel = messagePanel(scenario, failedIndex);
  const select = (index: number): void => {
    const next = messagePanel(scenario, index);
    panel.replaceWith(next);
    panel = next;
    for (const g of section.querySelectorAll('.msg.selected, .msg.related')) g.classList.remove('selected', 'related');
    const chosen = section.querySelector(`.msg[data-index="${index}"]`);
    chosen?.classList.add('selected');
    // The request, its ack, reply and events share the transaction: show them together.
    const tx = chosen?.getAttribute('data-tx');
    if (tx) for (const g of section.querySelectorAll(`.msg[data-tx="${CSS.escape(tx)}"]:not(.selected)`)) g.classList.add('related');
  };
  const diagram = sequenceDiagram(scenario, { limit, failedIndex, onSelect: select });
  const columns = el('div', { class: 'exchange-columns' }, diagram, panel);
  section.append(columns);
  if (failedIndex !== undefined) select(failedIndex);
  if (scenario.messages.length > limit) {
    const more = el('button', { class: 'more' }, `Show all ${scenario.messages.length} messages`);
    more.addEventListener('click', () => {
      section.replaceWith(exchange(scenario, Infinity));
    });
    section.append(more);
  }
  return section;
}
