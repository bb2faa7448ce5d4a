import { TransportFault, type CloseRequest, type ConnectionClose, type ConnectOptions, type PollAuth, type TransportConnection, type TransportDefinition } from '../transports/contract.js';
import { Arrivals } from './arrivals.js';
import { Mailbox, type MailboxLimits } from './mailbox.js';
import { AbortWatch, Deadlines, SpareControllers } from '../core/waiting.js';
import { RecentMap } from '../core/recent-map.js';
import { idOf, requestObject, verbOf, type JanusApi, type JanusMessage, type Route } from '../protocol/messages.js';

export type Direction = 'out' | 'in';
/** `moment`: for a message received, what the client's `moment` option said when it came (its books may be kept later: see JanusClient.catchUp). */
export type TrafficListener = (direction: Direction, message: JanusMessage | string, route?: Route, moment?: number) => void;

export interface ClientOptions {
  api: JanusApi;
  nextTransaction: () => string;
  /** Credentials for long-polls (HTTP); requests carry their own. */
  pollAuth: { apisecret?: string; token?: string };
  /**
   * Every message sent (as it goes on the wire) and received. A message received is reported
   * with the client's books (see JanusClient.catchUp): after its request has its outcome, once
   * the next request is on the wire, at the next turn of the event loop, or when a reader of
   * the books (sessions, arrivals, close) or the owner asks; always in the order of the traffic.
   */
  onTraffic?: TrafficListener;
  /**
   * Read when a message comes, and handed to onTraffic with it: whatever the owner needs to know
   * of when it came (a run: the step it came during), as onTraffic may be called later.
   */
  moment?: () => number;
  /**
   * Called when the connection fails (dropped, malformed data, a flood of messages) or the server
   * breaks the protocol on it (a reply twice): steps waiting on it end at once. The first call
   * names the cause; a violation may be followed by the connection's failure.
   */
  onFault?: (fault: TransportFault) => void;
  /**
   * Called when code run on an incoming message throws (a traffic listener, the schema checker,
   * the mailbox, an event listener): the owner fails its scenario with it. Without this listener
   * the requests waiting end at once with a fault naming the error (the next request, if none
   * waits: a traffic listener runs after the reply answered its request).
   */
  onError?: (error: unknown) => void;
  /** A keepalive that could not be sent for a reason other than a failed connection. */
  onWarning?: (text: string) => void;
  /**
   * The server closed the connection and the scenario expects it may (it asserts closes): the
   * close is recorded and announced here instead of being a fault. Without it, a server close is a fault.
   */
  onServerClose?: (close: ConnectionClose) => void;
  /** The connection closed (a `close` step, the server) or opened again (`reopen`): for the transcript. */
  onConnectionChange?: (change: ConnectionChange) => void;
  /** A session was claimed or destroyed through this client (or the Admin API): no other client owns it any more. */
  onSessionTaken?: (sessionId: number) => void;
  /**
   * Receive events from the first session on, not only once a step asks for them: the scenario
   * has steps that read this client's events (see `listening`).
   */
  listen?: boolean;
  /** How much of what no step took the mailbox keeps before the connection fails (default MAILBOX_LIMITS). */
  mailboxLimits?: MailboxLimits;
}

export type ConnectionChange = { event: 'opened' } | ({ event: 'closed' } & ConnectionClose);

/** One automatic keepalive and what came of it. */
export interface KeepaliveRecord {
  sessionId: number;
  transaction: string;
  /** `cut`: the client closed its connection before the ack came, which says nothing of the server. */
  state: 'sent' | 'acked' | 'failed' | 'cut';
  /** Why it failed: the error, the silence, the fault. */
  detail?: string;
}

/** What a request ended with: the reply that finished it, and the ack if one came. */
export interface Exchange {
  transaction?: string;
  reply: JanusMessage;
  ack?: JanusMessage;
}

/** `uncorrelated`: a reply came while this request waited, but its transaction named no request. */
export type RequestOutcome = { exchange: Exchange } | { timedOut: true; ack?: JanusMessage; uncorrelated?: JanusMessage } | { fault: TransportFault };

/** Requests whose success takes a session from other clients (see onSessionTaken): kept in the books at once. */
const TAKES_SESSIONS = new Set(['claim', 'destroy', 'destroy_session']);
/** Verbs of replies to requests (never events): one that names no waiting request is a server's mistake. */
const REPLY_VERBS = new Set(['success', 'error', 'ack', 'server_info']);
/**
 * Verbs of final replies: a request has one. Janus may send an ack before it (and, over HTTP,
 * after it), and a plugin may send events with the request's transaction after it; one of these
 * for a request already answered is a server's mistake.
 */
const ANSWER_VERBS = new Set(['success', 'error', 'server_info', 'pong']);
/** Verbs of what Janus sends in reply to a request, which may end one sent without a transaction. */
const UNTRANSACTED_REPLY_VERBS = new Set([...ANSWER_VERBS, 'ack']);
/** Why a request's exchange ends: one value for all, as an abort without a reason builds a DOMException (and its stack) every time. */
const EXCHANGE_OVER = Object.freeze({ reason: 'the request has its outcome' });
/** How long an automatic keepalive waits for its ack at least, whatever its period. */
const KEEPALIVE_ACK_MS = 10_000;
/** Controllers kept for reuse per client: requests in flight at once rarely exceed it. */
const SPARE_CONTROLLERS = 8;
/**
 * Transactions of finished requests remembered, at least: a late ack or reply names one of the
 * last requests, never one thousands of requests ago; a table that grows with every request is
 * a cache miss on every request.
 */
const FINISHED_KEPT = 1024;
/** Kept for the requests that time out meanwhile; older ones can no longer explain anything. */
const UNCORRELATED_KEPT = 20;
/** How long Janus holds an HTTP long-poll with no event before answering it (a `keepalive`): a poll cut off is held as long. */
const HELD_POLL_MS = 30_000;

/** A message received whose books are not kept yet (see JanusClient.catchUp). */
interface Backlogged {
  msg: JanusMessage;
  moment: number | undefined;
  /** The request it ended, let go with its books. */
  ended: Pending | undefined;
}

/** A request waiting for its outcome: its time limit and its caller's signal end it too. */
class Pending {
  readonly transaction?: string;
  readonly verb?: string;
  /** The session the request was sent to, whose long-poll brings its event. */
  readonly sessionId?: number;
  /** The handle the request was sent to, whose plugin answers it with an event. */
  readonly handleId?: number;
  /** The session the request names, in its route or its text. */
  private readonly addressed?: number;
  ack?: JanusMessage;
  /** An event answering it came while it waited for its ack (it went to the mailbox): once acked, it owes none. */
  eventSeen = false;
  /** Whether the transport's send settled: the exchange's signal speaks of it until then. */
  sendOver = false;
  resolve!: (outcome: RequestOutcome) => void;
  /** Told the outcome the moment it comes, before the promise's callers (see JanusClient.request's `atOnce`). */
  atOnce?: (outcome: RequestOutcome) => void;
  /** Uncorrelated replies counted before this request: those after it may explain its silence. */
  private readonly seenBefore: number;

  constructor(
    private readonly client: JanusClient,
    readonly payload: JanusMessage | string,
    readonly route: Route,
    /** 'ack' ends at the ack; 'final' at the first reply that is not an ack. */
    readonly until: 'ack' | 'final',
    /** When the request times out (Date.now() ms). */
    readonly deadline: number,
    readonly signal: AbortSignal | undefined,
    readonly exchange: AbortController | undefined,
  ) {
    this.transaction = transactionOf(payload);
    this.verb = typeof payload === 'string' ? undefined : verbOf(payload);
    this.sessionId = route.sessionId;
    // A raw payload, or one sent at a level above its ids (`at: root`), names them in its text only.
    const written = route.handleId === undefined || route.sessionId === undefined ? requestObject(payload) : undefined;
    this.handleId = route.handleId ?? idOf(written?.handle_id);
    this.addressed = this.sessionId ?? idOf(written?.session_id);
    this.seenBefore = client.uncorrelatedCount;
  }

  /**
   * Whether an event with this request's transaction is its answer: one from another handle or
   * session is not, though it names the transaction (a request that ended at its ack, whose
   * transaction a later request reuses: its event, late, passed for the later one's).
   */
  answeredBy(event: JanusMessage): boolean {
    const sender = idOf(event.sender);
    const session = idOf(event.session_id);
    return (this.handleId === undefined || sender === undefined || sender === this.handleId)
      && (this.addressed === undefined || session === undefined || session === this.addressed);
  }

  /** Ends the request as timed out (its time limit, or the caller's signal). */
  expire(): void {
    this.done({ timedOut: true, ack: this.ack, uncorrelated: this.client.uncorrelatedSince(this.seenBefore) });
  }

  done(outcome: RequestOutcome): void {
    this.client.settle(this, outcome);
  }
}

/**
 * A Janus API (or Admin API) client over any transport: correlates replies by transaction (an
 * ack and the final reply may come in either order), keeps asynchronous messages in a mailbox,
 * knows which sessions it created so they can be destroyed, and sends keepalives.
 */
export class JanusClient {
  private readonly log = new Arrivals();
  /**
   * Whether events are wanted from now on: from the start when the scenario reads this client's
   * events (`listen`), else once a step looks at the mailbox (or a session is claimed). Until then no HTTP long-poll runs but for a request that was acked and waits for
   * its answer (an event), and only until it has it. Janus queues a session's events until a
   * poll takes them, and Janus 1.1.2 holds a poll for 30 s after its session is destroyed, a
   * connection and a thread each: sessions of scenarios that never read events cost no poll, and
   * a request answered by an event costs the one poll that brings it, as in a hand-written client.
   */
  private listening = false;
  /** The sessions this client made or claimed and believes alive (see `sessions`). */
  private readonly live = new Set<number>();
  /** Handles attached in each live session, as far as the replies tell. */
  private readonly handles = new Map<number, Set<number>>();
  /** The credentials each session was created (or claimed) with, for its long-poll, keepalives and cleanup. */
  private readonly sessionAuth = new Map<number, PollAuth>();
  private readonly pending = new Map<string, Pending>();
  /** Controllers of finished exchanges, for the next ones: making one costs as much as the rest of a request. */
  private readonly spareControllers = new SpareControllers(SPARE_CONTROLLERS);
  /** The time limits and the callers' signals of the requests waiting. */
  private readonly deadlines = new Deadlines();
  private readonly aborts = new AbortWatch();
  private readonly untransacted: Pending[] = [];
  /**
   * Transactions of finished requests, each with the request's verb when a reply naming that
   * transaction answered it (null when it timed out, was given up, or failed): a second
   * answer to it is the server's mistake, a late one to a request given up is not.
   */
  private readonly finished = new RecentMap<string | null>(FINISHED_KEPT);
  /**
   * Plugin messages that ended at their ack before their event came, by transaction: the next
   * event naming that transaction from their handle is theirs (a plugin answers a handle's
   * messages in turn), for the mailbox, even when a later request reuses the transaction on the
   * same handle; taken for that request's answer, it passed on the earlier one's result.
   */
  private readonly owed = new Map<string, Pending[]>();
  /** Replies whose transaction named no waiting request, newest last, with a running count. */
  private readonly uncorrelated: JanusMessage[] = [];
  /** @internal read by Pending */
  uncorrelatedCount = 0;
  /**
   * The last request ran out of time and nothing came from the server since: the close does not
   * wait for a handshake it would not answer either.
   */
  private silent = false;
  private connection?: TransportConnection;
  /** What connect() was called with: reopen() and cleanup after a close connect the same way. */
  private transport?: TransportDefinition;
  private connectOptions?: ConnectOptions;
  /** Set while the connection is closed (by a `close` step, or by the server when the scenario expects it). */
  closed?: ConnectionClose;
  /**
   * Sessions whose HTTP long-poll a close cut off, each with when (epoch ms): Janus 1.1.2 holds
   * such a poll up to 30 s and hands it the session's events, lost with the closed connection
   * (it takes none after that). A wait that times out names them.
   */
  private readonly cut = new Map<number, number>();
  /** Sessions the server said it no longer has (an HTTP long-poll got 404): a wait that times out names them. */
  readonly goneSessions = new Set<number>();
  /**
   * Sessions this client made or claimed that outlived its connection: Janus keeps them (until
   * reclaim_session_timeout) bound to no connection. A `claim` binds one again; cleanup destroys them.
   */
  private readonly unbound = new Set<number>();
  private keepaliveTimer?: NodeJS.Timeout;
  private keepalivePeriodMs?: number;
  /** Every automatic keepalive sent, oldest first. */
  readonly keepalives: KeepaliveRecord[] = [];
  private readonly keepaliveListeners = new Set<() => void>();
  private readonly closeListeners = new Set<() => void>();
  fault?: TransportFault;
  /**
   * The server broke the protocol on a connection that still works (it answered a request
   * twice): the scenario ends with it as a server problem, and cleanup still destroys over it.
   */
  violation?: TransportFault;
  /** The mailbox went past its limits: what the server sends from then on is not read (see checkFlood()). */
  private flooded = false;
  /** Set by close(): requests it ends then are no sign of a lost connection. */
  private closing = false;
  /** True during a transport's send: what it reports meanwhile waits in `held` until the request is registered. */
  private inSend = false;
  /** Made only when something comes during a send (a transport answering inside it): no array a request. */
  private held?: Array<() => void>;
  /**
   * Messages received whose books are not kept yet, oldest first (see catchUp): each with the
   * owner's moment when it came, and the request it ended, if it ended one.
   */
  private readonly backlog: Backlogged[] = [];
  /** An error of code run on a message (no onError given) that came when no request waited: the next one ends with it. */
  private unreported?: TransportFault;
  /** The turn of the event loop that catches up if no send or reader does first. */
  private catchUpSoon?: NodeJS.Immediate;

  private readonly inbox: Mailbox;

  private constructor(private readonly options: ClientOptions) {
    this.inbox = new Mailbox(options.mailboxLimits);
  }

  static async connect(transport: TransportDefinition, connect: ConnectOptions, options: ClientOptions): Promise<JanusClient> {
    const client = new JanusClient(options);
    client.listening = options.listen === true;
    client.transport = transport;
    client.connectOptions = connect;
    client.connection = await client.open();
    return client;
  }

  private open(): Promise<TransportConnection> {
    // The transport calls these from its own socket and timer callbacks, where an exception
    // could only escape the run or be mistaken for the server's fault: each is caught here.
    // A connection closed and replaced since reports nothing more.
    let connection: TransportConnection | undefined;
    const current = (): boolean => connection === undefined || connection === this.connection;
    return this.transport!.connect(this.connectOptions!, {
      message: (msg, bytes) => {
        if (!current()) return;
        if (this.inSend) return this.hold(() => this.receive(msg, undefined, bytes));
        // Not through guarded(): a closure for every message received.
        try {
          this.receive(msg, undefined, bytes);
        } catch (error) {
          this.crashed(error);
        }
      },
      fault: (fault) => current() && this.guardedOrHeld(() => this.fail(fault)),
      sessionGone: (sid) => current() && this.guardedOrHeld(() => {
        this.goneSessions.add(sid);
        this.forgetSession(sid);
      }),
    }).then((c) => (connection = c));
  }

  /**
   * Closes the connection as a client does (janus.js `destroy({unload})`, janode `close()`),
   * keeping what it knows: its sessions stay alive on the server, bound to no connection, until
   * a `claim` binds them again. Requests still waiting end with a fault; keepalives stop.
   */
  async disconnect(how: CloseRequest): Promise<ConnectionClose> {
    if (this.closed) return this.closed;
    const close: ConnectionClose = { by: 'client', ...(how.code !== undefined && { code: how.code }), ...(how.reason !== undefined && { reason: how.reason }) };
    this.markClosed(close);
    await this.connection?.close(how);
    return close;
  }

  /**
   * A new connection in place of a closed one: same mailbox, same sessions, unbound until a
   * claim where Janus binds a session to its connection (WebSocket). Over HTTP a session's
   * events go to any long-poll naming it: the sessions this client kept are polled again.
   */
  async reopen(): Promise<void> {
    if (!this.closed) throw new TransportFault('the connection is open: close it first');
    this.connection = await this.open();
    this.closed = undefined;
    this.fault = undefined;
    this.options.onConnectionChange?.({ event: 'opened' });
    if (this.transport?.connection?.sessionsFollow === true) this.takeUnboundBack();
    if (this.keepalivePeriodMs !== undefined) this.startKeepalives(this.keepalivePeriodMs);
  }

  /** Waits until the connection is closed (or at once when it is); false when the signal or time limit came first. */
  whenClosed(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return this.until(() => this.closed !== undefined, this.closeListeners, timeoutMs, signal);
  }

  /** Waits until `done()` holds after a keepalive's outcome; false when the time limit or signal came first. */
  whenKeepalives(done: () => boolean, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return this.until(done, this.keepaliveListeners, timeoutMs, signal);
  }

  private until(done: () => boolean, listeners: Set<() => void>, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (value: boolean): void => {
        clearTimeout(timer);
        listeners.delete(check);
        signal?.removeEventListener('abort', onAbort);
        resolve(value);
      };
      const check = (): void => void (done() && finish(true));
      const onAbort = (): void => finish(false);
      const timer = setTimeout(() => finish(false), timeoutMs);
      listeners.add(check);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private markClosed(close: ConnectionClose): void {
    this.catchUp();
    this.stopKeepalives();
    this.closed = close;
    for (const sessionId of this.live) {
      if (this.connection?.untrack?.(sessionId) === true && this.transport?.connection?.sessionsFollow === true) this.pollCut(sessionId);
      this.unbound.add(sessionId);
    }
    this.live.clear();
    this.options.onConnectionChange?.({ event: 'closed', ...close });
    const fault = new ClosedConnection(close);
    for (const p of [...this.pending.values(), ...this.untransacted]) p.done({ fault });
    for (const listener of [...this.closeListeners]) listener();
  }

  /** The sessions of `cut`, for a wait's failure to name. */
  get cutPolls(): ReadonlySet<number> {
    this.catchUp();
    return new Set(this.cut.keys());
  }

  private pollCut(sessionId: number): void {
    this.cut.set(sessionId, Date.now());
  }

  /** A claim (or the session's end) leaves no held poll to take its events. */
  private pollNoLongerCut(sessionId: number): void {
    this.cut.delete(sessionId);
  }

  /**
   * The sessions of this client whose events cannot reach its open connection now, each with
   * why (for the one handle's session only, when the handle's session is known): over WebSocket
   * one it kept through a close and has not claimed since (Janus binds a session to the
   * connection that claims it, and drops the events of one bound to none); over HTTP one whose
   * long-poll a close cut, not claimed since, while Janus may still hold that poll and give it
   * the session's next events. A step asserting that no event comes would check nothing for them.
   */
  unreachableSessions(handleId?: number): Array<{ sessionId: number; why: string }> {
    this.catchUp();
    if (this.closed) return [];
    const now = Date.now();
    const held = [...this.cut].filter(([, at]) => now - at < HELD_POLL_MS).map(([s]) => s);
    const all = [
      ...[...this.unbound].map((sessionId) => ({ sessionId, why: 'the connection was reopened and the session not claimed since: Janus sends its events to no connection until a claim binds it to one' })),
      ...held.filter((s) => !this.unbound.has(s)).map((sessionId) => ({ sessionId, why: 'a close cut its HTTP long-poll, which Janus holds (up to 30 s) and gives the session\'s next events, lost with the closed connection, until a claim' })),
    ];
    const ofHandle = handleId === undefined ? undefined : [...this.handles].find(([, handles]) => handles.has(handleId))?.[0];
    return ofHandle === undefined ? all : all.filter((u) => u.sessionId === ofHandle);
  }

  /** The sessions left unbound by the close are this client's again, polled when events are wanted. */
  private takeUnboundBack(): void {
    for (const sessionId of this.unbound) {
      this.live.add(sessionId);
      if (this.listening) this.poll(sessionId);
    }
    this.unbound.clear();
  }

  /** Another client claimed or destroyed this session: it is no longer this one's to keep alive or clean up. */
  disown(sessionId: number): void {
    this.catchUp();
    this.unbound.delete(sessionId);
    this.pollNoLongerCut(sessionId);
    this.forgetSession(sessionId);
  }

  /**
   * Sends a request and waits for its reply; never throws (nor rejects) for a server's answer or
   * silence. `atOnce`, if given, is told the outcome synchronously as it comes (within the
   * transport's callback), before the promise resolves and its callers run: what a caller
   * does there (the next request) goes out without waiting for the turn of the event loop and
   * the microtasks in between. It must not throw.
   */
  request(payload: JanusMessage | string, route: Route, until: 'ack' | 'final', timeoutMs: number, signal?: AbortSignal, atOnce?: (outcome: RequestOutcome) => void): Promise<RequestOutcome> {
    if (this.closed) return Promise.resolve({ fault: new ClosedConnection(this.closed) });
    if (this.fault && !this.cleaningAfterFault()) return Promise.resolve({ fault: this.fault });
    if (this.unreported) return Promise.resolve(this.reportNow());
    // Replies are told apart by transaction: a second request waiting under one would take the
    // first's place, and the first would wait for ever (past its time limit and Ctrl-C).
    const transaction = transactionOf(payload);
    if (transaction !== undefined && this.pending.has(transaction)) return Promise.resolve({ fault: new TransactionInUse(transaction) });
    // Ends the transport's side of the exchange once this request has its outcome: a reply
    // still streaming in after the time limit is abandoned, not read on. Only while the send is
    // in flight: aborting a signal costs more than all the rest of a request.
    const exchange = this.connection!.ignoresSignal ? undefined : this.spareControllers.take();
    // On the wire first: the record, the wait and its time limit are made while the server works
    // on the request, not before it has it. What the transport reports within its send (an
    // answer, a fault) is held until then, so it finds the request waiting.
    this.inSend = true;
    const sent = this.sending(payload, route, exchange?.signal);
    if (this.backlog.length > 0) this.catchUp();
    try {
      this.options.onTraffic?.('out', payload, route);
    } catch (error) {
      // A listener that throws fails this request (the promise rejects) and leaves nothing waiting behind.
      sent.catch(() => undefined);
      this.releaseHeld();
      return Promise.reject(error);
    }
    const pending = new Pending(this, payload, route, until, Date.now() + timeoutMs, signal, exchange);
    pending.atOnce = atOnce;
    const outcome = new Promise<RequestOutcome>((resolve) => (pending.resolve = resolve));
    this.deadlines.add(pending);
    if (signal) this.aborts.add(signal, pending);
    if (pending.transaction !== undefined) this.pending.set(pending.transaction, pending);
    else this.untransacted.push(pending);
    this.releaseHeld();
    // An error the books caught up above met, with this request not yet waiting: it ends this one.
    if (this.unreported) pending.done(this.reportNow());
    // Not awaited: the request's own time limit must hold even while an HTTP POST hangs.
    sent.then(
      (direct) => {
        pending.sendOver = true;
        // The body of an HTTP POST is this request's reply, even when Janus left out the transaction.
        if (direct) this.guarded(() => this.receive(direct, pending));
      },
      (e: unknown) => {
        pending.sendOver = true;
        pending.done({ fault: e instanceof TransportFault ? e : new TransportFault(String((e as Error).message ?? e)) });
      },
    );
    return outcome;
  }

  private reportNow(): RequestOutcome {
    const fault = this.unreported!;
    this.unreported = undefined;
    return { fault };
  }

  /** The transport's send; one that throws instead of rejecting fails this request like a rejection. */
  private sending(payload: JanusMessage | string, route: Route, signal: AbortSignal | undefined): Promise<JanusMessage | undefined> {
    try {
      return this.connection!.send(payload, route, signal);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** @internal A request's end (Pending.done): it stops waiting, and its outcome goes to the caller; a second call does nothing. */
  settle(pending: Pending, result: RequestOutcome): void {
    if (!this.forget(pending, answers(result, pending))) return;
    if ('timedOut' in result && !pending.signal?.aborted) this.silent = true;
    const exchange = pending.exchange;
    if (exchange && !pending.sendOver) exchange.abort(EXCHANGE_OVER);
    else if (exchange) this.spareControllers.giveBack(exchange);
    // A reply's request is let go with the reply's books; any other end (a time limit, a fault)
    // now, and a reply whose books reach other clients (a session claimed or destroyed) with
    // every book before it.
    const received = 'exchange' in result ? this.backlog.at(-1) : undefined;
    if (received && 'exchange' in result && received.msg === result.exchange.reply && received.ended === undefined && !TAKES_SESSIONS.has(pending.verb ?? '')) received.ended = pending;
    else {
      if (received) this.catchUp();
      this.letGo(pending, 'exchange' in result ? result.exchange.reply : undefined);
    }
    // Told first: what it sends goes before the promise's reaction is queued (its callers run later either way).
    pending.atOnce?.(result);
    pending.resolve(result);
  }

  /** A request that has its outcome no longer has a time limit nor listens to its signal; the books of its reply, if one ended it, are kept. */
  private letGo(pending: Pending, reply: JanusMessage | undefined): void {
    this.deadlines.delete(pending);
    if (pending.signal) this.aborts.delete(pending.signal, pending);
    if (reply) this.bookkeep(pending.payload, reply, pending.route);
  }

  /**
   * Keeps the books of the messages received so far: the traffic listener (the transcript, the
   * schema checks), the arrivals, and what a reply tells of sessions and handles (cleanup,
   * keepalives, polls). None of it decides a request's outcome or the next request, so a reply
   * resolves its request first and this waits until the next request is on the wire: work done
   * after a send costs nothing (the server is busy with the request), work before it delays the
   * request. Done at the next turn of the event loop if nothing does it first: before anything
   * that reads these books (or writes them out of order), at once while a step waits on the
   * arrivals, and by the owner when it reads its own (a run: at a step's end, for its events,
   * and at the end of the steps).
   */
  catchUp(): void {
    // One at a time, each removed first: a listener that throws leaves the rest for the next catch-up.
    for (let next = this.backlog.shift(); next; next = this.backlog.shift()) this.guarded(() => this.keepBooks(next!));
    // Nothing left for the turn of the event loop: cleared off the path, it costs less than firing for nothing.
    if (this.catchUpSoon) clearImmediate(this.catchUpSoon);
    this.catchUpSoon = undefined;
  }

  private keepBooks({ msg, moment, ended }: Backlogged): void {
    this.options.onTraffic?.('in', msg, undefined, moment);
    this.log.record(msg);
    if (ended) this.letGo(ended, msg as JanusMessage);
  }

  /** A message received, its books to keep at the next catch-up. */
  private toBacklog(msg: JanusMessage): void {
    this.backlog.push({ msg, moment: this.options.moment?.(), ended: undefined });
    this.catchUpSoon ??= setImmediate(this.catchUpLater);
  }

  private readonly catchUpLater = (): void => {
    this.catchUpSoon = undefined;
    this.catchUp();
  };

  /** What the transport reported during a send, run once the request is registered (in the order it came). */
  private releaseHeld(): void {
    this.inSend = false;
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    for (const work of held) this.guarded(work);
  }

  private hold(work: () => void): void {
    (this.held ??= []).push(work);
  }

  /** guarded(), or held while a send is under way (see request). */
  private guardedOrHeld(work: () => void): void {
    if (this.inSend) this.hold(work);
    else this.guarded(work);
  }

  /** Runs code on behalf of an incoming message; what it throws goes to the owner, never up the transport's callback. */
  private guarded(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.crashed(error);
    }
  }

  private crashed(error: unknown): void {
    try {
      if (this.options.onError) return this.options.onError(error);
    } catch (listenerError) {
      error = listenerError;
    }
    const fault = new TransportFault(`internal error while handling a message: ${firstLine(error)}`);
    const waiting = [...this.pending.values(), ...this.untransacted];
    for (const p of waiting) p.done({ fault });
    // Books are kept after the reply answered its request: with none waiting, the next one ends with it.
    if (waiting.length === 0) this.unreported = fault;
  }

  /** The first uncorrelated reply that arrived after the count was `seenBefore`. */
  /** @internal read by Pending */
  uncorrelatedSince(seenBefore: number): JanusMessage | undefined {
    const newer = this.uncorrelatedCount - seenBefore;
    if (newer <= 0) return undefined;
    return this.uncorrelated[Math.max(0, this.uncorrelated.length - newer)];
  }

  private forget(pending: Pending, answered: boolean): boolean {
    if (pending.transaction !== undefined) {
      if (this.pending.get(pending.transaction) !== pending) return false;
      this.pending.delete(pending.transaction);
      this.finished.set(pending.transaction, answered ? pending.verb ?? 'the request' : null);
      return true;
    }
    const i = this.untransacted.indexOf(pending);
    if (i < 0) return false;
    this.untransacted.splice(i, 1);
    return true;
  }

  /** Asynchronous messages; asking for them starts receiving them (the HTTP long-poll). */
  get mailbox(): Mailbox {
    // The sessions a reply made are polled from now on (their books are kept first).
    this.catchUp();
    this.listen();
    return this.inbox;
  }

  /** The sessions this client made or claimed and believes alive, for cleanup and keepalives: its books caught up first. */
  get sessions(): Set<number> {
    this.catchUp();
    return this.live;
  }

  /** Every message received, in order; asking for them starts receiving events too (the HTTP long-poll). */
  get arrivals(): Arrivals {
    this.catchUp();
    this.listen();
    return this.log;
  }

  /** Starts the long-poll of every session known, and of every session to come. */
  private listen(): void {
    if (this.listening) return;
    this.listening = true;
    for (const sessionId of this.live) this.poll(sessionId);
  }

  /** Starts (or keeps) the long-poll of a session while events are wanted for it. */
  private poll(sessionId: number): void {
    if (this.flooded) return;
    this.connection?.track?.(sessionId, this.sessionAuth.get(sessionId) ?? this.options.pollAuth, () => this.listening || this.awaitsEvent(sessionId));
  }

  /** A request to this session (or to none) was acked and waits for its answer, an event. */
  private awaitsEvent(sessionId: number): boolean {
    for (const p of this.pending.values()) if (p.ack && p.until === 'final' && (p.sessionId ?? sessionId) === sessionId) return true;
    return this.untransacted.some((p) => p.ack && p.until === 'final' && (p.sessionId ?? sessionId) === sessionId);
  }

  /**
   * Starts periodic keepalives for every live session; their replies never reach the mailbox.
   * The first comes at a random point of the second half of the first period: thousands of
   * clients connected at once (a load run) then send theirs spread over half a period, not in
   * one burst, and none comes at once (a scenario asserting that a long period sent none yet
   * would fail by chance, one run in a few dozen with the whole period).
   */
  startKeepalives(periodMs: number): void {
    this.stopKeepalives();
    this.keepalivePeriodMs = periodMs;
    // At one of 33 points of the period's second half, not any millisecond of it: Node keeps a
    // list per timer length, made and queued for a length it has no list for, and left queued
    // until it would have fired (the timer is unref'd); a length of its own made one every scenario.
    const delayMs = Math.floor((periodMs * (32 + Math.floor(Math.random() * 33))) / 64);
    this.keepaliveTimer = setTimeout(() => this.keepaliveEvery(periodMs), delayMs);
    this.keepaliveTimer.unref();
  }

  private keepaliveEvery(periodMs: number): void {
    this.sendKeepalives(periodMs);
    this.keepaliveTimer = setInterval(() => this.sendKeepalives(periodMs), periodMs);
    this.keepaliveTimer.unref();
  }

  private sendKeepalives(periodMs: number): void {
    this.catchUp();
    for (const sessionId of this.live) {
      const msg = { janus: 'keepalive', transaction: this.options.nextTransaction(), ...this.sessionAuth.get(sessionId) };
      const record: KeepaliveRecord = { sessionId, transaction: msg.transaction, state: 'sent' };
      this.keepalives.push(record);
      // A slow ack (a busy server or machine) is still an ack: the limit is never shorter than KEEPALIVE_ACK_MS.
      const ackMs = Math.max(periodMs, KEEPALIVE_ACK_MS);
      this.request(msg, { sessionId }, 'ack', ackMs).then(
        (outcome) => {
          this.noteKeepalive(record, outcome, ackMs);
          // A keepalive that cannot be sent means the connection is gone: the usual lost-connection path.
          if ('fault' in outcome && !this.closing && !this.closed) this.guarded(() => this.fail(outcome.fault));
        },
        (error: unknown) => this.warn(`a keepalive for session ${sessionId} could not be sent: ${firstLine(error)}`),
      );
    }
  }

  private noteKeepalive(record: KeepaliveRecord, outcome: RequestOutcome, periodMs: number): void {
    if ('exchange' in outcome && outcome.exchange.reply.janus === 'ack') record.state = 'acked';
    else if ('fault' in outcome && outcome.fault instanceof ClosedConnection) record.state = 'cut';
    else {
      record.state = 'failed';
      record.detail = 'fault' in outcome ? outcome.fault.message
        : 'timedOut' in outcome ? `no ack within ${periodMs}ms`
        : `answered with ${outcome.exchange.reply.janus === 'error' ? `error ${String((outcome.exchange.reply.error as { code?: unknown } | undefined)?.code)}` : JSON.stringify(outcome.exchange.reply.janus)}`;
    }
    for (const listener of [...this.keepaliveListeners]) this.guarded(listener);
  }

  private warn(text: string): void {
    if (this.options.onWarning) this.guarded(() => this.options.onWarning!(text));
    else process.emitWarning(text);
  }

  stopKeepalives(): void {
    // clearTimeout clears an interval too: the timer is first a timeout, then an interval.
    if (this.keepaliveTimer) clearTimeout(this.keepaliveTimer);
    this.keepaliveTimer = undefined;
  }

  /**
   * Destroys every session this client created and still believes alive, then disconnects.
   * Says which sessions were destroyed, and which may be left on the server and why (the
   * destroy got no answer, an error, or could not be sent over a failed connection).
   */
  async close(destroyPayload: (sessionId: number) => JanusMessage, timeoutMs: number): Promise<CloseOutcome> {
    const { destroyed, left, disconnected } = await this.release(destroyPayload, timeoutMs);
    await disconnected;
    return { destroyed, left };
  }

  /**
   * What close() does, but it returns once the sessions are destroyed and the connection's
   * close has begun: `disconnected` settles when it has ended. A run does its own last work
   * (the checks left, its result) while the server answers the close, then awaits it.
   */
  async release(destroyPayload: (sessionId: number) => JanusMessage, timeoutMs: number): Promise<CloseOutcome & { disconnected: Promise<void> }> {
    this.stopKeepalives();
    this.closing = true;
    this.catchUp();
    // Awaited only when it has work: an await is a turn of the microtasks before the close, every scenario.
    if (this.closed && (this.unbound.size > 0 || this.live.size > 0)) await this.reconnectForCleanup();
    // Unbound sessions too: any connection may destroy a session, bound to it or not.
    const leftover = [...this.unbound, ...this.live];
    this.unbound.clear();
    for (const sessionId of leftover) this.live.add(sessionId);
    const outcome: CloseOutcome = { destroyed: [], left: [] };
    const payload = (sessionId: number): JanusMessage => ({ ...destroyPayload(sessionId), ...this.sessionAuth.get(sessionId) });
    // One at a time, the newest first: a later session may depend on an earlier one.
    for (const sessionId of [...leftover].reverse()) {
      if (!this.fault) await this.endPoll(sessionId, payload(sessionId), timeoutMs);
      const failed = this.fault;
      const reason = failed && !this.cleaningAfterFault() ? `the connection had failed (${failed.message})` : afterFault(failed, destroyFailure(await this.request(payload(sessionId), { sessionId }, 'final', timeoutMs), timeoutMs));
      if (reason === undefined) outcome.destroyed.push(sessionId);
      else outcome.left.push({ sessionId, reason });
    }
    for (const sid of leftover) this.forgetSession(sid);
    const disconnected = this.connection?.close(this.silent ? { now: true } : undefined) ?? Promise.resolve();
    for (const p of [...this.pending.values(), ...this.untransacted]) p.done({ fault: new TransportFault('connection closed') });
    this.deadlines.clear();
    this.aborts.release();
    return { destroyed: outcome.destroyed, left: outcome.left, disconnected };
  }

  /** Cleanup after a fault that left the transport able to send (see TransportConnection.sendsAfterFaults). */
  private cleaningAfterFault(): boolean {
    return this.closing && this.connection?.sendsAfterFaults === true;
  }

  /** A closed client that still has sessions alive on the server gets a connection again, to destroy them (release asks). */
  private async reconnectForCleanup(): Promise<void> {
    try {
      await this.reopen();
    } catch (e) {
      this.fault ??= e instanceof TransportFault ? e : new TransportFault(`cannot connect again to destroy the sessions left: ${firstLine(e)}`);
    }
  }

  /**
   * Janus 1.1.2 holds a destroyed session's long-poll 30 s, a connection and a thread each;
   * what ends a poll at once is an event. Detaching one of the session's handles sends one
   * (`detached`): the poll ends by itself and the connection is reused. A session without a
   * handle has no such event to give; its poll is cut off as before.
   */
  private async endPoll(sessionId: number, destroy: JanusMessage, timeoutMs: number): Promise<void> {
    const handleId = this.handles.get(sessionId)?.values().next().value;
    if (!this.connection?.untrack || handleId === undefined) return;
    // No poll running (none was wanted, or it stopped once its event came): nothing to end.
    if (this.connection.untrack(sessionId, { finishing: true }) !== true) return;
    const { janus: _verb, session_id: _sid, transaction, ...auth } = destroy;
    await this.request({ ...auth, janus: 'detach', transaction: `${String(transaction)}-detach` }, { sessionId, handleId }, 'final', timeoutMs);
  }

  private receive(msg: JanusMessage, direct?: Pending, bytes?: number): void {
    // A flooding server is no longer read; a request's own reply (an HTTP POST's body: cleanup's destroys) still is.
    if (this.flooded && !direct) return;
    this.silent = false;
    const verb = verbOf(msg);
    // Notices that change the books are handled in the order messages came.
    if (verb === 'timeout' || verb === 'detached') this.catchUp();
    this.toBacklog(msg);
    if (this.log.watched) this.catchUp();
    const tx = typeof msg.transaction === 'string' ? msg.transaction : undefined;
    if (direct && tx !== undefined && direct.transaction !== undefined && tx !== direct.transaction) return this.misaddressed(msg, direct, tx);
    const named = tx !== undefined ? this.pending.get(tx) : undefined;
    const late = verb === 'event' && tx !== undefined && this.owed.size > 0 && this.payOwed(msg, tx);
    const waiting = named && (verb !== 'event' || (!late && named.answeredBy(msg))) ? named : undefined;
    // Pushed, or the body of a POST whose request a pushed copy answered first: the order they come in tells nothing.
    if (!waiting && tx !== undefined && ANSWER_VERBS.has(verb ?? '')) {
      const answered = this.finished.get(tx);
      if (answered) return this.answeredTwice(msg, answered, tx, bytes);
    }
    const pending = waiting ?? direct ?? (tx === undefined ? this.untransactedFor(verb) : undefined);
    if (verb === 'timeout') this.forgetSession(idOf(msg.session_id));
    if (verb === 'detached') this.handles.get(idOf(msg.session_id) ?? -1)?.delete(idOf(msg.sender) ?? -1);
    if (pending) {
      if (verb === 'ack') {
        pending.ack = msg;
        // What an ack announces comes as an event; a keepalive's ack announces nothing.
        if (pending.verb !== 'keepalive' && pending.until === 'final') this.pollFor(pending);
        if (pending.until === 'ack') {
          if (pending.verb === 'message' && !pending.eventSeen) this.owe(pending);
          pending.done({ exchange: { transaction: tx, reply: msg, ack: msg } });
        }
        return;
      }
      if (verb !== 'event' || pending.until === 'final') {
        pending.done({ exchange: { transaction: tx, reply: msg, ack: pending.ack } });
        return;
      }
      pending.eventSeen = true;
    }
    // A late ack for a request that already ended is part of that exchange, not an event.
    if (verb === 'ack' && tx !== undefined && this.finished.has(tx)) return this.passedBy(bytes);
    if (REPLY_VERBS.has(verb ?? '') && (tx === undefined || !this.finished.has(tx))) this.noteUncorrelated(msg);
    this.inbox.put(msg, bytes);
    this.checkFlood();
  }

  /** A plugin message acked before its event: the event it owes is kept for the mailbox (see `owed`). */
  private owe(pending: Pending): void {
    const tx = pending.transaction;
    if (tx === undefined) return;
    const list = this.owed.get(tx);
    if (list) list.push(pending);
    else this.owed.set(tx, [pending]);
    // Events a plugin never sends must not pile up: the oldest debts are dropped.
    if (this.owed.size > FINISHED_KEPT) this.owed.delete(this.owed.keys().next().value!);
  }

  /** Whether an event is one that an acked request still owed (then no longer owed). */
  private payOwed(msg: JanusMessage, tx: string): boolean {
    const list = this.owed.get(tx);
    const at = list ? list.findIndex((p) => p.answeredBy(msg)) : -1;
    if (at < 0) return false;
    list!.splice(at, 1);
    if (list!.length === 0) this.owed.delete(tx);
    return true;
  }

  /** A message no request or step takes, left out of the mailbox: it counts toward its limits all the same. */
  private passedBy(bytes: number | undefined): void {
    this.inbox.passedBy(bytes);
    this.checkFlood();
  }

  /**
   * A final reply to a request that had its answer (the server sent it twice, or answered it
   * again): no request can take it, and left in the mailbox a later wait for a reply could.
   * The connection still works, so cleanup still destroys over it.
   */
  private answeredTwice(msg: JanusMessage, request: string, tx: string, bytes: number | undefined): void {
    this.noteUncorrelated(msg);
    if (!this.fault && !this.violation) {
      this.violation = new TransportFault(`a reply that could not be correlated came: a second ${JSON.stringify(msg.janus)} for ${request} (transaction ${tx}), which was answered already`);
      this.options.onFault?.(this.violation);
    }
    this.passedBy(bytes);
  }

  /**
   * Past the mailbox's limits, the server floods: the connection fails with it (a server problem,
   * the scenario ends), and nothing more is read from it: no long-poll starts again, and what
   * still comes is dropped unrecorded, as memory must stay bounded.
   */
  private checkFlood(): void {
    const over = this.inbox.overLimit();
    if (over === undefined || this.flooded) return;
    this.catchUp();
    this.flooded = true;
    for (const sessionId of this.live) this.connection?.untrack?.(sessionId);
    this.fail(new TransportFault(`the server sent ${over} that no step took, the most a client keeps: it is no longer read`));
  }

  /**
   * The body of an HTTP POST is that request's reply, and no other's: one naming another
   * transaction is a server's mistake, which ends the request at once (exit 3) instead of
   * passing for its reply. (Janus leaves the transaction out of some errors: that is no mistake.)
   */
  private misaddressed(msg: JanusMessage, request: Pending, tx: string): void {
    this.noteUncorrelated(msg);
    request.done({ fault: new TransportFault(`the reply to ${request.verb ?? 'a request'} (transaction ${request.transaction}) names another transaction, ${JSON.stringify(tx)}`) });
  }

  /** Polls the session of an acked request until its event came (every session's, for a request sent to none). */
  private pollFor(pending: Pending): void {
    if (!this.connection?.track) return;
    // A session a reply made since the last request is known once its books are kept.
    if (pending.sessionId === undefined || !this.live.has(pending.sessionId)) this.catchUp();
    if (pending.sessionId === undefined) for (const sessionId of this.live) this.poll(sessionId);
    else if (this.live.has(pending.sessionId)) this.poll(pending.sessionId);
  }

  private noteUncorrelated(msg: JanusMessage): void {
    this.uncorrelated.push(msg);
    this.uncorrelatedCount++;
    if (this.uncorrelated.length > UNCORRELATED_KEPT) this.uncorrelated.shift();
  }

  /**
   * A reply without a transaction ends the oldest request sent without one; Janus also leaves
   * the transaction out of errors it raises before reading it (456, 467), so failing that, an
   * error ends the oldest request still waiting. Only a reply: notifications carry no
   * transaction either (`detached`, `hangup`, `timeout`, a long-poll's `keepalive`), and one
   * that came first passed for the reply (a raw step's 456 error never looked at).
   */
  private untransactedFor(verb: string | undefined): Pending | undefined {
    if (!UNTRANSACTED_REPLY_VERBS.has(verb ?? '')) return undefined;
    return this.untransacted[0] ?? (verb === 'error' ? this.pending.values().next().value : undefined);
  }

  private fail(fault: TransportFault): void {
    if (this.closed) return;
    // A close the scenario expects (it asserts closes) is an outcome to check, not a lost server.
    if (fault.closed && this.options.onServerClose && !this.closing) {
      this.markClosed(fault.closed);
      this.options.onServerClose(fault.closed);
      return;
    }
    const first = this.fault === undefined;
    if (first && fault.closed) this.options.onConnectionChange?.({ event: 'closed', ...fault.closed });
    this.fault ??= fault;
    for (const p of [...this.pending.values(), ...this.untransacted]) p.done({ fault });
    if (first) this.options.onFault?.(fault);
  }

  /** Keeps the list of live sessions, for cleanup and keepalives, from the replies themselves. */
  private bookkeep(payload: JanusMessage | string, reply: JanusMessage, route: Route): void {
    // A raw request that parses is a request like any other: a raw create's session is cleaned up too.
    const request = requestObject(payload);
    if (request === undefined || reply.janus !== 'success') return;
    const verb = verbOf(request);
    // Sent at the root (janus.js's claim after a reconnect), the session is named in the body only.
    const sessionId = route.sessionId ?? idOf(request.session_id);
    if (this.options.api === 'janus' && verb === 'create') {
      const id = idOf((reply.data as { id?: unknown } | undefined)?.id);
      if (id !== undefined) {
        this.live.add(id);
        this.remember(id, request);
      }
    } else if (this.options.api === 'janus' && verb === 'attach' && route.sessionId !== undefined) {
      const id = idOf((reply.data as { id?: unknown } | undefined)?.id);
      if (id !== undefined && this.live.has(route.sessionId)) this.handles.get(route.sessionId)?.add(id) ?? this.handles.set(route.sessionId, new Set([id]));
    } else if (this.options.api === 'janus' && verb === 'detach' && route.sessionId !== undefined && route.handleId !== undefined) {
      this.handles.get(route.sessionId)?.delete(route.handleId);
    } else if (this.options.api === 'janus' && verb === 'claim' && sessionId !== undefined) {
      // A claimed session's events now come to this connection, and it is ours to clean up.
      this.listen();
      this.unbound.delete(sessionId);
      this.pollNoLongerCut(sessionId);
      this.live.add(sessionId);
      // Janus sends them to the claim's own channel: a long-poll held since before the claim
      // would wait out its 30 s for nothing (over HTTP). Its poll starts anew.
      this.connection?.untrack?.(sessionId);
      this.remember(sessionId, request);
      this.options.onSessionTaken?.(sessionId);
    } else if (this.options.api === 'janus' && verb === 'destroy' && sessionId !== undefined) {
      this.unbound.delete(sessionId);
      this.pollNoLongerCut(sessionId);
      this.forgetSession(sessionId);
      this.options.onSessionTaken?.(sessionId);
    } else if (this.options.api === 'admin' && verb === 'destroy_session' && sessionId !== undefined) {
      // The Admin API destroyed it: no client is left to clean it up.
      this.options.onSessionTaken?.(sessionId);
    }
  }

  /**
   * A session keeps the apisecret/token its request carried (a scenario may use its own token),
   * on top of the run's own: a scenario may revoke its token (remove_token) before cleanup, and
   * Janus accepts either credential, so the run's api secret still lets cleanup destroy it.
   */
  private remember(sessionId: number, request: JanusMessage): void {
    const chosen: PollAuth = { ...this.options.pollAuth };
    if (typeof request.apisecret === 'string') chosen.apisecret = request.apisecret;
    if (typeof request.token === 'string') chosen.token = request.token;
    this.sessionAuth.set(sessionId, chosen);
    if (this.listening) this.poll(sessionId);
  }

  private forgetSession(sessionId: number | undefined): void {
    if (sessionId === undefined || !this.live.delete(sessionId)) return;
    this.sessionAuth.delete(sessionId);
    this.handles.delete(sessionId);
    this.connection?.untrack?.(sessionId);
  }
}

/** A request the client does not send: the scenario's doing, never a lost server. */
export class RefusedRequest extends TransportFault {}

/** A request whose transaction another request of the same client still waits under. */
export class TransactionInUse extends RefusedRequest {
  constructor(transaction: string) {
    super(`another request sent with transaction "${transaction}" still waits for its reply: replies are told apart by transaction, so this one was not sent; give each request in flight a transaction of its own`);
  }
}

/** A request on a connection that is closed: the scenario's doing (or the server's, expected), never a lost server. */
export class ClosedConnection extends RefusedRequest {
  constructor(readonly close: ConnectionClose) {
    super(`the connection is closed (${describeClose(close)}): a \`reopen\` step opens a new one`);
  }
}

/** `closed by the client (code 3504, Gateway timeout)`. */
export function describeClose(close: ConnectionClose): string {
  const parts = [close.code !== undefined ? `code ${close.code}` : undefined, close.reason].filter((p) => p !== undefined && p !== '');
  return `closed by the ${close.by}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}

/** What closing a client did with the sessions it had. */
export interface CloseOutcome {
  destroyed: number[];
  /** Sessions whose destroy was not confirmed: they may still exist on the server. */
  left: Array<{ sessionId: number; reason: string }>;
}

/** Why a destroy tried after the connection's fault did not confirm the session is gone, naming the fault first. */
function afterFault(fault: TransportFault | undefined, why: string | undefined): string | undefined {
  return fault && why !== undefined ? `the connection had failed (${fault.message}); ${why}` : why;
}

/** Why a cleanup destroy did not confirm the session is gone; undefined when it did. */
function destroyFailure(outcome: RequestOutcome, timeoutMs: number): string | undefined {
  if ('fault' in outcome) return `destroy failed: ${outcome.fault.message}`;
  if ('timedOut' in outcome) return `destroy got no answer within ${timeoutMs}ms`;
  const reply = outcome.exchange.reply;
  if (reply.janus === 'success') return undefined;
  // 458: the session is already gone (it timed out, or the scenario destroyed it another way).
  const code = (reply.error as { code?: unknown } | undefined)?.code;
  if (reply.janus === 'error' && code === 458) return undefined;
  return `destroy was answered with ${reply.janus === 'error' ? `error ${String(code)}` : JSON.stringify(reply.janus)}`;
}

/** One line on a reply no request could claim, for the failure of the request that went unanswered. */
export function describeUncorrelated(msg: JanusMessage): string {
  const verb = typeof msg.janus === 'string' ? `"${msg.janus}"` : 'a message';
  const why = typeof msg.transaction === 'string' ? `its transaction names no request waiting` : 'it carries no transaction';
  return `a reply that could not be correlated came instead: ${verb} (${why})`;
}

/** What a thrown value says, on one line. */
function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.slice(0, 500);
}

/** The transaction a request carries, also when it is sent as raw text that parses. */
function transactionOf(payload: JanusMessage | string): string | undefined {
  const transaction = requestObject(payload)?.transaction;
  return typeof transaction === 'string' ? transaction : undefined;
}


/** Whether a request's outcome is its answer: a final reply (or event) naming its transaction, not an ack, nor a reply Janus left the transaction out of. */
function answers(outcome: RequestOutcome, pending: Pending): boolean {
  if (!('exchange' in outcome) || pending.transaction === undefined) return false;
  const reply = outcome.exchange.reply;
  return reply.transaction === pending.transaction && reply.janus !== 'ack';
}
