import { CLEANUP_STEP, type Baseline, type BaselineMessage, type BaselineStep, type BaselineTest, type ServerInventory } from './baseline.js';
import { rate, type DiffClass, type Rating } from './classify.js';
import { Labeller, type LabelledMessage } from './label.js';
import { Symbols } from './symbols.js';
import { changedLatencies, DEFAULT_TIMING_TOLERANCE, type LatencySample, type TimingTolerance } from './timing.js';
import { WIRE_ASPECTS, wireChanges } from './wire.js';

/** One difference between the baseline and the new run. */
export interface Difference {
  /** Test id (`file#name[transport]`), or `inventory[transport]`. */
  test: string;
  scenario: string;
  transport: string;
  /** The step's `file:line` ('' for the inventory and the cleanup). */
  step: string;
  stepTitle: string;
  /** Request verb, plugin request, reply or event: `message videoroom.join → event videoroom:joined`. */
  message: string;
  /** `janus.plugin.videoroom`, `core`, `admin` or `inventory`. */
  plugin: string;
  /** JSON Pointer into the message (RFC 6901); '' for the whole message. */
  pointer: string;
  old?: unknown;
  new?: unknown;
  class: DiffClass;
  rating: Rating;
  /** A change seen in many messages (the wire) is one entry: how many messages showed it. */
  count?: number;
  /** Where such a change was first seen: `file:line (scenario): message`. */
  example?: string;
}

export interface DiffOptions {
  /** false: latencies are not compared. */
  timing?: TimingTolerance | false;
}

type Where = Pick<Difference, 'test' | 'scenario' | 'transport' | 'step' | 'stepTitle'>;

/** Every difference between two baselines: tests paired by id, steps by position, messages by what they are. */
export function diffBaselines(old: Baseline, now: Baseline, options: DiffOptions = {}): Difference[] {
  const unstable = new Set(old.unstable ?? []);
  const samples: LatencySample[] = [];
  const differences = groupedWire(allDifferences(old, now, samples));
  const timing = options.timing === undefined ? DEFAULT_TIMING_TOLERANCE : options.timing;
  if (timing) differences.push(...timingChanges(samples, timing));
  return differences.filter((d) => !unstable.has(fingerprint(d)));
}

/** One entry per transport and kind of request whose median latency changed beyond the tolerance. */
function timingChanges(samples: LatencySample[], tolerance: TimingTolerance): Difference[] {
  return changedLatencies(samples, tolerance).map(({ transport, plugin, message, old, now, count, where }) => ({
    test: `timing[${transport}]`, scenario: '(timing)', transport, step: '', stepTitle: '', message, plugin, pointer: '',
    old: `${old} ms`, new: `${now} ms`, class: 'timing-changed', rating: rate('timing-changed'), count, example: where,
  }));
}

/**
 * A wire change (indented JSON became compact) shows in every message: it is one entry per
 * transport and kind of change, with the number of messages and the first place it was seen.
 */
function groupedWire(differences: Difference[]): Difference[] {
  const groups = new Map<string, Difference>();
  const out: Difference[] = [];
  for (const d of differences) {
    if (d.class !== 'wire-changed') {
      out.push(d);
      continue;
    }
    const key = JSON.stringify([d.transport, d.pointer, d.old, d.new]);
    const group = groups.get(key);
    if (group) {
      group.count! += 1;
      continue;
    }
    const aspect = d.pointer.slice(1) as keyof typeof WIRE_ASPECTS;
    const entry: Difference = {
      test: `wire[${d.transport}]`, scenario: '(wire)', transport: d.transport, step: '', stepTitle: '',
      message: WIRE_ASPECTS[aspect] ?? aspect, plugin: 'wire', pointer: d.pointer,
      ...('old' in d && { old: d.old }), ...('new' in d && { new: d.new }),
      class: d.class, rating: d.rating, count: 1, example: `${d.step || d.stepTitle} (${d.scenario}): ${d.message}`,
    };
    groups.set(key, entry);
    out.push(entry);
  }
  return out;
}

/**
 * What identifies a difference across runs: test, step, message, pointer and class, not the
 * values. `record --repeat` keeps those of the differences between its own recordings.
 */
export function fingerprint(d: Difference): string {
  return [d.test, d.step || d.stepTitle, d.message, d.pointer, d.class].join('|');
}

function allDifferences(old: Baseline, now: Baseline, samples: LatencySample[]): Difference[] {
  const out: Difference[] = [];
  for (const transport of Object.keys(old.inventory)) {
    const n = now.inventory[transport];
    if (n) out.push(...diffInventory(transport, old.inventory[transport]!, n));
  }
  const byId = new Map(now.tests.map((t) => [t.id, t]));
  for (const test of old.tests) {
    const n = byId.get(test.id);
    if (n) out.push(...diffTests(test, n, samples));
  }
  return out;
}

/** The tests that could not be compared: in the baseline and not run now (or the other way round), skipped on either side. */
export function uncompared(old: Baseline, now: Baseline): Array<{ test: string; reason: string }> {
  const byId = new Map(now.tests.map((t) => [t.id, t]));
  const oldIds = new Set(old.tests.map((t) => t.id));
  const out: Array<{ test: string; reason: string }> = [];
  for (const t of old.tests) {
    const n = byId.get(t.id);
    if (!n) out.push({ test: t.id, reason: 'in the baseline, not planned in this run' });
    else if (t.status === 'skipped') out.push({ test: t.id, reason: `skipped in the baseline${t.failure ? `: ${t.failure}` : ''}` });
    else if (n.status === 'skipped') out.push({ test: t.id, reason: `skipped in this run${n.failure ? `: ${n.failure}` : ''}` });
  }
  for (const n of now.tests) if (!oldIds.has(n.id)) out.push({ test: n.id, reason: 'not in the baseline (record it again to compare it)' });
  return out;
}

/** The differences of two recordings of a test; `samples` gets the latencies of the requests paired. */
export function diffTests(old: BaselineTest, now: BaselineTest, samples: LatencySample[] = []): Difference[] {
  if (old.status === 'skipped' || now.status === 'skipped') return [];
  const base = { test: old.id, scenario: old.name, transport: old.transport };
  const oldSteps = labelled(old);
  const newSteps = labelled(now);
  const out: Difference[] = [];
  const newByAt = new Map<string, LabelledStep[]>();
  for (const s of newSteps) newByAt.set(s.key, [...(newByAt.get(s.key) ?? []), s]);
  for (const s of oldSteps) {
    const n = newByAt.get(s.key)?.shift();
    const where: Where = { ...base, step: s.step.at, stepTitle: s.step.title };
    // The cleanup is compared message by message even when one side has none: late events come or not.
    if (n || s.step.title === CLEANUP_STEP) out.push(...diffStep(where, s.messages, n?.messages ?? [], samples));
    else if (s.messages.length > 0) out.push(entry(where, { message: `(step not reached: ${s.messages.length} message(s))`, plugin: s.messages[0]!.plugin, pointer: '', old: s.messages.map((m) => m.label) }, 'message-missing'));
  }
  for (const rest of newByAt.values()) {
    for (const s of rest) {
      if (s.messages.length === 0) continue;
      const where: Where = { ...base, step: s.step.at, stepTitle: s.step.title };
      if (s.step.title === CLEANUP_STEP) {
        out.push(...diffStep(where, [], s.messages));
        continue;
      }
      out.push(entry(where, { message: `(step not in the baseline: ${s.messages.length} message(s))`, plugin: s.messages[0]!.plugin, pointer: '', new: s.messages.map((m) => m.label) }, 'extra-message'));
    }
  }
  const settled = withoutMovedEvents(out).filter((d) => !lateEvent(d));
  out.length = 0;
  out.push(...settled);
  if (old.status !== now.status) {
    out.push(entry({ ...base, step: '', stepTitle: '' }, { message: '(verdict)', plugin: 'core', pointer: '', old: old.status, new: now.status === 'failed' && now.failure ? `failed: ${now.failure}` : now.status }, 'status-changed'));
  }
  return out;
}

/**
 * An event no request asked for that is missing from one step and extra in another step of the
 * same test came a moment earlier or later: Janus does not tie events to the client's
 * steps. Timing, not a change: both entries go.
 */
function withoutMovedEvents(differences: Difference[]): Difference[] {
  const gone = new Set<Difference>();
  for (const missing of differences) {
    if (missing.class !== 'message-missing' || missing.pointer !== '' || gone.has(missing)) continue;
    const extra = differences.find((d) => d.class === 'extra-message' && d.pointer === '' && !gone.has(d) && d.message === missing.message && d.message.startsWith('event '));
    if (extra) gone.add(missing).add(extra);
  }
  return differences.filter((d) => !gone.has(d));
}

interface LabelledStep {
  /** `file:line`, or the title for steps without a position. */
  key: string;
  step: BaselineStep;
  messages: LabelledMessage[];
}

/**
 * A test's steps with their messages symbolized (one symbol table for the whole test) and named.
 * A reply or plugin event belongs to the step that sent its request, whenever it arrived: an
 * event that comes a moment later, in the next step, is the same event.
 */
function labelled(test: BaselineTest): LabelledStep[] {
  const symbols = new Symbols();
  const labeller = new Labeller();
  const steps: LabelledStep[] = test.steps.map((step) => ({ key: step.at || step.title, step, messages: [] }));
  const stepOfRequest = new Map<string, number>();
  const requestOf = new Map<string, LabelledMessage>();
  test.steps.forEach((step, i) => {
    for (const m of step.messages) {
      const message = symbols.normalize(m.message);
      const labelledMessage: LabelledMessage = { ...labeller.label({ ...m, message, ...(m.route && { route: symbols.normalize(m.route) as BaselineMessage['route'] }) }), ...(m.wire && { wire: m.wire }), ...(m.ms !== undefined && { ms: m.ms }) };
      const transaction = transactionOf(message);
      // Not by client: an event may come on another connection of the session (a claim).
      const key = transaction;
      if (key !== undefined && m.direction === 'out') {
        stepOfRequest.set(key, i);
        requestOf.set(key, labelledMessage);
      }
      if (key !== undefined && m.direction === 'in') noteLatency(requestOf.get(key), labelledMessage);
      const home = m.direction === 'in' && key !== undefined ? stepOfRequest.get(key) ?? i : i;
      steps[home]!.messages.push(labelledMessage);
    }
  });
  return steps;
}

/** A request's latency is the time to its first reply that is not an ack. */
function noteLatency(request: LabelledMessage | undefined, reply: LabelledMessage): void {
  if (!request || request.latencyMs !== undefined || reply.timing || request.ms === undefined || reply.ms === undefined) return;
  request.latencyMs = reply.ms - request.ms;
}

function transactionOf(message: unknown): string | undefined {
  const t = message !== null && typeof message === 'object' ? (message as Record<string, unknown>).transaction : undefined;
  return typeof t === 'string' ? t : undefined;
}

/** One step: messages paired by key in order; counts, order and contents compared. */
export function diffStep(where: Where, old: LabelledMessage[], now: LabelledMessage[], samples: LatencySample[] = []): Difference[] {
  const out: Difference[] = [];
  const groups = (list: LabelledMessage[]): Map<string, LabelledMessage[]> => {
    const map = new Map<string, LabelledMessage[]>();
    for (const m of list) map.set(m.key, [...(map.get(m.key) ?? []), m]);
    return map;
  };
  const oldGroups = groups(old);
  const newGroups = groups(now);
  for (const [key, olds] of oldGroups) {
    const news = newGroups.get(key) ?? [];
    const first = olds[0]!;
    if (news.length === 0) {
      if (!untimed(first, where)) out.push(entry(where, { message: first.label, plugin: first.plugin, pointer: '', old: first.message }, 'message-missing'));
      continue;
    }
    if (news.length !== olds.length && !untimed(first, where)) out.push(entry(where, { message: first.label, plugin: first.plugin, pointer: '', old: olds.length, new: news.length }, 'multiplicity-changed'));
    for (let i = 0; i < Math.min(olds.length, news.length); i++) {
      out.push(...diffMessage(where, olds[i]!, news[i]!));
      const [a, b] = [olds[i]!.latencyMs, news[i]!.latencyMs];
      if (a !== undefined && b !== undefined) samples.push({ transport: where.transport, plugin: first.plugin, message: first.label, old: a, new: b, where: `${where.step || where.stepTitle} (${where.scenario})` });
    }
  }
  for (const [key, news] of newGroups) {
    if (oldGroups.has(key) || untimed(news[0]!, where)) continue;
    out.push(entry(where, { message: news[0]!.label, plugin: news[0]!.plugin, pointer: '', new: news[0]!.message }, 'extra-message'));
  }
  // An ack and its request's final reply race in Janus (the plugin may answer before the core acks): not an order.
  // Events no request asked for come when they come: only requests and their replies have an order.
  const ordered = (k: string, other: Map<string, LabelledMessage[]>): boolean => other.has(k) && !k.endsWith(' ack') && !(oldGroups.get(k) ?? newGroups.get(k))![0]!.timing;
  const oldOrder = [...oldGroups.keys()].filter((k) => ordered(k, newGroups));
  const newOrder = [...newGroups.keys()].filter((k) => ordered(k, oldGroups));
  if (oldOrder.join('\n') !== newOrder.join('\n')) {
    const labelOf = (k: string): string => (oldGroups.get(k) ?? newGroups.get(k))![0]!.label;
    out.push(entry(where, { message: '(order)', plugin: old[0]?.plugin ?? 'core', pointer: '', old: oldOrder.map(labelOf), new: newOrder.map(labelOf) }, 'order-changed'));
  }
  return out;
}

/**
 * Whether a message's presence is the server's timing rather than its behaviour: an ack (over
 * HTTP, Janus may answer a request with its event before any ack).
 */
function untimed(m: LabelledMessage, _where: Where): boolean {
  return m.key.endsWith(' ack');
}

/** After the last step, an event no request asked for comes, or not, before the connection closes. */
function lateEvent(d: Difference): boolean {
  return d.stepTitle === CLEANUP_STEP && d.message.startsWith('event ') && (d.class === 'message-missing' || d.class === 'extra-message' || d.class === 'multiplicity-changed');
}

/** Two messages of the same kind: an error that changed is one entry; otherwise field by field. */
export function diffMessage(where: Where, old: LabelledMessage, now: LabelledMessage): Difference[] {
  const what = { message: now.label === old.label ? old.label : `${old.label} ⇒ ${now.label}`, plugin: old.plugin };
  const wire = old.wire && now.wire ? wireChanges(old.wire, now.wire).map((c) => entry(where, { ...what, pointer: `/${c.aspect}`, ...('old' in c && { old: c.old }), ...('new' in c && { new: c.new }) }, 'wire-changed')) : [];
  if (old.error !== now.error) {
    const d = entry(where, { ...what, pointer: '', old: old.error ?? 'success', new: now.error ?? 'success' }, 'error-code-changed', { errorWhereSuccess: old.error === undefined });
    return [d, ...wire];
  }
  const content = diffValues(old.message, now.message, '')
    .filter((c) => !renumberedTransaction(c))
    .map((c) => entry(where, { ...what, pointer: c.pointer, old: c.old, new: c.new }, c.kind));
  return [...content, ...wire];
}

/**
 * Every request has a transaction of its own, and its replies are paired with it already (a reply
 * carrying another request's transaction is a message missing and one extra): a transaction's
 * symbol number only says how many requests went before, which a missing step changes.
 */
function renumberedTransaction(c: Change): boolean {
  return c.kind === 'value-changed' && c.pointer.endsWith('/transaction') && /^\$transaction\d+$/.test(String(c.old)) && /^\$transaction\d+$/.test(String(c.new));
}

interface Change {
  pointer: string;
  old?: unknown;
  new?: unknown;
  kind: DiffClass;
}

function typeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** A structural diff of two JSON values: fields added or removed, types and values changed, array elements added or removed. */
export function diffValues(old: unknown, now: unknown, pointer: string): Change[] {
  const t = typeOf(old);
  if (t !== typeOf(now)) return [{ pointer, old, new: now, kind: 'type-changed' }];
  if (t === 'array') {
    // Janus lists rooms, participants, sessions from hash tables, in no order it guarantees: elements
    // equal on both sides pair first, wherever they are; what is left is compared by position.
    const a = old as unknown[];
    const b = now as unknown[];
    const [ia, ib] = unmatched(a, b);
    const out: Change[] = [];
    const paired = Math.min(ia.length, ib.length);
    // A changed element is named at its old position when it moved.
    for (let k = 0; k < paired; k++) out.push(...diffValues(a[ia[k]!], b[ib[k]!], `${pointer}/${ia[k]}`));
    for (const i of ia.slice(paired)) out.push({ pointer: `${pointer}/${i}`, old: a[i], kind: 'element-removed' });
    for (const j of ib.slice(paired)) out.push({ pointer: `${pointer}/${j}`, new: b[j], kind: 'element-added' });
    return out;
  }
  if (t === 'object') {
    const a = old as Record<string, unknown>;
    const b = now as Record<string, unknown>;
    const out: Change[] = [];
    const renamed = renamedKeys(a, b);
    const newNames = new Set(renamed.values());
    for (const k of Object.keys(a)) {
      const p = `${pointer}/${escapePointer(k)}`;
      if (renamed.has(k)) out.push({ pointer: p, old: k, new: renamed.get(k), kind: 'renamed' });
      else if (!(k in b)) out.push({ pointer: p, old: a[k], kind: 'field-removed' });
      else out.push(...diffValues(a[k], b[k], p));
    }
    for (const k of Object.keys(b)) if (!(k in a) && !newNames.has(k)) out.push({ pointer: `${pointer}/${escapePointer(k)}`, new: b[k], kind: 'field-added' });
    return out;
  }
  return old === now ? [] : [{ pointer, old, new: now, kind: 'value-changed' }];
}

/**
 * Keys of one object that are gone while another key with the same value is new: a rename
 * (`room` → `room_id`). Only a pairing without doubt counts: one removed and one added key
 * with that value; otherwise they stay a removal and an addition.
 */
function renamedKeys(a: Record<string, unknown>, b: Record<string, unknown>): Map<string, string> {
  const removed = Object.keys(a).filter((k) => !(k in b));
  const added = Object.keys(b).filter((k) => !(k in a));
  const out = new Map<string, string>();
  if (removed.length === 0 || added.length === 0) return out;
  const text = (v: unknown): string => JSON.stringify(v) ?? 'undefined';
  for (const k of removed) {
    const value = text(a[k]);
    const candidates = added.filter((n) => text(b[n]) === value);
    const rivals = removed.filter((r) => text(a[r]) === value);
    if (candidates.length === 1 && rivals.length === 1) out.set(k, candidates[0]!);
  }
  return out;
}

/** The positions of the elements of two lists that have no equal element on the other side (an element pairs once). */
function unmatched(a: unknown[], b: unknown[]): [number[], number[]] {
  const texts = b.map((x) => JSON.stringify(x));
  const used = new Set<number>();
  const restA: number[] = [];
  a.forEach((x, i) => {
    const text = JSON.stringify(x);
    const j = texts.findIndex((t, k) => !used.has(k) && t === text);
    if (j >= 0) used.add(j);
    else restA.push(i);
  });
  return [restA, b.map((_x, k) => k).filter((k) => !used.has(k))];
}

function escapePointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

function entry(where: Where, what: Pick<Difference, 'message' | 'plugin' | 'pointer' | 'old' | 'new'>, kind: DiffClass, detail?: { errorWhereSuccess?: boolean }): Difference {
  return { ...where, ...what, class: kind, rating: rate(kind, detail) };
}

const INVENTORY_LISTS: Array<[string, 'plugin' | 'transport' | 'handler', string]> = [
  ['plugins', 'plugin', 'plugin'],
  ['transports', 'transport', 'transport'],
  ['events', 'handler', 'event handler'],
  ['loggers', 'handler', 'logger'],
];

/** What the server is: plugins, transports, event handlers and loggers added or removed; `info` and `get_status` settings added, removed or changed. */
export function diffInventory(transport: string, old: ServerInventory, now: ServerInventory): Difference[] {
  const where: Where = { test: `inventory[${transport}]`, scenario: '(server inventory)', transport, step: '', stepTitle: '' };
  const out: Difference[] = [];
  const oldInfo = (old.info ? new Symbols().normalize(old.info) : undefined) as Record<string, unknown> | undefined;
  const newInfo = (now.info ? new Symbols().normalize(now.info) : undefined) as Record<string, unknown> | undefined;
  if (oldInfo && newInfo) {
    for (const [key, kind, what] of INVENTORY_LISTS) {
      const a = Object.keys((oldInfo[key] as object | undefined) ?? {});
      const b = Object.keys((newInfo[key] as object | undefined) ?? {});
      for (const name of a.filter((x) => !b.includes(x))) out.push(entry(where, { message: `info ${what}`, plugin: kind === 'plugin' ? name : 'inventory', pointer: `/info/${key}/${escapePointer(name)}`, old: name }, `${kind}-removed`));
      for (const name of b.filter((x) => !a.includes(x))) out.push(entry(where, { message: `info ${what}`, plugin: kind === 'plugin' ? name : 'inventory', pointer: `/info/${key}/${escapePointer(name)}`, new: name }, `${kind}-added`));
    }
    const lists = new Set(INVENTORY_LISTS.map(([k]) => k));
    out.push(...settings(where, 'info', pick(oldInfo, lists), pick(newInfo, lists)));
  }
  if (old.adminStatus && now.adminStatus) out.push(...settings(where, 'admin get_status', new Symbols().normalize(old.adminStatus) as Record<string, unknown>, new Symbols().normalize(now.adminStatus) as Record<string, unknown>));
  return out;
}

function pick(info: Record<string, unknown>, without: Set<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(info).filter(([k]) => !without.has(k)));
}

function settings(where: Where, message: string, old: Record<string, unknown>, now: Record<string, unknown>): Difference[] {
  const base = message === 'info' ? '/info' : '/adminStatus';
  return diffValues(old, now, base).map((c) => {
    const kind: DiffClass = c.kind === 'field-added' ? 'setting-added' : c.kind === 'field-removed' ? 'setting-removed' : 'setting-changed';
    return entry(where, { message, plugin: 'inventory', pointer: c.pointer, old: c.old, new: c.new }, kind);
  });
}
