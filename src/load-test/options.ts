import { caFileText } from '../load/option-file.js';
import { durationOption, wholeNumberOption } from '../core/option-values.js';
import { UsageError } from '../core/usage-error.js';
import type { SchemaMode } from '../schemas/checker.js';
import { parseThreshold, type Threshold } from './thresholds.js';
import type { UserSchedule } from './virtual-users.js';

/** The options of `load`, in the shape of the CLI's option tables (cli/options.ts checks it where it registers them). */
export const LOAD_OPTIONS = {
  users: { type: 'string', short: 'u', default: '10', value: 'N', help: 'concurrent virtual users, each with its own client and sessions (default 10)' },
  ramp: { type: 'string', default: '0', value: 'D', help: 'spread the users\' starts over D (default 0: all at once)' },
  duration: { type: 'string', short: 'd', default: '30s', value: 'D', help: 'how long users start iterations, the ramp included (default 30s)' },
  pace: { type: 'string', value: 'D', help: 'each user starts an iteration every D, timed from when it should have started; without it, iterations run back to back' },
  'graceful-stop': { type: 'string', default: '30s', value: 'D', help: 'iterations still running when the duration ends get D to finish, then are stopped (and clean up); default 30s' },
  iterations: { type: 'string', value: 'N', help: 'stop after N iterations in all (or when the duration ends)' },
  threshold: { type: 'string', multiple: true, value: 'EXPR', help: "repeatable; the run fails (exit 1) unless it holds: p95<50ms, p99<200ms, max<1s, errors<1%, errors==0, iteration.p95<2s, step[NAME].p99<20ms, rps>100. Without an errors threshold any failed iteration fails the run" },
  'report-json': { type: 'string', value: 'FILE', help: 'write the load report as JSON (docs/load.md)' },
  'report-html': { type: 'string', value: 'FILE', help: 'write a self-contained HTML page: latency over time, per-step table and histograms' },
  url: { type: 'string', multiple: true, value: 'URL', help: 'a running Janus (ws://host:8188, http://host:8088/janus); without it a managed Janus is started, its limits raised for the users' },
  'admin-url': { type: 'string', multiple: true, value: 'URL', help: "its Admin API, to count the sessions left on the server (list_sessions)" },
  transport: { type: 'string', short: 't', value: 'NAME', help: 'the one transport the users run over: ws (default), http, https, wss, unix, mqtt, rabbitmq or nanomsg' },
  'api-secret': { type: 'string', value: 'S', help: 'or JANUS_API_SECRET', commandLineOnly: true },
  token: { type: 'string', value: 'T', help: 'or JANUS_TOKEN', commandLineOnly: true },
  'admin-secret': { type: 'string', value: 'S', help: 'or JANUS_ADMIN_SECRET', commandLineOnly: true },
  ca: { type: 'string', multiple: true, value: 'FILE', help: 'trust this CA for https/wss' },
  insecure: { type: 'boolean', help: 'skip TLS verification' },
  'janus-binary': { type: 'string', value: 'PATH', help: 'the janus executable for the managed Janus' },
  schema: { type: 'string', default: 'strict', value: 'MODE', help: 'check every message against the Janus API catalogue: strict (default), warn, off' },
  timeout: { type: 'string', default: '60s', value: 'D', help: 'time limit per iteration (default 60s)' },
  'step-timeout': { type: 'string', default: '5s', value: 'D', help: 'time limit per step (default 5s)' },
  seed: { type: 'string', value: 'S', help: 'deterministic transaction ids', commandLineOnly: true },
  help: { type: 'boolean', short: 'h', help: 'show this help', commandLineOnly: true },
} as const;

export interface LoadSettings {
  input: string;
  schedule: UserSchedule;
  thresholds: Threshold[];
  reportJson?: string;
  reportHtml?: string;
  urls: string[];
  adminUrls: string[];
  transport?: string;
  secrets: { apisecret?: string; token?: string; admin_secret?: string };
  tls: { ca?: string[]; insecure: boolean };
  janusBinary?: string;
  schemaMode: SchemaMode;
  scenarioTimeoutMs: number;
  stepTimeoutMs: number;
  seed?: string;
}

/** At most this many users from one process (each holds sockets and a session or more). */
export const MAX_USERS = 20_000;

type Values = Record<string, string | boolean | string[] | undefined>;

/** The parsed command line as load settings; every mistake is a UsageError (exit 2), before any I/O. */
export function loadSettings(values: Values, positionals: string[], env: NodeJS.ProcessEnv): LoadSettings {
  const v: Values = { ...values };
  for (const [name, o] of Object.entries(LOAD_OPTIONS)) if (v[name] === undefined && 'default' in o) v[name] = o.default;
  if (positionals.length !== 1) throw new UsageError(`give one scenario file (load runs one scenario), got ${positionals.length === 0 ? 'none' : positionals.length}`);
  const str = (name: keyof typeof LOAD_OPTIONS) => v[name] as string | undefined;
  const strings = (name: keyof typeof LOAD_OPTIONS) => (v[name] as string[] | undefined) ?? [];
  const users = wholeNumberOption('--users', str('users')!, { min: 1, max: MAX_USERS });
  const durationMs = durationOption('--duration', str('duration')!);
  const rampMs = durationOption('--ramp', str('ramp')!, { zero: true });
  if (rampMs > durationMs) throw new UsageError(`--ramp ${str('ramp')} is longer than --duration ${str('duration')} (the duration includes the ramp)`);
  const thresholds = strings('threshold').map((expression) => {
    const parsed = parseThreshold(expression);
    if ('problem' in parsed) throw new UsageError(parsed.problem);
    return parsed.threshold;
  });
  return {
    input: positionals[0]!,
    schedule: {
      users,
      rampMs,
      durationMs,
      ...(str('pace') !== undefined && { paceMs: durationOption('--pace', str('pace')!) }),
      gracefulStopMs: durationOption('--graceful-stop', str('graceful-stop')!, { zero: true }),
      ...(str('iterations') !== undefined && { maxIterations: wholeNumberOption('--iterations', str('iterations')!, { min: 1 }) }),
    },
    thresholds,
    reportJson: str('report-json'),
    reportHtml: str('report-html'),
    urls: strings('url'),
    adminUrls: strings('admin-url'),
    transport: str('transport'),
    secrets: { apisecret: str('api-secret') ?? env.JANUS_API_SECRET, token: str('token') ?? env.JANUS_TOKEN, admin_secret: str('admin-secret') ?? env.JANUS_ADMIN_SECRET },
    tls: { ca: strings('ca').map(caFileText), insecure: v.insecure === true },
    janusBinary: str('janus-binary'),
    schemaMode: schemaMode(str('schema')!),
    scenarioTimeoutMs: durationOption('--timeout', str('timeout')!),
    stepTimeoutMs: durationOption('--step-timeout', str('step-timeout')!),
    seed: str('seed'),
  };
}

function schemaMode(v: string): SchemaMode {
  if (v === 'strict' || v === 'warn' || v === 'off') return v;
  throw new UsageError(`--schema expects strict, warn or off, got "${v}"`);
}
