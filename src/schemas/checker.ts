import { RecentMap } from '../core/recent-map.js';
import { hasOwnKey, ownValue } from '../core/own.js';
import { ACK_ENDED_VERBS, idOf, requestObject, verbOf, type JanusApi, type JanusMessage, type Route } from '../protocol/messages.js';
import { knownSchema, pluginSpec, toViolations, validatorFor, type Violation } from './catalogue.js';
import type { PluginSpec } from './types.js';
import { holdsFor } from './versions.js';

export type SchemaMode = 'strict' | 'warn' | 'off';

interface RequestContext {
  api: JanusApi;
  verb: string;
  /** For attach: the plugin asked for; for message: the handle's plugin. */
  plugin?: string;
  /** For message: body.request ('' when absent). */
  request?: string;
  /** Request violations, reported only if Janus accepts the request (the reply is no error). */
  held: Violation[];
}

/** Requests whose context a checker keeps at least (see MessageChecker.requests). */
const REQUESTS_KEPT = 1024;

/**
 * Checks every message of a scenario run against the catalogue: a reply by the verb that asked
 * for it, a plugin reply or event by its plugin and the request that caused it, unsolicited
 * plugin events against the plugin's notifications, requests against their schemas. One checker
 * per run: it learns transactions and handle plugins from the traffic itself.
 */
export class MessageChecker {
  /**
   * The recent requests, by transaction (the last thousand or so): a reply or event comes a few
   * requests later at most; a map of every request of a long scenario is garbage the collector
   * copies over and over.
   */
  private readonly requests = new RecentMap<RequestContext>(REQUESTS_KEPT);
  private readonly handlePlugins = new Map<number, string>();
  /**
   * The plugin messages a reply may be, by plugin and request: they depend on the version alone,
   * so the checkers of one version share them (a run's checker starts with them learnt).
   */
  private readonly candidateLists: Map<PluginSpec, Map<string, Candidate[]>>;
  /** `onValid` sees every value that passed a schema (tests record real messages with it). */
  constructor(
    private readonly version?: string,
    private readonly onValid?: (schema: string, value: unknown) => void,
  ) {
    this.candidateLists = candidateListsFor(version);
  }

  outgoing(api: JanusApi, sent: JanusMessage | string, route: Route): void {
    // Raw text that parses is a request like any other: its reply is known by its transaction.
    const payload = requestObject(sent);
    if (payload === undefined || typeof payload.transaction !== 'string') return;
    const verb = verbOf(payload) ?? '';
    const context: RequestContext = { api, verb, held: [] };
    const envelope = schemaNamesOf(api, verb).request;
    if (envelope) pushAll(context.held, this.check(envelope, payload));
    if (api === 'janus' && verb === 'attach') context.plugin = typeof payload.plugin === 'string' ? payload.plugin : undefined;
    if (api === 'janus' && verb === 'message') {
      const handle = route.handleId ?? idOf(payload.handle_id);
      this.addPluginRequest(context, handle === undefined ? undefined : this.handlePlugins.get(handle), payload.body, '/body', false);
    }
    if (api === 'admin' && verb === 'message_plugin') {
      this.addPluginRequest(context, typeof payload.plugin === 'string' ? payload.plugin : undefined, payload.request, '/request', true);
    }
    this.requests.set(payload.transaction, context);
  }

  incoming(api: JanusApi, msg: JanusMessage): Violation[] {
    const verb = verbOf(msg) ?? '';
    const context = typeof msg.transaction === 'string' ? this.requests.get(msg.transaction) : undefined;
    // Most messages pass: no list is made unless a check finds something.
    let out: Violation[] | undefined;
    const names = schemaNamesOf(api, verb);
    if (verb === 'success') {
      if (!context) return NONE;
      const name = schemaNamesOf(context.api, context.verb).success;
      if (name) out = joined(out, this.check(name, msg));
      if (context.verb === 'attach') this.learnHandle(msg, context);
      if (msg.plugindata) out = joined(out, this.checkPluginData(msg, context));
      if (context.verb === 'message_plugin' && context.plugin) out = joined(out, this.checkPluginMessage(context.plugin, msg.response, '/response', context));
    } else if (names.reply) {
      out = joined(out, this.check(names.reply, msg));
    } else if (api === 'janus' && verb === 'event') {
      if (names.event) out = joined(out, this.check(names.event, msg));
      out = joined(out, this.checkPluginData(msg, context));
    } else if (api === 'janus' && names.event) {
      out = joined(out, this.check(names.event, msg));
    } else if (knownSchema('core/reply/error')) {
      out = joined(out, [{ schema: 'core', pointer: '/janus', rule: 'unknown message type', value: msg.janus }]);
    }
    // The verdict on a request: if Janus accepted it, its schema violations count. An ack is
    // the verdict only of a request it ends (keepalive, trickle): a message's plugin may still refuse.
    const verdict = verb === 'ack' ? ACK_ENDED_VERBS.has(context?.verb ?? '') : verb !== 'error' && !isPluginError(msg);
    if (context && context.held.length > 0 && verdict) out = joined(out, context.held.splice(0).map((v) => ({ ...v, request: msg.transaction as string })));
    return out ?? NONE;
  }

  private learnHandle(msg: JanusMessage, context: RequestContext): void {
    const id = idOf((msg.data as { id?: unknown } | undefined)?.id);
    if (id !== undefined && context.plugin) this.handlePlugins.set(id, context.plugin);
  }

  /** A plugin request, in a handle `message` (body) or an Admin API `message_plugin` (request). */
  private addPluginRequest(context: RequestContext, plugin: string | undefined, body: unknown, at: string, viaAdmin: boolean): void {
    const spec = plugin ? pluginSpec(plugin) : undefined;
    if (viaAdmin && !spec?.adminMessages) return;
    context.plugin = plugin;
    const request = (body as { request?: unknown } | undefined)?.request;
    context.request = typeof request === 'string' ? request.toLowerCase() : '';
    if (spec && hasCatalogue(spec)) pushAll(context.held, this.checkPluginRequest(spec, context.request, body, at));
  }

  private checkPluginRequest(spec: PluginSpec, request: string, body: unknown, at: string): Violation[] {
    const r = ownValue(spec.requests, request) as PluginSpec['requests'][string] | undefined;
    if (!r || !holdsFor(r, this.version)) {
      return [{ schema: `${spec.short}/request`, pointer: `${at}/request`, rule: `unknown request for ${spec.package}`, value: request }];
    }
    return this.check(requestSchemaName(spec, request), body, at);
  }

  private checkPluginData(msg: JanusMessage, context: RequestContext | undefined): Violation[] {
    const plugindata = msg.plugindata as { plugin?: unknown; data?: unknown } | undefined;
    if (typeof plugindata?.plugin !== 'string') return [];
    return this.checkPluginMessage(plugindata.plugin, plugindata.data, '/plugindata/data', context);
  }

  /** A plugin's answer: plugindata.data of a reply or event, or the `response` of message_plugin. */
  private checkPluginMessage(plugin: string, value: unknown, at: string, context: RequestContext | undefined): Violation[] {
    const spec = pluginSpec(plugin);
    if (!spec || !hasCatalogue(spec)) return [];
    const data = value as Record<string, unknown>;
    if (hasOwnKey(data, 'error_code')) {
      const out = [...this.check(`${spec.short}/error`, data, at)];
      const code = ownValue(spec.errors, String(data.error_code)) as PluginSpec['errors'][number] | undefined;
      if (typeof data.error_code === 'number' && (!code || !holdsFor(code, this.version))) {
        out.push({ schema: `${spec.short}/error`, pointer: `${at}/error_code`, rule: `unknown error code for ${spec.package}`, value: data.error_code });
      }
      return out;
    }
    const request = context?.plugin === spec.package ? (ownValue(spec.requests, context.request ?? '') as PluginSpec['requests'][string] | undefined) : undefined;
    const candidates = this.candidatesFor(spec, request ? context!.request ?? '' : undefined);
    const kind = ownValue(data, spec.short);
    let best: Violation[] | undefined;
    for (const candidate of candidates) {
      if (candidate.kind !== undefined && candidate.kind !== kind) continue;
      const v = this.check(candidate.schema, data, at);
      if (v.length === 0) return [];
      if (!best || v.length < best.length) best = v;
    }
    if (best) return best;
    const why = request ? `reply to "${context!.request || '(message)'}"` : 'notification without a transaction';
    return [{ schema: `${spec.short}/message`, pointer: `${at}/${spec.short}`, rule: `not a known ${why}; expected one of ${candidates.map((c) => c.name).join(', ') || '(none)'}`, value: kind }];
  }

  /**
   * The messages of a plugin that may answer `request` (its replies and events; undefined: a
   * notification, the unsolicited ones), that hold for this version, with the kind each says it is.
   */
  private candidatesFor(spec: PluginSpec, request: string | undefined): Candidate[] {
    let bySpec = this.candidateLists.get(spec);
    if (!bySpec) this.candidateLists.set(spec, (bySpec = new Map()));
    // A request name never holds a NUL: the key of notifications stays apart.
    const key = request ?? '\u0000';
    let list = bySpec.get(key);
    if (!list) {
      const r = request === undefined ? undefined : (ownValue(spec.requests, request) as PluginSpec['requests'][string] | undefined);
      const expected = r ? [...(r.replies ?? []), ...(r.events ?? [])] : Object.keys(spec.messages).filter((n) => spec.messages[n]!.unsolicited);
      const names = expected.filter((n) => hasOwnKey(spec.messages, n) && holdsFor(spec.messages[n]!, this.version));
      list = names.map((name) => ({ name, schema: `${spec.short}/${name}`, kind: discriminator(spec, name) }));
      bySpec.set(key, list);
    }
    return list;
  }

  private check(name: string, value: unknown, prefix = ''): Violation[] {
    // Unknown fields are always looked for; whether they fail a step is the runner's call (strict vs warn).
    const validate = validatorFor(name, true, this.version);
    if (validate(value)) {
      this.onValid?.(name, value);
      return NONE;
    }
    const found = toViolations(name, validate.errors);
    return prefix ? found.map((v) => ({ ...v, pointer: `${prefix}${v.pointer === '/' ? '' : v.pointer}` })) : found;
  }
}

/** `<plugin>/request/<request>`, made once per plugin and request: a name made anew is hashed anew at every lookup. */
function requestSchemaName(spec: PluginSpec, request: string): string {
  let names = requestSchemaNames.get(spec);
  if (!names) requestSchemaNames.set(spec, (names = new Map()));
  let name = names.get(request);
  if (name === undefined) names.set(request, (name = `${spec.short}/request/${request || 'message'}`));
  return name;
}

// Only requests the spec knows get here (checkPluginRequest looks first): bounded by the catalogue.
const requestSchemaNames = new WeakMap<PluginSpec, Map<string, string>>();

/** The candidate lists the checkers of one Janus version learn, by version (undefined: no version known). */
const candidatesByVersion = new Map<string | undefined, Map<PluginSpec, Map<string, Candidate[]>>>();

function candidateListsFor(version: string | undefined): Map<PluginSpec, Map<string, Candidate[]>> {
  let lists = candidatesByVersion.get(version);
  if (!lists) candidatesByVersion.set(version, (lists = new Map()));
  return lists;
}

/** No violation: shared, never written to (callers spread it into their own arrays). */
const NONE: Violation[] = Object.freeze([]) as unknown as Violation[];

/** A plugin message a reply may be: its name, its schema's name, the kind it says it is (its discriminator). */
interface Candidate {
  name: string;
  schema: string;
  kind: unknown;
}

/** The catalogue's schema names for a verb, when it has them. */
interface VerbSchemas {
  request?: string;
  success?: string;
  reply?: string;
  event?: string;
}

const verbSchemas = { janus: new Map<string, VerbSchemas>(), admin: new Map<string, VerbSchemas>() };
const MAX_VERBS_KEPT = 512;

/** The names, built and looked up once per API and verb rather than for every message. */
function schemaNamesOf(api: JanusApi, verb: string): VerbSchemas {
  const known = api === 'admin' ? verbSchemas.admin : verbSchemas.janus;
  let names = known.get(verb);
  if (!names) {
    const side = api === 'admin' ? 'admin' : 'core';
    const ifKnown = (name: string): string | undefined => (knownSchema(name) ? name : undefined);
    names = { request: ifKnown(`${side}/request/${verb}`), success: ifKnown(`${side}/success/${verb}`), reply: ifKnown(`core/reply/${verb}`), event: ifKnown(`core/event/${verb}`) };
    // Verbs come from the wire: a server sending made-up ones cannot grow this past a bound.
    if (known.size < MAX_VERBS_KEPT) known.set(verb, names);
  }
  return names;
}

/** `into` with what a check found, a list made only once something is found (a check's non-empty list is its caller's to keep). */
function joined(into: Violation[] | undefined, found: Violation[]): Violation[] | undefined {
  if (found.length === 0) return into;
  if (!into) return found;
  pushAll(into, found);
  return into;
}

/** Appends what a check found: most find nothing, and a spread call costs even for an empty list. */
function pushAll(into: Violation[], found: Violation[]): void {
  for (let i = 0; i < found.length; i++) into.push(found[i]!);
}

/** Placeholder plugin specs (not catalogued yet) are skipped rather than failing every message. */
function hasCatalogue(spec: PluginSpec): boolean {
  // Asked for every plugin message: answered once per spec, not with a key list each time.
  let known = catalogued.get(spec);
  if (known === undefined) catalogued.set(spec, (known = Object.keys(spec.messages).length > 0));
  return known;
}

const catalogued = new WeakMap<PluginSpec, boolean>();

function discriminator(spec: PluginSpec, name: string): unknown {
  const props = (spec.messages[name]!.schema.properties ?? {}) as Record<string, { const?: unknown }>;
  return props[spec.short]?.const;
}

/** A plugin's refusal: an error_code in its plugindata, or in the response of an Admin API message_plugin. */
function isPluginError(msg: JanusMessage): boolean {
  const data = (msg.plugindata as { data?: Record<string, unknown> } | undefined)?.data;
  return hasOwnKey(data, 'error_code') || hasOwnKey(msg.response, 'error_code');
}
