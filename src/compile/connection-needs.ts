import type { CompiledStep } from '../steps/contract.js';
import { getTransport } from '../transports/registry.js';

type ConnectionNeed = NonNullable<CompiledStep['needs']>;

/** The most a scenario's steps ask of a connection: close codes over a plain close. */
export function strongestNeed(steps: readonly CompiledStep[]): ConnectionNeed | undefined {
  if (steps.some((s) => s.needs === 'closeCodes')) return 'closeCodes';
  return steps.some((s) => s.needs === 'connection') ? 'connection' : undefined;
}

/**
 * Why a transport cannot run steps with this need, or undefined when it can. Brokers (MQTT,
 * RabbitMQ), Nanomsg and Unix sockets carry every client over one channel Janus cannot tell
 * apart: there is no connection of the client's own to close, and Janus would never notice.
 */
export function connectionSkip(need: ConnectionNeed, transport: string): string | undefined {
  const connection = getTransport(transport)?.connection;
  if (!connection) return `closes and reopens a client's connection, and ${transport} gives a client no connection of its own to Janus`;
  if (need === 'closeCodes' && !connection.closeCodes) return `closes connections with a WebSocket close code or reason, which ${transport} has none of`;
  return undefined;
}
