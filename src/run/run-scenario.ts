import { randomUUID } from 'node:crypto';
// For its effect: V8's pretenuring off in a process that runs scenarios (see heap-tuning.ts).
import './heap-tuning.js';
import type { CompiledScenario } from '../compile/scenario.js';
import { MEDIA_STEP_TIMEOUT_MS, type PeerHost } from '../media/contract.js';
import { describeClose, JanusClient, type ClientOptions, type ConnectionChange, type TrafficListener } from '../janus/client.js';
import type { JanusMessage, Route } from '../protocol/messages.js';
import { formatViolation, validateSchema, type Violation } from '../schemas/catalogue.js';
import { MessageChecker, type SchemaMode } from '../schemas/checker.js';
import { SchemaChecks, type Found } from './schema-checks.js';
import { isConstant, NO_LOOKUP, type Matcher, type MatchRuntime, type Mismatch } from '../match/contract.js';
import { everyStep, StepFailure, type Actor, type CompiledStep, type KnownBug, type StepContext } from '../steps/contract.js';
import { TransportFault, type TlsOptions } from '../transports/contract.js';
import { getTransport } from '../transports/registry.js';
import type { Failure, HttpExchange, KnownIssue, RunEvent, ScenarioResult, TranscriptEntry } from './events.js';
import { isVersion, satisfies } from '../core/version-range.js';
import { formatSpan } from '../core/source.js';
import { transactionGenerator } from './seeded.js';
import { ScenarioValues } from './values.js';
import { Deadlines, SpareControllers, type Expiring } from '../core/waiting.js';
import type { Environment } from '../core/environment.js';

/** Where and how to reach Janus for one run of a scenario. */
export interface RunTarget {
  transport: string;
  url: string;
  admin?: { transport: string; url: string };
  tls: TlsOptions;
  secrets: { apisecret?: string; token?: string; admin_secret?: string };
  /** The server's session timeout in seconds (from info), to pace keepalives. */
  sessionTimeoutS?: number;
  /** The server's version_string (from info), to pick the schemas that hold for it. */
  serverVersion?: string;
  /** Where WebRTC peers that can reach this server run (scenarios with requires.media). */
  peers?: PeerHost;
  /** For a server this process started: why it is gone, if it died on its own (asked after a server problem). */
  deathReason?: () => Promise<string | undefined>;
  /** For a server this process started: whether it died, taking its sessions along (none is left on it). */
  serverDied?: () => Promise<boolean>;
  /**
   * For a server this process started: whether it is known to have exited, without waiting
   * (asked before each test: a crashed Janus is started again, or the test fails at once with the reason).
   */
  serverGone?: () => boolean;
}

export interface RunOptions {
  seed: string;
  stepTimeoutMs: number;
  scenarioTimeoutMs: number;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  validateSchema?: (name: string, value: unknown, version?: string) => string[] | undefined;
  env?: Environment;
  /** Check every message against the catalogue: strict fails the step, warn only reports. Default off. */
  schemaMode?: SchemaMode;
  /** Called with every message part that passed a schema, and the schema's name. */
  onSchemaValid?: (schema: string, value: unknown) => void;
  /**
   * After a step whose message came but did not match (an `expect`, a wait's pattern, a schema
   * violation), run the next step instead of stopping: record and compare need every message
   * of the scenario, so one change never hides the next. A step that cannot go on (no reply, a
   * value never bound, a lost connection, the time limit) still stops the scenario. Default off.
   */
  continueOnMismatch?: boolean;
  /** Keep the wire's shape of every message received (record, compare): see ConnectOptions.wireFrames. Default off. */
  wireFrames?: boolean;
  /** Connections may be opened ahead for the next scenario: see ConnectOptions.spare. Default off. */
  spareConnections?: boolean;
  /** The time the `cleanup:` steps have together; what waits longer is cut off (the sessions left are still destroyed). Default 5 s. */
  cleanupBudgetMs?: number;
}

const CLEANUP_BUDGET_MS = 5000;
/** The step index of what comes after the steps (cleanup, late events): no step's, so never a step's failure. */
const AFTER_STEPS = Number.MAX_SAFE_INTEGER;

/**
 * Runs one compiled scenario over one transport and returns its result. It never throws for
 * anything the server does; every session it created is destroyed before it returns, whether
 * the scenario passed, failed, timed out or was interrupted.
 */
export async function runScenario(scenario: CompiledScenario, target: RunTarget, options: RunOptions): Promise<ScenarioResult> {
  const run = new ScenarioRun(scenario, target, options);
  run.emit({ type: 'scenario:start', file: scenario.file, name: scenario.name, transport: target.transport });
  await run.steps();
  const stepMessages = run.transcript.length;
  const cleanup = await run.cleanUp();
  // While the server answers the connections' close: the checks left, then the result.
  const result = await run.result(run.stepVerdict(), stepMessages, cleanup);
  await cleanup.disconnected;
  run.lateChecks();
  result.durationMs = Date.now() - result.startedAt;
  run.emit({ type: 'scenario:end', result });
  return result;
}

/** What cleanup (cleanup steps, then destroying every session left) found. */
interface Cleanup {
  failures: Failure[];
  destroyedSessions: number[];
  sessionsLeft: ScenarioResult['sessionsLeft'];
  /** A client whose connection failed (a server problem), or a message handler that threw, on the way. */
  fault?: Failure;
  /** Settles when every connection has closed (their close begun by cleanup). */
  disconnected: Promise<unknown>;
}

/** One run of a scenario: its clients, values, transcript and the reasons it may stop early. */
class ScenarioRun {
  readonly emit: (event: RunEvent) => void;
  readonly transcript: TranscriptEntry[] = [];
  private readonly started = Date.now();
  private readonly actors: Map<string, Actor>;
  private readonly clients = new Map<string, Promise<JanusClient>>();
  /** The clients connected so far, for what one client's claim or destroy takes from the others. */
  private readonly connected = new Map<string, JanusClient>();
  /** What the scenario's steps ask of each client: closes it expects, events it reads. */
  private readonly roles: ClientRoles;
  private adminClient?: Promise<JanusClient>;
  private readonly values: ScenarioValues;
  private readonly nextTransaction: () => string;
  // The client's own requests (keepalives) draw from their own sequence, so timing never shifts the scenario's.
  private readonly nextKeepalive: () => string;
  private readonly stops: Stops;
  private readonly schemaMode: SchemaMode;
  private readonly checks?: SchemaChecks;
  /** The step running (its index in the scenario's steps), whose messages' checks it owns. */
  private stepIndex = -1;
  private readonly schemaWarnings: string[] = [];
  // Peer ids carry this run's prefix: runs in parallel share the host, never a peer.
  private readonly peerPrefix: string;
  /** A `known_bug:` on a step that held for this server's version. */
  private knownIssue?: KnownIssue;
  /** With `continueOnMismatch`: the failures after the first. */
  private laterFailures: Failure[] = [];
  /** The steps' failures, by step. */
  private readonly failures = new StepFailures();
  /** Set when every step was skipped for the server's version: the scenario checked nothing. */
  private noStepApplies?: string;
  /** Every client this run connected (the Admin API's too): their books are caught up before the run reads its own (see catchUp). */
  private readonly made: JanusClient[] = [];
  /** The step that made something ahead (see CompiledStep.ahead), by its index, and what it made. */
  private ahead?: { index: number; made: unknown };
  /** The step sent the moment the one before passed (see NextStep), by its index, and what its sendEarly returned. */
  private early?: { index: number; sent: unknown };
  /** Checks steps left for the end of the steps (StepContext.afterSteps), with their step's index. */
  private readonly endChecks: Array<{ index: number; check: () => void }> = [];

  constructor(private readonly scenario: CompiledScenario, private readonly target: RunTarget, private readonly options: RunOptions) {
    this.emit = options.onEvent ?? (() => {});
    this.actors = new Map(scenario.clients.map((name) => [name, { name, handles: new Map() }]));
    this.roles = clientRolesOf(scenario);
    this.nextKeepalive = transactionGenerator(options.seed, `keepalive\u0000${scenario.file}`);
    this.stops = new Stops(scenario.timeoutMs ?? options.scenarioTimeoutMs, options.signal);
    this.schemaMode = options.schemaMode ?? 'off';
    this.checks = this.schemaMode === 'off' ? undefined : new SchemaChecks(new MessageChecker(target.serverVersion, options.onSchemaValid));
    // What a connection needs (and its traffic: the checks) is made: the first one opens now, and
    // the rest of the run is made while its handshake goes on (Janus takes hundreds of microseconds).
    this.connectAhead();
    this.values = new ScenarioValues((n) => this.actors.get(n), target.transport, options.env ?? process.env);
    this.nextTransaction = transactionGenerator(options.seed, `${scenario.file}\u0000${target.transport}`);
    this.peerPrefix = target.peers ? `${randomUUID()}/` : '';
    // Peers that die (their process crashed) end the scenario at once, with the reason.
    target.peers?.watch(this.peerPrefix, (reason) => this.stops.peersDied(reason));
  }

  /**
   * Opens the connection of the first step's client now, when that step will open it anyway:
   * the handshake runs while the run sets itself up and makes the first request, instead of
   * after. A step gated by versions may not run: its connection waits for it. A connection
   * that fails is that step's failure, as before (it awaits the same promise).
   */
  private connectAhead(): void {
    const first = this.scenario.steps[0];
    if (!first?.opensClient || first.janus || this.options.signal?.aborted) return;
    this.janus(this.actors.get(first.client)!).catch(() => undefined);
  }

  /**
   * Variables, then each step until one fails (or, with `continueOnMismatch`, until one fails
   * that the scenario cannot go on after). The verdict is stepVerdict()'s, once the checks left have run.
   */
  async steps(): Promise<void> {
    const context = this.context(this.stops.stepSignal);
    const version = this.target.serverVersion;
    const failures = this.failures;
    try {
      const variables = resolveVariables(this.scenario, this.values, context, this.actors.get(this.scenario.clients[0]!)!);
      if (variables) failures.add(-1, variables);
      const steps = variables ? [] : this.scenario.steps;
      // Steps left out for the server's version, and those left that are only pauses: a scenario
      // whose versioned steps all went, leaving sleeps alone, checked nothing either.
      let gated = 0;
      let pauses = 0;
      for (let index = 0; index < steps.length; index++) {
        const step = steps[index]!;
        const verdict = versionVerdict(step, version);
        if (verdict === 'skip') gated++;
        else if (step.kind === 'sleep') pauses++;
        if (gated > 0 && gated + pauses === steps.length) this.noStepApplies = `no step ${pauses > 0 ? 'but sleep ' : ''}applies to Janus ${version}`;
        if (verdict === 'skip') continue;
        this.stepIndex = index;
        // The messages still unchecked are checked while the last step waits for the server (its
        // request on the wire), not after it, on the way from its reply to the scenario's result.
        if (index === steps.length - 1) this.checks?.runSoon();
        let failure = verdict;
        if (!failure && this.options.onEvent) failure = await runStep(step, context, this.options.onEvent, this.catchUp);
        else if (!failure) {
          // Awaited here, not through runStep: a step's end reaches the next one a turn of the microtask queue sooner.
          try {
            await step.execute(context);
          } catch (e) {
            failure = stepFailure(step, e);
          }
        }
        const stopped = this.stops.override(step);
        failure = stopped ?? failure;
        // A verdict that decides more than this step's pass needs every check run, this step's too.
        const decisive = failure !== undefined || step.knownBug !== undefined;
        if (decisive) this.catchUp();
        // With the next step's request on the wire already (sent early), what is found is taken
        // and nothing runs: the queued checks run in their own turn, as when that request went later.
        const found = !decisive && this.early?.index === index + 1 ? this.checks?.takeFound() : this.checks?.take(decisive);
        if (found && found.length > 0) this.addSchemaFailures(failures, found, index, failure);
        const bug = step.knownBug && !stopped && bugHolds(step.knownBug, version) ? step.knownBug : undefined;
        // The step's own schema failure is its failure too: the bug may show as a message's shape.
        if (bug) ({ failure, knownIssue: this.knownIssue } = knownBugVerdict(bug, failure ?? failures.take(index), version!, step));
        if (failure) failures.add(index, failure);
        if (bug || failures.stop(this.options.continueOnMismatch === true)) break;
      }
      // A passed step's verdict on what came after it: only when the steps ran to their end.
      if (failures.inOrder().length === 0 && !this.knownIssue) this.runEndChecks(failures);
    } catch (e) {
      failures.add(this.stepIndex, toFailure(e));
    }
    // What the steps received is theirs: counted, and checked as theirs. A step sent early
    // whose turn never came (the step before failed after all) is not waited for.
    this.catchUp();
    this.early = undefined;
    this.stepIndex = AFTER_STEPS;
    this.stops.endSteps();
  }

  private runEndChecks(failures: StepFailures): void {
    for (const { index, check } of this.endChecks) {
      try {
        check();
      } catch (e) {
        failures.add(index, stepFailure(this.scenario.steps[index]!, e));
      }
    }
  }

  /**
   * The steps' first failure, if any; later ones go to `laterFailures`. Runs the schema checks
   * still queued first: those of the steps' messages fail their steps (strict mode), those of
   * what came after the steps (cleanup, late events) are only reported.
   */
  stepVerdict(): Failure | undefined {
    if (this.checks) this.addSchemaFailures(this.failures, this.checks.take(true), AFTER_STEPS, undefined);
    const [first, ...later] = this.failures.inOrder();
    this.laterFailures = later;
    return first;
  }

  /** What came while the connections closed is checked too, and only reported (the result shares the warnings' list). */
  lateChecks(): void {
    for (const { violation } of this.checks?.take(true) ?? []) this.schemaWarnings.push(formatViolation(violation));
  }

  /**
   * Schema violations found, by the step their messages belong to: in strict mode a failure of
   * that step (unless it failed otherwise: then they are warnings), in warn mode warnings.
   * `current` and its `failure`: the step just run, whose own failure is not added yet.
   */
  private addSchemaFailures(failures: StepFailures, found: Found[], current: number, failure: Failure | undefined): void {
    for (const [index, violations] of byStep(found)) {
      const step = this.scenario.steps[index];
      const failed = index === current ? failure !== undefined : failures.has(index);
      if (!step || failed || this.schemaMode === 'warn') {
        // One at a time: a spread of a long list overflows the stack.
        for (const violation of violations) this.schemaWarnings.push(formatViolation(violation));
        continue;
      }
      failures.add(index, schemaVerdict(step, violations.map(formatViolation)));
    }
  }

  /** Cleanup steps, peers, then every session left: with a time budget of its own, so it runs even after a timeout or Ctrl-C. */
  async cleanUp(): Promise<Cleanup> {
    const cleanup: Cleanup = { failures: [], destroyedSessions: [], sessionsLeft: [], disconnected: Promise.resolve() };
    if (this.scenario.cleanup.length > 0) await this.cleanupSteps(cleanup);
    // Awaited only when there is something to wait for: each await is a turn of the microtasks
    // between the last reply and the connection's close, every scenario.
    if (this.target.peers) await this.target.peers.closeAll(this.peerPrefix);
    const closing: Array<Promise<void>> = [];
    // Last connected first, as a teardown undoes a set-up: a session made after another may
    // depend on it (a SIP helper on its master; Janus before 1.4.0 frees a master's helpers
    // badly when the master goes first).
    for (const [name, pending] of [...this.clients].reverse()) await this.closeClient(name, pending, cleanup, closing);
    // One that happened after the last step, or during cleanup, still fails the scenario.
    cleanup.fault ??= this.stops.broken;
    const admin = await this.adminClient?.catch(() => undefined);
    if (admin) closing.push((await admin.release(() => ({}), 0)).disconnected);
    this.stops.dispose();
    if (closing.length > 0) {
      cleanup.disconnected = Promise.all(closing);
      // Awaited once the result is made; until then a connection whose close fails is not an unhandled rejection.
      cleanup.disconnected.catch(() => undefined);
    }
    return cleanup;
  }

  private async cleanupSteps(cleanup: Cleanup): Promise<void> {
    const budget = new AbortController();
    const timer = setTimeout(() => budget.abort(new DOMException('cleanup took too long', 'TimeoutError')), this.options.cleanupBudgetMs ?? CLEANUP_BUDGET_MS);
    const context = this.context(budget.signal);
    try {
      for (const step of this.scenario.cleanup) {
        const verdict = versionVerdict(step, this.target.serverVersion);
        if (verdict === 'skip') continue;
        const f = verdict ?? await runStep(step, context, this.options.onEvent, this.catchUp);
        if (f) cleanup.failures.push(f);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** Destroys the client's sessions and begins its connection's close, which `closing` gets. */
  private async closeClient(name: string, pending: Promise<JanusClient>, cleanup: Cleanup, closing: Array<Promise<void>>): Promise<void> {
    const client = this.connected.get(name) ?? (await pending.catch(() => undefined));
    if (!client) return;
    // The client adds each session's own apisecret or token.
    const destroy = (sessionId: number): JanusMessage => ({ janus: 'destroy', session_id: sessionId, transaction: `cleanup-${this.nextKeepalive()}` });
    const closed = await client.release(destroy, 2000);
    closing.push(closed.disconnected);
    cleanup.destroyedSessions.push(...closed.destroyed);
    cleanup.sessionsLeft.push(...closed.left.map((l) => ({ client: name, ...l })));
    const fault = client.fault ?? client.violation;
    if (fault) cleanup.fault ??= { kind: 'infrastructure', summary: `client ${name}: ${fault.message}` };
  }

  async result(stepFailure: Failure | undefined, stepMessages: number, cleanup: Cleanup): Promise<ScenarioResult> {
    let failure = stepFailure ?? cleanup.fault;
    // Only a server problem asks whether the server died: other verdicts go on without a wait.
    if (failure?.kind === 'infrastructure') failure = await withDeathReason(failure, this.target);
    // The cleanup could not destroy them, but a Janus that died took its sessions along.
    if (cleanup.sessionsLeft.length > 0 && (await this.target.serverDied?.().catch(() => false))) cleanup.sessionsLeft = [];
    const { scenario, target, values } = this;
    let knownIssue = this.knownIssue;
    // A scenario's mark is judged by its steps, as a step's mark by its step: a cleanup step that
    // failed is no sign of the bug, and must not pass for it when the steps showed it gone.
    if (!knownIssue && !this.noStepApplies && scenario.knownBug && bugHolds(scenario.knownBug, target.serverVersion) && !interrupted(failure)) {
      ({ failure, knownIssue } = knownBugVerdict(scenario.knownBug, failure, target.serverVersion!));
    }
    let finalFailure: Failure | undefined = failure ?? cleanup.failures[0];
    if (!failure && finalFailure?.kind === 'infrastructure') finalFailure = await withDeathReason(finalFailure, this.target);
    const status = finalFailure ? 'failed' : knownIssue || this.noStepApplies ? 'skipped' : 'passed';
    // Built key by key, in the order reports show them: a spread of a conditional object costs
    // microseconds apiece, and every scenario has four.
    const result = { file: scenario.file, name: scenario.name, transport: target.transport, status } as ScenarioResult;
    if (knownIssue?.outcome === 'present') result.skipReason = knownIssueReason(knownIssue);
    else if (!finalFailure && !knownIssue && this.noStepApplies) result.skipReason = this.noStepApplies;
    if (knownIssue) result.knownIssue = knownIssue;
    result.startedAt = this.started;
    result.durationMs = Date.now() - this.started;
    result.failure = finalFailure;
    if (this.laterFailures.length > 0) result.laterFailures = this.laterFailures;
    result.cleanupFailures = failure ? cleanup.failures : cleanup.failures.slice(1);
    result.transcript = this.transcript;
    result.stepMessages = stepMessages;
    result.saved = Object.fromEntries(values.saved);
    result.destroyedSessions = cleanup.destroyedSessions;
    result.sessionsLeft = cleanup.sessionsLeft;
    result.schemaWarnings = this.schemaWarnings;
    result.secretValues = secretValuesOf(target.secrets, scenario.secrets, values.saved);
    return result;
  }

  /**
   * A client's traffic listener: record()'s, with the step a message received came during (a
   * client keeps the books of a reply once the next request is on the wire, steps later).
   */
  private traffic(client: string, api: 'janus' | 'admin', transport: string): TrafficListener {
    const record = this.record(client, api, transport);
    return (direction, message, route, moment) => record(direction, message, route, undefined, moment);
  }

  /** The step running: what a client notes of when a message came. */
  private readonly stepNow = (): number => this.stepIndex;

  /** The clients' books, kept: every message received so far is in the transcript and queued for its check. */
  private readonly catchUp = (): void => {
    for (const client of this.made) client.catchUp();
  };

  /**
   * While the request of the step running is on the wire, the next step makes ahead what it
   * can. Only for a step of the scenario's own list (not one inside `concurrently`, whose
   * siblings draw transactions meanwhile), and a next step that runs on this server.
   */
  private makeAhead(step: CompiledStep, context: StepContext): void {
    const index = this.stepIndex + 1;
    const next = this.scenario.steps[index];
    if (!this.running(step, index - 1) || !next?.ahead || this.ahead?.index === index || versionVerdict(next, this.target.serverVersion) !== undefined) return;
    this.ahead = undefined;
    try {
      const made = next.ahead(context);
      if (made !== undefined) this.ahead = { index, made };
    } catch {
      // Made when the step runs, where what it throws is its failure.
    }
  }

  /**
   * NextStep.ready: the step after `step` can go the moment `step`'s reply passes. Only for the
   * scenario's own steps, with no events to announce in between (step:end, step:start), when
   * `step` is the one the steps' loop waits on (not one sent early whose turn has not come), the
   * next step has made its request ahead (so it runs on this server and needs nothing from the
   * reply but its ids), `step` marks no known bug, and nothing found or pending could stop the
   * scenario at `step`'s end: no stop (timeout, Ctrl-C, a broken client) and no schema violation.
   */
  private readyNext(step: CompiledStep): boolean {
    const index = this.stepIndex;
    // The scenario's own copy of the step: its conditions (a known bug) are on it, not on `step`.
    const current = this.scenario.steps[index];
    return (
      !this.options.onEvent &&
      this.early === undefined &&
      this.running(step, index) &&
      this.ahead?.index === index + 1 &&
      this.scenario.steps[index + 1]?.sendEarly !== undefined &&
      current?.knownBug === undefined &&
      this.stops.override(step) === undefined &&
      (this.checks?.clear() ?? true)
    );
  }

  /**
   * NextStep.go, after `ready` said yes and the reply passed (nothing between the two changes
   * what `ready` reads): the next step's request goes now; its messages are its own from here (stepIndex).
   */
  private goNext(context: StepContext): void {
    const index = this.stepIndex + 1;
    const next = this.scenario.steps[index];
    if (!next?.sendEarly) return;
    this.stepIndex = index;
    // As the loop does before the last step's request: the checks left run while it waits.
    if (index === this.scenario.steps.length - 1) this.checks?.runSoon();
    let sent: unknown;
    try {
      sent = next.sendEarly(context);
    } catch {
      // Sent when the step runs, where what it throws is its failure.
    }
    if (sent === undefined) {
      this.stepIndex = index - 1;
      return;
    }
    this.early = { index, sent };
  }

  private takeEarly(step: CompiledStep): unknown {
    const early = this.early;
    if (early === undefined || !this.running(step, early.index)) return undefined;
    this.early = undefined;
    return early.sent;
  }

  private takeAhead(step: CompiledStep): unknown {
    const ahead = this.ahead;
    if (ahead === undefined || !this.running(step, ahead.index)) return undefined;
    this.ahead = undefined;
    return ahead.made;
  }

  /**
   * Whether `step` is the scenario's step `index` and the one running (not one inside it): by its
   * position, as the scenario's list holds copies of the compiled steps (with their conditions).
   */
  private running(step: CompiledStep, index: number): boolean {
    return index === this.stepIndex && this.scenario.steps[index]?.span === step.span;
  }

  /** Every message a client sends or receives: into the transcript, out as an event, through the schema checker. */
  private record(client: string, api: 'janus' | 'admin', transport = this.target.transport) {
    return (direction: 'in' | 'out', message: JanusMessage | string, route?: Route, http?: HttpExchange, step = this.stepIndex): void => {
      const entry: TranscriptEntry & { transport: string } = { at: Date.now(), client, api, transport, direction, message };
      if (http) entry.http = http;
      this.transcript.push(entry);
      // Built only when someone listens: a run in a loop (the library, load) pays nothing for it.
      if (this.options.onEvent) this.emit({ type: 'message', ...entry, route });
      this.checks?.add(step, direction, api, message, route);
    };
  }

  /** A connection closing or opening again, in the transcript and out as an event: never through the schema checker. */
  private recordConnection(client: string, change: ConnectionChange): void {
    const { event, ...close } = change;
    const text = event === 'opened' ? 'connection opened again' : `connection ${describeClose(change as ConnectionChange & { by: 'client' | 'server' })}`;
    const entry = { at: Date.now(), client, api: 'janus' as const, transport: this.target.transport, direction: (event === 'closed' && change.by === 'server' ? 'in' : 'out') as 'in' | 'out', message: text, connection: { event, ...close } };
    this.transcript.push(entry);
    if (this.options.onEvent) this.emit({ type: 'message', ...entry });
  }

  /** One client claimed or destroyed a session: the others no longer keep it alive nor clean it up. */
  private sessionTaken(by: string | undefined, sessionId: number): void {
    for (const [name, client] of this.connected) if (name !== by) client.disown(sessionId);
  }

  private async connect(name: string, api: 'janus' | 'admin', transportName: string, url: string): Promise<JanusClient> {
    const transport = getTransport(transportName);
    if (!transport) throw new StepFailure('infrastructure', `no transport named "${transportName}" is registered`);
    const { target, stops } = this;
    const clientOptions: ClientOptions = {
      api,
      nextTransaction: this.nextKeepalive,
      pollAuth: { apisecret: target.secrets.apisecret, token: target.secrets.token },
      onTraffic: this.traffic(name, api, transportName),
      moment: this.stepNow,
      onFault: stops.onConnectionFault(name),
      onError: stops.onClientError(name),
    };
    // Set one by one, not spread in: a spread of a conditional object costs microseconds, every scenario.
    if (api === 'admin') {
      // The Admin API's destroy_session takes a session from whichever client owned it.
      clientOptions.onSessionTaken = (sessionId: number) => this.sessionTaken(undefined, sessionId);
    } else {
      clientOptions.onConnectionChange = (change: ConnectionChange) => this.recordConnection(name, change);
      clientOptions.onSessionTaken = (sessionId: number) => this.sessionTaken(name, sessionId);
      // A close the scenario asserts with a `closed` step is an outcome, not a lost server.
      if (this.roles.closeWatched.has(name)) clientOptions.onServerClose = () => undefined;
      if (this.roles.eventReaders.has(name)) clientOptions.listen = true;
    }
    try {
      const client = await JanusClient.connect(
        transport,
        { url, api, tls: target.tls, connectTimeoutMs: this.options.stepTimeoutMs, wireFrames: this.options.wireFrames === true, spare: this.options.spareConnections === true },
        clientOptions,
      );
      this.made.push(client);
      return client;
    } catch (e) {
      throw new StepFailure('infrastructure', e instanceof TransportFault ? e.message : `cannot connect to ${url}: ${(e as Error).message}`);
    }
  }

  private janus(actor: Actor): Promise<JanusClient> {
    if (!this.clients.has(actor.name)) {
      const { scenario, target } = this;
      // A client's own setting wins over the scenario's.
      const keepalive = scenario.clientKeepalive?.[actor.name] ?? scenario.keepalive;
      const keepaliveMs = keepalive === false ? undefined : typeof keepalive === 'number' ? keepalive
        : target.sessionTimeoutS ? Math.max(500, target.sessionTimeoutS * 400) : 25_000;
      this.clients.set(actor.name, this.connect(actor.name, 'janus', target.transport, target.url).then((c) => {
        this.connected.set(actor.name, c);
        if (keepaliveMs !== undefined) c.startKeepalives(keepaliveMs);
        return c;
      }));
    }
    return this.clients.get(actor.name)!;
  }

  private admin(): Promise<JanusClient> {
    const admin = this.target.admin;
    if (!admin) return Promise.reject(new StepFailure('infrastructure', 'no Admin API address is known: give --admin-url'));
    this.adminClient ??= this.connect('admin', 'admin', admin.transport, admin.url);
    return this.adminClient;
  }

  private peers(): StepContext['peers'] {
    const { target, peerPrefix } = this;
    return {
      run(name, command) {
        if (!target.peers) return Promise.reject(new StepFailure('infrastructure', 'this run has no WebRTC peers: add requires: { media: true }'));
        return target.peers.run({ ...command, id: peerPrefix + name } as Parameters<PeerHost['run']>[0]);
      },
    };
  }

  private context(signal: AbortSignal): StepContext {
    const { scenario, target, options, values } = this;
    // What a matcher resolves placeholders against, made once per actor rather than per match.
    const runtimes = new Map<Actor, MatchRuntime>();
    const runtimeFor = (actor: Actor): MatchRuntime => {
      let rt = runtimes.get(actor);
      if (!rt) {
        const lookup = values.lookupFor(actor);
        rt = { resolve: (t) => t(lookup), validateSchema: options.validateSchema ?? validateSchema, serverVersion: target.serverVersion };
        runtimes.set(actor, rt);
      }
      return rt;
    };
    const context: StepContext = {
      signal,
      target: { transport: target.transport, url: target.url, tls: target.tls, ...(target.admin && { admin: target.admin }) },
      // Media needs the time a DTLS handshake needs on a busy machine, whatever the usual limit.
      stepTimeoutMs: scenario.requires.media ? Math.max(options.stepTimeoutMs, MEDIA_STEP_TIMEOUT_MS) : options.stepTimeoutMs,
      secrets: target.secrets,
      peers: this.peers(),
      actor: (name) => this.actors.get(name)!,
      janus: (actor) => this.janus(actor),
      connected: (actor) => this.connected.get(actor.name),
      admin: () => this.admin(),
      nextTransaction: this.nextTransaction,
      // A value written out needs no lookup: none is made for it (a request's hot path).
      resolve: (template, actor, transaction) => (isConstant(template) ? template(NO_LOOKUP) : template(values.lookupFor(actor, transaction))),
      match(matcher: Matcher, actual: unknown, actor: Actor): Mismatch[] {
        const out: Mismatch[] = [];
        matcher(actual, '', runtimeFor(actor), out);
        return out;
      },
      matchRuntime: runtimeFor,
      save: (name, value) => values.saved.set(name, value),
      traffic: (actor, direction, message, route, http, api = 'janus') => this.record(api === 'admin' ? 'admin' : actor.name, api)(direction, message, route, http),
      noteReply: (reply, transaction) => (values.last = { reply, transaction }),
      afterSteps: (check) => this.endChecks.push({ index: this.stepIndex, check }),
      // A tick later: a transport may write the request then (node:http does), and this is no work for before.
      onTheWire: (step) => process.nextTick(() => this.makeAhead(step, context)),
      takeAhead: (step) => this.takeAhead(step),
      next: { ready: (step) => this.readyNext(step), go: () => this.goNext(context), take: (step) => this.takeEarly(step) },
    };
    return context;
  }
}

/** The clients a scenario has `closed` steps for, and those with steps that read their events. */
interface ClientRoles {
  closeWatched: Set<string>;
  eventReaders: Set<string>;
}

const rolesKnown = new WeakMap<CompiledScenario, ClientRoles>();

/** What the steps (nested ones and cleanup included) ask of each client; worked out once per scenario, not per run. */
function clientRolesOf(scenario: CompiledScenario): ClientRoles {
  let roles = rolesKnown.get(scenario);
  if (!roles) {
    const steps = everyStep([...scenario.steps, ...scenario.cleanup]);
    roles = {
      closeWatched: new Set(steps.filter((s) => s.kind === 'closed').map((s) => s.client)),
      eventReaders: new Set(steps.filter((s) => s.readsEvents).map((s) => s.client)),
    };
    rolesKnown.set(scenario, roles);
  }
  return roles;
}

/**
 * What ends the steps early: the scenario's time limit, the caller's signal (Ctrl-C), a peer
 * process that died, a connection that failed, or code run on an incoming message that threw.
 */
class Stops {
  // A connection that fails (server killed, socket dropped) ends at once the step waiting on it,
  // be it a wait, a sleep or a no_event: nothing it could still see would change the outcome.
  // The steps' signal fires for every cause, the scenario's own (time limit, Ctrl-C, peers lost)
  // and the connection's: one controller, as AbortSignal.any costs Node 20 tens of microseconds
  // for every scenario, and a second controller for the scenario's own causes several.
  private readonly stepAbort = spareStepControllers.take();
  /** The scenario's time limit, among every run's (see scenarioLimits). */
  private readonly limit: Expiring;
  private timedOut = false;
  private lost?: Failure;
  private peersLost?: string;
  /** Code run on an incoming message threw: the message it was handling is lost, and the fault is ours, not the server's. */
  broken?: Failure;
  readonly stepSignal: AbortSignal;
  /** The scenario's own cause fired (time limit, Ctrl-C, peers lost); asked after every step. */
  private stopped = false;
  /** Cleanup is over: the controller is no longer this run's to fire (see abortSteps). */
  private disposed = false;

  constructor(private readonly timeoutMs: number, private readonly outer?: AbortSignal) {
    this.stepSignal = this.stepAbort.signal;
    this.limit = {
      deadline: Date.now() + timeoutMs,
      expire: () => {
        this.timedOut = true;
        this.stop();
      },
    };
    scenarioLimits.add(this.limit);
    if (outer) watchSignal(outer, this);
    // Ctrl-C before this run started (while Janus was starting, say) never fires the listener:
    // such a scenario stops at its first step, like one that was running.
    if (outer?.aborted) this.stop();
  }

  /** The caller's signal fired (Ctrl-C). */
  outerAborted(): void {
    this.stop();
  }

  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.abortSteps();
  }

  /**
   * Ends every wait of the steps. Not once the run is disposed: its controller may serve another
   * run by then, and a transport that reports a fault after its close must not end that run's steps.
   */
  private abortSteps(): void {
    if (!this.disposed) this.stepAbort.abort();
  }

  onConnectionFault(name: string) {
    return (fault: TransportFault): void => {
      this.lost ??= { kind: 'infrastructure', summary: `client ${name}: ${fault.message}` };
      this.abortSteps();
    };
  }

  onClientError(name: string) {
    return (error: unknown): void => {
      this.broken ??= { kind: 'assertion', summary: `internal error while client ${name} handled a message: ${oneLine(error)}` };
      this.abortSteps();
    };
  }

  peersDied(reason: string): void {
    this.peersLost = reason;
    this.stop();
  }

  /** Whatever a step says after its signal fired, the cause is the time limit, Ctrl-C, a lost peer process or a lost connection. */
  override(step: CompiledStep): Failure | undefined {
    if (!this.stopped && !this.broken && !this.lost) return undefined;
    const at = (): Pick<Failure, 'span' | 'stepTitle'> => ({ span: step.span, stepTitle: step.title });
    if (this.stopped) return this.peersLost !== undefined ? { kind: 'assertion', summary: this.peersLost, ...at() } : interruption(step, this.timedOut, this.timeoutMs);
    if (this.broken) return { ...this.broken, ...at() };
    if (this.lost) return { ...this.lost, ...at() };
    return undefined;
  }

  endSteps(): void {
    scenarioLimits.delete(this.limit);
  }

  /** After cleanup: nothing of this run waits on the steps' signal any more. */
  dispose(): void {
    if (this.outer) runsOn.get(this.outer)?.delete(this);
    this.disposed = true;
    spareStepControllers.giveBack(this.stepAbort);
  }
}

/**
 * The runs going on under each caller's signal (a CLI run's Ctrl-C, a load run's end): one
 * listener on the signal for all of them, not one per run. Adding a listener to an AbortSignal
 * and taking it back cost Node 20 several microseconds a run, and thousands of runs at once
 * (a load run's users) would have it warn of a leak.
 */
const runsOn = new WeakMap<AbortSignal, Set<Stops>>();

function watchSignal(signal: AbortSignal, stops: Stops): void {
  let runs = runsOn.get(signal);
  if (!runs) {
    const all = (runs = new Set());
    runsOn.set(signal, all);
    signal.addEventListener('abort', () => {
      for (const run of [...all]) run.outerAborted();
    }, { once: true });
  }
  runs.add(stops);
}

/**
 * The scenarios' time limits, every run's on one timer: a timer per run cost a setTimeout and a
 * clearTimeout every scenario, and Node makes and queues anew its list of timers of a length
 * once the last timer of that length is cleared.
 */
const scenarioLimits = new Deadlines();

/** Steps' controllers of runs that ended without firing them, for the next runs (a run's share of a short scenario). */
const spareStepControllers = new SpareControllers(16);

/** A server problem on a server that died names the death first: that is the cause, the dropped connection only its sign. */
async function withDeathReason(failure: Failure | undefined, target: RunTarget): Promise<Failure | undefined> {
  if (failure?.kind !== 'infrastructure' || !target.deathReason) return failure;
  const reason = await target.deathReason().catch(() => undefined);
  return reason ? { ...failure, summary: `${reason}; ${failure.summary}` } : failure;
}

/**
 * A step with a `janus:` range: 'skip' on a version outside it; a failure when the server's
 * version is unknown (the step cannot tell which behaviour to expect); undefined: run it.
 */
function versionVerdict(step: CompiledStep, version: string | undefined): Failure | 'skip' | undefined {
  if (!step.janus) return undefined;
  if (version === undefined || !isVersion(version)) {
    const unknown = version === undefined ? 'is unknown (no version_string in its info)' : `is unknown (its version_string ${JSON.stringify(version)} is not a version)`;
    return { kind: 'infrastructure', summary: `the server's version ${unknown}, and this step expects Janus ${step.janus.map((r) => r.text).join(' and ')}`, span: step.span, stepTitle: step.title };
  }
  return step.janus.every((r) => satisfies(r, version)) ? undefined : 'skip';
}

function bugHolds(bug: KnownBug, version: string | undefined): boolean {
  return version !== undefined && isVersion(version) && satisfies(bug.janus, version);
}

/** Timeouts (the scenario's, a reply's), Ctrl-C and the scenario's own mistakes say nothing about a bug: they stay what they are. */
function interrupted(failure: Failure | undefined): boolean {
  return failure?.kind === 'timeout' || failure?.kind === 'interrupted' || failure?.slow === true || failure?.ownMistake === true;
}

/**
 * On a version the mark names: an assertion failure is the bug showing (a known issue, no
 * failure); a pass means the bug is gone (a failure saying so). Server problems stay failures.
 */
function knownBugVerdict(bug: KnownBug, failure: Failure | undefined, version: string, step?: CompiledStep): { failure?: Failure; knownIssue?: KnownIssue } {
  const issue = { what: bug.what, janus: bug.janus.text, ...(bug.link && { link: bug.link }), location: formatSpan(bug.span) };
  if (failure && (failure.kind !== 'assertion' || failure.slow || failure.ownMistake)) return { failure };
  if (failure) return { knownIssue: { ...issue, outcome: 'present', failure } };
  const summary = `known bug "${bug.what}" (marked for Janus ${bug.janus.text} at ${issue.location}) did not show on Janus ${version}: fixed in this version, remove the mark or narrow its versions`;
  return { failure: { kind: 'assertion', summary, span: step?.span ?? bug.span, stepTitle: step?.title ?? 'known_bug' }, knownIssue: { ...issue, outcome: 'fixed' } };
}

function knownIssueReason(issue: KnownIssue): string {
  return `known issue of Janus ${issue.janus}: ${issue.what}${issue.link ? ` (${issue.link})` : ''}`;
}

/** Variables are resolved before the first step; one that cannot be fails there, at its own position. */
function resolveVariables(scenario: CompiledScenario, values: ScenarioValues, ctx: StepContext, actor: Actor): Failure | undefined {
  for (const [name, template, span] of scenario.variables) {
    try {
      values.saved.set(name, ctx.resolve(template, actor));
    } catch (e) {
      return { ...toFailure(e), span, stepTitle: `variable ${name}` };
    }
  }
  return undefined;
}

/** `emit`: undefined when nobody listens, so a run in a loop (the library, load) builds no step events. */
async function runStep(step: CompiledStep, ctx: StepContext, emit: ((e: RunEvent) => void) | undefined, catchUp?: () => void): Promise<Failure | undefined> {
  const t0 = emit ? Date.now() : 0;
  emit?.({ type: 'step:start', title: step.title, span: step.span });
  let failure: Failure | undefined;
  try {
    await step.execute(ctx);
  } catch (e) {
    failure = stepFailure(step, e);
  }
  // The messages the step received are announced before its end, as they came.
  catchUp?.();
  emit?.({ type: 'step:end', title: step.title, span: step.span, status: failure ? 'failed' : 'passed', durationMs: Date.now() - t0 });
  return failure;
}

/** A step inside another (concurrently) names its own position; otherwise the step's. */
function stepFailure(step: CompiledStep, e: unknown): Failure {
  return { span: step.span, stepTitle: step.title, ...toFailure(e) };
}

/** A strict check's violations of a step's messages fail it; the messages came, so a run that goes on after mismatches can. */
function schemaVerdict(step: CompiledStep, found: string[]): Failure {
  const [first, ...rest] = found;
  return {
    kind: 'assertion',
    summary: `${first!}${rest.length > 0 ? ` (and ${rest.length} more)` : ''}`,
    span: step.span,
    stepTitle: step.title,
    schemaViolations: found,
    continuable: true,
  };
}

/** Violations grouped by the step they belong to, in the order found (steps ascending). */
function byStep(found: Found[]): Map<number, Violation[]> {
  const out = new Map<number, Violation[]>();
  for (const { step, violation } of found) {
    const list = out.get(step);
    if (list) list.push(violation);
    else out.set(step, [violation]);
  }
  return out;
}

/** The failures of a run's steps, each with its step's index, listed in step order whatever order they were found in. */
class StepFailures {
  private readonly list: Array<{ index: number; failure: Failure }> = [];

  add(index: number, failure: Failure): void {
    let at = this.list.length;
    while (at > 0 && this.list[at - 1]!.index > index) at--;
    this.list.splice(at, 0, { index, failure });
  }

  has(index: number): boolean {
    return this.list.some((f) => f.index === index);
  }

  /** Removes and returns the failure of step `index`, if it has one. */
  take(index: number): Failure | undefined {
    const at = this.list.findIndex((f) => f.index === index);
    return at < 0 ? undefined : this.list.splice(at, 1)[0]!.failure;
  }

  /** Whether the steps must stop: a failure the run cannot go on after (any, unless it goes on after mismatches). */
  stop(continueOnMismatch: boolean): boolean {
    // A loop, not some(): this runs after every step, and a callback is an object each time.
    for (const { failure } of this.list) if (!(continueOnMismatch && failure.continuable)) return true;
    return false;
  }

  inOrder(): Failure[] {
    return this.list.map((f) => f.failure);
  }
}

function toFailure(e: unknown): Failure {
  if (e instanceof StepFailure) return { kind: e.kind, summary: e.summary, ...e.details };
  return { kind: 'infrastructure', summary: `internal error: ${(e as Error)?.stack ?? String(e)}` };
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 500);
}

function interruption(step: CompiledStep, timedOut: boolean, timeoutMs: number): Failure {
  return timedOut
    ? { kind: 'timeout', summary: `the scenario exceeded its time limit of ${timeoutMs}ms`, span: step.span, stepTitle: step.title }
    : { kind: 'interrupted', summary: 'interrupted', span: step.span, stepTitle: step.title };
}

function secretValuesOf(secrets: RunTarget['secrets'], marked: string[], saved: Map<string, unknown>): string[] {
  const values = [secrets.apisecret, secrets.token, secrets.admin_secret, ...marked.map((name) => saved.get(name))];
  return values.filter((v) => v !== undefined && v !== null && v !== '').map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
}
