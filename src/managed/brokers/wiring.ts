import { setTimeout as sleep } from 'node:timers/promises';
import { clip } from '../../core/clip.js';
import type { JanusProcess } from '../janus-process.js';
import type { JcfgSection } from '../jcfg.js';
import type { ManagedEndpoints } from '../listeners.js';
import { BrokerStartError } from './contract.js';
import { BROKER_OF_TRANSPORT, brokerRoutes, mqttJcfg, mqttUrl, rabbitmqJcfg, rabbitmqUrl, readyLines, TRANSPORT_FAILURE } from './janus-config.js';
import { leaseBroker, type BrokerLease } from './pool.js';

export type BrokerTransport = keyof typeof BROKER_OF_TRANSPORT;

export function isBrokerTransport(name: string): name is BrokerTransport {
  return Object.hasOwn(BROKER_OF_TRANSPORT, name);
}

/**
 * The brokers a Janus's transports need, leased (started when not yet running). When `signal`
 * aborts, it rejects with startInterrupted, having released what it leased and stopped a broker
 * start that no other lease waits for.
 */
export async function leaseBrokers(transports: readonly BrokerTransport[], signal?: AbortSignal): Promise<Map<BrokerTransport, BrokerLease>> {
  const leases = new Map<BrokerTransport, BrokerLease>();
  try {
    // One after the other: a failure leaves nothing half-started behind a broker still starting.
    for (const t of transports) leases.set(t, await leaseBroker(BROKER_OF_TRANSPORT[t], signal));
    return leases;
  } catch (err) {
    await releaseAll(leases);
    throw err;
  }
}

export async function releaseAll(leases: Map<BrokerTransport, BrokerLease>): Promise<void> {
  await Promise.all([...leases.values()].map((l) => l.release()));
}

export interface BrokerWiring {
  transportConfigs: Record<string, Record<string, JcfgSection>>;
  endpoints: ManagedEndpoints;
  readyLines: string[];
}

/** Topics, queues, jcfgs and client URLs of one instance on the leased brokers. */
export function wireBrokers(instance: string, leases: Map<BrokerTransport, BrokerLease>): BrokerWiring {
  const wiring: BrokerWiring = { transportConfigs: {}, endpoints: {}, readyLines: [] };
  for (const [transport, lease] of leases) {
    const routes = brokerRoutes(instance, transport);
    const port = lease.broker.port;
    if (transport === 'mqtt') {
      wiring.transportConfigs['mqtt'] = mqttJcfg(port, routes, instance);
      wiring.endpoints.mqtt = mqttUrl(port, routes, false);
      wiring.endpoints.adminMqtt = mqttUrl(port, routes, true);
    } else {
      wiring.transportConfigs['rabbitmq'] = rabbitmqJcfg(port, routes);
      wiring.endpoints.rabbitmq = rabbitmqUrl(port, routes, false);
      wiring.endpoints.adminRabbitmq = rabbitmqUrl(port, routes, true);
    }
    wiring.readyLines.push(...readyLines(transport, routes));
  }
  return wiring;
}

const POLL_MS = 20;

/**
 * Waits until Janus's log shows each broker transport serving (subscribed, connected); fails
 * with Janus's own words when a transport gave up, or the broker died meanwhile.
 */
export async function waitForBrokerTransports(janus: JanusProcess, wiring: BrokerWiring, leases: Map<BrokerTransport, BrokerLease>, timeoutMs: number): Promise<void> {
  const started = Date.now();
  // The log keeps its last lines only: what was seen is remembered between polls.
  const seen = new Set<string>();
  for (;;) {
    const lines = janus.log.allLines();
    const failure = lines.find((l) => TRANSPORT_FAILURE.test(l));
    if (failure) throw new BrokerStartError(`Janus could not use its broker transport: ${clip(failure.trim(), 300)}`);
    for (const wanted of wiring.readyLines) if (lines.some((l) => l.includes(wanted))) seen.add(wanted);
    if (seen.size === wiring.readyLines.length) return;
    for (const lease of leases.values()) {
      if (lease.broker.exited()) throw new BrokerStartError((await lease.broker.deathReason()) ?? `the ${lease.broker.kind} broker stopped`);
    }
    if (!janus.running) return; // the caller's readiness check reports Janus's exit
    if (Date.now() - started > timeoutMs) {
      const missing = wiring.readyLines.filter((wanted) => !seen.has(wanted));
      throw new BrokerStartError(`Janus's broker transports not ready within ${timeoutMs} ms (no log line "${missing[0]}")`);
    }
    await Promise.race([sleep(POLL_MS), janus.exited]);
  }
}
