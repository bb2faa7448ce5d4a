import { resolve } from 'node:path';
import { UsageError } from '../core/usage-error.js';
import { importOptionModule, OPTION_FILE_LIMITS, optionFileProblem } from '../load/option-file.js';
import { oneLine } from '../transports/wire.js';
import type { TransportDefinition } from '../transports/contract.js';
import { registerTransport, transportNames } from '../transports/registry.js';

/**
 * `--transport-module FILE` (repeatable): a module that adds transports. It default-exports a
 * TransportDefinition or an array of them (registered here), or registers them itself on import
 * with `registerTransport` from 'janus-scenarios'. Any problem is a usage error (exit 2), found
 * before the run touches the network.
 */
export async function loadTransportModules(files: readonly string[], cwd = process.cwd()): Promise<void> {
  for (const file of files) await loadTransportModule(file, cwd);
}

async function loadTransportModule(file: string, cwd: string): Promise<void> {
  const before = new Set(transportNames());
  // import() would wait forever on a named pipe, and read /dev/zero until memory runs out.
  const problem = optionFileProblem(resolve(cwd, file), OPTION_FILE_LIMITS.module);
  if (problem) throw new UsageError(`--transport-module ${file}: cannot load it: ${problem}`);
  let mod: { default?: unknown };
  try {
    mod = await importOptionModule(resolve(cwd, file), `--transport-module ${file}`);
  } catch (err) {
    throw new UsageError(`--transport-module ${file}: cannot load it: ${oneLine(String((err as { message?: string } | undefined)?.message ?? err), 200)}`);
  }
  const exported = mod.default === undefined ? [] : Array.isArray(mod.default) ? mod.default : [mod.default];
  for (const [i, candidate] of exported.entries()) {
    const where = exported.length > 1 ? `${file} (default export, item ${i + 1})` : file;
    const problem = definitionProblem(candidate);
    if (problem) throw new UsageError(`--transport-module ${where}: ${problem}`);
    if (before.has((candidate as TransportDefinition).name) || !transportNames().includes((candidate as TransportDefinition).name)) {
      try {
        registerTransport(candidate as TransportDefinition);
      } catch (err) {
        throw new UsageError(`--transport-module ${where}: ${oneLine((err as Error).message, 200)}`);
      }
    }
  }
  if (transportNames().every((name) => before.has(name))) {
    throw new UsageError(`--transport-module ${file}: it registered no transport (default-export a transport definition, or call registerTransport)`);
  }
}

/** What is wrong with a default export that should be a TransportDefinition, or undefined. */
export function definitionProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return `the default export is ${value === null ? 'null' : typeof value}, not a transport definition`;
  const d = value as Partial<TransportDefinition>;
  if (typeof d.name !== 'string' || !/^[a-z][a-z0-9+.-]*$/.test(d.name)) return 'a transport definition needs a name (lower-case letters, digits, + . -)';
  if (!Array.isArray(d.schemes) || !d.schemes.every((s) => typeof s === 'string' && /^[a-z][a-z0-9+.-]*$/.test(s))) return `transport '${d.name}': schemes must be an array of URL schemes (without ':')`;
  if (typeof d.connect !== 'function') return `transport '${d.name}': connect must be a function`;
  if (d.load !== undefined && typeof d.load !== 'function') return `transport '${d.name}': load must be a function when given`;
  if (d.secure !== undefined && typeof d.secure !== 'boolean') return `transport '${d.name}': secure must be true or false`;
  if (d.managed !== undefined && (typeof d.managed !== 'object' || typeof d.managed.library !== 'string' || typeof d.managed.prepare !== 'function')) {
    return `transport '${d.name}': managed needs a library name and a prepare function`;
  }
  return undefined;
}
