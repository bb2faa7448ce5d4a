/*
 * Runs in the browser. Every function in reporters/html/client is inlined into the page by its
 * source text (see ../script.ts), so a function may call the others by name but must not use
 * module-level values: there are none in the page.
 */

type Child = Node | string | number | null | undefined | false;

/** An HTML element with attributes and children; text children are text nodes, never markup. */
export function el(tag: string, attrs?: Record<string, string | undefined> | null, ...children: Child[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) if (value !== undefined) node.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'object' ? child : String(child));
  }
  return node;
}

/** An SVG element with attributes and optional text. */
export function svgEl(tag: string, attrs: Record<string, string | number | undefined>, text?: string): SVGElement {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
}

/** Pretty JSON as spans coloured by token kind; strings stay text, never markup. */
export function jsonView(value: unknown): HTMLElement {
  const pre = el('pre', { class: 'json' });
  if (typeof value === 'string') {
    pre.append(el('span', { class: 'j-raw' }, value));
    return pre;
  }
  const text = JSON.stringify(value, null, 2) ?? String(value);
  const token = /("(?:[^"\\]|\\.)*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;
  let last = 0;
  for (const m of text.matchAll(token)) {
    pre.append(text.slice(last, m.index));
    const kind = m[1] ? (m[2] ? 'j-key' : 'j-str') : m[3] ? 'j-lit' : 'j-num';
    pre.append(el('span', { class: kind }, m[1] ?? m[0]));
    if (m[2]) pre.append(m[2]);
    last = m.index! + m[0].length;
  }
  pre.append(text.slice(last));
  return pre;
}
