import { existsSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { durationOption } from '../core/option-values.js';
import { ExitCode } from '../core/exit-codes.js';
import { folderProblem, makeFolders } from '../core/folders.js';
import { generateScenarios, renderScenario, startProxy, TrafficLog, type Proxy } from '../capture/index.js';
import { parseOptions, UsageError, type OptionTable } from './options.js';

export const CAPTURE_OPTIONS = {
  target: { type: 'string', multiple: true, value: 'URL', help: 'the Janus to relay to: ws://host:8188, http://host:8088/janus, or its Admin API (ws://host:7188 with janus-admin-protocol, http://host:7088/admin); repeatable, one per --listen' },
  listen: { type: 'string', multiple: true, value: 'HOST:PORT', help: 'where the application connects instead (the same scheme and path as the target); repeatable' },
  out: { type: 'string', value: 'DIR', help: 'the folder the scenario files go to, one per Janus session' },
  duration: { type: 'string', value: 'D', help: 'stop capturing after D (30s, 2m) instead of at Ctrl-C / SIGTERM' },
  help: { type: 'boolean', short: 'h', help: 'show this help', commandLineOnly: true },
} as const satisfies OptionTable;

type Io = { out: (s: string) => void; err: (s: string) => void };

const SCHEMA = fileURLToPath(new URL('../../../schema/scenario.schema.json', import.meta.url));

/**
 * `janus-scenarios capture --target URL --listen HOST:PORT --out DIR`: relays an application's
 * traffic to Janus until Ctrl-C (or --duration), then writes each Janus session it saw as a
 * scenario file and prints one line per file.
 */
export async function captureCommand(args: string[], io: Io): Promise<number> {
  const settings = readCaptureSettings(args);
  const log = new TrafficLog();
  const proxies: Proxy[] = [];
  try {
    for (const { target, host, port } of settings.pairs) {
      const proxy = await startProxy({ target, host, port, log }).catch((e: NodeJS.ErrnoException) => {
        throw new UsageError(`cannot listen on ${host}:${port}: ${e.code ?? e.message}`);
      });
      proxies.push(proxy);
      io.err(`capturing: point the application at ${proxy.url} (relayed to ${redactUrl(target)})`);
    }
    await stopped(settings.durationMs);
  } finally {
    await Promise.all(proxies.map((p) => p.close()));
  }
  const generated = generateScenarios(log.entries);
  if (generated.length === 0) {
    io.err('no Janus session was captured: nothing written');
    return ExitCode.passed;
  }
  makeFolders(settings.out);
  for (const g of generated) {
    const path = freePath(settings.out, g.file);
    writeFileSync(path, renderScenario(g.scenario, relative(settings.out, SCHEMA)));
    const steps = (g.scenario.steps as unknown[]).length;
    io.out(`wrote ${path} (${steps} step(s))${g.environment.length ? `; set ${g.environment.join(', ')} to run it` : ''}`);
  }
  return ExitCode.passed;
}

interface CaptureSettings {
  pairs: { target: string; host: string; port: number }[];
  out: string;
  durationMs?: number;
}

function readCaptureSettings(args: string[]): CaptureSettings {
  const { values, positionals } = parseOptions(args, CAPTURE_OPTIONS, 'capture');
  if (positionals.length) throw new UsageError(`capture takes no files: "${positionals[0]}"`);
  const targets = (values.target as string[] | undefined) ?? [];
  const listens = (values.listen as string[] | undefined) ?? [];
  if (targets.length === 0) throw new UsageError('give --target URL: the Janus to relay to (ws://127.0.0.1:8188, http://127.0.0.1:8088/janus)');
  if (listens.length !== targets.length) throw new UsageError(`give one --listen HOST:PORT per --target (${targets.length} target(s), ${listens.length} --listen)`);
  if (typeof values.out !== 'string' || values.out === '') throw new UsageError('give --out DIR: where the scenario files go');
  // Said now, not after the minutes of a capture that could then not be written.
  const outProblem = folderProblem(values.out);
  if (outProblem) throw new UsageError(`--out ${values.out}: ${outProblem}`);
  const pairs = targets.map((target, i) => ({ target: checkTarget(target), ...checkListen(listens[i]!) }));
  const durationMs = typeof values.duration === 'string' ? durationOption('--duration', values.duration) : undefined;
  return { pairs, out: values.out, durationMs };
}

function checkTarget(target: string): string {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new UsageError(`--target ${redactUrl(target)} is not a URL (ws://127.0.0.1:8188, http://127.0.0.1:8088/janus)`);
  }
  if (!['ws:', 'wss:', 'http:', 'https:'].includes(url.protocol)) throw new UsageError(`--target must be a ws://, wss://, http:// or https:// URL, not ${url.protocol}`);
  return target;
}

function checkListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(listen) ?? /^(\d+)$/.exec(listen);
  const port = Number(m?.[3] ?? (m && m.length === 2 ? m[1] : NaN));
  if (!m || !Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--listen is HOST:PORT (127.0.0.1:8189), not "${listen}"`);
  return { host: m[1] ?? m[2] ?? '127.0.0.1', port };
}

/** A URL as it may be printed: no user or password. */
function redactUrl(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//[redacted]@');
}

function stopped(durationMs: number | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      clearTimeout(timer);
      resolve();
    };
    const timer = durationMs === undefined ? undefined : setTimeout(done, durationMs);
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

/** The file's name, or the first free one with a number: a second capture adds files. */
function freePath(dir: string, file: string): string {
  let path = join(dir, file);
  for (let n = 2; existsSync(path); n++) path = join(dir, file.replace(/\.yaml$/, `-${n}.yaml`));
  return path;
}
