/**
 * Event handlers and loggers: modules that watch Janus rather than serve its API. Each comes
 * from a package name (janus.eventhandler.sampleevh, janus.logger.jsonlog), is loaded from
 * events/ or loggers/ of the installation, and reads the `general` section of its own jcfg,
 * which the launcher writes from the module's defaults and the settings a scenario gives.
 */
import { access, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JanusStartError } from './errors.js';
import type { JanusInstallation } from './installation.js';
import { renderJcfg } from './jcfg.js';
import type { GeneralConfig, ObserverSettings } from './needs.js';

interface ObserverKind {
  /** Package prefix, folder in the installation and in the instance. */
  prefix: string;
  folder: 'events' | 'loggers';
}

const KINDS = {
  eventhandlers: { prefix: 'janus.eventhandler.', folder: 'events' },
  loggers: { prefix: 'janus.logger.', folder: 'loggers' },
} as const satisfies Record<string, ObserverKind>;

export type ObserverKindName = keyof typeof KINDS;

/**
 * Settings a module needs to load at all. Each module refuses to start unless `enabled`; the
 * sample handler also needs an HTTP backend (a closed loopback port: failed POSTs are only
 * logged, and no retries keep its thread busy); the JSON logger needs a file, which goes in the
 * instance folder.
 */
function defaults(pkg: string, dir: string): GeneralConfig {
  switch (pkg) {
    case 'janus.eventhandler.sampleevh':
      return { enabled: true, backend: 'http://127.0.0.1:9/janus-events', max_retransmissions: 0 };
    case 'janus.logger.jsonlog':
      return { enabled: true, filename: join(dir, 'jsonlog.json') };
    default:
      return { enabled: true };
  }
}

/** 'janus.eventhandler.sampleevh' → 'sampleevh', loaded from libjanus_sampleevh.so. */
export function observerStem(kind: ObserverKindName, pkg: string): string {
  const { prefix } = KINDS[kind];
  const stem = pkg.startsWith(prefix) ? pkg.slice(prefix.length) : '';
  if (!/^[a-z0-9_]+$/.test(stem)) throw new JanusStartError(`'${pkg}' is not a Janus ${kind === 'loggers' ? 'logger' : 'event handler'} package name (expected ${prefix}<name>)`);
  return stem;
}

export async function requireObservers(installation: JanusInstallation, kind: ObserverKindName, settings: ObserverSettings): Promise<void> {
  for (const pkg of Object.keys(settings)) {
    const path = join(installation.moduleDir, KINDS[kind].folder, `libjanus_${observerStem(kind, pkg)}.so`);
    try {
      await access(path);
    } catch {
      throw new JanusStartError(`'${pkg}' is not installed (no ${path})`);
    }
  }
}

/** Links each module into the instance's folder for its kind and writes its jcfg. */
export async function writeObservers(dir: string, installation: JanusInstallation, kind: ObserverKindName, settings: ObserverSettings): Promise<void> {
  const { folder } = KINDS[kind];
  for (const [pkg, given] of Object.entries(settings)) {
    const lib = `libjanus_${observerStem(kind, pkg)}.so`;
    await symlink(join(installation.moduleDir, folder, lib), join(dir, folder, lib));
    await writeFile(join(dir, `${pkg}.jcfg`), renderJcfg({ general: { ...defaults(pkg, dir), ...given } }));
  }
}
