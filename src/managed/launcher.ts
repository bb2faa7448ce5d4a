import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { Server } from 'node:net';
import { access, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { clip } from '../core/clip.js';
import { selfSignedCertificate, type TlsCertificate } from './certificate.js';
import { FlakyStart, JanusStartError, PortConflict, startInterrupted, unlessInterrupted } from './errors.js';
import { findInstallation, type JanusInstallation } from './installation.js';
import { writeInstanceFiles } from './instance-files.js';
import { checkOverrides } from './overrides.js';
import { AgentPeerHost } from './netns/agent-host.js';
import type { PeerHost } from '../media/contract.js';
import { JanusProcess, janusCommand } from './janus-process.js';
import { endpointsOf, listenerNames, makeListener, type ListenerName, type ManagedEndpoints } from './listeners.js';
import { type GeneralConfig, type JanusNeeds, type JanusTransportName, pluginStem, transportStems } from './needs.js';
import { requireObservers } from './observers.js';
import { definedTransports, LISTENER_TRANSPORTS, type PreparedTransport, prepareTransports, probeInfo, releaseTransports, releaseTransportsSync } from './defined-transports.js';
import type { TransportDefinition } from '../transports/contract.js';
import { AGENT_STOP_GRACE_MS, agentCommand, namespaceEmptied, namespaceOf, namespaceUnavailable } from './netns/namespace.js';
import { allocateMediaPortRanges, pickFreePorts } from './ports.js';
import { waitUntilReady } from './readiness.js';
import { bridge, bridgeSocketPath, outboundSocketPath } from './socket-bridge.js';
import { BrokerStartError } from './brokers/contract.js';
import { killAllBrokersSync } from './brokers/pool.js';
import { type BrokerTransport, isBrokerTransport, leaseBrokers, releaseAll, waitForBrokerTransports, wireBrokers } from './brokers/wiring.js';
import type { BrokerLease } from './brokers/pool.js';
import { makeOwnedFolder, sweepStaleFolders } from './stale-folders.js';
import { addLive, killAllJanusSync, onKillAll, removeLive, startInterrupts } from './live.js';

/** A running Janus owned by this process. */
export interface ManagedJanus {
  /** Janus's pid; with `media`, the pid of the namespace agent that runs Janus. */
  pid: number;
  /** The instance's private folder: configs, module symlinks, certificate, recordings. */
  dir: string;
  endpoints: ManagedEndpoints;
  /** The Janus API and Admin API addresses of one transport, when this instance serves it. */
  endpointFor(transport: string): { url: string; adminUrl?: string } | undefined;
  /** PEM of the self-signed certificate, when https or wss is enabled. */
  caPem?: string;
  adminSecret: string;
  /** The `general` overrides applied on top of the launcher's defaults (admin_secret is in adminSecret). */
  config: GeneralConfig;
  /** Where WebRTC peers that can reach this Janus run: set when started with `media`. */
  peers?: PeerHost;
  /** The last ~200 lines of Janus output, for error messages. */
  log(): string;
  /**
   * Why Janus is gone when it died on its own (a crash, an exit): the status and its last
   * words, one line. Undefined while it runs and after stop().
   */
  deathReason(): Promise<string | undefined>;
  /** Whether Janus itself died on its own (not a broker it uses): its sessions went with it. False after stop(). */
  janusDied(): Promise<boolean>;
  /** Whether Janus has exited on its own, as far as is known without waiting. False after stop(). */
  janusGone(): boolean;
  /** SIGTERM, SIGKILL after 3 s, then removes the folder. Idempotent. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Janus executable, looked up on PATH unless it contains a '/'. Default 'janus'. */
  binary?: string;
  /** How long Janus may start without a sign of progress (log output, a listener opening); at most 6x in all. Default 10000. */
  readyTimeoutMs?: number;
  /** Folder holding plugins/ and transports/; found next to the binary when omitted. */
  moduleDir?: string;
  /**
   * Stops the start at once when it aborts (JanusStartError "the start was interrupted"): the
   * starting Janus is killed and its folder removed, and so is a broker still starting for it
   * (MQTT, RabbitMQ) that no other start waits for. The interrupts of a running CLI command
   * (see interruptStartsWith) stop every start too.
   */
  signal?: AbortSignal;
}

/** Where the Admin API of each of the launcher's own transports is, among its endpoints. */
const ADMIN_ENDPOINT: Record<string, keyof ManagedEndpoints> = { http: 'adminHttp', https: 'adminHttps', ws: 'adminWs', wss: 'adminWss', mqtt: 'adminMqtt', rabbitmq: 'adminRabbitmq' };
/** Bind failures are retried with fresh ports this many times. */
const PORT_RETRIES = 3;
/** Start-up races of a transport (a start takes ~100 ms; the race was lost in about half the starts). */
const FLAKY_START_RETRIES = 12;
const STOP_GRACE_MS = 3000;
/** One readiness attempt over a defined transport waits this long for `info`. */
const PROBE_TIMEOUT_MS = 1000;

let exitHandlerInstalled = false;

export async function startJanus(needs: JanusNeeds, options: StartOptions = {}): Promise<ManagedJanus> {
  const signal = startInterrupts(options.signal);
  if (signal?.aborted) throw startInterrupted(signal);
  const plan = await planLaunch(needs, options);
  installExitHandler();
  // The brokers come first: Janus's RabbitMQ transport gives up for good when it finds none.
  // An interrupt stops a broker start too (RabbitMQ takes seconds): its processes and folder go.
  let leases: Map<BrokerTransport, BrokerLease>;
  try {
    leases = await leaseBrokers(plan.brokerTransports, signal);
  } catch (err) {
    throw err instanceof BrokerStartError ? new JanusStartError(err.message) : err;
  }
  try {
    let conflicts = 0;
    let flaky = 0;
    for (;;) {
      if (signal?.aborted) throw startInterrupted(signal);
      try {
        return await launch(plan, leases, signal);
      } catch (err) {
        if (err instanceof FlakyStart) {
          if (++flaky > FLAKY_START_RETRIES) throw new JanusStartError(`${err.message}, in ${flaky} starts in a row`);
          continue;
        }
        if (!(err instanceof PortConflict)) throw err;
        if (++conflicts > PORT_RETRIES) throw new JanusStartError(`Janus could not bind its ports after ${conflicts} attempts: ${err.message}`);
      }
    }
  } catch (err) {
    await releaseAll(leases);
    throw err instanceof BrokerStartError ? new JanusStartError(err.message) : err;
  }
}

// The brokers a managed Janus uses die with it on a hard stop.
onKillAll(killAllBrokersSync);

interface LaunchPlan {
  installation: JanusInstallation;
  plugins: string[];
  pluginStems: string[];
  transportStems: string[];
  names: ListenerName[];
  brokerTransports: BrokerTransport[];
  /** Transports the launcher configures through their definitions (Unix sockets, Nanomsg, user-written ones). */
  defined: TransportDefinition[];
  certificate: TlsCertificate | undefined;
  adminSecret: string;
  needs: JanusNeeds;
  options: StartOptions;
}

/** Everything that does not change between attempts; all checks that need no running Janus. */
async function planLaunch(needs: JanusNeeds, options: StartOptions): Promise<LaunchPlan> {
  checkOverrides(needs.config);
  const installation = await findInstallation(options.binary, options.moduleDir);
  const plugins = [...new Set(needs.plugins)];
  const pluginStems = plugins.map(pluginStem);
  for (const [i, stem] of pluginStems.entries()) await requirePlugin(installation, stem, plugins[i]!);
  await requireObservers(installation, 'eventhandlers', needs.eventhandlers ?? {});
  await requireObservers(installation, 'loggers', needs.loggers ?? {});
  const defined = definedTransports([...new Set(needs.transports)]);
  // Janus refuses to run without a Janus API transport, so "none" means the default, HTTP.
  const wanted = needs.transports.length > 0 ? [...new Set(needs.transports)] : ['http'];
  const brokerTransports = wanted.filter(isBrokerTransport);
  const transports: JanusTransportName[] = wanted.filter((t) => LISTENER_TRANSPORTS.includes(t));
  // Readiness needs a listener or a defined transport to probe: broker-only instances get HTTP too.
  if (transports.length === 0 && defined.length === 0) transports.push('http');
  transports.push(...brokerTransports);
  const tls = transports.includes('https') || transports.includes('wss');
  const configuredSecret = needs.config['admin_secret'];
  const unavailable = needs.media ? namespaceUnavailable() : undefined;
  if (unavailable) throw new JanusStartError(unavailable);
  return {
    installation,
    plugins,
    pluginStems,
    transportStems: transportStems(transports),
    names: listenerNames(transports),
    brokerTransports,
    defined,
    certificate: tls ? await selfSignedCertificate() : undefined,
    adminSecret: configuredSecret === undefined ? randomBytes(12).toString('hex') : String(configuredSecret),
    needs,
    options,
  };
}

/** One attempt: a fresh folder and fresh ports. On any failure the attempt cleans up after itself. */
async function launch(plan: LaunchPlan, leases: Map<BrokerTransport, BrokerLease>, signal: AbortSignal | undefined): Promise<ManagedJanus> {
  sweepStaleFolders();
  const dir = makeOwnedFolder();
  const brokers = wireBrokers(basename(dir), leases);
  let instance: ManagedInstance | undefined;
  const bridges: Server[] = [];
  let prepared: PreparedTransport[] = [];
  try {
    const ports = await pickFreePorts(plan.names.length);
    const listeners = plan.names.map((name, i) => makeListener(name, ports[i]!));
    await writeInstanceFiles({
      dir,
      installation: plan.installation,
      plugins: plan.pluginStems,
      transports: plan.transportStems,
      listeners,
      ...(plan.certificate && { certificate: plan.certificate }),
      overrides: plan.needs.config,
      adminSecret: plan.adminSecret,
      media: allocateMediaPortRanges(),
      ...(plan.needs.eventhandlers && { eventhandlers: plan.needs.eventhandlers }),
      ...(plan.needs.loggers && { loggers: plan.needs.loggers }),
      namespaced: plan.needs.media === true,
      transportConfigs: brokers.transportConfigs,
    });
    prepared = await prepareTransports(dir, plan.installation, plan.defined);
    // With media, Janus listens on the same port numbers inside its namespace; ours bridge to them.
    if (plan.needs.media) bridges.push(...(await bridgePorts(dir, ports)));
    // And the brokers, outside its namespace, are reached the other way round.
    const outbound = plan.needs.media ? [...leases.values()].map((l) => l.broker.port) : [];
    for (const port of outbound) bridges.push(await bridge({ path: outboundSocketPath(dir, port) }, { host: '127.0.0.1', port }));
    if (signal?.aborted) throw startInterrupted(signal);
    const janus = plan.needs.media ? new JanusProcess(agentCommand(plan.installation, dir, ports, outbound), dir, true) : new JanusProcess(janusCommand(plan.installation, dir), dir);
    const pid = janus.pid;
    if (pid === undefined) {
      const { error } = await janus.exited;
      throw new JanusStartError(`could not run ${plan.installation.binary}: ${error?.message ?? 'spawn failed'}`);
    }
    const endpoints = { ...endpointsOf(listeners), ...brokers.endpoints };
    instance = new ManagedInstance(janus, pid, dir, endpoints, plan.adminSecret, { ...plan.needs.config }, plan.certificate?.certPem, bridges, leases, prepared, plan.needs.media === true);
    addLive(instance);
    const timeoutMs = plan.options.readyTimeoutMs ?? 10_000;
    await waitUntilReady({
      janus,
      listeners,
      plugins: plan.plugins,
      timeoutMs,
      bridged: plan.needs.media === true,
      probes: prepared.map((p) => ({ name: p.name, info: () => probeInfo(p, PROBE_TIMEOUT_MS) })),
      flakyStarts: prepared.flatMap((p) => (p.definition.managed?.flakyStart ? [{ name: p.name, line: p.definition.managed.flakyStart }] : [])),
      ...(plan.certificate && { caPem: plan.certificate.certPem }),
      ...(signal && { signal }),
    });
    // Once interrupted, the discard below kills Janus, and the wait left behind ends with it.
    await unlessInterrupted(signal, waitForBrokerTransports(janus, brokers, leases, timeoutMs));
    return instance;
  } catch (err) {
    if (instance) await instance.discard();
    else {
      closeBridges(bridges);
      await releaseTransports(prepared);
      await rm(dir, { recursive: true, force: true });
    }
    throw err;
  }
}

/** One loopback listener per port, each piped to the agent's Unix socket for it (see socket-bridge.ts). */
async function bridgePorts(dir: string, ports: number[]): Promise<Server[]> {
  const servers: Server[] = [];
  try {
    for (const port of ports) servers.push(await bridge({ host: '127.0.0.1', port }, { path: bridgeSocketPath(dir, port) }));
    return servers;
  } catch (err) {
    closeBridges(servers);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new PortConflict(`port taken before the bridge could bind it: ${(err as Error).message}`);
    throw err;
  }
}

function closeBridges(servers: Server[]): void {
  for (const server of servers) server.close();
}

class ManagedInstance implements ManagedJanus {
  readonly caPem?: string;
  readonly peers?: PeerHost;
  private stopping: Promise<void> | undefined;
  /** Janus had exited on its own when stop() was called. */
  private diedFirst = false;

  constructor(
    private readonly janus: JanusProcess,
    readonly pid: number,
    readonly dir: string,
    readonly endpoints: ManagedEndpoints,
    readonly adminSecret: string,
    readonly config: GeneralConfig,
    caPem: string | undefined,
    private readonly bridges: Server[] = [],
    /** The brokers of its MQTT and RabbitMQ transports; the startJanus caller releases them when a start fails. */
    private readonly brokerLeases: Map<BrokerTransport, BrokerLease> = new Map(),
    /** Its defined transports (Unix sockets, Nanomsg, ...), released when it stops. */
    private readonly prepared: PreparedTransport[] = [],
    namespaced = false,
  ) {
    if (caPem !== undefined) this.caPem = caPem;
    if (namespaced) this.peers = new AgentPeerHost(janus.ipc);
  }

  log(): string {
    return this.janus.log.text();
  }

  endpointFor(transport: string): { url: string; adminUrl?: string } | undefined {
    const setup = this.prepared.find((p) => p.name === transport)?.setup;
    if (setup) return { url: setup.url, ...(setup.adminUrl !== undefined && { adminUrl: setup.adminUrl }) };
    const url = this.endpoints[transport as keyof ManagedEndpoints];
    if (!url) return undefined;
    const adminName = Object.hasOwn(ADMIN_ENDPOINT, transport) ? ADMIN_ENDPOINT[transport] : undefined;
    const adminUrl = adminName ? this.endpoints[adminName] : undefined;
    return { url, ...(adminUrl !== undefined && { adminUrl }) };
  }

  /** Whether Janus is known to have exited on its own, without waiting for its exit status. */
  janusGone(): boolean {
    return !this.stoppedByUs() && !this.janus.running;
  }

  async janusDied(): Promise<boolean> {
    if (this.stoppedByUs()) return false;
    const status = await this.janus.statusIfDead();
    // A stop begun meanwhile is ours, not a death.
    return status !== undefined && !this.stoppedByUs();
  }

  async deathReason(): Promise<string | undefined> {
    if (this.stoppedByUs()) return undefined;
    // A dead broker is the cause: Janus outlives it, its transport reconnecting in vain.
    for (const lease of this.brokerLeases.values()) {
      const brokerDeath = await lease.broker.deathReason();
      if (brokerDeath && !this.stoppedByUs()) return brokerDeath;
    }
    const status = await this.janus.statusIfDead();
    if (!status || this.stoppedByUs()) return undefined;
    await this.janus.closed;
    const how = status.signal ? `signal ${status.signal}` : `exit code ${status.code}`;
    const last = this.janus.log.allLines().map((l) => l.trim()).filter(Boolean).at(-1);
    return `the managed Janus died during the run (${how})${last ? `; its last words: ${clip(last, 200)}` : ''}`;
  }

  /**
   * Whether a stop of ours, not a death, ended Janus. A Janus stopped after it died (a
   * crashed one cleared away while the tests that met the crash still ask) stays dead.
   */
  private stoppedByUs(): boolean {
    return this.stopping !== undefined && !this.diedFirst;
  }

  stop(): Promise<void> {
    if (this.stopping === undefined && !this.janus.running) this.diedFirst = true;
    this.stopping ??= this.shutdown(STOP_GRACE_MS);
    return this.stopping;
  }

  /** For failed starts: a half-started Janus has nothing worth a graceful shutdown (SIGTERM costs ~150 ms). */
  discard(): Promise<void> {
    this.stopping ??= this.shutdown(0);
    return this.stopping;
  }

  killSync(): void {
    this.janus.killSync();
    closeBridges(this.bridges);
    releaseTransportsSync(this.prepared);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async shutdown(graceMs: number): Promise<void> {
    try {
      // The agent's namespace, read while the agent lives (none before unshare made it).
      const namespace = this.peers ? namespaceOf(this.pid) : undefined;
      closeBridges(this.bridges);
      await this.janus.terminate(this.peers && graceMs > 0 ? AGENT_STOP_GRACE_MS : graceMs);
      if (namespace !== undefined && namespace !== namespaceOf(process.pid)) await namespaceEmptied(namespace);
      await releaseTransports(this.prepared);
      await rm(this.dir, { recursive: true, force: true });
      // Only a started instance releases its brokers; a failed start leaves that to startJanus.
      if (graceMs > 0) await releaseAll(this.brokerLeases);
    } finally {
      removeLive(this);
    }
  }
}

async function requirePlugin(installation: JanusInstallation, stem: string, pluginPackage: string): Promise<void> {
  const path = join(installation.moduleDir, 'plugins', `libjanus_${stem}.so`);
  try {
    await access(path);
  } catch {
    throw new JanusStartError(`plugin '${pluginPackage}' is not installed (no ${path})`);
  }
}

/** A crash or process.exit() must not leave Janus processes or folders behind. */
function installExitHandler(): void {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  process.once('exit', killAllJanusSync);
}
