import { startInterrupted, unlessInterrupted } from '../errors.js';
import type { BrokerKind, BrokerStarter, RunningBroker } from './contract.js';
import { startMosquitto } from './mosquitto.js';
import { startRabbitmq } from './rabbitmq.js';

/**
 * One broker of each kind per process, started on first use and stopped when the last managed
 * Janus using it is stopped: a run starts RabbitMQ (about 6 s, over 100 MB) once, and only when
 * a scenario runs on it.
 */
interface Entry {
  broker: Promise<RunningBroker>;
  /** Leases that hold the broker or wait for its start. */
  users: number;
  /** Stops the start once no lease waits for it any more (each was interrupted). */
  start: AbortController;
}

export interface BrokerLease {
  broker: RunningBroker;
  release(): Promise<void>;
}

export class BrokerPool {
  private readonly entries = new Map<BrokerKind, Entry>();
  /** Brokers that started, for the exit handler (which cannot wait for promises). */
  private readonly started = new Set<RunningBroker>();
  /** How to kill what the starts under way have made so far, for the exit handler too. */
  private readonly starting = new Set<() => void>();

  constructor(private readonly starters: Record<BrokerKind, BrokerStarter>) {}

  /**
   * A running broker of this kind, started if needed; release the lease when done with it.
   * When `signal` aborts first, it rejects with startInterrupted at once; the start goes on while
   * another lease still waits for it, and is stopped (processes and folder gone) before the
   * rejection when this lease was the last.
   */
  async lease(kind: BrokerKind, signal?: AbortSignal): Promise<BrokerLease> {
    if (signal?.aborted) throw startInterrupted(signal);
    let entry = this.entries.get(kind);
    if (!entry) {
      const start = new AbortController();
      const broker = this.start(kind, start.signal);
      const created: Entry = { broker, users: 0, start };
      this.entries.set(kind, created);
      broker.catch(() => this.forget(kind, created));
      entry = created;
    }
    entry.users++;
    let broker: RunningBroker;
    try {
      broker = await unlessInterrupted(signal, entry.broker);
    } catch (err) {
      await this.leave(kind, entry);
      throw err;
    }
    // A broker that died (killed mid-run) is not handed out again: the next lease starts a new one.
    if (broker.exited()) {
      this.forget(kind, entry);
      await this.leave(kind, entry);
      return this.lease(kind, signal);
    }
    let released = false;
    return {
      broker,
      release: async () => {
        if (released) return;
        released = true;
        await this.leave(kind, entry);
      },
    };
  }

  /** For 'exit' handlers: every broker, started or starting, killed and its folder removed. */
  killAllSync(): void {
    for (const broker of this.started) broker.killSync();
    for (const kill of this.starting) kill();
    this.started.clear();
    this.starting.clear();
    this.entries.clear();
  }

  /**
   * The starter's run, known to the exit handler from its first process to its end: what it
   * made is killed by the kills it registered until it started, by the broker's killSync after.
   */
  private start(kind: BrokerKind, signal: AbortSignal): Promise<RunningBroker> {
    const kills: Array<() => void> = [];
    const settle = (): void => kills.forEach((kill) => this.starting.delete(kill));
    const starting = this.starters[kind]({
      signal,
      starting: (kill) => {
        kills.push(kill);
        this.starting.add(kill);
      },
    });
    return starting.then(
      (broker) => {
        settle();
        this.started.add(broker);
        return broker;
      },
      (err: unknown) => {
        settle();
        throw err;
      },
    );
  }

  /** A broker whose start failed or that died is never handed out again. */
  private forget(kind: BrokerKind, entry: Entry): void {
    if (this.entries.get(kind) === entry) this.entries.delete(kind);
  }

  /**
   * One lease fewer. The last one stops the broker: a start under way is aborted (no lease is
   * left to want it, and a later lease starts a new one rather than get it half-stopped), and
   * whatever it ends with is stopped, so that nothing is left when this resolves.
   */
  private async leave(kind: BrokerKind, entry: Entry): Promise<void> {
    entry.users--;
    if (entry.users > 0) return;
    this.forget(kind, entry);
    entry.start.abort();
    const broker = await entry.broker.catch(() => undefined);
    if (!broker) return;
    this.started.delete(broker);
    await broker.stop();
  }
}

const pool = new BrokerPool({ mosquitto: startMosquitto, rabbitmq: startRabbitmq });

/** A running broker of this kind from the process's pool; see BrokerPool.lease. */
export function leaseBroker(kind: BrokerKind, signal?: AbortSignal): Promise<BrokerLease> {
  return pool.lease(kind, signal);
}

/** For 'exit' handlers. */
export function killAllBrokersSync(): void {
  pool.killAllSync();
}
