import { JanusClient } from '../janus/client.js';
import type { RunTarget } from '../run/run-scenario.js';
import { getTransport } from '../transports/registry.js';

const ASK_TIMEOUT_MS = 5000;
/** Admin destroys sent at once by the sweep. */
const SWEEP_BATCH = 50;

/**
 * The server's own count of sessions, through the Admin API's `list_sessions`: the sessions
 * that were there before the run are someone else's; those still there after it are left.
 */
export class ServerSessions {
  private constructor(private readonly client: JanusClient, private readonly adminSecret: string) {}

  /** Undefined when the target has no Admin API address or secret, or it cannot be reached (then `why` says so). */
  static async open(target: RunTarget): Promise<{ sessions: ServerSessions } | { why: string }> {
    const admin = target.admin;
    const secret = target.secrets.admin_secret;
    if (!admin || !secret) return { why: 'no Admin API (give --admin-url and --admin-secret)' };
    const transport = getTransport(admin.transport);
    if (!transport) return { why: `no transport named ${admin.transport}` };
    try {
      const client = await JanusClient.connect(transport, { url: admin.url, api: 'admin', tls: target.tls, connectTimeoutMs: ASK_TIMEOUT_MS }, { api: 'admin', nextTransaction: transactions(), pollAuth: {} });
      return { sessions: new ServerSessions(client, secret) };
    } catch (e) {
      return { why: `the Admin API cannot be reached: ${(e as Error).message}` };
    }
  }

  /** The ids of the sessions the server holds now; a string says why they could not be listed. */
  async list(): Promise<Set<number> | string> {
    const outcome = await this.client.request({ janus: 'list_sessions', transaction: `load-${Date.now()}`, admin_secret: this.adminSecret }, {}, 'final', ASK_TIMEOUT_MS);
    if ('fault' in outcome) return outcome.fault.message;
    if ('timedOut' in outcome) return `list_sessions got no answer within ${ASK_TIMEOUT_MS}ms`;
    const reply = outcome.exchange.reply as { janus?: unknown; sessions?: unknown; error?: { reason?: unknown } };
    if (reply.janus !== 'success' || !Array.isArray(reply.sessions)) return `list_sessions answered ${JSON.stringify(reply.error?.reason ?? reply.janus)}`;
    return new Set(reply.sessions.filter((s): s is number => typeof s === 'number'));
  }

  /**
   * Sessions of this run still on the server: listed until none is left or `withinMs` passes
   * (a destroy answered a moment ago may still be on its way out).
   */
  async leftSince(before: Set<number>, withinMs: number): Promise<number[] | string> {
    const deadline = Date.now() + withinMs;
    let left: number[] = [];
    for (let attempt = 0; attempt < 50; attempt++) {
      const now = await this.list();
      if (typeof now === 'string') return now;
      left = [...now].filter((id) => !before.has(id));
      if (left.length === 0 || Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    return left;
  }

  /**
   * The last resort for sessions a run left (its iterations' cleanup got no answer in time, as
   * under heavy load): the Admin API's destroy_session, a few at a time, within `withinMs`.
   * Returns how many it destroyed.
   */
  async destroy(sessionIds: number[], withinMs: number): Promise<number> {
    const deadline = Date.now() + withinMs;
    let destroyed = 0;
    for (let i = 0; i < sessionIds.length && Date.now() < deadline; i += SWEEP_BATCH) {
      const batch = sessionIds.slice(i, i + SWEEP_BATCH);
      const outcomes = await Promise.all(batch.map((id) => this.client.request({ janus: 'destroy_session', session_id: id, transaction: `load-sweep-${id}`, admin_secret: this.adminSecret }, { sessionId: id }, 'final', ASK_TIMEOUT_MS)));
      destroyed += outcomes.filter((o) => 'exchange' in o && o.exchange.reply.janus === 'success').length;
    }
    return destroyed;
  }

  async close(): Promise<void> {
    await this.client.close(() => ({}), 0);
  }
}

function transactions(): () => string {
  let n = 0;
  return () => `load-admin-${n++}`;
}
