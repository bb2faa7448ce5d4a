import type { ReportedMessage, ScenarioReport } from '../../../report/model.js';
import { el, formatMs, svgEl } from './dom.js';

/* Runs in the browser (see dom.ts): the sequence diagram of one scenario's messages. */

export interface MessageLabel {
  /** The `janus` verb, e.g. "attach", "event", "success". */
  verb: string;
  /** What the plugin or request says beyond the verb, e.g. "videoroom: joined", "join", "error 458". */
  detail?: string;
  transaction?: string;
  error: boolean;
}

/** What an arrow says about a message: the verb, the plugin event or request, and the transaction. */
/** An `http:` step's exchange: its method and path, or its status, ahead of the body's label. */
export function withHttp(label: MessageLabel, m: { direction: string; message: unknown; http?: { method?: string; path?: string; status?: number } }): MessageLabel {
  if (!m.http) return label;
  const http = m.direction === 'out' ? `HTTP ${m.http.method ?? ''} ${m.http.path ?? ''}`.trim() : `HTTP ${m.http.status ?? ''}`.trim();
  if (typeof m.message === 'string') return { ...label, verb: http };
  return { ...label, detail: `${http}${label.detail ? ` · ${label.detail}` : ''}` };
}

/** A connection closing or opening again: not a message, but an arrow of its own with who closed it and the code. */
export function connectionLabel(c: NonNullable<ReportedMessage['connection']>): MessageLabel {
  if (c.event === 'opened') return { verb: 'connection opened', error: false };
  const detail = [c.by && `by the ${c.by}`, c.code !== undefined && `code ${c.code}`, c.reason].filter(Boolean).join(', ');
  return { verb: 'connection closed', ...(detail && { detail }), error: false };
}

export function describeMessage(message: unknown): MessageLabel {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return { verb: typeof message === 'string' ? 'raw text' : Array.isArray(message) ? 'JSON array' : 'JSON value', error: false };
  }
  const m = message as Record<string, unknown>;
  const label: MessageLabel = { verb: typeof m.janus === 'string' ? m.janus : '(no janus)', error: m.janus === 'error' };
  if (typeof m.transaction === 'string') label.transaction = m.transaction;
  const error = m.error as { code?: unknown } | undefined;
  if (label.error && error && typeof error === 'object') label.detail = `error ${String(error.code)}`;
  const body = m.body as Record<string, unknown> | undefined;
  if (body && typeof body === 'object' && typeof body.request === 'string') label.detail = body.request;
  const pluginData = m.plugindata as { plugin?: unknown; data?: Record<string, unknown> } | undefined;
  const data = pluginData && typeof pluginData === 'object' ? pluginData.data : undefined;
  if (data && typeof data === 'object') {
    const plugin = typeof pluginData!.plugin === 'string' ? pluginData!.plugin.replace(/^janus\.plugin\./, '') : 'plugin';
    const result = data.result as Record<string, unknown> | undefined;
    const sub = result && typeof result === 'object' ? (result.event ?? result.status) : undefined;
    const own = typeof sub === 'string' ? sub : data[plugin];
    if (data.error_code !== undefined) {
      label.error = true;
      label.detail = `${plugin} error ${String(data.error_code)}`;
    } else if (typeof own === 'string') label.detail = `${plugin}: ${own}`;
  }
  const jsep = m.jsep as { type?: unknown } | undefined;
  if (jsep && typeof jsep === 'object' && typeof jsep.type === 'string') label.detail = `${label.detail ? `${label.detail} ` : ''}+${jsep.type}`;
  return label;
}

/**
 * The index of the message the failure quotes as `actual`: the last incoming message equal to
 * it. The engine puts the whole offending message there, so equality is exact when it applies.
 */
export function failedMessageIndex(scenario: ScenarioReport): number | undefined {
  const actual = scenario.failure?.actual;
  if (actual === undefined || actual === null || typeof actual !== 'object') return undefined;
  const wanted = JSON.stringify(actual);
  for (let i = scenario.messages.length - 1; i >= 0; i--) {
    const m = scenario.messages[i]!;
    if (m.direction === 'in' && JSON.stringify(m.message) === wanted) return i;
  }
  return undefined;
}

interface Lane {
  key: string;
  title: string;
  server: boolean;
}

/** Clients in order of appearance, Janus, then the Admin API and the clients that spoke to it. */
export function lanesOf(messages: ReportedMessage[]): Lane[] {
  const janusClients: Lane[] = [];
  const adminClients: Lane[] = [];
  const seen = new Set<string>();
  for (const m of messages) {
    const key = `${m.api}:${m.client}`;
    if (seen.has(key)) continue;
    seen.add(key);
    (m.api === 'admin' ? adminClients : janusClients).push({ key, title: m.api !== 'admin' ? m.client : m.client === 'admin' ? 'admin client' : `${m.client} (admin)`, server: false });
  }
  const lanes = [...janusClients, { key: 'server:janus', title: 'Janus', server: true }];
  if (adminClients.length > 0) lanes.push({ key: 'server:admin', title: 'Janus Admin API', server: true }, ...adminClients);
  return lanes;
}

/**
 * The diagram: lifelines with sticky heads, one arrow per message with its verb, plugin event,
 * transaction and time since the scenario started, and a marked break where time passed.
 */
export function sequenceDiagram(scenario: ScenarioReport, options: { limit: number; failedIndex?: number; onSelect: (index: number) => void }): HTMLElement {
  const GUTTER = 78;
  const HEAD = 40;
  const ROW = 34;
  const BREAK = 24;
  const BREAK_MS = 300;
  const messages = scenario.messages.slice(0, options.limit);
  const lanes = lanesOf(messages);
  const COLUMN = lanes.length > 4 ? 176 : 210;
  const column = new Map(lanes.map((lane, i) => [lane.key, i]));
  const xOf = (i: number): number => GUTTER + COLUMN / 2 + i * COLUMN;
  const width = GUTTER + lanes.length * COLUMN;

  const head = svgEl('svg', { class: 'seq-head', width, height: HEAD, viewBox: `0 0 ${width} ${HEAD}` });
  lanes.forEach((lane, i) => {
    head.append(svgEl('rect', { x: xOf(i) - COLUMN / 2 + 14, y: 6, width: COLUMN - 28, height: HEAD - 12, rx: 6, class: lane.server ? 'lane-head server' : 'lane-head' }));
    head.append(svgEl('text', { x: xOf(i), y: HEAD / 2 + 4, class: 'lane-title', 'text-anchor': 'middle' }, lane.title));
  });

  const rows: SVGElement[] = [];
  let y = 10;
  let previousAt = messages[0]?.atMs ?? 0;
  messages.forEach((m, index) => {
    if (m.atMs - previousAt >= BREAK_MS) {
      const gap = svgEl('g', { class: 'gap' });
      gap.append(svgEl('rect', { x: 0, y, width, height: BREAK, class: 'gap-band' }));
      gap.append(svgEl('text', { x: GUTTER + 6, y: y + BREAK / 2 + 4, class: 'gap-text' }, `⋯ ${formatMs(m.atMs - previousAt)} later`));
      rows.push(gap);
      y += BREAK;
    }
    previousAt = m.atMs;
    const label = m.connection ? connectionLabel(m.connection) : withHttp(describeMessage(m.message), m);
    const clientX = xOf(column.get(`${m.api}:${m.client}`)!);
    const serverX = xOf(column.get(m.api === 'admin' ? 'server:admin' : 'server:janus')!);
    const [from, to] = m.direction === 'out' ? [clientX, serverX] : [serverX, clientX];
    const lineY = y + ROW - 9;
    const classes = ['msg', m.direction, label.error ? 'error' : '', index === options.failedIndex ? 'failed' : ''].filter(Boolean).join(' ');
    const g = svgEl('g', { class: classes, 'data-index': index, 'data-tx': label.transaction, tabindex: 0, role: 'button' });
    g.append(svgEl('title', {}, `#${index + 1} ${m.direction === 'out' ? `${m.client} → ${m.api === 'admin' ? 'Admin API' : 'Janus'}` : `${m.api === 'admin' ? 'Admin API' : 'Janus'} → ${m.client}`}: click for the JSON${index === options.failedIndex ? ' (the step failed on this message)' : ''}`));
    g.append(svgEl('rect', { x: 0, y, width, height: ROW, class: 'hit' }));
    g.append(svgEl('text', { x: GUTTER - 8, y: lineY + 4, class: 'time', 'text-anchor': 'end' }, `+${formatMs(m.atMs)}`));
    const dir = to > from ? 1 : -1;
    g.append(svgEl('line', { x1: from, y1: lineY, x2: to - dir * 7, y2: lineY, class: 'arrow-line' }));
    g.append(svgEl('path', { d: `M${to},${lineY} l${-dir * 9},-4.5 l0,9 z`, class: 'arrow-head' }));
    const text = svgEl('text', { x: (from + to) / 2, y: lineY - 6, 'text-anchor': 'middle', class: 'arrow-label' });
    text.append(svgEl('tspan', { class: 'verb' }, label.verb));
    if (label.detail) text.append(svgEl('tspan', { class: 'detail' }, ` ${label.detail}`));
    if (label.transaction) text.append(svgEl('tspan', { class: 'tx' }, ` ${label.transaction}`));
    g.append(text);
    if (index === options.failedIndex) g.append(svgEl('text', { x: 6, y: lineY + 4, class: 'failed-mark' }, '✖'));
    const select = (): void => options.onSelect(index);
    g.addEventListener('click', select);
    g.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Enter' || (e as KeyboardEvent).key === ' ') select();
    });
    rows.push(g);
    y += ROW;
  });
  const height = y + 12;
  const body = svgEl('svg', { class: 'seq-body', width, height, viewBox: `0 0 ${width} ${height}` });
  lanes.forEach((_, i) => body.append(svgEl('line', { x1: xOf(i), y1: 0, x2: xOf(i), y2: height, class: lanes[i]!.server ? 'lifeline server' : 'lifeline' })));
  body.append(...rows);
  return el('div', { class: 'diagram' }, el('div', { class: 'seq-sticky' }, head), body);
}
