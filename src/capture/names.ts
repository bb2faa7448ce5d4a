import type { Track } from './tracks.js';
import { handleOf, sessionOf, verbOf } from './tracks.js';
import { isDistinctive, isSecretKey, leaves, savePath, valueKey } from './values.js';
import { RUN_SECRETS } from './values.js';
import type { JanusObject } from './traffic.js';

/**
 * The names a generated scenario gives to what varies between runs: clients, handles, values
 * Janus generated that the application used again (saved at their first reply), and the
 * application's secrets (variables read from the environment).
 */
const RESERVED = new Set(['session', 'handle', 'handles', 'transaction', 'last', 'env', 'env_int', 'transport', 'main', ...Object.getOwnPropertyNames(Object.prototype)]);

export interface SavedValue {
  name: string;
  /** The index of the track item whose reply (or event) first carried it, and where. */
  item: number;
  path: string;
}

export interface SecretVariable {
  name: string;
  env: string;
  integer: boolean;
}

export interface TrackNames {
  clients: Map<string, string>;
  /** Handle id -> its `as:` name (only when the scenario needs names). */
  handleNames: Map<number, string>;
  saved: Map<string, SavedValue>;
  secrets: Map<string, SecretVariable>;
  /** The run's own secrets seen in the capture (never written): their values, to keep them out. */
  runSecrets: Set<string>;
}

export function nameTrack(track: Track): TrackNames {
  const taken = new Set<string>(RESERVED);
  const unique = (base: string): string => {
    const clean = /^[A-Za-z_]/.test(base) ? base.replace(/[^A-Za-z0-9_]/g, '_') : `v_${base.replace(/[^A-Za-z0-9_]/g, '_')}`;
    let name = clean;
    for (let n = 2; taken.has(name); n++) name = `${clean}${n}`;
    taken.add(name);
    return name;
  };
  const clients = new Map(track.connections.map((c, i) => [c, i === 0 ? 'main' : unique(i === 1 ? 'reconnected' : `reconnected${i}`)]));
  // A connection that continues a closed one is the same client, reconnected.
  for (const [later, earlier] of track.continues) clients.set(later, clients.get(earlier) ?? 'main');
  const handleNames = new Map<number, string>();
  if (track.handles.size > 1 || track.connections.length > 1) {
    for (const [id, { plugin }] of track.handles) handleNames.set(id, unique(plugin.split('.').pop() ?? 'handle'));
  }
  return { clients, handleNames, ...valueNames(track, unique) };
}

function valueNames(track: Track, unique: (base: string) => string): Pick<TrackNames, 'saved' | 'secrets' | 'runSecrets'> {
  const ids = new Set<string>([track.session, ...track.handles.keys()].filter((v) => v !== undefined).map(valueKey));
  const inRequests = new Set<string>();
  const firstInReply = new Map<string, { item: number; path: string; key: string }>();
  const saved = new Map<string, SavedValue>();
  const secrets = new Map<string, SecretVariable>();
  const runSecrets = new Set<string>();
  track.items.forEach((item, index) => {
    if (item.kind === 'request') {
      const message = item.entry.message;
      for (const key of RUN_SECRETS[item.entry.api]) if (typeof message[key] === 'string' && !(item.entry.api === 'admin' && key === 'token' && verbOf(message).endsWith('token'))) runSecrets.add(message[key] as string);
      for (const leaf of leaves(requestBody(message, item.entry.api))) {
        const k = valueKey(leaf.value);
        if (isSecretKey(leaf.key) && (typeof leaf.value === 'string' || typeof leaf.value === 'number')) {
          if (!secrets.has(k)) {
            const name = unique(leaf.key.toLowerCase());
            secrets.set(k, { name, env: `CAPTURE_${name.toUpperCase()}`, integer: typeof leaf.value === 'number' });
          }
          continue;
        }
        const first = firstInReply.get(k);
        if (first && !saved.has(k) && !inRequests.has(k)) saved.set(k, { name: unique(first.key || 'value'), item: first.item, path: first.path });
        inRequests.add(k);
      }
    }
    for (const message of repliesOf(item)) {
      for (const leaf of leaves(message)) {
        const k = valueKey(leaf.value);
        if (ids.has(k) || inRequests.has(k) || firstInReply.has(k) || !isDistinctive(leaf.value)) continue;
        if (leaf.path.some((p) => typeof p === 'string' && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) continue;
        firstInReply.set(k, { item: index, path: savePath(leaf.path), key: leaf.key });
      }
    }
  });
  return { saved, secrets, runSecrets };
}

/** What the application put in a request besides the envelope the runner fills in. */
export function requestBody(message: JanusObject, api: 'janus' | 'admin'): JanusObject {
  const drop = new Set<string>(['transaction', 'session_id', 'handle_id', ...RUN_SECRETS[api]]);
  // The Admin API's token verbs carry the token as their argument: that one is the app's secret.
  if (api === 'admin' && verbOf(message).endsWith('token')) drop.delete('token');
  return Object.fromEntries(Object.entries(message).filter(([k]) => !drop.has(k)));
}

/** The messages an item brought from Janus: the one whose values a step's `save` can reach. */
export function repliesOf(item: Track['items'][number]): JanusObject[] {
  if (item.kind === 'event') return [item.entry.message];
  if (item.kind !== 'request') return [];
  return item.final ? [item.final] : item.ack ? [item.ack] : [];
}

export { handleOf, sessionOf };
