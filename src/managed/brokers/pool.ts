import { type BrokerKind, type RunningBroker } from './contract.js';
import { startMosquitto } from './mosquitto.js';
import { startRabbitmq } from './rabbitmq.js';

/**
 * One broker of each kind per process, started on first use and stopped when the last managed
 * Janus using it is stopped: a run starts RabbitMQ (about 6 s, over 100 MB) once, and only when
 * a scenario runs on it.
 */
interface Entry {
  broker: Promise<RunningBroker>;
  users: number;
}

const STARTERS: Record<BrokerKind, () => Promise<RunningBroker>> = {
  mosquitto: startMosquitto,
  rabbitmq: startRabbitmq,
};

const entries = new Map<BrokerKind, Entry>();
/** Brokers that started, for the exit handler (which cannot wait for promises). */
const started = new Set<RunningBroker>();

export interface BrokerLease {
  broker: RunningBroker;
  release(): Promise<void>;
}

/** A running broker of this kind, started if needed; release the lease when done with it. */
export async function leaseBroker(kind: BrokerKind): Promise<BrokerLease> {
  let entry = entries.get(kind);
  if (!entry) {
    const broker = STARTERS[kind]().then((b) => (started.add(b), b));
    entry = { broker, users: 0 };
    entries.set(kind, entry);
    broker.catch(() => entries.get(kind) === entry && entries.delete(kind));
  }
  entry.users++;
  let broker: RunningBroker;
  try {
    broker = await entry.broker;
  } catch (err) {
    entry.users--;
    throw err;
  }
  // A broker that died (killed mid-run) is not handed out again: the next lease starts a new one.
  if (broker.exited()) {
    entry.users--;
    if (entries.get(kind) === entry) entries.delete(kind);
    if (entry.users === 0) await broker.stop();
    return leaseBroker(kind);
  }
  const current = entry;
  let released = false;
  return {
    broker,
    release: async () => {
      if (released) return;
      released = true;
      current.users--;
      if (current.users > 0) return;
      if (entries.get(kind) === current) entries.delete(kind);
      started.delete(broker);
      await broker.stop();
    },
  };
}

/** For 'exit' handlers. */
export function killAllBrokersSync(): void {
  for (const broker of started) broker.killSync();
  started.clear();
  entries.clear();
}

/** Start times of the brokers this process started, for reports and benchmarks. */
export function brokerStartTimes(): Array<{ kind: BrokerKind; startMs: number }> {
  return [...started].map((b) => ({ kind: b.kind, startMs: b.startMs }));
}
