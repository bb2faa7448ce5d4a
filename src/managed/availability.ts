import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { findInstallation } from './installation.js';
import { libraryOf } from './defined-transports.js';
import { pluginStem, type JanusTransportName } from './needs.js';
import { observerStem } from './observers.js';

/** The modules a scenario needs, by package name, as `requires` lists them. */
export interface ModuleNeeds {
  plugins: readonly string[];
  eventhandlers?: Record<string, unknown>;
  loggers?: Record<string, unknown>;
}

/** What the installed Janus has, read from its module folders before anything starts. */
export interface InstalledModules {
  moduleDir: string;
  /** Package names among `needs` the installation has no library for. */
  missing(needs: ModuleNeeds): string[];
  /** API transports whose library (libjanus_http.so, libjanus_pfunix.so, ...) is not installed. */
  missingTransports(transports: readonly JanusTransportName[]): JanusTransportName[];
}

const FOLDERS = ['plugins', 'transports', 'events', 'loggers'] as const;

/**
 * Lists the installation's module folders once, so a run can skip the scenarios whose plugin,
 * event handler or logger is not installed (with the reason) instead of failing to start Janus.
 */
export async function installedModules(options: { binary?: string; moduleDir?: string } = {}): Promise<InstalledModules> {
  const installation = await findInstallation(options.binary, options.moduleDir);
  const files = new Map<string, Set<string>>();
  for (const folder of FOLDERS) files.set(folder, new Set(await readdir(join(installation.moduleDir, folder)).catch(() => [])));
  const has = (folder: (typeof FOLDERS)[number], stem: () => string): boolean => {
    try {
      return files.get(folder)!.has(`libjanus_${stem()}.so`);
    } catch {
      // Not a package name of that kind: no installation has it.
      return false;
    }
  };
  return {
    moduleDir: installation.moduleDir,
    missing(needs) {
      return [
        ...needs.plugins.filter((p) => !has('plugins', () => pluginStem(p))),
        ...Object.keys(needs.eventhandlers ?? {}).filter((p) => !has('events', () => observerStem('eventhandlers', p))),
        ...Object.keys(needs.loggers ?? {}).filter((p) => !has('loggers', () => observerStem('loggers', p))),
      ];
    },
    missingTransports(transports) {
      // A transport without a library (unknown, or --url only) is the launcher's to explain.
      return transports.filter((t) => libraryOf(t) !== undefined && !has('transports', () => libraryOf(t)!));
    },
  };
}
