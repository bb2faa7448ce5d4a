import { isObject, type JanusObject } from './traffic.js';
import { ENDS_HANDLE, ENDS_SESSION, handleOf, sessionOf, verbOf, type RequestItem, type TrackItem } from './tracks.js';
import { leaves } from './values.js';

/**
 * Requests the application sent without waiting (janus.js's `detach` and `destroy` over
 * WebSocket, janode's concurrent requests) become one `concurrently:` step, so the replay puts
 * them on the wire the way the application did instead of one reply at a time.
 */
export interface WrittenItem {
  item: TrackItem;
  /** The step the item became; none for what the scenario leaves out. */
  step?: JanusObject;
}

/**
 * The steps in order, requests sent back to back grouped. A request joins the group of the one
 * before it when it went over the same connection before that one's reply (the one its step
 * waits for) arrived, and uses nothing the group's replies carried or the steps in between
 * saved. Events that arrived in between become `wait`s after the group (the mailbox keeps
 * them), unless a request of the group ends what they are about.
 */
export function groupSentTogether(written: readonly WrittenItem[]): JanusObject[] {
  const steps: JanusObject[] = [];
  for (let i = 0; i < written.length; ) {
    const members = groupFrom(written, i);
    if (members.length < 2) {
      if (written[i]!.step) steps.push(written[i]!.step!);
      i += 1;
      continue;
    }
    const last = written.indexOf(members.at(-1)!);
    const requests = members.map((m) => m.item as RequestItem);
    const between = written.slice(i, last + 1).filter((w) => !members.includes(w) && w.step && !racesTeardown(w, requests));
    steps.push(concurrentlyStep(members.map((m) => m.step!)), ...between.map((w) => w.step!));
    i = last + 1;
  }
  return steps;
}

/** The requests, from `start` on, that the application sent before the previous one's reply. */
function groupFrom(written: readonly WrittenItem[], start: number): WrittenItem[] {
  const first = written[start]!;
  if (first.item.kind !== 'request' || !first.step) return [first];
  const members = [first];
  for (let j = start + 1; j < written.length; j++) {
    const next = written[j]!;
    if (next.item.kind === 'event') continue;
    if (next.item.kind !== 'request' || !next.step) break;
    const previous = members.at(-1)!.item as RequestItem;
    if (!sentBeforeAnswer(previous, next.item)) break;
    if (dependsOn(next as { item: RequestItem; step: JanusObject }, members, written.slice(start, j))) break;
    members.push(next);
  }
  return members;
}

/**
 * An event that arrived between the requests, about what one of them ends: the session, or a
 * handle (other than the handle's own `detached`). The replay sends that request right away,
 * so Janus may drop the event (as the capture leaves out events after a destroy or detach).
 * One that saves a value later steps use is kept.
 */
function racesTeardown({ item, step }: WrittenItem, members: readonly RequestItem[]): boolean {
  if (item.kind !== 'event' || step?.save !== undefined) return false;
  const { message } = item.entry;
  // A destroy or detach that failed ended nothing.
  const ending = members.filter((m) => m.final?.janus !== 'error');
  if (ending.some((m) => ENDS_SESSION.has(verbOf(m.entry.message)))) return true;
  return typeof message.sender === 'number' && verbOf(message) !== 'detached'
    && ending.some((m) => ENDS_HANDLE.has(verbOf(m.entry.message)) && handleOf(m.entry) === message.sender);
}

/** Sent over the same connection before the reply the previous request's step ends at (or it never came). */
function sentBeforeAnswer(previous: RequestItem, next: RequestItem): boolean {
  if (previous.entry.connection !== next.entry.connection || previous.entry.api !== next.entry.api) return false;
  return previous.answeredAt === undefined || next.sentAt < previous.answeredAt;
}

/**
 * Whether the request needs something only known once an earlier reply came: an id a member's
 * `create` or `attach` got, a value saved or a handle named by a step since the group began.
 * An application could not have sent it without waiting; this keeps the group loadable anyway
 * (an inner step cannot use what a sibling saves).
 */
function dependsOn(next: { item: RequestItem; step: JanusObject }, members: readonly WrittenItem[], since: readonly WrittenItem[]): boolean {
  const created = new Set(members.map((m) => newId(m.item)).filter((id): id is number => id !== undefined));
  if (usesId(next.item, created)) return true;
  const names = since.flatMap(({ step }) => [...Object.keys(isObject(step?.save) ? step.save : {}), ...(typeof step?.as === 'string' ? [`handles.${step.as}`] : [])]);
  const text = JSON.stringify(next.step);
  return names.some((name) => new RegExp(`\\$\\{(?:[A-Za-z_]\\w*\\.)?${escape(name)}\\}`).test(text))
    || since.some(({ step }) => typeof step?.as === 'string' && next.step.handle === step.as);
}

/** The session or handle id a `create` or `attach` got. */
function newId(item: TrackItem): number | undefined {
  if (item.kind !== 'request' || item.final?.janus !== 'success' || !isObject(item.final.data)) return undefined;
  return typeof item.final.data.id === 'number' ? item.final.data.id : undefined;
}

function usesId(item: RequestItem, ids: ReadonlySet<number>): boolean {
  if (ids.size === 0) return false;
  const { entry } = item;
  const session = sessionOf(entry);
  const handle = handleOf(entry);
  if ((session !== undefined && ids.has(session)) || (handle !== undefined && ids.has(handle))) return true;
  return leaves(entry.message).some(({ value }) => (typeof value === 'number' && ids.has(value)) || (typeof value === 'string' && [...ids].some((id) => value.includes(String(id)))));
}

/** One step for the group; the client goes on it when all inner steps share one. */
function concurrentlyStep(inner: JanusObject[]): JanusObject {
  const clients = new Set(inner.map((s) => s.client));
  const client = clients.size === 1 ? [...clients][0] : undefined;
  const steps = client === undefined ? inner : inner.map(({ client: _, ...rest }) => rest);
  return { ...(client !== undefined && { client }), concurrently: steps };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
