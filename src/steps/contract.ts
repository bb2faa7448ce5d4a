import type { DocPath, SourceSpan } from '../core/source.js';
import type { VersionRange } from '../core/version-range.js';
import type { PeerAction, PeerResult } from '../media/contract.js';
import type { JanusClient } from '../janus/client.js';
import type { DescribedMatcher, Matcher, MatchRuntime, Mismatch, PatternWatcher, Template } from '../match/contract.js';
import type { HttpExchange, JanusMessage, Route } from '../protocol/messages.js';
import type { TlsOptions } from '../transports/contract.js';

/**
 * A step kind: the key that names it in a scenario file, its slice of the file schema, and how
 * it compiles. Each kind is one file in src/steps, registered in src/steps/registry.ts.
 */
export interface StepKind {
  key: string;
  summary: string;
  schema: object;
  /**
   * A kind that holds steps (`concurrently:`): the key whose list of steps is validated and
   * compiled like top-level ones, and the kinds allowed there (checked at load time).
   */
  nestedSteps?: { key: string; kinds: readonly string[] };
  compile(raw: Record<string, unknown>, cc: StepCompiler): CompiledStep | CompiledStep[] | undefined;
}

/** A step ready to run: positioned, titled, and closed over its compiled templates and matchers. */
export interface CompiledStep {
  kind: string;
  span: SourceSpan;
  title: string;
  client: string;
  /** Runs only on Janus versions in every one of these ranges (the step's and its includes'). */
  janus?: VersionRange[];
  /** A bug of some Janus versions this step shows. */
  knownBug?: KnownBug;
  /** Talks to the Admin API though not an `admin:` step (`http: { api: admin }`): the scenario needs an Admin API address. */
  usesAdminApi?: boolean;
  /** The steps this one holds (`concurrently:`), for whoever looks at every step of a scenario. */
  inner?: readonly CompiledStep[];
  /**
   * What the step needs of the transport: `connection`, a client connection of its own to
   * close and open again; `closeCodes`, closes with a code and a reason (WebSocket).
   */
  needs?: 'connection' | 'closeCodes';
  /**
   * Sends through its client's Janus API connection, opening it if none is open yet (request,
   * raw). A run whose first step this is opens that connection while it sets itself up.
   */
  opensClient?: boolean;
  /**
   * Looks at its client's asynchronous messages (wait, no_event, order): that client receives
   * events from its first session on. Over HTTP a session's events stay queued in Janus until a
   * long-poll takes them, so a client that started polling only at such a step could not see,
   * in a short window, an event Janus had queued long before.
   */
  readsEvents?: boolean;
  execute(ctx: StepContext): Promise<void>;
  /**
   * For kinds that send one request (request, admin, raw): puts it on the wire and returns at
   * once; `finish` then waits for the reply, binds ids, matches and saves, as `execute` does.
   * What lets `concurrently:` send several requests before any reply is awaited.
   */
  send?(ctx: StepContext): Promise<InFlight>;
  /**
   * Makes ahead what the step can make before it runs, while the step before it waits for the
   * server (its request, when nothing in it depends on what that step receives): work done then
   * costs no time, work done between a reply and the next request delays the request. Returns
   * what it made, which `ctx.takeAhead` hands back when the step runs; undefined when it cannot.
   */
  ahead?(ctx: StepContext): unknown;
  /**
   * Puts the step's request on the wire at once, from what it made ahead, the moment the step
   * before it passed (see StepContext.next). Returns what `ctx.next.take` hands back when the step
   * runs (the request on its way, or what its sending threw); undefined when it cannot go so.
   */
  sendEarly?(ctx: StepContext): unknown;
}

/** A request on the wire whose reply is not looked at yet. */
export interface InFlight {
  finish(): Promise<void>;
}

/** Every step of a list, the steps they hold included, in order. */
export function everyStep(steps: readonly CompiledStep[]): CompiledStep[] {
  return steps.flatMap((s) => [s, ...everyStep(s.inner ?? [])]);
}

/** `known_bug:` on a step or a scenario. */
export interface KnownBug {
  what: string;
  janus: VersionRange;
  link?: string;
  /** Where the mark is written. */
  span: SourceSpan;
}

/** What a step kind may use while compiling; paths are relative to the step. */
export interface StepCompiler {
  span(path?: DocPath, key?: boolean): SourceSpan;
  error(path: DocPath, message: string): void;
  /** The client a step acts as: its `client:` key, or the default, checked against `clients`. */
  client(raw: Record<string, unknown>): string;
  template(value: unknown, path: DocPath): Template;
  /** `watch` is told the matcher of every part of the pattern, by its path, as it is compiled. */
  pattern(value: unknown, path: DocPath, exact: boolean, watch?: PatternWatcher): DescribedMatcher;
  /**
   * `pattern` for a pattern of a message from Janus (a reply, an event): a key one letter or two
   * off a field Janus sends is also a problem, as it would match nothing (see checkMessageFields).
   */
  messagePattern(value: unknown, path: DocPath, exact: boolean, watch?: PatternWatcher): DescribedMatcher;
  /** Declares names saved by this step, so later placeholders may refer to them. */
  declare(names: string[]): void;
  /**
   * Compiles the steps a step holds (at `path` within it), acting as `client` unless they name
   * their own. What they save and name (`save:`, `as:`) is declared only after all of them, so
   * one cannot use another's value: they run at the same time.
   */
  steps(raws: unknown[], path: DocPath, client: string): CompiledStep[];
  /** Compiles a fragment file's steps in place (include). */
  include(file: string, params: Record<string, unknown>, path: DocPath, client: string): CompiledStep[];
  /** A checked duration in ms; `positive` where zero makes no sense. Reports and returns undefined when wrong. */
  durationMs(value: unknown, path: DocPath, options?: { positive?: boolean }): number | undefined;
  /** The client's automatic keepalive setting: its own (`clients: [{ name, keepalive }]`), else the scenario's. */
  keepaliveOf(client: string): boolean | number;
  /** Handle names declared with `as:` so far, per client. */
  declareHandle(client: string, name: string): void;
  knowsHandle(client: string, name: string): boolean;
  /** The step is one of the scenario's cleanup steps (or included by one). */
  readonly cleanup: boolean;
}

/** A Janus client as one named actor of the scenario sees it: its connection and bound ids. */
export interface Actor {
  name: string;
  sessionId?: number;
  handleId?: number;
  handles: Map<string, number>;
}

/** What a running step may use. */
export interface StepContext {
  readonly signal: AbortSignal;
  /** Where the run's Janus API is, for steps that speak a transport's own protocol (http). */
  readonly target: { transport: string; url: string; tls: TlsOptions; admin?: { transport: string; url: string } };
  readonly stepTimeoutMs: number;
  actor(name: string): Actor;
  janus(actor: Actor): Promise<JanusClient>;
  /** The actor's client when it is connected already: no promise to wait on, on a request's hot path. */
  connected(actor: Actor): JanusClient | undefined;
  admin(): Promise<JanusClient>;
  nextTransaction(): string;
  /** Secrets the run injects into requests unless the request says otherwise. */
  readonly secrets: { apisecret?: string; token?: string; admin_secret?: string };
  resolve(template: Template, actor: Actor, transaction?: string): unknown;
  match(matcher: Matcher, actual: unknown, actor: Actor): Mismatch[];
  /** What `match` runs matchers with for this actor: its values, the server's version. */
  matchRuntime(actor: Actor): MatchRuntime;
  save(name: string, value: unknown): void;
  /** The scenario's WebRTC peers, by name; a StepFailure when the target has none (no requires.media). */
  readonly peers: { run(name: string, action: PeerAction): Promise<PeerResult> };
  /** Messages a step exchanged outside the Janus client (http): into the transcript, schema checks and coverage; of the Janus API unless `api` says admin. */
  traffic(actor: Actor, direction: 'out' | 'in', message: JanusMessage | string, route?: Route, http?: HttpExchange, api?: 'janus' | 'admin'): void;
  noteReply(reply: JanusMessage, transaction: string | undefined): void;
  /**
   * Registers a check of this step to run once the steps are over, before cleanup: what it
   * throws is this step's failure. For a verdict the messages still to come can change (an
   * `order` pattern that a later message matches too). Runs that have no end of steps leave it out.
   */
  afterSteps?(check: () => void): void;
  /**
   * Called by a step once its request is on the wire: while the server works on it, the next
   * step of the scenario makes ahead what it can (see CompiledStep.ahead).
   */
  onTheWire?(step: CompiledStep): void;
  /** What `step` made ahead (see CompiledStep.ahead), handed over once; undefined if it made nothing. */
  takeAhead?(step: CompiledStep): unknown;
  /** The scenario's next step, sent the moment a step's reply passes (see NextStep); absent where steps do not run in order. */
  next?: NextStep;
}

/**
 * The step after the one running, sent from within the arrival of the running step's reply once
 * the step judged it and it passed: between the verdict and the next request nothing else runs
 * (no turn of the event loop, no microtask), as in a hand-written client that sends from its
 * message handler. Only when nothing could stop the scenario between the two steps.
 */
export interface NextStep {
  /** Whether the step after `step` can go the moment `step`'s reply passes (its request is made, nothing stands between). */
  ready(step: CompiledStep): boolean;
  /** `step`'s reply passed (judged at once), after `ready(step)` said it can: the step after it goes now. */
  go(step: CompiledStep): void;
  /** What `step` sent early (see CompiledStep.sendEarly), handed over once; undefined if it was not. */
  take(step: CompiledStep): unknown;
}

/** A step failure, as a value with its source position; the runner turns it into a result. */
export class StepFailure extends Error {
  override readonly name = 'StepFailure';
  constructor(
    readonly kind: 'assertion' | 'infrastructure',
    readonly summary: string,
    readonly details: StepFailureDetails = {},
  ) {
    super(summary);
  }
}

export interface StepFailureDetails {
  /** Where the failing step is written, when not the running step itself (a step inside `concurrently:`). */
  span?: SourceSpan;
  stepTitle?: string;
  expected?: unknown;
  actual?: unknown;
  mismatches?: Mismatch[];
  /**
   * The step got the message it waited for and only its content is not what the scenario
   * expects: a run that goes on after mismatches (record, compare) may run the next step. Absent
   * when the step cannot go on (no reply at all, a value a later step needs was never bound).
   */
  continuable?: boolean;
  /** The reply did not come within the time limit, though the server is up (see Failure.slow). */
  slow?: boolean;
  /** The step could not do what it says for a reason of the scenario's own (see Failure.ownMistake). */
  ownMistake?: boolean;
}

/**
 * A step the scenario made impossible (a value it never saved, a session or handle it has not,
 * a pattern with nothing for this server's version): a failure that says nothing of the
 * server, so a `known_bug` mark never takes it for the bug.
 */
export function ownMistake(summary: string, details: Omit<StepFailureDetails, 'ownMistake'> = {}): StepFailure {
  return new StepFailure('assertion', summary, { ...details, ownMistake: true });
}

/** A mismatch in a message that did arrive: the scenario can go on after it when the run allows. */
export function mismatchFailure(summary: string, details: Omit<StepFailureDetails, 'continuable'> = {}): StepFailure {
  return new StepFailure('assertion', summary, { ...details, continuable: true });
}
