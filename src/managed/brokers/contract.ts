/**
 * Message brokers a managed Janus needs for its MQTT and RabbitMQ transports. Each is a real
 * server from the system (mosquitto, rabbitmq-server) in a private folder on free loopback
 * ports, started once per run when a scenario needs it, shared by every managed Janus of the
 * run (each Janus has its own topics or queues on it), and stopped with the last of them.
 */
export type BrokerKind = 'mosquitto' | 'rabbitmq';

export interface RunningBroker {
  kind: BrokerKind;
  /** The loopback port clients (Janus and the runner) connect to. */
  port: number;
  /** How long the broker took from spawn to accepting clients. */
  startMs: number;
  /** Whether its process has exited (without waiting: for polls). */
  exited(): boolean;
  /** Why the broker is gone when it died on its own, one line; undefined while it runs. */
  deathReason(): Promise<string | undefined>;
  /** Stops the broker and everything it started, and removes its folder. Idempotent. */
  stop(): Promise<void>;
  /** For 'exit' handlers: SIGKILL to all its processes, folder removed. */
  killSync(): void;
}

/** What the pool gives a broker start. */
export interface BrokerStartControl {
  /** Aborts the start: its processes are killed, its folder removed, and it rejects (startInterrupted). */
  signal: AbortSignal;
  /**
   * Tells the pool how to kill the start's processes and remove its folder at once, for the
   * 'exit' handler while the start is under way (the started broker's killSync takes over).
   */
  starting(killSync: () => void): void;
}

export type BrokerStarter = (control: BrokerStartControl) => Promise<RunningBroker>;

/** A broker could not be started; the message is one line for the report. */
export class BrokerStartError extends Error {
  override readonly name = 'BrokerStartError';
}
