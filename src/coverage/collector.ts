import { idOf, verbOf, type JanusApi, type JanusMessage, type Route } from '../protocol/messages.js';
import type { RunEvent, TranscriptEntry } from '../run/events.js';

/**
 * What a run exercised, learnt from its traffic: request verbs of the Janus and Admin APIs,
 * plugin requests (by the handle's plugin and body.request), and the error codes Janus
 * answered with, each per transport. Feeds `janus-scenarios coverage`.
 */
export class CoverageCollector {
  /** "janus verb", "admin verb", or "<plugin package> <request>" → transports. */
  readonly requests = new Map<string, Set<string>>();
  /** "core 458" or "<plugin package> 426" → transports. */
  readonly errors = new Map<string, Set<string>>();
  private readonly attaching = new Map<string, string>();
  private readonly handlePlugins = new Map<number, string>();

  readonly listener = (event: RunEvent): void => {
    if (event.type === 'message') this.message(event, event.route, event.transport);
  };

  /** One message of the transcript of a test on `transport` (a suite's `message` event carries the entry and route). */
  message(entry: Pick<TranscriptEntry, 'api' | 'direction' | 'message'>, route: Route | undefined, transport: string): void {
    if (typeof entry.message === 'string') return;
    if (entry.direction === 'out') this.outgoing(entry.api, entry.message, route ?? {}, transport);
    else this.incoming(entry.message, transport);
  }

  private outgoing(api: JanusApi, msg: JanusMessage, route: Route, transport: string): void {
    const verb = verbOf(msg);
    if (!verb) return;
    add(this.requests, `${api} ${verb}`, transport);
    if (api !== 'janus') return;
    if (verb === 'attach' && typeof msg.plugin === 'string' && typeof msg.transaction === 'string') this.attaching.set(msg.transaction, msg.plugin);
    if (verb === 'message') {
      const plugin = this.handlePlugins.get(route.handleId ?? idOf(msg.handle_id) ?? -1);
      const request = (msg.body as { request?: unknown } | undefined)?.request;
      if (plugin) add(this.requests, `${plugin} ${typeof request === 'string' ? request.toLowerCase() : ''}`, transport);
    }
  }

  private incoming(msg: JanusMessage, transport: string): void {
    const plugin = typeof msg.transaction === 'string' ? this.attaching.get(msg.transaction) : undefined;
    const id = idOf((msg.data as { id?: unknown } | undefined)?.id);
    if (plugin && msg.janus === 'success' && id !== undefined) this.handlePlugins.set(id, plugin);
    const code = (msg.error as { code?: unknown } | undefined)?.code;
    if (msg.janus === 'error' && typeof code === 'number') add(this.errors, `core ${code}`, transport);
    const plugindata = msg.plugindata as { plugin?: unknown; data?: { error_code?: unknown } } | undefined;
    if (typeof plugindata?.plugin === 'string' && typeof plugindata.data?.error_code === 'number') add(this.errors, `${plugindata.plugin} ${plugindata.data.error_code}`, transport);
  }
}

function add(map: Map<string, Set<string>>, key: string, transport: string): void {
  if (!map.has(key)) map.set(key, new Set());
  map.get(key)!.add(transport);
}
