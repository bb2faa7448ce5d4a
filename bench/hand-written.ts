/**
 * Hand-written clients, the bench's yardstick: the least code that does the anchor flow over a
 * transport and checks every reply. The bench compares each with the runner's transport of the
 * same name: a new transport joins the bench by registering its client here.
 */

import type { FlowClient } from './anchor.js';
import { installed } from './unix-nanomsg.js';

export interface HandWritten {
  /** The runner's transport this client is compared with ("ws", "http", ...). */
  transport: string;
  /** Loaded when used, so a process running one client loads nothing of the others. */
  load(): Promise<FlowClient>;
}

const clients = new Map<string, HandWritten>();

export function registerHandWritten(client: HandWritten): void {
  clients.set(client.transport, client);
}

export function handWrittenFor(transport: string): HandWritten | undefined {
  return clients.get(transport);
}

export function handWrittenTransports(): string[] {
  return [...clients.keys()];
}

registerHandWritten({ transport: 'ws', load: async () => (await import('./hand-written-ws.js')).wsFlows });
registerHandWritten({ transport: 'http', load: async () => (await import('./hand-written-http.js')).httpFlows });
registerHandWritten({ transport: 'mqtt', load: async () => (await import('./hand-written-mqtt.js')).mqttFlows });
registerHandWritten({ transport: 'unix', load: async () => (await import('./unix-nanomsg.js')).unixFlows });
// An optional dependency (built with a compiler): benched where it is installed.
if (installed('nanomsg')) registerHandWritten({ transport: 'nanomsg', load: async () => (await import('./unix-nanomsg.js')).nanomsgFlows });
