import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TlsCertificate } from './certificate.js';
import type { JanusInstallation } from './installation.js';
import { type JcfgSection, renderJcfg } from './jcfg.js';
import { findListener, type Listener } from './listeners.js';
import type { GeneralConfig, ObserverSettings } from './needs.js';
import { writeObservers } from './observers.js';
import type { MediaPortRanges } from './ports.js';

/** Everything needed to write one instance's config folder. */
export interface InstanceLayout {
  dir: string;
  installation: JanusInstallation;
  /** Library stems: 'echotest' for libjanus_echotest.so. */
  plugins: string[];
  transports: string[];
  listeners: Listener[];
  certificate?: TlsCertificate;
  overrides: GeneralConfig;
  adminSecret: string;
  media: MediaPortRanges;
  eventhandlers?: ObserverSettings;
  loggers?: ObserverSettings;
  /**
   * Janus runs in a private network namespace (netns/namespace.ts) and gathers ICE candidates on its veth
   * links. Measured: with `interface` or `ice_enforce_list` pinned to one link, ICE connects but
   * DTLS never completes (or ICE never connects), so Janus is left to pick its own addresses.
   */
  namespaced?: boolean;
  /** Configs of transports other than HTTP and WebSockets (the broker ones), by library stem. */
  transportConfigs?: Record<string, Record<string, JcfgSection>>;
}

/** The overrides of one section: `general` takes the keys without a dot. */
function sectionOverrides(overrides: GeneralConfig, section: string): GeneralConfig {
  const prefix = `${section}.`;
  return Object.fromEntries(Object.entries(overrides).flatMap(([key, value]) =>
    section === 'general' ? (key.includes('.') ? [] : [[key, value]]) : key.startsWith(prefix) ? [[key.slice(prefix.length), value]] : []));
}

/**
 * Writes the folder Janus runs from: private plugins/ and transports/ folders holding symlinks
 * to just the needed libraries (Janus loads every *.so in a folder and has no allow-list),
 * events/ and loggers/ holding only the handlers and loggers asked for (otherwise the JSON
 * logger loads by default), and a jcfg for everything loaded, so nothing falls back to
 * /etc/janus or to defaults that bind fixed ports.
 */
export async function writeInstanceFiles(layout: InstanceLayout): Promise<void> {
  const { dir, installation } = layout;
  for (const sub of ['plugins', 'transports', 'events', 'loggers']) await mkdir(join(dir, sub));
  for (const stem of layout.plugins) {
    const dataFolder = PLUGIN_DATA_FOLDERS[stem];
    if (dataFolder) await mkdir(join(dir, dataFolder));
    await symlink(join(installation.moduleDir, 'plugins', `libjanus_${stem}.so`), join(dir, 'plugins', `libjanus_${stem}.so`));
    await writeJcfg(dir, `janus.plugin.${stem}.jcfg`, pluginConfig(stem, layout));
  }
  for (const stem of layout.transports) {
    await symlink(join(installation.moduleDir, 'transports', `libjanus_${stem}.so`), join(dir, 'transports', `libjanus_${stem}.so`));
    const config = layout.transportConfigs?.[stem] ?? (stem === 'http' ? httpConfig(layout) : websocketsConfig(layout));
    await writeJcfg(dir, `janus.transport.${stem}.jcfg`, config);
  }
  await writeObservers(dir, installation, 'eventhandlers', layout.eventhandlers ?? {});
  await writeObservers(dir, installation, 'loggers', layout.loggers ?? {});
  if (layout.certificate) {
    await mkdir(join(dir, 'certs'));
    await writeFile(join(dir, 'certs', 'cert.pem'), layout.certificate.certPem);
    await writeFile(join(dir, 'certs', 'key.pem'), layout.certificate.keyPem, { mode: 0o600 });
  }
  await writeJcfg(dir, 'janus.jcfg', mainConfig(layout));
}

async function writeJcfg(dir: string, name: string, sections: Record<string, JcfgSection>): Promise<void> {
  // janus.jcfg holds the admin secret (and api_secret): for the owner's eyes only.
  await writeFile(join(dir, name), renderJcfg(sections), { mode: 0o600 });
}

function mainConfig({ dir, listeners, overrides, adminSecret, media, eventhandlers, namespaced }: InstanceLayout): Record<string, JcfgSection> {
  return {
    general: {
      configs_folder: dir,
      plugins_folder: join(dir, 'plugins'),
      transports_folder: join(dir, 'transports'),
      events_folder: join(dir, 'events'),
      loggers_folder: join(dir, 'loggers'),
      log_to_stdout: true,
      debug_level: 4,
      debug_colors: false,
      server_name: `janus-scenarios-${listeners[0]?.port ?? 0}`,
      // Skips the local-IP discovery (a UDP connect to 1.2.3.4) and keeps SDP on loopback.
      ...(!namespaced && { interface: '127.0.0.1' }),
      admin_secret: adminSecret,
      ...sectionOverrides(overrides, 'general'),
    },
    media: { rtp_port_range: media.core, ...sectionOverrides(overrides, 'media') },
    nat: { ignore_mdns: true, ...sectionOverrides(overrides, 'nat') },
    plugins: {},
    transports: {},
    // Janus loads no event handler unless broadcasting is on.
    events: Object.keys(eventhandlers ?? {}).length > 0 ? { broadcast: true } : {},
  };
}

/** Plugins that write files get a folder inside the instance (stock Record&Play would create ./html/recordings). */
const PLUGIN_DATA_FOLDERS: Record<string, string> = { recordplay: 'recordings', voicemail: 'voicemail' };

/**
 * Stock configs create demo rooms and mountpoints (the Streaming ones bind UDP 5002/5004...,
 * which collide between instances), and Record&Play and VoiceMail write to paths outside the
 * instance. Plugins get an empty config unless they need a path or a port range.
 */
function pluginConfig(stem: string, { dir, installation, media }: InstanceLayout): Record<string, JcfgSection> {
  switch (stem) {
    case 'recordplay':
      return { general: { path: join(dir, PLUGIN_DATA_FOLDERS['recordplay']!) } };
    case 'voicemail':
      return { general: { path: join(dir, PLUGIN_DATA_FOLDERS['voicemail']!), base: '/voicemail/' } };
    case 'lua':
    case 'duktape': {
      const scripts = join(installation.shareDir, stem);
      return { general: { path: scripts, script: join(scripts, stem === 'lua' ? 'echotest.lua' : 'echotest.js') } };
    }
    case 'sip':
      // Without local_ip the SIP stacks and their RTP bind the host's detected address, not loopback.
      return { general: { rtp_port_range: media.plugins, local_ip: '127.0.0.1' } };
    case 'nosip':
    case 'audiobridge':
    case 'streaming':
      return { general: { rtp_port_range: media.plugins } };
    default:
      return { general: {} };
  }
}

function httpConfig({ dir, listeners, overrides }: InstanceLayout): Record<string, JcfgSection> {
  const http = findListener(listeners, 'http');
  const https = findListener(listeners, 'https');
  const admin = findListener(listeners, 'adminHttp');
  const adminTls = findListener(listeners, 'adminHttps');
  return {
    general: {
      json: 'plain',
      ...sectionOverrides(overrides, 'http'),
      base_path: '/janus',
      http: http !== undefined,
      ...(http && { port: http.port, ip: '127.0.0.1' }),
      https: https !== undefined,
      ...(https && { secure_port: https.port, secure_ip: '127.0.0.1' }),
    },
    admin: {
      admin_base_path: '/admin',
      admin_http: admin !== undefined,
      ...(admin && { admin_port: admin.port, admin_ip: '127.0.0.1' }),
      admin_https: adminTls !== undefined,
      ...(adminTls && { admin_secure_port: adminTls.port, admin_secure_ip: '127.0.0.1' }),
    },
    ...certificatesSection(dir, https ?? adminTls),
  };
}

function websocketsConfig({ dir, listeners, overrides }: InstanceLayout): Record<string, JcfgSection> {
  const ws = findListener(listeners, 'ws');
  const wss = findListener(listeners, 'wss');
  const admin = findListener(listeners, 'adminWs');
  const adminTls = findListener(listeners, 'adminWss');
  return {
    general: {
      json: 'plain',
      ...sectionOverrides(overrides, 'websockets'),
      ws: ws !== undefined,
      ...(ws && { ws_port: ws.port, ws_ip: '127.0.0.1' }),
      wss: wss !== undefined,
      ...(wss && { wss_port: wss.port, wss_ip: '127.0.0.1' }),
      // Bind errors are logged at 'err' level; the launcher looks for them to detect port races.
      ws_logging: 'err,warn',
    },
    admin: {
      admin_ws: admin !== undefined,
      ...(admin && { admin_ws_port: admin.port, admin_ws_ip: '127.0.0.1' }),
      admin_wss: adminTls !== undefined,
      ...(adminTls && { admin_wss_port: adminTls.port, admin_wss_ip: '127.0.0.1' }),
    },
    ...certificatesSection(dir, wss ?? adminTls),
  };
}

function certificatesSection(dir: string, tlsListener: Listener | undefined): Record<string, JcfgSection> {
  if (!tlsListener) return {};
  return { certificates: { cert_pem: join(dir, 'certs', 'cert.pem'), cert_key: join(dir, 'certs', 'key.pem') } };
}
