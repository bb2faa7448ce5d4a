import { REDACTED } from '../report/redact.js';
import { CLEANUP_STEP, testRan, verdictOf, type Baseline, type BaselineMessage, type BaselineStep, type BaselineTest, type ServerInventory } from './baseline.js';
import { rate, type DiffClass, type Rating } from './classify.js';
import { Labeller, type LabelledMessage } from './label.js';
import { MEASURED, Symbols } from './symbols.js';
import { confirmedByReruns, rerunDifferences, type Unstable } from './confirm.js';
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

/** Every difference between two baselines that is not unstable (see compareBaselines). */
export function diffBaselines(old: Baseline, now: Baseline, options: CompareOptions = {}): Difference[] {
  return compareBaselines(old, now, options).differences;
}

/** A difference the same server did not do every time (see compareBaselines). */
export type UnstableDifference = Unstable<Difference>;

/** A comparison: the differences, and apart from them those the same server did not do every time. */
export interface Comparison {
  differences: Difference[];
  unstable: UnstableDifference[];
}

export interface CompareOptions extends DiffOptions {
  /** Re-runs of the tests that differed, on the new server: a difference one of them does not show is unstable. */
  reruns?: Baseline[];
}

/**
 * Every difference between two baselines: tests paired by id, steps by position, messages by
 * what they are. A difference is unstable, not a change, when a re-run of its test on the new
 * server did what the baseline has (confirmedByReruns), or when the baseline's own recordings
 * differed there (`record --repeat`).
 */
export function compareBaselines(old: Baseline, now: Baseline, options: CompareOptions = {}): Comparison {
  const samples: LatencySample[] = [];
  const reruns = (options.reruns ?? []).map((r) => rerunDifferences(r, allDifferences(old, r, [])));
  const confirmed = confirmedByReruns(allDifferences(old, now, samples), reruns);
  const differences = foldedIntoInventory(groupedWire(confirmed.differences));
  const timing = options.timing === undefined ? DEFAULT_TIMING_TOLERANCE : options.timing;
  if (timing) differences.push(...timingChanges(samples, timing));
  const recorded = new Set(old.unstable ?? []);
  const betweenRecordings = 'differed between the recordings of the baseline (record --repeat)';
  return {
    differences: differences.filter((d) => !recorded.has(fingerprint(d))),
    unstable: [...confirmed.unstable, ...differences.filter((d) => recorded.has(fingerprint(d))).map((d) => ({ ...d, unstable: betweenRecordings }))],
  };
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
 * A test's `info` or Admin `get_status` reply says what the server is, as the inventory does: a
 * key `info` gained (`ice-consent-freshness`) or a plugin gone shows in every such reply of
 * every test, and is the inventory's change. Such a difference is counted in the inventory's
 * entry (`count`: the replies that showed it, `example`: the first), not listed once per reply.
 * Only what the inventory says too (same transport, key and kind, and for a value the same
 * values) is folded: an `info` that differs otherwise (another server's settings) stays.
 */
function foldedIntoInventory(differences: Difference[]): Difference[] {
  const inventory = new Map<string, Difference>();
  for (const d of differences) {
    const where = d.pointer.startsWith('/info/') ? 'info' : d.pointer.startsWith('/adminStatus/') ? 'status' : undefined;
    if (!d.test.startsWith('inventory[') || !where) continue;
    inventory.set(serverChangeKey(d.transport, where, d.pointer.slice(d.pointer.indexOf('/', 1)), changeKind(d)), d);
  }
  return differences.filter((d) => {
    const where = /→ server_info$/.test(d.message) ? 'info' : /^admin get_status → /.test(d.message) && d.pointer.startsWith('/status/') ? 'status' : undefined;
    if (!where || d.test.startsWith('inventory[')) return true;
    const pointer = where === 'status' ? d.pointer.slice('/status'.length) : d.pointer;
    const target = inventory.get(serverChangeKey(d.transport, where, pointer, changeKind(d)));
    if (!target) return true;
    target.count = (target.count ?? 0) + 1;
    target.example ??= `${d.step || d.stepTitle} (${d.scenario}): ${d.message}`;
    return false;
  });
}

/** Added, removed, or the values a change went between. */
function changeKind(d: Difference): string {
  if (/-added$/.test(d.class)) return 'added';
  if (/-removed$/.test(d.class)) return 'removed';
  return `changed ${JSON.stringify(d.old)} ${JSON.stringify(d.new)}`;
}

function serverChangeKey(transport: string, where: string, pointer: string, kind: string): string {
  return JSON.stringify([transport, where, pointer, kind]);
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
    else if (!testRan(t)) out.push({ test: t.id, reason: `skipped in the baseline${t.failure ? `: ${t.failure}` : ''}` });
    else if (!testRan(n)) out.push({ test: t.id, reason: `skipped in this run${n.failure ? `: ${n.failure}` : ''}` });
  }
  for (const n of now.tests) if (!oldIds.has(n.id)) out.push({ test: n.id, reason: 'not in the baseline (record it again to compare it)' });
  for (const [transport, inventory] of Object.entries(old.inventory)) {
    const n = now.inventory[transport];
    if (n && !settingsComparable(inventory, n)) out.push({ test: `inventory[${transport}]`, reason: "its settings: no Janus of this run was started with the settings (requires.janus) of one of the baseline's; its plugins and transports are compared" });
  }
  return out;
}

/** The differences of two recordings of a test; `samples` gets the latencies of the requests paired. */
export function diffTests(old: BaselineTest, now: BaselineTest, samples: LatencySample[] = []): Difference[] {
  if (!testRan(old) || !testRan(now)) return [];
  const base = { test: old.id, scenario: old.name, transport: old.transport };
  const oldSteps = labelled(old);
  const newSteps = labelled(now);
  const reports = diffMeasurementReports(base, takeMeasurementReports(oldSteps), takeMeasurementReports(newSteps));
  const unasked = diffUnaskedEvents(base, takeUnaskedEvents(oldSteps), takeUnaskedEvents(newSteps));
  const out: Difference[] = [];
  const newByAt = new Map<string, LabelledStep[]>();
  for (const s of newSteps) newByAt.set(s.key, [...(newByAt.get(s.key) ?? []), s]);
  for (const s of oldSteps) {
    const n = newByAt.get(s.key)?.shift() ?? (s.step.title === CLEANUP_STEP ? undefined : sameRequests(s, newByAt, oldSteps));
    const where: Where = { ...base, step: s.step.at, stepTitle: s.step.title };
    // A step that failed before sending its request (`${x} has no value`) is recorded empty: it was not reached either.
    const reached = n && !(s.step.title !== CLEANUP_STEP && sendsRequest(s) !== sendsRequest(n) && !skippedByVersion(s, oldSteps, newSteps));
    if (n && !reached) out.push(sendsRequest(s) ? loneStep(where, s.messages, 'old') : loneStep({ ...where, step: n.step.at, stepTitle: n.step.title }, n.messages, 'new'));
    // The cleanup is compared message by message even when one side has none: late events come or not.
    else if (n || s.step.title === CLEANUP_STEP) out.push(...diffStep(where, s.messages, n?.messages ?? [], samples));
    else if (s.messages.some(timed) && !skippedByVersion(s, oldSteps, newSteps)) out.push(loneStep(where, s.messages, 'old'));
  }
  for (const rest of newByAt.values()) {
    for (const s of rest) {
      if (!s.messages.some(timed)) continue;
      const where: Where = { ...base, step: s.step.at, stepTitle: s.step.title };
      if (s.step.title === CLEANUP_STEP) {
        out.push(...diffStep(where, [], s.messages));
        continue;
      }
      out.push(loneStep(where, s.messages, 'new'));
    }
  }
  out.unshift(...reports, ...unasked);
  if (old.status !== now.status) {
    out.push(entry({ ...base, step: '', stepTitle: '' }, { message: '(verdict)', plugin: 'core', pointer: '', old: verdictOf(old), new: verdictOf(now) }, 'status-changed'));
  }
  return out;
}

/** Whether a step sent a request of the scenario's (the engine's keepalives aside). */
function sendsRequest(step: LabelledStep): boolean {
  return step.messages.some((m) => m.sent && timed(m));
}

/** A step only one run has (`side`), named by the messages the server decided (see timed): never its acks or keepalives. */
function loneStep(where: Where, messages: LabelledMessage[], side: 'old' | 'new'): Difference {
  const decided = messages.filter(timed);
  const plugin = messages[0]!.plugin;
  const labels = decided.map((m) => m.label);
  if (side === 'old') return entry(where, { message: `(step not reached: ${decided.length} message(s))`, plugin, pointer: '', old: labels }, 'message-missing');
  return entry(where, { message: `(step not in the baseline: ${decided.length} message(s))`, plugin, pointer: '', new: labels }, 'extra-message');
}

/**
 * A step the scenario runs only on some Janus versions (its title says `(expects Janus <1.3.2
 * behaviour)`), absent from a new run that went on past it: the new server was not asked, the
 * step was not "not reached". What changed there is said by its counterpart for the new
 * versions, when the scenario has one (paired by sameRequests).
 */
function skippedByVersion(step: LabelledStep, oldSteps: LabelledStep[], newSteps: LabelledStep[]): boolean {
  if (!VERSION_RANGE_TITLE.test(step.step.title)) return false;
  const later = new Set(oldSteps.slice(oldSteps.indexOf(step) + 1).filter((s) => s.step.title !== CLEANUP_STEP).map((s) => s.key));
  return newSteps.some((s) => later.has(s.key) && s.messages.length > 0);
}

/** The title suffix the compiler gives a step with a `janus:` range. */
const VERSION_RANGE_TITLE = / \(expects Janus [^)]+ behaviour\)$/;

/**
 * A step of the new run at another position that sends the same requests as an old step with no
 * partner: a scenario states a behaviour that changed in steps for each version (`janus:` ranges),
 * at other lines. Compared, they say what changed (`textbridge` → `textroom`); unpaired, they
 * would read as a step not reached and a step not in the baseline. Taken from `newByAt`.
 */
function sameRequests(old: LabelledStep, newByAt: Map<string, LabelledStep[]>, oldSteps: LabelledStep[]): LabelledStep | undefined {
  const requests = (s: LabelledStep): string => s.messages.filter((m) => m.key.includes(' out ') && !m.key.endsWith(' out keepalive')).map((m) => m.label).join('\n');
  const wanted = requests(old);
  if (wanted === '') return undefined;
  const oldKeys = new Set(oldSteps.map((s) => s.key));
  // Of several such steps (a request refused on one version, accepted on another), the one whose messages say most of the same things.
  const leaves = (s: LabelledStep): Set<string> => new Set(s.messages.flatMap((m) => [...leavesOf({ key: m.key, message: pairingForm(m) })]));
  const mine = leaves(old);
  let best: { list: LabelledStep[]; k: number; shared: number } | undefined;
  for (const [key, list] of newByAt) {
    if (oldKeys.has(key)) continue;
    list.forEach((s, k) => {
      if (s.step.title === CLEANUP_STEP || requests(s) !== wanted) return;
      const shared = [...leaves(s)].filter((l) => mine.has(l)).length;
      if (!best || shared > best.shared) best = { list, k, shared };
    });
  }
  return best ? best.list.splice(best.k, 1)[0] : undefined;
}

/**
 * Events that report what the media did: the core's `media` (receiving or not) and `slowlink`,
 * the plugins' `slow_link`, and a subscriber's substream or SVC layer switching (it switches as
 * packets of a layer arrive). Janus sends one each time a measurement crosses a threshold or a
 * layer's packets come, so how many come, when, and which medium or layer each names is the
 * media's timing. What the server decides is the shape of its reports: taken out of the steps
 * and compared for the whole test, as the set of their distinct shapes (keys and types, and the
 * `janus`, `plugin` and `event` names); a kind of report that appears or goes, or that gains,
 * loses or retypes a field, is a difference.
 */
function takeMeasurementReports(steps: LabelledStep[]): LabelledMessage[] {
  const taken: LabelledMessage[] = [];
  for (const step of steps) {
    const keep = step.messages.filter((m) => !(m.timing && !m.key.endsWith(' ack') && isMeasurementReport(m.message)));
    taken.push(...step.messages.filter((m) => !keep.includes(m)));
    step.messages = keep;
  }
  return taken;
}

function isMeasurementReport(message: unknown): boolean {
  const m = message as { janus?: unknown; plugindata?: { data?: Record<string, unknown> } } | null;
  if (m?.janus === 'slowlink' || m?.janus === 'media') return true;
  const data = m?.plugindata?.data;
  if (!data || typeof data !== 'object') return false;
  const result = (data.result ?? {}) as Record<string, unknown>;
  if (data.event === 'slow_link' || result.event === 'slow_link' || Object.values(data).includes('slow_link')) return true;
  return LAYER_KEYS.some((k) => Object.hasOwn(data, k) || Object.hasOwn(result, k));
}

// EchoTest and Streaming name a simulcast temporal layer `temporal`, VideoRoom `temporal_layer`.
const LAYER_KEYS = ['substream', 'temporal', 'temporal_layer', 'spatial_layer'];

/** A report's shape: its keys and the types of its values; the names that say what it is stay. */
function shapeOf(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return [...new Set(value.map((v) => JSON.stringify(shapeOf(v))))].sort();
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, shapeOf(v, k)]));
  if (typeof value === 'string' && (key === 'janus' || key === 'plugin' || key === 'event')) return value;
  return value === null ? 'null' : typeof value;
}

const MEASUREMENT_REPORTS = '(media reports, whole test)';

/** An event no request asked for, with the step it came in. */
interface Unasked {
  step: LabelledStep;
  message: StepMessage;
}

function takeUnaskedEvents(steps: LabelledStep[]): Unasked[] {
  const taken: Unasked[] = [];
  for (const step of steps) {
    for (const message of step.messages) if (message.timing && !message.key.endsWith(' ack')) taken.push({ step, message });
    step.messages = step.messages.filter((m) => !(m.timing && !m.key.endsWith(' ack')));
  }
  return taken;
}

/**
 * Events no request asked for are compared over the whole test, not step by step: Janus does not
 * tie them to the client's steps (one comes a moment earlier, in the step before, and another
 * later), nor to each other (two handles' `hangup`, the candidates Janus trickles and its
 * `completed`). Of each kind (client and event), equal ones pair first, wherever they came, and
 * what is left pairs in order; a difference is named at the step the baseline had it in. How
 * many came is compared too, but a surplus of teardown events after the last request, or of
 * events after the last step, is the test closing its connections, not a change.
 */
function diffUnaskedEvents(base: Omit<Where, 'step' | 'stepTitle'>, old: Unasked[], now: Unasked[]): Difference[] {
  const groups = (list: Unasked[]): Map<string, Unasked[]> => {
    const map = new Map<string, Unasked[]>();
    for (const u of list) map.set(u.message.key, [...(map.get(u.message.key) ?? []), u]);
    return map;
  };
  const oldGroups = groups(old);
  const newGroups = groups(now);
  const out: Difference[] = [];
  const whereOf = (u: Unasked): Where => ({ ...base, step: u.step.step.at, stepTitle: u.step.step.title });
  for (const key of new Set([...oldGroups.keys(), ...newGroups.keys()])) {
    const olds = oldGroups.get(key) ?? [];
    const news = newGroups.get(key) ?? [];
    const [a, b] = equalFirstUnasked(olds, news);
    const sent = [fieldsOf(olds), fieldsOf(news)];
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      out.push(...diffMessage(whereOf(a[i]!), a[i]!.message, b[i]!.message).filter((d) => !lateHangupReason(d, a[i]!.message, b[i]!.message) && !sentEitherWay(d, sent[0]!, sent[1]!)));
    }
    const surplus = a.length > b.length ? a.slice(b.length) : b.slice(a.length);
    if (surplus.length === 0 || surplus.every(closing)) continue;
    const first = surplus.find((u) => !closing(u))!;
    const what = { message: first.message.label, plugin: first.message.plugin, pointer: '' };
    if (news.length === 0) out.push(entry(whereOf(first), { ...what, old: first.message.message }, 'message-missing'));
    else if (olds.length === 0) out.push(entry(whereOf(first), { ...what, new: first.message.message }, 'extra-message'));
    else out.push(entry(whereOf(olds[0]!), { ...what, old: olds.length, new: news.length }, 'multiplicity-changed'));
  }
  return out;
}

/** Every JSON pointer that some event of a list has. */
function fieldsOf(list: Unasked[]): Set<string> {
  const out = new Set<string>();
  const walk = (value: unknown, pointer: string): void => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const p = `${pointer}/${escapePointer(k)}`;
      out.add(p);
      walk(v, p);
    }
  };
  for (const u of list) walk(u.message.message, '');
  return out;
}

/**
 * A field that an event of this kind carries on one side and not on the other, while that other
 * side also sent it in other events of the kind: the server sends it or not as its timing goes
 * (a candidate trickled before the SDP set the media's mid has no `sdpMid`, in every version).
 * A field is added only when the old server never sent it in such an event, removed only when
 * the new one never does.
 */
function sentEitherWay(d: Difference, old: Set<string>, now: Set<string>): boolean {
  if (d.class === 'field-added') return old.has(d.pointer);
  if (d.class === 'field-removed') return now.has(d.pointer);
  return false;
}

/** An event the test's end decides: a teardown event after the last request, or any event after the last step. */
function closing(u: Unasked): boolean {
  return u.message.late === true || u.step.step.title === CLEANUP_STEP;
}

function equalFirstUnasked(old: Unasked[], now: Unasked[]): [Unasked[], Unasked[]] {
  const [a, b] = equalFirst(old.map((u) => u.message), now.map((u) => u.message));
  const back = (list: Unasked[], order: LabelledMessage[]): Unasked[] => order.map((m) => list.find((u) => u.message === m)!);
  return [back(old, a), back(now, b)];
}

function diffMeasurementReports(base: Omit<Where, 'step' | 'stepTitle'>, old: LabelledMessage[], now: LabelledMessage[]): Difference[] {
  const where: Where = { ...base, step: '', stepTitle: MEASUREMENT_REPORTS };
  const distinct = (list: LabelledMessage[]): Map<string, LabelledMessage> => new Map(list.map((m) => [JSON.stringify([m.label, shapeOf(m.message)]), m]));
  const a = distinct(old);
  const b = distinct(now);
  const out: Difference[] = [];
  const gone = [...a].filter(([text]) => !b.has(text)).map(([, m]) => m);
  const came = [...b].filter(([text]) => !a.has(text)).map(([, m]) => m);
  const regrouped = new Set<string>();
  for (const label of new Set([...gone, ...came].map((m) => m.label))) {
    const was = gone.filter((m) => m.label === label);
    const is = came.filter((m) => m.label === label);
    // A shape gone while the others carry its fields is a regrouping too (VideoRoom's SVC layers, one event in 1.1.2, two from 1.1.4).
    if (!sameFields(old.filter((m) => m.label === label), now.filter((m) => m.label === label))) continue;
    regrouped.add(label);
    out.push(entry(where, { message: label, plugin: (was[0] ?? is[0])!.plugin, pointer: '', old: was.map((m) => m.message), new: is.map((m) => m.message) }, 'multiplicity-changed'));
  }
  for (const m of gone) if (!regrouped.has(m.label)) out.push(entry(where, { message: m.label, plugin: m.plugin, pointer: '', old: m.message }, 'message-missing'));
  for (const m of came) if (!regrouped.has(m.label)) out.push(entry(where, { message: m.label, plugin: m.plugin, pointer: '', new: m.message }, 'extra-message'));
  return out;
}

/**
 * Whether two runs' reports of a kind carry the same fields, of the same types, over all of them:
 * then only how they are grouped changed (EchoTest from 1.3.2 sends a simulcast `substream` and
 * `temporal` in one event, 1.1.2 in two), one multiplicity change, not a report gone and another new.
 */
function sameFields(old: LabelledMessage[], now: LabelledMessage[]): boolean {
  const fields = (list: LabelledMessage[]): string => [...new Set(list.flatMap((m) => [...leavesOf(shapeOf(m.message))]))].sort().join('\n');
  return fields(old) === fields(now);
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
  const symbols = new Symbols(idsSeenIn(test));
  const labeller = new Labeller();
  const steps: LabelledStep[] = test.steps.map((step) => ({ key: step.at || step.title, step, messages: [] }));
  const stepOfRequest = new Map<string, number>();
  const requestOf = new Map<string, LabelledMessage>();
  const lastRequest = lastScenarioRequest(test);
  const timedOut = new Set<unknown>();
  let position = 0;
  test.steps.forEach((step, i) => {
    for (const m of step.messages) {
      const at = position++;
      const message = symbols.normalize(m.message);
      const labelledMessage: StepMessage = { ...labeller.label({ ...m, message, ...(m.route && { route: symbols.normalize(m.route) as BaselineMessage['route'] }), ...(m.http !== undefined && { http: symbols.normalize(m.http) }) }), ...(m.wire && { wire: m.wire }), ...(m.ms !== undefined && { ms: m.ms }) };
      if (transactionOf(m.message)?.startsWith(ENGINE_CLEANUP)) labelledMessage.engine = true;
      if (labelledMessage.timing && at > lastRequest && TEARDOWN_EVENTS.has(labelledMessage.label)) labelledMessage.late = true;
      if (labelledMessage.timing && m.direction === 'in' && afterItsSessionTimedOut(m.message, timedOut)) labelledMessage.late = true;
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

/**
 * Whether an event comes from a session that Janus already timed out (its `timeout` event came
 * before): the session's handles are being torn down, and what their plugins say then (EchoTest's
 * `done` of a hangup) reaches the client or not as that teardown and the session's removal race,
 * in every version. Notes the session of a `timeout` in `timedOut`.
 */
function afterItsSessionTimedOut(message: unknown, timedOut: Set<unknown>): boolean {
  const m = message as { janus?: unknown; session_id?: unknown } | null;
  if (m === null || typeof m !== 'object' || m.session_id === undefined) return false;
  if (m.janus === 'timeout') {
    timedOut.add(m.session_id);
    return false;
  }
  return timedOut.has(m.session_id);
}

/**
 * The ids a test sees anywhere. Messages on several connections arrive in no order between
 * them: a participant list may come before the reply that names that participant.
 */
function idsSeenIn(test: BaselineTest): Set<string> {
  const first = new Symbols();
  for (const step of test.steps) for (const m of step.messages) first.normalize(m.message);
  return first.seenIds();
}

/** A request's latency is the time to its first reply that is not an ack. */
function noteLatency(request: LabelledMessage | undefined, reply: LabelledMessage): void {
  if (!request || request.latencyMs !== undefined || reply.timing || request.ms === undefined || reply.ms === undefined) return;
  request.latencyMs = reply.ms - request.ms;
}

/**
 * What Janus says while a PeerConnection or a handle goes away. After the scenario's last request
 * (a mountpoint destroyed under its viewer, a room under its participants) they come, or not,
 * before the test closes its connections: timing, like any event after the last step.
 */
const TEARDOWN_EVENTS = new Set(['event hangup', 'event detached']);

/**
 * Where the scenario's last request of its own steps is, counting every message of the test in
 * order (-1 without any): an event no request asked for that comes after it comes, or not, before
 * the test closes its connections, like one after the last step.
 */
function lastScenarioRequest(test: BaselineTest): number {
  let position = 0;
  let last = -1;
  for (const step of test.steps) {
    for (const m of step.messages) {
      const own = m.direction === 'out' && step.title !== CLEANUP_STEP && !transactionOf(m.message)?.startsWith(ENGINE_CLEANUP) && (m.message as { janus?: unknown } | null)?.janus !== 'keepalive';
      if (own) last = position;
      position++;
    }
  }
  return last;
}

/** The transactions of the requests the engine's cleanup sends (detach, destroy) start so. */
const ENGINE_CLEANUP = 'cleanup-';

/**
 * A message of a step. `engine`: a request the engine's cleanup sent, or its reply. `late`: a
 * teardown event after the scenario's last request, or an event of a session after its timeout.
 */
interface StepMessage extends LabelledMessage {
  engine?: boolean;
  late?: boolean;
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
  const scenarioOwn = sentOnOneSide(oldGroups, newGroups);
  for (const [key, olds] of oldGroups) {
    const news = newGroups.get(key) ?? [];
    const first = olds[0]!;
    if (scenarioOwn.has(key)) continue;
    if (news.length === 0) {
      if (!olds.some(untimed)) out.push(entry(where, { message: first.label, plugin: first.plugin, pointer: '', old: first.message }, 'message-missing'));
      continue;
    }
    if (news.length !== olds.length && ![...olds, ...news].some(untimed)) out.push(entry(where, { message: first.label, plugin: first.plugin, pointer: '', old: olds.length, new: news.length }, 'multiplicity-changed'));
    const [a, b] = (first as StepMessage).engine ? equalFirst(olds, news) : [olds, news];
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      // What the scenario sent is its own (a step of its own per version, a value a reply bound): the replies say what the server did.
      if (!a[i]!.sent) out.push(...diffMessage(where, a[i]!, b[i]!).filter((d) => !lateHangupReason(d, a[i]!, b[i]!)));
      const [x, y] = [a[i]!.latencyMs, b[i]!.latencyMs];
      if (x !== undefined && y !== undefined) samples.push({ transport: where.transport, plugin: first.plugin, message: first.label, old: x, new: y, where: `${where.step || where.stepTitle} (${where.scenario})` });
    }
  }
  for (const [key, news] of newGroups) {
    if (oldGroups.has(key) || news.some(untimed) || scenarioOwn.has(key)) continue;
    out.push(entry(where, { message: news[0]!.label, plugin: news[0]!.plugin, pointer: '', new: news[0]!.message }, 'extra-message'));
  }
  // An ack and its request's final reply race in Janus (the plugin may answer before the core acks): not an order.
  // Events no request asked for come when they come: only requests and their replies have an order.
  // Messages of two clients travel on two connections, in no order between them: each client's are compared apart.
  const firstOf = (k: string): LabelledMessage => (oldGroups.get(k) ?? newGroups.get(k))![0]!;
  const ordered = (k: string, other: Map<string, LabelledMessage[]>, client: string): boolean => other.has(k) && !k.endsWith(' ack') && !firstOf(k).timing && firstOf(k).client === client;
  for (const client of new Set(old.map((m) => m.client))) {
    const oldOrder = [...oldGroups.keys()].filter((k) => ordered(k, newGroups, client));
    const newOrder = [...newGroups.keys()].filter((k) => ordered(k, oldGroups, client));
    if (oldOrder.join('\n') === newOrder.join('\n')) continue;
    const labelOf = (k: string): string => firstOf(k).label;
    out.push(entry(where, { message: `(order of ${client}'s messages)`, plugin: old[0]?.plugin ?? 'core', pointer: '', old: oldOrder.map(labelOf), new: newOrder.map(labelOf) }, 'order-changed'));
  }
  return out;
}

/**
 * The requests the scenario sent in one run and not (or not as often) in the other, and their
 * replies: a step of its cleanup that it runs only on some Janus versions (`janus:` range) sends
 * on one side only, and what the server would have answered was never asked. The scenario's
 * choice, not the server's: the keys of those requests, their acks and replies.
 */
function sentOnOneSide(old: Map<string, LabelledMessage[]>, now: Map<string, LabelledMessage[]>): Set<string> {
  const out = new Set<string>();
  for (const key of new Set([...old.keys(), ...now.keys()])) {
    const a = old.get(key) ?? [];
    const b = now.get(key) ?? [];
    const request = (a[0] ?? b[0])! as StepMessage;
    if (!request.sent || request.engine || a.length === b.length) continue;
    out.add(key);
    out.add(`${request.client} ${request.label} reply`);
    out.add(`${request.client} ${request.label} ack`);
  }
  return out;
}

/**
 * Events no request asked for (two handles' `hangup`, each participant's `destroyed`) come in no
 * order Janus guarantees, and the engine's cleanup destroys a client's sessions in no fixed
 * order: of two lists of such messages, equal ones pair first, wherever they are, and what is
 * left pairs by position.
 */
function equalFirst(old: LabelledMessage[], now: LabelledMessage[]): [LabelledMessage[], LabelledMessage[]] {
  const [ia, ib] = unmatched(old.map(pairingForm), now.map(pairingForm));
  const restA = new Set(ia);
  const restB = new Set(ib);
  const pairedA = old.filter((_m, i) => !restA.has(i));
  const pairedB = pairedInOrder(old, now, restA, restB);
  const [likeA, likeB] = mostAlike(ia.map((i) => old[i]!), ib.map((j) => now[j]!));
  return [[...pairedA, ...likeA], [...pairedB, ...likeB]];
}

/**
 * What is left after the equal ones pair by likeness: the two messages that say most of the same
 * things pair first, then the next two (ties: in order). A plugin names many notifications alike
 * (VideoRoom's `unpublished`, `leaving`, metadata changes are all `videoroom: event`): paired by
 * position, one `unpublished` fewer would pair the next one with a `leaving` and read as a
 * rename. Pairs keep the order of `old`; what is left unpaired comes last, in order.
 */
function mostAlike(old: LabelledMessage[], now: LabelledMessage[]): [LabelledMessage[], LabelledMessage[]] {
  const leavesA = old.map((m) => leavesOf(pairingForm(m)));
  const leavesB = now.map((m) => leavesOf(pairingForm(m)));
  const scores: Array<{ i: number; j: number; shared: number }> = [];
  leavesA.forEach((a, i) => leavesB.forEach((b, j) => scores.push({ i, j, shared: [...a].filter((l) => b.has(l)).length })));
  scores.sort((x, y) => y.shared - x.shared || x.i - y.i || x.j - y.j);
  const partner = new Map<number, number>();
  const taken = new Set<number>();
  for (const { i, j } of scores) {
    if (partner.has(i) || taken.has(j)) continue;
    partner.set(i, j);
    taken.add(j);
  }
  const pairedA = old.filter((_m, i) => partner.has(i));
  const pairedB = old.flatMap((_m, i) => (partner.has(i) ? [now[partner.get(i)!]!] : []));
  return [[...pairedA, ...old.filter((_m, i) => !partner.has(i))], [...pairedB, ...now.filter((_m, j) => !taken.has(j))]];
}

/** A JSON value as the set of its leaves, each `pointer=value`. */
function leavesOf(value: unknown, pointer = '', out = new Set<string>()): Set<string> {
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) leavesOf(v, `${pointer}/${escapePointer(k)}`, out);
  } else out.add(`${pointer}=${JSON.stringify(value)}`);
  return out;
}

/** What pairs two messages: all but the transaction, whose symbol only counts the requests before it. */
function pairingForm(m: LabelledMessage): unknown {
  if (m.message === null || typeof m.message !== 'object' || Array.isArray(m.message)) return m.message;
  const { transaction: _transaction, ...rest } = m.message as Record<string, unknown>;
  return rest;
}

/** The elements of `now` that have an equal in `old`, in the order of their partners in `old`. */
function pairedInOrder(old: LabelledMessage[], now: LabelledMessage[], restA: Set<number>, restB: Set<number>): LabelledMessage[] {
  const free = now.map((m, j) => ({ m, j, text: JSON.stringify(pairingForm(m)) })).filter(({ j }) => !restB.has(j));
  const out: LabelledMessage[] = [];
  old.forEach((m, i) => {
    if (restA.has(i)) return;
    const text = JSON.stringify(pairingForm(m));
    const k = free.findIndex((f) => f.text === text);
    out.push(free[k]!.m);
    free.splice(k, 1);
  });
  return out;
}

/**
 * Whether a message's presence is the server's timing rather than its behaviour: an ack (over
 * HTTP, Janus may answer a request with its event before any ack); a keepalive (the engine sends
 * its own on a timer, so how many fall in a step is the clock's); a request of the engine's
 * cleanup, or its reply (it detaches what is still attached, which a `detached` that came a
 * moment earlier has already done).
 */
function untimed(m: StepMessage): boolean {
  return m.key.endsWith(' ack') || m.key.endsWith(' out keepalive') || m.engine === true;
}

/**
 * A message whose presence is the server's doing. A step that holds only the clock's (the
 * engine's keepalives and their acks, which fall in whichever step is waiting when the timer
 * fires) is not a step not reached, nor one not in the baseline, when the other run lacks it;
 * and such a step is named by these messages only, so that a re-run whose ack came or not
 * names it alike (confirmation matches differences by their message).
 */
function timed(m: StepMessage): boolean {
  return !untimed(m);
}

/**
 * At the end of a test the engine closes its WebRTC peers and destroys its sessions at once: a
 * `hangup` then says whichever came first (`Close PC`, `DTLS alert`, `Detach`), the engine's
 * timing. The reason of a late hangup is not compared; earlier ones are.
 */
function lateHangupReason(d: Difference, old: StepMessage, now: StepMessage): boolean {
  return (old.late === true || now.late === true) && d.message === 'event hangup' && d.pointer === '/reason';
}

/** Two messages of the same kind: an error that changed is one entry; otherwise field by field. */
export function diffMessage(where: Where, old: LabelledMessage, now: LabelledMessage): Difference[] {
  const what = { message: now.label === old.label ? old.label : `${old.label} ⇒ ${now.label}`, plugin: old.plugin };
  const wire = old.wire && now.wire ? wireChanges(old.wire, now.wire).map((c) => entry(where, { ...what, pointer: `/${c.aspect}`, ...('old' in c && { old: c.old }), ...('new' in c && { new: c.new }) }, 'wire-changed')) : [];
  if (old.error !== now.error) {
    const d = entry(where, { ...what, pointer: '', old: old.error ?? 'success', new: now.error ?? 'success' }, 'error-code-changed', { errorWhereSuccess: old.error === undefined });
    // An HTTP status that is the error (`HTTP 404` → success) is said once, by the error.
    const byStatus = [old.error, now.error].some((e) => e?.startsWith('HTTP '));
    return [d, ...wire.filter((w) => !(byStatus && w.pointer === '/status'))];
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
  if (t !== typeOf(now)) return [{ pointer, old, new: now, kind: measuredFromZero(old, now) ? 'value-changed' : 'type-changed' }];
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
  if (old === now || redactedAlike(old, now)) return [];
  if (isSdp(old) && isSdp(now)) return [{ pointer, ...sdpLinesChanged(old, now), kind: 'value-changed' }];
  return [{ pointer, old, new: now, kind: 'value-changed' }];
}

const isSdp = (v: unknown): v is string => typeof v === 'string' && /^v=0\r?\n/.test(v);

/**
 * Two SDPs that differ, as the lines that differ, each named by its section (`session`, `audio`,
 * `video 2`): two whole SDPs side by side hide the one attribute that went. Lines only moved
 * are shown from the first line that differs to the last.
 */
function sdpLinesChanged(a: string, b: string): { old: string[]; new: string[] } {
  const linesA = sdpLines(a);
  const linesB = sdpLines(b);
  const [ia, ib] = unmatched(linesA, linesB);
  if (ia.length > 0 || ib.length > 0) return { old: ia.map((i) => linesA[i]!), new: ib.map((j) => linesB[j]!) };
  const first = linesA.findIndex((l, i) => l !== linesB[i]);
  let last = linesA.length - 1;
  while (last > first && linesA[last] === linesB[last]) last--;
  return { old: linesA.slice(first, last + 1), new: linesB.slice(first, last + 1) };
}

function sdpLines(sdp: string): string[] {
  let section = 'session';
  const seen = new Map<string, number>();
  return sdp.split(/\r?\n/).filter((l) => l !== '').map((line) => {
    const media = /^m=(\w+)/.exec(line)?.[1];
    if (media) {
      const n = (seen.get(media) ?? 0) + 1;
      seen.set(media, n);
      section = n === 1 ? media : `${media} ${n}`;
    }
    return `${section}: ${line}`;
  });
}

/**
 * A measurement is masked as `<measured>` unless it is zero: zero on one side and a measurement
 * on the other is a number that changed (a link quality starting at 100 instead of 0), not a
 * number that became a string.
 */
function measuredFromZero(a: unknown, b: unknown): boolean {
  return (a === 0 && b === MEASURED) || (a === MEASURED && b === 0);
}

/**
 * A text a secret was redacted from hides what was there, and what is redacted depends on the
 * run's secrets (some are drawn at random, and a piece of one before a cut mark "..." is
 * redacted too): two texts are alike when one fits around the other's redactions.
 */
function redactedAlike(a: unknown, b: unknown): boolean {
  return typeof a === 'string' && typeof b === 'string' && (fitsAround(a, b) || fitsAround(b, a));
}

function fitsAround(redacted: string, other: string): boolean {
  if (!redacted.includes(REDACTED)) return false;
  const pattern = redacted.split(REDACTED).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*');
  return new RegExp(`^${pattern}$`).test(other);
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
  const where: Where = { test: `inventory[${transport}]`, scenario: 'server inventory', transport, step: '', stepTitle: '' };
  const out: Difference[] = [];
  const oldInfo = (old.info ? new Symbols().normalize(old.info) : undefined) as Record<string, unknown> | undefined;
  const newInfo = (now.info ? new Symbols().normalize(now.info) : undefined) as Record<string, unknown> | undefined;
  if (oldInfo && newInfo) {
    for (const [key, kind, what] of INVENTORY_LISTS) {
      // A managed Janus loads what the run's scenarios and transports ask for: a module only one side asked for is the runs' choice.
      const askedBy = [old.asked, now.asked].filter((a): a is Record<string, string[]> => a?.[key] !== undefined).map((a) => a[key]!);
      const wasAsked = (name: string): boolean => askedBy.every((list) => list.includes(name));
      const a = Object.keys((oldInfo[key] as object | undefined) ?? {}).filter(wasAsked);
      const b = Object.keys((newInfo[key] as object | undefined) ?? {}).filter(wasAsked);
      for (const name of a.filter((x) => !b.includes(x))) out.push(entry(where, { message: `info ${what}`, plugin: kind === 'plugin' ? name : 'inventory', pointer: `/info/${key}/${escapePointer(name)}`, old: name }, `${kind}-removed`));
      for (const name of b.filter((x) => !a.includes(x))) out.push(entry(where, { message: `info ${what}`, plugin: kind === 'plugin' ? name : 'inventory', pointer: `/info/${key}/${escapePointer(name)}`, new: name }, `${kind}-added`));
    }
  }
  // The same change on several servers (each set of settings) is one entry.
  const seen = new Set<string>();
  for (const [a, b] of serversStartedAlike(old, now)) {
    const lists = new Set(INVENTORY_LISTS.map(([k]) => k));
    const found = [
      ...(a.info && b.info ? settings(where, 'info', pick(new Symbols().normalize(a.info) as Record<string, unknown>, lists), pick(new Symbols().normalize(b.info) as Record<string, unknown>, lists)) : []),
      ...(a.adminStatus && b.adminStatus ? settings(where, 'admin get_status', new Symbols().normalize(a.adminStatus) as Record<string, unknown>, new Symbols().normalize(b.adminStatus) as Record<string, unknown>) : []),
    ];
    for (const d of found) {
      const key = JSON.stringify([d.pointer, d.class, d.old, d.new]);
      if (!seen.has(key)) out.push(d);
      seen.add(key);
    }
  }
  return out;
}

type ServerSettings = { info?: Record<string, unknown>; adminStatus?: Record<string, unknown> };

/**
 * The servers whose settings are compared: of two managed runs, each pair started with the same
 * settings (a scenario's `requires.janus` sets them); otherwise (a --url server, an older
 * baseline) the first test's server of each side.
 */
function serversStartedAlike(old: ServerInventory, now: ServerInventory): Array<[ServerSettings, ServerSettings]> {
  if (!old.servers || !now.servers) return [[old, now]];
  return Object.keys(old.servers).filter((k) => Object.hasOwn(now.servers!, k)).map((k) => [old.servers![k]!, now.servers![k]!]);
}

/** Whether the settings of two inventories can be compared: some server of each was started alike. */
export function settingsComparable(old: ServerInventory, now: ServerInventory): boolean {
  return serversStartedAlike(old, now).length > 0;
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
