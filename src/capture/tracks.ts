import { isObject, type JanusObject, type TrafficEntry } from './traffic.js';

/**
 * The first pass over a capture: which Janus session each message belongs to, which reply ends
 * each request, and which messages are asynchronous. Admin requests about a captured session go
 * with it; other admin traffic forms a track of its own per connection.
 */
export interface RequestItem {
  kind: 'request';
  entry: TrafficEntry;
  /** The reply that ends the request: success, error, pong, server_info or its plugin's event. */
  final?: JanusObject;
  ack?: JanusObject;
  /**
   * Where the request is in the log, and where the reply its replayed step ends at (the final,
   * or the ack when only an ack came) was known to have reached the application.
   */
  sentAt: number;
  answeredAt?: number;
}

export interface EventItem {
  kind: 'event';
  entry: TrafficEntry;
}

/** A connection of the track closed; written only when the same client reopens and claims the session. */
export interface CloseItem {
  kind: 'close';
  entry: TrafficEntry;
}

/** A new connection claimed the session after the one it continues had closed: the same client reconnected. */
export interface ReopenItem {
  kind: 'reopen';
  entry: TrafficEntry;
}

export type TrackItem = RequestItem | EventItem | CloseItem | ReopenItem;

export interface Track {
  /** The Janus session id; undefined for a track of admin requests about no captured session. */
  session?: number;
  items: TrackItem[];
  /** Connections in the order they joined the session (the creator first, then claimers). */
  connections: string[];
  /**
   * A connection that claimed the session after one of the track's connections had closed:
   * the same client reconnected (janus.js `reconnect()`), so it continues that connection.
   */
  continues: Map<string, string>;
  /** Handle id -> plugin and the connection that attached it, in attach order. */
  handles: Map<number, { plugin: string; connection: string }>;
  transport: 'ws' | 'http';
}

const FINAL = new Set(['success', 'error', 'pong', 'server_info']);
/** Requests (Janus API and Admin API) that end a handle, and that end the session. */
export const ENDS_HANDLE: ReadonlySet<string> = new Set(['detach', 'detach_handle']);
export const ENDS_SESSION: ReadonlySet<string> = new Set(['destroy', 'destroy_session']);

export function verbOf(message: JanusObject): string {
  return typeof message.janus === 'string' ? message.janus : '';
}

export function sessionOf(entry: TrafficEntry): number | undefined {
  const id = entry.message.session_id ?? entry.path?.session;
  return typeof id === 'number' ? id : undefined;
}

export function handleOf(entry: TrafficEntry): number | undefined {
  const id = entry.message.handle_id ?? entry.path?.handle;
  return typeof id === 'number' ? id : undefined;
}

export function splitTracks(entries: readonly TrafficEntry[]): Track[] {
  return new TrackBuilder().build(entries);
}

class TrackBuilder {
  private readonly tracks: Track[] = [];
  private readonly bySession = new Map<number, Track>();
  private readonly adminTracks = new Map<string, Track>();
  /** Root requests (info, ping, a failed create) of a connection with no session yet. */
  private readonly waiting = new Map<string, TrackItem[]>();
  private readonly current = new Map<string, Track>();
  private readonly byTransaction = new Map<string, { item: RequestItem; track?: Track }>();
  private readonly byMessage = new Map<JanusObject, { item: RequestItem; track?: Track }>();
  /** What the application has asked to end, per track: the session, or some of its handles. */
  private readonly ending = new Map<Track, { session: boolean; handles: Set<number> }>();
  /** Connections of a track that closed and that no later connection continues yet. */
  private readonly closed = new Map<string, Track>();

  build(entries: readonly TrafficEntry[]): Track[] {
    entries.forEach((entry, at) => {
      if (entry.direction === 'request') this.request(entry, at);
      else if (entry.direction === 'close') this.close(entry);
      else this.reply(entry, at);
    });
    return this.tracks.filter((t) => t.items.length > 0);
  }

  private request(entry: TrafficEntry, at: number): void {
    const message = entry.message;
    // The runner sends its own keepalives; the application's are not part of its behaviour.
    if (verbOf(message) === 'keepalive') return;
    const item: RequestItem = { kind: 'request', entry, sentAt: at };
    const track = entry.api === 'admin' ? this.adminTrack(entry) : this.janusTrack(entry);
    const pending = { item, track };
    if (typeof message.transaction === 'string') this.byTransaction.set(`${entry.connection}|${message.transaction}`, pending);
    this.byMessage.set(message, pending);
    if (track) (entry.api === 'janus' ? this.join(track, entry.connection) : track).items.push(item);
    else this.waitingOf(entry.connection).push(item);
    if (track) this.markEnding(track, entry, true);
  }

  private markEnding(track: Track, entry: TrafficEntry, ending: boolean): void {
    const verb = verbOf(entry.message);
    let state = this.ending.get(track);
    if (!state) this.ending.set(track, (state = { session: false, handles: new Set() }));
    const handle = handleOf(entry);
    if (ENDS_SESSION.has(verb)) state.session = ending;
    else if (ENDS_HANDLE.has(verb) && handle !== undefined && ending) state.handles.add(handle);
    else if (ENDS_HANDLE.has(verb) && handle !== undefined) state.handles.delete(handle);
  }

  /**
   * Whether an event is teardown that a replay cannot wait for: once the application asked to
   * destroy the session, or to detach the event's handle, Janus delivers or drops what its
   * loops still send about them (a `detached` after the destroy, EchoTest's `result: done`
   * after the detach) depending on timing. A handle's own `detached` while the session lives
   * always comes, and stays.
   */
  private isTeardown(track: Track, message: JanusObject): boolean {
    const state = this.ending.get(track);
    if (!state) return false;
    if (state.session) return true;
    return typeof message.sender === 'number' && state.handles.has(message.sender) && verbOf(message) !== 'detached';
  }

  private close(entry: TrafficEntry): void {
    const track = entry.api === 'janus' ? this.current.get(entry.connection) : undefined;
    if (!track) return;
    track.items.push({ kind: 'close', entry });
    this.closed.set(entry.connection, track);
  }

  /** A claim from a new connection after one of the track's connections closed: that client reconnecting. */
  private reconnect(track: Track, entry: TrafficEntry): void {
    if (track.connections.includes(entry.connection) || track.continues.has(entry.connection)) return;
    const previous = [...this.closed].reverse().find(([, t]) => t === track)?.[0];
    if (previous === undefined) return;
    this.closed.delete(previous);
    track.continues.set(entry.connection, track.continues.get(previous) ?? previous);
    track.items.push({ kind: 'reopen', entry });
  }

  private janusTrack(entry: TrafficEntry): Track | undefined {
    const session = sessionOf(entry);
    if (session !== undefined) {
      const track = this.bySession.get(session);
      if (track && verbOf(entry.message) === 'claim') {
        this.reconnect(track, entry);
        // What the claiming connection sent before (info, ping) belongs to the session it joins.
        this.current.set(entry.connection, track);
        this.join(track, entry.connection).items.push(...this.waitingOf(entry.connection).splice(0));
      }
      return track ?? this.current.get(entry.connection);
    }
    if (verbOf(entry.message) === 'create') return undefined;
    return this.current.get(entry.connection);
  }

  private adminTrack(entry: TrafficEntry): Track {
    const session = sessionOf(entry);
    const known = session === undefined ? undefined : this.bySession.get(session);
    if (known) return known;
    let track = this.adminTracks.get(entry.connection);
    if (!track) {
      track = newTrack(undefined, entry.transport);
      this.adminTracks.set(entry.connection, track);
      this.tracks.push(track);
    }
    return track;
  }

  private reply(entry: TrafficEntry, at: number): void {
    const message = entry.message;
    const pending = entry.answers ? this.byMessage.get(entry.answers) : typeof message.transaction === 'string' ? this.byTransaction.get(`${entry.connection}|${message.transaction}`) : undefined;
    if (pending && verbOf(pending.item.entry.message) === 'keepalive') return;
    if (pending && this.ends(pending.item, message)) {
      if (verbOf(message) === 'ack') pending.item.ack = message;
      else pending.item.final = message;
      // An ack never follows the final reply here (ends() refuses it): the last one recorded is where the step ends.
      pending.item.answeredAt = entry.delivered ?? at;
      // A detach or destroy that failed ended nothing.
      if (verbOf(message) === 'error' && pending.track) this.markEnding(pending.track, pending.item.entry, false);
      this.bind(pending, entry);
      return;
    }
    if (entry.api === 'admin' || verbOf(message) === 'ack') return;
    const session = typeof message.session_id === 'number' ? message.session_id : entry.path?.session;
    const track = (session !== undefined && this.bySession.get(session)) || this.current.get(entry.connection);
    // Janus's answer to a keepalive the runner will send itself, or a message of no captured session.
    if (!track || verbOf(message) === 'keepalive' || this.isTeardown(track, message)) return;
    track.items.push({ kind: 'event', entry });
  }

  /** Whether this reply is the ack or the final reply of the request (not a later event). */
  private ends(item: RequestItem, message: JanusObject): boolean {
    if (item.final) return false;
    const verb = verbOf(message);
    if (verb === 'ack') return !item.ack;
    return FINAL.has(verb) || (verb === 'event' && message.transaction === item.entry.message.transaction);
  }

  /** A create's success opens a track; an attach's success names a handle. */
  private bind(pending: { item: RequestItem; track?: Track }, entry: TrafficEntry): void {
    const request = pending.item.entry;
    const reply = pending.item.final;
    if (!reply || reply.janus !== 'success' || request.api !== 'janus') return;
    const id = isObject(reply.data) && typeof reply.data.id === 'number' ? reply.data.id : undefined;
    if (id === undefined) return;
    if (verbOf(request.message) === 'create') {
      const track = newTrack(id, request.transport);
      this.tracks.push(track);
      this.bySession.set(id, track);
      this.current.set(request.connection, track);
      // The create itself waited with the connection's root requests: they open the scenario.
      this.join(track, request.connection).items.push(...this.waitingOf(request.connection).splice(0));
      pending.track = track;
    } else if (verbOf(request.message) === 'attach' && pending.track) {
      pending.track.handles.set(id, { plugin: String(request.message.plugin), connection: entry.connection });
    }
  }

  private join(track: Track, connection: string): Track {
    if (!track.connections.includes(connection) && !track.continues.has(connection)) track.connections.push(connection);
    return track;
  }

  private waitingOf(connection: string): TrackItem[] {
    let list = this.waiting.get(connection);
    if (!list) this.waiting.set(connection, (list = []));
    return list;
  }
}

function newTrack(session: number | undefined, transport: 'ws' | 'http'): Track {
  return { session, items: [], connections: [], continues: new Map(), handles: new Map(), transport };
}
