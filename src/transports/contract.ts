import type { JanusApi, JanusMessage, Route } from '../protocol/messages.js';

/**
 * A transport moves JSON envelopes between the client and Janus. It knows nothing of
 * create, attach or plugins: transaction correlation, mailboxes and cleanup live once, in
 * `src/janus/client.ts`. New transports (Unix sockets, MQTT, RabbitMQ, user-written ones)
 * implement this contract and register themselves in the registry.
 */
export interface TransportDefinition {
  /** Registry key, also the `--transport` name: "http", "ws", ... */
  name: string;
  /** URL schemes this transport serves; a `--url` is matched to its transport by scheme. */
  schemes: readonly string[];
  /** True when the transport is the TLS variant of another (managed Janus then generates a certificate). */
  secure: boolean;
  connect(options: ConnectOptions, sink: TransportSink): Promise<TransportConnection>;
  /**
   * Closes what the transport keeps open between connections (WebSocket: the connections
   * opened ahead, see ConnectOptions.spare) as a client closes its own; optional. A plan calls
   * it when it closes, before the servers it started stop; connections made later are not held.
   */
  release?(): Promise<void>;
  /**
   * Loads what `connect` needs in this process (a native binding, a client library), when it
   * may be missing: a run calls it once per transport before it starts anything, and a
   * TransportFault naming what is missing becomes the run's one-line server problem (exit 3).
   */
  load?(): Promise<unknown>;
  /**
   * How a managed Janus serves this transport (which library it loads, its jcfg, a broker to
   * start first). Without it the transport runs only against a server given with `--url`.
   * HTTP and WebSocket are configured by the launcher itself and leave this out.
   */
  managed?: ManagedTransport;
  /**
   * The client has a connection of its own to Janus, which a scenario may close and open again
   * (`close`/`reopen` steps): a WebSocket, the HTTP long-polls. Left out by transports where
   * clients share one channel Janus cannot tell apart (brokers, datagrams): scenarios that close
   * connections are refused or skipped on them. `closeCodes`: a close carries a code and a reason.
   * `sessionsFollow`: Janus gives a session's events to whoever asks for them with the session's
   * id (HTTP: any long-poll GET), not to the connection that made or claimed it: a session stays
   * the client's across a close and reopen without a `claim`. Left out: Janus binds a session to
   * its connection (WebSocket), and a reopened one gets its events only once it claims it.
   */
  connection?: { closeCodes: boolean; sessionsFollow?: boolean };
}

/** A jcfg file's sections: `{ general: { enabled: true, path: "..." }, admin: {...} }`. */
export type JcfgSections = Record<string, Record<string, string | number | boolean>>;

/** What a managed Janus needs to serve one transport. */
export interface ManagedTransport {
  /** The Janus library stem: 'pfunix' loads libjanus_pfunix.so, configured by janus.transport.pfunix.jcfg. */
  library: string;
  /**
   * Called once per managed Janus, before it starts: choose socket paths inside `context.folder`,
   * ports from `context.freePorts`, start a broker and wait until it accepts connections.
   * Throw an Error with a one-line message when that fails (the run then exits 3 with it).
   */
  prepare(context: ManagedContext): Promise<ManagedSetup>;
  /**
   * A Janus log line showing that this transport failed to start in a way a fresh start may not
   * repeat (a start-up race in Janus): the launcher then starts Janus again, a few times.
   */
  flakyStart?: RegExp;
}

export interface ManagedContext {
  /** The instance's private folder; it is removed with the instance. Short paths: Unix socket paths stop at 107 bytes. */
  folder: string;
  /** A short id unique to this instance among the live ones: for topic, queue and client names. */
  instanceId: string;
  /** Distinct free loopback TCP ports. */
  freePorts(count: number): Promise<number[]>;
}

export interface ManagedSetup {
  /** The sections of janus.transport.<library>.jcfg. */
  config: JcfgSections;
  /** The Janus API over this transport, as a `--url` would name it. */
  url: string;
  /** The Admin API over this transport, when Janus has one on it. */
  adminUrl?: string;
  /** Undoes what prepare started (a broker, files outside the folder), after Janus has stopped. Idempotent. */
  release?(): Promise<void>;
  /** The same, synchronously, for exit handlers (a crash, Ctrl-C twice): SIGKILL and unlink only. */
  releaseSync?(): void;
}

export interface TlsOptions {
  /** Extra trusted CA certificates (PEM). */
  ca?: string[];
  /** Skip certificate verification (`--insecure`). Verification is on by default. */
  insecure?: boolean;
}

export interface ConnectOptions {
  url: string;
  api: JanusApi;
  tls: TlsOptions;
  /** Connection attempts give up after this long, with a TransportFault. */
  connectTimeoutMs: number;
  /**
   * The caller stopped waiting (Ctrl-C during the first contact): give up the attempt at once,
   * with a TransportFault, and leave no timer or socket behind. A transport that ignores it
   * gives up at its time limit instead.
   */
  signal?: AbortSignal;
  /**
   * Tie each message decoded to the frame it came in (`decodeMessages` with a frame; read with
   * `frameOf`): record and compare keep the wire's shape from it. Asked only by them, as it
   * costs a property on every message.
   */
  wireFrames?: boolean;
  /**
   * The caller connects to this server again and again, one connection after another (a plan's
   * scenarios): when this connection is closed by its client, the transport may open the next
   * one ahead, and hand it to the next connect() with the same url, api and TLS settings. Such a
   * spare is a fresh connection no request has used; one that received anything or closed is
   * dropped. Left out by the load mode, where each user's handshake is part of what it measures.
   */
  spare?: boolean;
}

/** Credentials a long-poll needs in its query string. */
export interface PollAuth {
  apisecret?: string;
  token?: string;
}

/** What a transport reports upward. Messages may arrive in any order, on any callback. */
export interface TransportSink {
  /**
   * `bytes`: the size of the text the message came in (its share, when one frame or body held
   * several), when the transport knows it: the client bounds by it what it keeps of messages no
   * step took. Without it, only their number is bounded.
   */
  message(msg: JanusMessage, bytes?: number): void;
  /** The server misbehaved or went away: malformed JSON, a dropped connection, an HTTP status. */
  fault(fault: TransportFault): void;
  /** The server said a session no longer exists (HTTP long-poll 404). */
  sessionGone(sessionId: number): void;
}

export interface TransportConnection {
  /**
   * Sends one request. Resolves with the reply when the transport has one of its own
   * (the body of an HTTP POST); push transports resolve with undefined and deliver replies
   * through the sink. `payload` is sent verbatim when it is a string (for invalid-JSON cases).
   * `signal` ends the exchange when the caller stops waiting (its time limit, Ctrl-C): a reply
   * still streaming in is then abandoned, never read on. It speaks of this exchange only until
   * the returned promise settles: remove any listener you added by then (a signal that still has
   * one is never handed to another request; one without may serve the next exchange).
   */
  send(payload: JanusMessage | string, route: Route, signal?: AbortSignal): Promise<JanusMessage | undefined>;
  /** True when send() never reads its signal (a push transport's send ends at once): the client then makes none per request. */
  readonly ignoresSignal?: boolean;
  /**
   * True when a fault reported through the sink (an HTTP long-poll that failed) leaves send()
   * working: each request is an exchange of its own. Cleanup then still sends its destroys,
   * so a broken event channel does not leave sessions on the server.
   */
  readonly sendsAfterFaults?: boolean;
  /**
   * Start receiving events for a session (HTTP starts its long-poll); optional. `wanted`, when
   * given, is asked before each new poll: once it says no, polling stops (Janus keeps the
   * session's events queued meanwhile) until `track` is called again.
   */
  track?(sessionId: number, auth: PollAuth, wanted?: () => boolean): void;
  /**
   * Stop receiving events for a session; optional. `finishing`: let a poll in flight end by
   * itself (its events are still delivered) and start no new one, instead of cutting it off.
   * Returns whether a poll was running.
   */
  untrack?(sessionId: number, options?: { finishing?: boolean }): boolean | void;
  /**
   * Idempotent; stops every background activity of the connection. `how`: the close code and
   * reason a transport with close codes sends (WebSocket; default 1000), ignored by the others.
   */
  close(how?: CloseRequest): Promise<void>;
}

/** The code and reason a client closes its connection with. */
export interface CloseRequest {
  code?: number;
  reason?: string;
  /**
   * The server stopped answering: end the connection without waiting for its side of a close
   * handshake (WebSocket), which would not come either.
   */
  now?: boolean;
}

/** How a connection ended: who closed it, and the code and reason when the transport has them. */
export interface ConnectionClose {
  by: 'client' | 'server';
  code?: number;
  reason?: string;
}

/** An infrastructure failure, as a value: a one-line reason that ends up in the report and exit 3. */
export class TransportFault extends Error {
  override readonly name = 'TransportFault';
  /** `closed`: the server closed the connection, with the code and reason it gave. */
  constructor(message: string, readonly closed?: ConnectionClose) {
    super(message);
  }
}
