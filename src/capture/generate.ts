import { isObject, type JanusObject, type TrafficEntry } from './traffic.js';
import { handleOf, sessionOf, splitTracks, verbOf, type CloseItem, type ReopenItem, type RequestItem, type Track, type TrackItem } from './tracks.js';
import { nameTrack, requestBody, type TrackNames } from './names.js';
import { groupSentTogether } from './concurrent.js';
import { looksGenerated, markerOf, patternLiteral, requestLiteral, valueKey } from './values.js';

/**
 * The second pass: each track becomes a scenario. Requests become `request:`/`admin:` steps
 * without what the runner fills in (transaction, ids, secrets), their final reply (or the ack,
 * when no event followed) the `expect`, asynchronous events `wait` steps in arrival order;
 * requests the application sent without waiting for the previous reply, one `concurrently:` step.
 */
export interface GeneratedScenario {
  /** A file name for it: `session-1-echotest.yaml`. */
  file: string;
  scenario: JanusObject;
  /** The environment variables its secrets come from. */
  environment: string[];
}

type Level = 'root' | 'session' | 'handle';

const LEVELS: Record<'janus' | 'admin', Record<string, Level>> = {
  janus: { attach: 'session', destroy: 'session', keepalive: 'session', claim: 'session', detach: 'handle', hangup: 'handle', message: 'handle', trickle: 'handle' },
  admin: { list_handles: 'session', destroy_session: 'session', handle_info: 'handle', start_pcap: 'handle', stop_pcap: 'handle', start_text2pcap: 'handle', stop_text2pcap: 'handle', hangup_webrtc: 'handle', detach_handle: 'handle' },
};
const DEPTH: Record<Level, number> = { root: 0, session: 1, handle: 2 };
/** Fields every reply or event has: not worth repeating in each expect. */
const ENVELOPE = new Set(['janus', 'transaction', 'session_id', 'sender', 'hint', 'plugindata', 'jsep', 'error', 'data']);

export function generateScenarios(entries: readonly TrafficEntry[]): GeneratedScenario[] {
  let sessions = 0;
  let admins = 0;
  return splitTracks(entries).map((track) => {
    const label = track.session === undefined ? `admin-${++admins}` : `session-${++sessions}`;
    return new ScenarioWriter(track, nameTrack(track)).write(label);
  });
}

class ScenarioWriter {
  /** Values already saved by an earlier step, by valueKey. */
  private readonly known = new Map<string, string>();
  /** The last handle each client attached: the one the runner fills in. */
  private readonly lastHandle = new Map<string, number>();
  private readonly ownerClient: string;
  /** Handles detached by a step already written: the runner no longer knows them by name. */
  private readonly detached = new Set<number>();

  /** A connection that continues another is the same client: several connections may be one client. */
  private get severalClients(): boolean {
    return new Set(this.names.clients.values()).size > 1;
  }

  constructor(private readonly track: Track, private readonly names: TrackNames) {
    this.ownerClient = names.clients.get(track.connections[0] ?? '') ?? 'main';
  }

  write(label: string): GeneratedScenario {
    const steps = groupSentTogether(this.track.items.map((item, index) => ({ item, step: this.step(item, index) })));
    const plugins = [...new Set([...this.track.handles.values()].map((h) => h.plugin.split('.').pop()))];
    const clients = [...new Set(this.names.clients.values())];
    const secrets = [...this.names.secrets.values()];
    const scenario: JanusObject = {
      name: `captured ${label}${plugins.length ? `: ${plugins.join(', ')}` : ''} (${this.track.transport})`,
      description: `Captured by janus-scenarios capture over ${this.track.transport}${this.names.runSecrets.size ? '; Janus had an api secret or token: run with --api-secret / --token' : ''}.`,
      ...((clients.length > 1 || this.usesCloseCodes(steps)) && { requires: { transports: [this.track.transport] } }),
      ...(clients.length > 1 && { clients }),
      ...(secrets.length && { variables: Object.fromEntries(secrets.map((s) => [s.name, `\${${s.integer ? 'env_int' : 'env'}.${s.env}}`])), secrets: secrets.map((s) => s.name) }),
      steps,
    };
    return { file: `${label}${plugins.length ? `-${plugins.join('-')}` : ''}.yaml`, scenario, environment: secrets.map((s) => s.env) };
  }

  private step(item: TrackItem, index: number): JanusObject | undefined {
    const client = item.kind === 'request' && item.entry.api === 'admin' ? this.ownerClient : this.clientOf(item.entry);
    if (item.kind === 'close' || item.kind === 'reopen') return this.connectionStep(item, client);
    const step = item.kind === 'request' ? this.requestStep(item, client) : this.waitStep(item.entry, client);
    if (!step) return undefined;
    const save = this.saves(index);
    if (Object.keys(save).length) step.save = save;
    return { ...(this.severalClients && { client }), ...step };
  }

  /**
   * The app closed a connection and claimed the session on a new one: `close` (with the code it
   * sent, when a client may send it) and `reopen` on the same client. A close no reconnection
   * follows is left out: the run's cleanup ends the scenario anyway.
   */
  private connectionStep(item: CloseItem | ReopenItem, client: string): JanusObject | undefined {
    const step = item.kind === 'reopen' ? { reopen: true } : this.closeStep(item.entry);
    if (!step) return undefined;
    return { ...(this.severalClients && { client }), ...step };
  }

  private closeStep(entry: TrafficEntry): JanusObject | undefined {
    const reconnected = [...this.track.continues.values()].includes(entry.connection);
    if (!reconnected) return undefined;
    const { code, reason } = entry.close ?? {};
    // Only the app's own close can be replayed with its code: 1005/1006 are never sent, and a server's close is no client's to send.
    if (entry.close?.by !== 'client' || code === undefined || !(code === 1000 || (code >= 3000 && code <= 4999))) return { close: true };
    return { close: { code, ...(reason && { reason }) } };
  }

  /** Close codes in the scenario make it a WebSocket one. */
  private usesCloseCodes(steps: JanusObject[]): boolean {
    return steps.some((s) => typeof s.close === 'object');
  }

  private clientOf(entry: TrafficEntry): string {
    return this.names.clients.get(entry.connection) ?? this.ownerClient;
  }

  private requestStep(item: RequestItem, client: string): JanusObject | undefined {
    const { entry } = item;
    const verb = verbOf(entry.message);
    const level = LEVELS[entry.api][verb] ?? 'root';
    const sentAt = entry.transport === 'http' ? pathLevel(entry) : level;
    const at = sentAt !== level ? sentAt : undefined;
    const request = this.requestValue(requestBody(entry.message, entry.api)) as JanusObject;
    const step: JanusObject = {};
    const ids = this.explicitIds(entry, client, at ?? level);
    if (ids.handleName) step.handle = ids.handleName;
    if (at) step.at = at;
    Object.assign(request, ids.body);
    step[entry.api === 'admin' ? 'admin' : 'request'] = Object.keys(request).length === 1 && typeof request.janus === 'string' ? request.janus : request;
    if (verb === 'attach' && entry.api === 'janus') {
      const id = isObject(item.final?.data) ? item.final.data.id : undefined;
      if (typeof id === 'number') {
        this.lastHandle.set(client, id);
        if (this.names.handleNames.has(id)) step.as = this.names.handleNames.get(id);
      }
    }
    const handle = handleOf(entry);
    if (verb === 'detach' && handle !== undefined) this.detached.add(handle);
    const reply = item.final ?? item.ack;
    if (reply) step.expect = this.pattern(reply, client);
    return step;
  }

  /**
   * The ids the runner would not fill in by itself: those of another client's session or
   * handle, of a handle that is not the client's last, or missing where the level needs one.
   */
  private explicitIds(entry: TrafficEntry, client: string, level: Level): { body: JanusObject; handleName?: string } {
    const body: JanusObject = {};
    const own = client === this.ownerClient && entry.api === 'janus' ? this.track.session : entry.api === 'admin' ? this.track.session : undefined;
    const session = sessionOf(entry);
    const wantsSession = DEPTH[level] >= 1;
    if (session !== undefined && !(wantsSession && session === own)) body.session_id = this.idValue(session, client);
    else if (session === undefined && wantsSession && entry.transport === 'ws') body.session_id = null;
    const handle = handleOf(entry);
    let handleName: string | undefined;
    if (handle !== undefined && DEPTH[level] >= 2 && this.owns(client, handle, entry)) {
      handleName = this.names.handleNames.get(handle);
      if (!handleName && this.lastHandle.get(client) !== handle) body.handle_id = this.idValue(handle, client);
    } else if (handle !== undefined) body.handle_id = this.idValue(handle, client);
    else if (DEPTH[level] >= 2 && entry.transport === 'ws') body.handle_id = null;
    return { body, handleName };
  }

  private owns(client: string, handle: number, entry: TrafficEntry): boolean {
    const owner = this.track.handles.get(handle);
    if (!owner) return false;
    return entry.api === 'admin' ? this.names.clients.get(owner.connection) === this.ownerClient : this.names.clients.get(owner.connection) === client;
  }

  private waitStep(entry: TrafficEntry, client: string): JanusObject {
    const step: JanusObject = {};
    const sender = entry.message.sender;
    const name = typeof sender === 'number' ? this.names.handleNames.get(sender) : undefined;
    const owner = typeof sender === 'number' ? this.track.handles.get(sender) : undefined;
    const pattern = this.pattern(entry.message, client) as JanusObject;
    const gone = typeof sender === 'number' && this.detached.has(sender);
    if (name && owner && !gone && this.names.clients.get(owner.connection) === client) step.handle = name;
    else if (name && !gone && typeof sender === 'number') pattern.sender = this.idValue(sender, client);
    step.wait = pattern;
    return step;
  }

  /** `save:` for the values first seen in this item's reply that the application used later. */
  private saves(index: number): JanusObject {
    const save: JanusObject = {};
    for (const [key, value] of this.names.saved) {
      if (value.item !== index) continue;
      save[value.name] = value.path;
      // Known from the next step on: this step's own expect still compares by type.
      this.known.set(key, `\${${value.name}}`);
    }
    return save;
  }

  /** What the application sent: secrets and generated values become placeholders. */
  private requestValue(value: unknown, key = ''): unknown {
    if (Array.isArray(value)) return value.map((v) => this.requestValue(v, key));
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.requestValue(v, k)]));
    const named = this.placeholder(value);
    return named ?? requestLiteral(value);
  }

  /** A reply or event as a pattern: what identifies it, and what the application relied on. */
  private pattern(message: JanusObject, client: string): JanusObject {
    const out: JanusObject = { janus: message.janus };
    if (message.janus === 'server_info') return out;
    if (isObject(message.error)) out.error = { code: message.error.code, ...(message.error.reason !== undefined && { reason: this.scalar('reason', message.error.reason, client) }) };
    if (isObject(message.plugindata)) {
      const data = isObject(message.plugindata.data) ? this.scalars(message.plugindata.data, client) : undefined;
      out.plugindata = { plugin: message.plugindata.plugin, ...(data && Object.keys(data).length && { data }) };
    }
    if (isObject(message.jsep)) out.jsep = { type: message.jsep.type, sdp: '$string' };
    Object.assign(out, this.scalars(Object.fromEntries(Object.entries(message).filter(([k]) => !ENVELOPE.has(k))), client));
    return out;
  }

  /** An object's scalar fields: nested lists and objects vary with the server's state. */
  private scalars(object: JanusObject, client: string): JanusObject {
    const out: JanusObject = {};
    for (const [k, v] of Object.entries(object)) {
      if (v !== null && typeof v === 'object') continue;
      out[k.startsWith('$') ? `$${k}` : k] = this.scalar(k, v, client);
    }
    return out;
  }

  private scalar(key: string, value: unknown, client: string): unknown {
    const named = this.placeholder(value, client);
    if (named !== undefined) return named;
    if (this.isSaving(value) || looksGenerated(key, value)) return markerOf(value);
    return patternLiteral(value);
  }

  /** The value is saved by the step being written: its own expect compares the type. */
  private isSaving(value: unknown): boolean {
    return this.names.saved.has(valueKey(value)) && !this.known.has(valueKey(value));
  }

  /** A placeholder for a secret, an id or a saved value; ids inside text are interpolated. */
  private placeholder(value: unknown, client = this.ownerClient): string | undefined {
    const secret = this.names.secrets.get(valueKey(value));
    if (secret) return `\${${secret.name}}`;
    if (typeof value === 'number') return this.idName(value, client) ?? this.known.get(valueKey(value));
    if (typeof value !== 'string') return undefined;
    const saved = this.known.get(valueKey(value));
    if (saved) return saved;
    let text = value;
    // A secret of one or two characters cannot be told apart inside other text.
    for (const [k, s] of this.names.secrets) if (k.startsWith('string:') && k.length >= 10) text = text.replaceAll(k.slice(7), `\${${s.name}}`);
    for (const secret of this.names.runSecrets) if (secret) text = text.replaceAll(secret, '[redacted]');
    text = text.replace(/\d{6,}/g, (digits) => this.idName(Number(digits), client) ?? this.known.get(valueKey(Number(digits))) ?? digits);
    return text === value ? undefined : text.replace(/\$\{(?![A-Za-z_][\w.]*\})/g, '$${');
  }

  private idValue(id: number, client: string): unknown {
    return this.idName(id, client) ?? id;
  }

  private idName(id: number, client: string): string | undefined {
    const owner = this.ownerClient;
    const prefix = client === owner ? '' : `${owner}.`;
    if (id === this.track.session) return `\${${prefix}session}`;
    const handle = this.track.handles.get(id);
    if (!handle) return undefined;
    const handleClient = this.names.clients.get(handle.connection) ?? owner;
    const by = handleClient === client ? '' : `${handleClient}.`;
    const name = this.names.handleNames.get(id);
    return name ? `\${${by}handles.${name}}` : `\${${by}handle}`;
  }
}

function pathLevel(entry: TrafficEntry): Level {
  return entry.path?.handle !== undefined ? 'handle' : entry.path?.session !== undefined ? 'session' : 'root';
}
