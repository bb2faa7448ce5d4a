import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { checkDuration } from '../core/duration.js';
import type { SchemaMode } from '../schemas/checker.js';

/** A command-line mistake: printed as one line, exit 2. */
export class UsageError extends Error {}

export interface RunSettings {
  inputs: string[];
  urls: string[];
  adminUrls: string[];
  transports?: string[];
  secrets: { apisecret?: string; token?: string; admin_secret?: string };
  tls: { ca?: string[]; insecure: boolean };
  /** `name[:path]` each: file reporters and mocha reporters, several at once. */
  reporters: string[];
  reporterOptions: Record<string, string>;
  grep?: string;
  invert: boolean;
  bail: boolean;
  retries: number;
  tags: string[];
  scenarioTimeoutMs: number;
  stepTimeoutMs: number;
  seed?: string;
  jobs: number;
  janusBinary?: string;
  schemaMode: SchemaMode;
}

const RUN_OPTIONS = {
  url: { type: 'string', multiple: true },
  'admin-url': { type: 'string', multiple: true },
  transport: { type: 'string', short: 't', multiple: true },
  'api-secret': { type: 'string' },
  token: { type: 'string' },
  'admin-secret': { type: 'string' },
  ca: { type: 'string', multiple: true },
  insecure: { type: 'boolean', default: false },
  reporter: { type: 'string', short: 'R', multiple: true },
  'reporter-option': { type: 'string', short: 'O', multiple: true },
  grep: { type: 'string', short: 'g' },
  invert: { type: 'boolean', default: false },
  bail: { type: 'boolean', short: 'b', default: false },
  retries: { type: 'string', default: '0' },
  tags: { type: 'string', multiple: true },
  timeout: { type: 'string', default: '30s' },
  'step-timeout': { type: 'string', default: '5s' },
  seed: { type: 'string' },
  jobs: { type: 'string', short: 'j' },
  'janus-binary': { type: 'string' },
  schema: { type: 'string', default: 'strict' },
} as const;

export function parseRunArgs(args: string[], env: NodeJS.ProcessEnv): RunSettings {
  const { values, positionals } = parse(args, RUN_OPTIONS);
  if (positionals.length === 0) throw new UsageError('give at least one scenario file, folder or glob');
  const list = (v: string[] | undefined) => v?.flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
  return {
    inputs: positionals,
    urls: values.url ?? [],
    adminUrls: values['admin-url'] ?? [],
    transports: list(values.transport),
    secrets: {
      apisecret: values['api-secret'] ?? env.JANUS_API_SECRET,
      token: values.token ?? env.JANUS_TOKEN,
      admin_secret: values['admin-secret'] ?? env.JANUS_ADMIN_SECRET,
    },
    tls: { ca: values.ca?.map(readCa), insecure: values.insecure },
    reporters: values.reporter ?? ['spec'],
    reporterOptions: Object.fromEntries((values['reporter-option'] ?? []).map((kv) => kv.split('=', 2) as [string, string])),
    grep: values.grep,
    invert: values.invert,
    bail: values.bail,
    retries: integer(values.retries, '--retries'),
    tags: list(values.tags) ?? [],
    scenarioTimeoutMs: duration(values.timeout, '--timeout'),
    stepTimeoutMs: duration(values['step-timeout'], '--step-timeout'),
    seed: values.seed,
    jobs: values.jobs === undefined ? defaultJobs() : Math.max(1, integer(values.jobs, '--jobs')),
    janusBinary: values['janus-binary'],
    schemaMode: schemaMode(values.schema),
  };
}

/**
 * Scenarios mostly wait on Janus, not on the CPU: twice the CPUs keeps both busy, and at most 8
 * stays well inside what one Janus serves (each scenario holds a session or two, and its own
 * connections over HTTP). 4 on a two-core machine: the shipped suite in about a third of the
 * time one at a time takes.
 */
export function defaultJobs(cpus = availableParallelism()): number {
  return Math.max(2, Math.min(8, cpus * 2));
}

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true } as const);
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]!);
  }
}

function readCa(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--ca ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

function integer(v: string, name: string): number {
  if (!/^[0-9]+$/.test(v)) throw new UsageError(`${name} expects a whole number, got "${v}"`);
  return Number(v);
}

function duration(v: string, name: string): number {
  const checked = checkDuration(v, { positive: true });
  if ('problem' in checked) throw new UsageError(`${name}: ${checked.problem}`);
  return checked.ms;
}

function schemaMode(v: string): SchemaMode {
  if (v === 'strict' || v === 'warn' || v === 'off') return v;
  throw new UsageError(`--schema expects strict, warn or off, got "${v}"`);
}
