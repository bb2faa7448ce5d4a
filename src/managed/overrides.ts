import { JanusStartError } from './errors.js';
import type { GeneralConfig } from './needs.js';

// The checks of --janus-config overrides, apart from the launcher: the command line checks them
// before anything starts, without loading the launcher.

/** These keys point Janus at the private module folders; overriding them would defeat the isolation. */
const RESERVED_GENERAL_KEYS = ['configs_folder', 'plugins_folder', 'transports_folder', 'events_folder', 'loggers_folder'];

/**
 * Sections other than janus.jcfg's `general` an override may name as `<section>.<key>`:
 * janus.jcfg's `nat` and `media` (nat.full_trickle), and the `general` section of a transport's
 * own jcfg, `http.` (janus.transport.http.jcfg) or `websockets.` (http.json, websockets.json).
 */
const OVERRIDABLE_SECTIONS = ['nat', 'media', 'http', 'websockets'];

/** Transport settings that place the listeners where the launcher said they are. */
const RESERVED_TRANSPORT_KEYS = ['http', 'https', 'port', 'ip', 'secure_port', 'secure_ip', 'base_path', 'ws', 'wss', 'ws_port', 'ws_ip', 'wss_port', 'wss_ip', 'ws_logging', 'interface', 'secure_interface', 'ws_interface', 'wss_interface'];

export function checkOverrides(overrides: GeneralConfig): void {
  for (const key of Object.keys(overrides)) {
    if (RESERVED_GENERAL_KEYS.includes(key)) throw new JanusStartError(`config '${key}' is managed by the launcher and cannot be overridden`);
    const [prefix, rest] = key.split(/\.(.*)/s, 2);
    if ((prefix === 'http' || prefix === 'websockets') && RESERVED_TRANSPORT_KEYS.includes(rest ?? '')) throw new JanusStartError(`config '${key}' places the managed Janus's listeners and cannot be overridden`);
    const section = key.includes('.') ? key.slice(0, key.indexOf('.')) : undefined;
    if (section !== undefined && !OVERRIDABLE_SECTIONS.includes(section)) {
      throw new JanusStartError(`config '${key}': only ${OVERRIDABLE_SECTIONS.slice(0, -1).map((s) => `${s}.`).join(', ')} and ${OVERRIDABLE_SECTIONS.at(-1)}. settings can be given besides general ones`);
    }
  }
}
