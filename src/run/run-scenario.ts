import { randomUUID } from 'node:crypto';
import type { CompiledScenario } from '../compile/scenario.js';
import { MEDIA_STEP_TIMEOUT_MS, type PeerHost } from '../media/contract.js';
import { JanusClient } from '../janus/client.js';
import type { JanusMessage, Route } from '../protocol/messages.js';
import { formatViolation, validateSchema, type Violation } from '../schemas/catalogue.js';
import { MessageChecker, type SchemaMode } from '../schemas/checker.js';
import type { Matcher, Mismatch } from '../match/contract.js';
import { StepFailure, type Actor, type CompiledStep, type StepContext } from '../steps/contract.js';
import { TransportFault, type TlsOptions } from '../transports/contract.js';
import { getTransport } from '../transports/registry.js';
import type { Failure, HttpExchange, RunEvent, ScenarioResult, TranscriptEntry } from './events.js';
import { transactionGenerator } from './seeded.js';
import { ScenarioValues } from './values.js';
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
}

export interface RunOptions {
  seed: string;
  stepTimeoutMs: number;
  scenarioTimeoutMs: number;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  validateSchema?: (name: string, value: unknown) => string[] | undefined;
  env?: Environment;
  /** Check every message against the catalogue: strict fails the step, warn only reports. Default off. */
  schemaMode?: SchemaMode;
  /** Called with every message part that passed a schema, and the schema's name. */
  onSchemaValid?: (schema: string, value: unknown) => void;
}

const CLEANUP_BUDGET_MS = 5000;

/**
 * Runs one compiled scenario over one transport and returns its result. It never throws for
 * anything the server does; every session it created is destroyed before it returns, whether
 * the scenario passed, failed, timed out or was interrupted.
 */
export async function runScenario(scenario: CompiledScenario, target: RunTarget, options: RunOptions): Promise<ScenarioResult> {
  const started = Date.now();
  const emit = options.onEvent ?? (() => {});
  const transcript: TranscriptEntry[] = [];
  const actors = new Map<string, Actor>(scenario.clients.map((name) => [name, { name, handles: new Map() }]));
  const clients = new Map<string, Promise<JanusClient>>();
  let adminClient: Promise<JanusClient> | undefined;
  const values = new ScenarioValues((n) => actors.get(n), target.transport, options.env ?? process.env);
  const nextTransaction = transactionGenerator(options.seed, `${scenario.file}\u0000${target.transport}`);
  // The client's own requests (keepalives) draw from their own sequence, so timing never shifts the scenario's.
  const nextKeepalive = transactionGenerator(options.seed, `keepalive\u0000${scenario.file}`);

  const abort = new AbortController();
  const timeoutMs = scenario.timeoutMs ?? options.scenarioTimeoutMs;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, timeoutMs);
  // A connection that fails (server killed, socket dropped) ends at once the step waiting on it,
  // be it a wait, a sleep or a no_event: nothing it could still see would change the outcome.
  const connectionLost = new AbortController();
  let lost: Failure | undefined;
  const onConnectionFault = (name: string) => (fault: TransportFault): void => {
    lost ??= { kind: 'infrastructure', summary: `client ${name}: ${fault.message}` };
    connectionLost.abort();
  };
  // Code run on an incoming message that throws (a listener, the schema checker) fails the step
  // waiting, at once: the message it was handling is lost, and the fault is ours, not the server's.
  let broken: Failure | undefined;
  const onClientError = (name: string) => (error: unknown): void => {
    broken ??= { kind: 'assertion', summary: `internal error while client ${name} handled a message: ${oneLine(error)}` };
    connectionLost.abort();
  };
  const onOuterAbort = (): void => abort.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  // Ctrl-C before this run started (while Janus was starting, say) never fires the listener:
  // such a scenario stops at its first step, like one that was running.
  if (options.signal?.aborted) abort.abort();

  emit({ type: 'scenario:start', file: scenario.file, name: scenario.name, transport: target.transport });

  const schemaMode = options.schemaMode ?? 'off';
  const checker = schemaMode === 'off' ? undefined : new MessageChecker(target.serverVersion, options.onSchemaValid);
  const violations: Violation[] = [];
  const record = (client: string, api: 'janus' | 'admin') => (direction: 'in' | 'out', message: JanusMessage | string, route?: Route, http?: HttpExchange) => {
    const entry = { at: Date.now(), client, api, direction, message, ...(http && { http }) };
    transcript.push(entry);
    emit({ type: 'message', ...entry, route, transport: target.transport });
    if (!checker) return;
    // This runs inside a transport's message callback: whatever goes wrong is this step's verdict, never the transport's.
    try {
      if (direction === 'out') checker.outgoing(api, message, route ?? {});
      else if (typeof message !== 'string') violations.push(...checker.incoming(api, message));
    } catch (e) {
      violations.push({ schema: 'checker', pointer: '/', rule: `cannot check this message: ${(e as Error).message}`, value: message });
    }
  };

  const connect = async (name: string, api: 'janus' | 'admin', transportName: string, url: string): Promise<JanusClient> => {
    const transport = getTransport(transportName);
    if (!transport) throw new StepFailure('infrastructure', `no transport named "${transportName}" is registered`);
    try {
      return await JanusClient.connect(
        transport,
        { url, api, tls: target.tls, connectTimeoutMs: options.stepTimeoutMs },
        { api, nextTransaction: nextKeepalive, pollAuth: { apisecret: target.secrets.apisecret, token: target.secrets.token }, onTraffic: record(name, api), onFault: onConnectionFault(name), onError: onClientError(name) },
      );
    } catch (e) {
      throw new StepFailure('infrastructure', e instanceof TransportFault ? e.message : `cannot connect to ${url}: ${(e as Error).message}`);
    }
  };

  const keepaliveMs = scenario.keepalive === false ? undefined : typeof scenario.keepalive === 'number' ? scenario.keepalive
    : target.sessionTimeoutS ? Math.max(500, target.sessionTimeoutS * 400) : 25_000;

  // Peer ids carry this run's prefix: runs in parallel share the host, never a peer.
  const peerPrefix = `${randomUUID()}/`;
  // Peers that die (their process crashed) end the scenario at once, with the reason.
  let peersLost: string | undefined;
  target.peers?.watch(peerPrefix, (reason) => {
    peersLost = reason;
    abort.abort();
  });
  const peers: StepContext['peers'] = {
    run(name, command) {
      if (!target.peers) return Promise.reject(new StepFailure('infrastructure', 'this run has no WebRTC peers: add requires: { media: true }'));
      return target.peers.run({ ...command, id: peerPrefix + name } as Parameters<PeerHost['run']>[0]);
    },
  };

  const context = (signal: AbortSignal): StepContext => ({
    signal,
    target: { transport: target.transport, url: target.url, tls: target.tls },
    // Media needs the time a DTLS handshake needs on a busy machine, whatever the usual limit.
    stepTimeoutMs: scenario.requires.media ? Math.max(options.stepTimeoutMs, MEDIA_STEP_TIMEOUT_MS) : options.stepTimeoutMs,
    secrets: target.secrets,
    peers,
    actor: (name) => actors.get(name)!,
    janus(actor) {
      if (!clients.has(actor.name)) {
        clients.set(actor.name, connect(actor.name, 'janus', target.transport, target.url).then((c) => {
          if (keepaliveMs !== undefined) c.startKeepalives(keepaliveMs);
          return c;
        }));
      }
      return clients.get(actor.name)!;
    },
    admin() {
      if (!target.admin) return Promise.reject(new StepFailure('infrastructure', 'no Admin API address is known: give --admin-url'));
      adminClient ??= connect('admin', 'admin', target.admin.transport, target.admin.url);
      return adminClient;
    },
    nextTransaction,
    resolve: (template, actor, transaction) => template(values.lookupFor(actor, transaction)),
    match(matcher: Matcher, actual: unknown, actor: Actor): Mismatch[] {
      const out: Mismatch[] = [];
      const lookup = values.lookupFor(actor);
      matcher(actual, '', { resolve: (t) => t(lookup), validateSchema: options.validateSchema ?? validateSchema }, out);
      return out;
    },
    save: (name, value) => values.saved.set(name, value),
    traffic: (actor, direction, message, route, http) => record(actor.name, 'janus')(direction, message, route, http),
    noteReply: (reply, transaction) => (values.last = { reply, transaction }),
  });

  let failure: Failure | undefined;
  const cleanupFailures: Failure[] = [];
  const schemaWarnings: string[] = [];
  const mainContext = context(AbortSignal.any([abort.signal, connectionLost.signal]));
  try {
    failure = resolveVariables(scenario, values, mainContext, actors.get(scenario.clients[0]!)!);
    for (const step of failure ? [] : scenario.steps) {
      failure = await runStep(step, mainContext, emit);
      failure ??= schemaVerdict(step, violations.splice(0), schemaMode, schemaWarnings);
      // Whatever a step says after its signal fired, the cause is the time limit, Ctrl-C, a lost
      // peer process or a lost connection.
      if (abort.signal.aborted) failure = peersLost !== undefined ? { kind: 'assertion', summary: peersLost, span: step.span, stepTitle: step.title } : interruption(step, timedOut, timeoutMs);
      else if (broken) failure = { ...broken, span: step.span, stepTitle: step.title };
      else if (lost) failure = { ...lost, span: step.span, stepTitle: step.title };
      if (failure) break;
    }
  } catch (e) {
    failure = toFailure(e);
  }
  clearTimeout(timer);
  const stepMessages = transcript.length;

  // Cleanup gets its own time budget: it must run even after a timeout or Ctrl-C.
  const cleanupSignal = AbortSignal.timeout(CLEANUP_BUDGET_MS);
  const cleanupContext = context(cleanupSignal);
  for (const step of scenario.cleanup) {
    const f = await runStep(step, cleanupContext, emit);
    if (f) cleanupFailures.push(f);
  }
  await target.peers?.closeAll(peerPrefix);
  const destroyedSessions: number[] = [];
  const sessionsLeft: ScenarioResult['sessionsLeft'] = [];
  for (const [name, pending] of clients) {
    const client = await pending.catch(() => undefined);
    if (!client) continue;
    // The client adds each session's own apisecret or token.
    const destroy = (sessionId: number): JanusMessage => ({ janus: 'destroy', session_id: sessionId, transaction: `cleanup-${nextKeepalive()}` });
    const closed = await client.close(destroy, 2000);
    destroyedSessions.push(...closed.destroyed);
    sessionsLeft.push(...closed.left.map((l) => ({ client: name, ...l })));
    if (client.fault && !failure) failure = { kind: 'infrastructure', summary: `client ${name}: ${client.fault.message}` };
  }
  // One that happened after the last step, or during cleanup, still fails the scenario.
  failure ??= broken;
  await (await adminClient?.catch(() => undefined))?.close(() => ({}), 0);
  options.signal?.removeEventListener('abort', onOuterAbort);
  // What arrived after the last step (cleanup, late events) is reported, never failed on.
  schemaWarnings.push(...violations.splice(0).map(formatViolation));

  const finalFailure = await withDeathReason(failure ?? cleanupFailures[0], target);
  const result: ScenarioResult = {
    file: scenario.file,
    name: scenario.name,
    transport: target.transport,
    status: finalFailure ? 'failed' : 'passed',
    startedAt: started,
    durationMs: Date.now() - started,
    failure: finalFailure,
    cleanupFailures: failure ? cleanupFailures : cleanupFailures.slice(1),
    transcript,
    stepMessages,
    saved: Object.fromEntries(values.saved),
    destroyedSessions,
    sessionsLeft,
    schemaWarnings,
    secretValues: secretValuesOf(target.secrets, scenario.secrets, values.saved),
  };
  emit({ type: 'scenario:end', result });
  return result;
}

/** A server problem on a server that died names the death first: that is the cause, the dropped connection only its sign. */
async function withDeathReason(failure: Failure | undefined, target: RunTarget): Promise<Failure | undefined> {
  if (failure?.kind !== 'infrastructure' || !target.deathReason) return failure;
  const reason = await target.deathReason().catch(() => undefined);
  return reason ? { ...failure, summary: `${reason}; ${failure.summary}` } : failure;
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

async function runStep(step: CompiledStep, ctx: StepContext, emit: (e: RunEvent) => void): Promise<Failure | undefined> {
  const t0 = Date.now();
  emit({ type: 'step:start', title: step.title, span: step.span });
  let failure: Failure | undefined;
  try {
    await step.execute(ctx);
  } catch (e) {
    failure = { ...toFailure(e), span: step.span, stepTitle: step.title };
  }
  emit({ type: 'step:end', title: step.title, span: step.span, status: failure ? 'failed' : 'passed', durationMs: Date.now() - t0 });
  return failure;
}

/** Schema violations seen during a step: in strict mode they fail it, in warn mode they are kept. */
function schemaVerdict(step: CompiledStep, found: Violation[], mode: SchemaMode, warnings: string[]): Failure | undefined {
  if (found.length === 0) return undefined;
  if (mode === 'warn') {
    warnings.push(...found.map(formatViolation));
    return undefined;
  }
  const [first, ...rest] = found;
  return {
    kind: 'assertion',
    summary: `${formatViolation(first!)}${rest.length > 0 ? ` (and ${rest.length} more)` : ''}`,
    span: step.span,
    stepTitle: step.title,
    schemaViolations: found.map(formatViolation),
  };
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
