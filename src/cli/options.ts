import { parseArgs } from 'node:util';
import { closestName } from '../core/diagnostic.js';
import { availableParallelism } from 'node:os';
import { durationOption, wholeNumberOption } from '../core/option-values.js';
import type { SchemaMode } from '../schemas/checker.js';
import { parseShard, type ShardSpec } from '../plan/shard.js';
import { checkOverrides } from '../managed/overrides.js';
import { caFileText } from '../load/option-file.js';

import { UsageError } from '../core/usage-error.js';
import { misspeltJcfgSetting } from '../schemas/jcfg-settings.js';

/** A command-line mistake: printed as one line, exit 2. */
export { UsageError };

export interface RunSettings {
  inputs: string[];
  urls: string[];
  adminUrls: string[];
  transports?: string[];
  /** `--transport-module` files, loaded before anything else (they add transports). */
  transportModules: string[];
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
  /** `--janus-config KEY=VALUE`: janus.jcfg settings for every managed Janus. */
  janusConfig: Record<string, string | number | boolean>;
  /** `--janus-without PLUGIN`: plugins the managed Janus leaves out. */
  janusWithout: string[];
  schemaMode: SchemaMode;
  /** Print the planned tests and stop. */
  list: boolean;
  /** A skipped test fails the run. */
  failOnSkip: boolean;
  /** Fewer tests than this ran (passed or failed): the run fails. */
  minTests: number;
  /** --color / --no-color; undefined: decided from the environment and the terminal. */
  colour?: boolean;
  /** `--shard i/n`: run only this share of the planned tests. */
  shard?: ShardSpec;
}

/** One command-line option: how it parses, its help line, and whether a config file may set it. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  default?: string | boolean;
  /** The value's name in help (`--url URL`). */
  value?: string;
  help: string;
  /** Secrets and one-off switches belong on the command line or in the environment, not in a file. */
  commandLineOnly?: boolean;
}
export type OptionTable = Record<string, OptionSpec>;

const HELP_OPTION: OptionTable = { help: { type: 'boolean', short: 'h', help: 'show this help', commandLineOnly: true } };

export const RUN_OPTIONS = {
  url: { type: 'string', multiple: true, value: 'URL', help: 'a running Janus (http://host:8088/janus, ws://host:8188, unix:///run/janus/api.sock[?type=dgram], mqtt://host:1883, amqp://user:pass@host:5672/vhost, ipc:///path or tcp://host:port for Nanomsg); repeatable. Without it a managed Janus is started' },
  'admin-url': { type: 'string', multiple: true, value: 'URL', help: 'its Admin API (http://host:7088/admin, ws://host:7188, or the admin socket, topics or queues of the other transports); without it, scenarios with admin: steps are skipped' },
  transport: { type: 'string', short: 't', multiple: true, value: 'LIST', help: 'http,ws,https,wss,unix,mqtt,rabbitmq,nanomsg (and transports from --transport-module): run every scenario once per transport' },
  'transport-module': { type: 'string', multiple: true, value: 'FILE', help: 'repeatable: load a module that adds a transport (see docs/transports.md)' },
  'api-secret': { type: 'string', value: 'S', help: 'or JANUS_API_SECRET', commandLineOnly: true },
  token: { type: 'string', value: 'T', help: 'or JANUS_TOKEN', commandLineOnly: true },
  'admin-secret': { type: 'string', value: 'S', help: 'or JANUS_ADMIN_SECRET', commandLineOnly: true },
  ca: { type: 'string', multiple: true, value: 'FILE', help: 'trust this CA for https/wss' },
  insecure: { type: 'boolean', help: 'skip TLS verification' },
  reporter: { type: 'string', short: 'R', multiple: true, value: 'NAME[:PATH]', help: "repeatable: spec (the console, default), junit, json, tap or html write PATH ('-': stdout); blob writes the run's events for merge-reports; coverage prints what the run exercised; any other name is a mocha reporter (dot, list, xunit, a module path)" },
  'reporter-option': { type: 'string', short: 'O', multiple: true, value: 'K=V', help: 'options of mocha reporters, e.g. output=xunit.xml' },
  grep: { type: 'string', short: 'g', value: 'TEXT', help: 'run only tests whose title contains TEXT' },
  invert: { type: 'boolean', help: 'with --grep: run the tests that do not match' },
  bail: { type: 'boolean', short: 'b', help: 'stop at the first failure' },
  retries: { type: 'string', default: '0', value: 'N', help: 'retry a failed scenario N times' },
  tags: { type: 'string', multiple: true, value: 'LIST', help: 'only scenarios with one of these tags' },
  timeout: { type: 'string', default: '30s', value: 'D', help: 'time limit per scenario (default 30s)' },
  'step-timeout': { type: 'string', default: '5s', value: 'D', help: 'time limit per step (default 5s)' },
  seed: { type: 'string', value: 'S', help: 'deterministic transaction ids', commandLineOnly: true },
  jobs: { type: 'string', short: 'j', value: 'N', help: 'run N scenarios at once (default: 2 x CPUs, 2 to 8)' },
  'janus-binary': { type: 'string', value: 'PATH', help: 'the janus executable for the managed Janus' },
  'janus-config': { type: 'string', multiple: true, value: 'KEY=VALUE', help: 'a setting for every managed Janus, repeatable: janus.jcfg general (session_timeout=120), nat.KEY or media.KEY, or a transport\'s own: http.KEY, websockets.KEY (http.json=compact websockets.json=compact); a scenario\'s requires.janus wins over it' },
  'janus-without': { type: 'string', multiple: true, value: 'PLUGIN', help: 'leave this plugin out of the managed Janus, as if it were not installed (janus.plugin.voicemail): the scenarios that need it are skipped; repeatable, or a list' },
  schema: { type: 'string', default: 'strict', value: 'MODE', help: 'check every message against the Janus API catalogue: strict (default: violations and unknown fields fail the step), warn (report only), off' },
  shard: { type: 'string', value: 'I/N', help: 'run share I of N of the planned tests (whole files, balanced by test count, the same split on every machine); write each share with --reporter blob and join them with merge-reports', commandLineOnly: true },
  list: { type: 'boolean', help: 'print the planned tests (file, name, transport, skip reason) and stop', commandLineOnly: true },
  'fail-on-skip': { type: 'boolean', help: 'a skipped test fails the run (exit 1)' },
  'min-tests': { type: 'string', default: '0', value: 'N', help: 'fail the run (exit 1) when fewer than N tests ran' },
  color: { type: 'boolean', help: 'colour the console even when it is not a terminal (also FORCE_COLOR=1)' },
  'no-color': { type: 'boolean', help: 'no colour (also NO_COLOR=1)' },
  config: { type: 'string', value: 'FILE', help: 'read options from FILE instead of janus-scenarios.config.{json,yaml,yml,js,mjs} or package.json "janus-scenarios"', commandLineOnly: true },
  ...HELP_OPTION,
} as const satisfies OptionTable;

export const VALIDATE_OPTIONS = {
  config: RUN_OPTIONS.config,
  ...HELP_OPTION,
} as const satisfies OptionTable;

export const SCHEMA_OPTIONS = {
  fragment: { type: 'boolean', help: 'the schema of fragment files (*.fragment.yaml) instead' },
  ...HELP_OPTION,
} as const satisfies OptionTable;

export const INIT_OPTIONS = {
  force: { type: 'boolean', help: 'overwrite files that already exist' },
  ...HELP_OPTION,
} as const satisfies OptionTable;

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/**
 * Parses a command's arguments against its table. Unknown options get "did you mean"; missing
 * values and stray values are said in one line. Defaults are not applied here: a config file
 * fills what the command line left out first.
 */
export function parseOptions(args: string[], table: OptionTable, command: string): { values: OptionValues; positionals: string[] } {
  checkOptionNames(args, table, command);
  const options = Object.fromEntries(Object.entries(table).map(([name, o]) => [name, { type: o.type, ...(o.short && { short: o.short }), ...(o.multiple && { multiple: true }) }]));
  try {
    return parseArgs({ args: negativeValuesJoined(args, table), options, allowPositionals: true, strict: true }) as { values: OptionValues; positionals: string[] };
  } catch (e) {
    throw new UsageError(plainParseError(e as Error & { code?: string }, table, command));
  }
}

/**
 * `--retries -1`, `-j -2`: parseArgs reads a value that starts with `-` as an option and says the
 * value is missing. A negative number after an option that takes a value is that value
 * (`--retries=-1`), for the option's own check to say what is wrong with it.
 */
function negativeValuesJoined(args: string[], table: OptionTable): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return [...out, ...args.slice(i)];
    const long = arg.startsWith('--') ? arg.slice(2) : Object.keys(table).find((name) => table[name]!.short !== undefined && arg === `-${table[name]!.short}`);
    const next = args[i + 1];
    if (long !== undefined && table[long]?.type === 'string' && next !== undefined && /^-[0-9.]/.test(next)) {
      out.push(`--${long}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** Every `--name` and `-x` must be in the table; the closest one is suggested. */
function checkOptionNames(args: string[], table: OptionTable, command: string): void {
  const longNames = Object.keys(table);
  const shorts = Object.entries(table).filter(([, o]) => o.short).map(([name, o]) => [o.short!, name] as const);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return;
    if (arg.startsWith('--')) {
      const name = arg.slice(2).split('=')[0]!;
      if (!longNames.includes(name)) {
        const hint = closestName(name, longNames);
        throw new UsageError(`unknown option --${name} for ${command}${hint ? `; did you mean --${hint}?` : ''}`);
      }
      if (table[name]!.type === 'string' && !arg.includes('=')) i++;
    } else if (/^-[^-]/.test(arg)) {
      for (const [j, letter] of [...arg.slice(1)].entries()) {
        const long = shorts.find(([s]) => s === letter)?.[1];
        if (!long) throw new UsageError(`unknown option -${letter} for ${command}`);
        if (table[long]!.type === 'string') {
          if (j === arg.length - 2) i++;
          break;
        }
      }
    }
  }
}

function plainParseError(e: Error & { code?: string }, table: OptionTable, command: string): string {
  const name = /'(--?[\w-]+)/.exec(e.message)?.[1];
  const long = name?.startsWith('--') ? name.slice(2) : Object.entries(table).find(([, o]) => `-${o.short}` === name)?.[0];
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && long) {
    const spec = table[long];
    return spec?.type === 'boolean' ? `--${long} takes no value` : `--${long} needs a value (${spec?.value ?? 'VALUE'})`;
  }
  return `${command}: ${e.message.split('\n')[0]!.replace(/'/g, '')}`;
}

/** The help of one command, generated from its option table. */
export function optionHelp(table: OptionTable): string {
  return helpColumns(Object.entries(table).map(([name, o]) => [`${o.short ? `-${o.short}, ` : '    '}--${name}${o.value ? ` ${o.value}` : ''}`, o.help] as const));
}

/**
 * Rows of help as two columns within 100 characters: the text wrapped beside its name, or
 * starting on the next line when the name is wider than the column (never run into it).
 */
export function helpColumns(rows: ReadonlyArray<readonly [string, string]>, maxWidth = 30): string {
  const width = Math.min(maxWidth, Math.max(...rows.map(([left]) => left.length)) + 2);
  const pad = `\n  ${' '.repeat(width)}`;
  return rows.map(([left, help]) => {
    const text = wrap(help, 98 - width).join(pad);
    return left.length >= width ? `  ${left}${pad}${text}` : `  ${left.padEnd(width)}${text}`;
  }).join('\n');
}

/** Text cut into lines of at most `width` characters, at spaces. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/** Run settings from a command line alone (no config file), the environment for secrets. */
export function parseRunArgs(args: string[], env: NodeJS.ProcessEnv): RunSettings {
  const { values, positionals } = parseOptions(args, RUN_OPTIONS, 'run');
  return runSettings(values, positionals, env);
}

/** Run settings from parsed values (the command line over the config file), the environment for secrets. */
export function runSettings(values: OptionValues, positionals: string[], env: NodeJS.ProcessEnv): RunSettings {
  const v = withDefaults(values, RUN_OPTIONS);
  if (positionals.length === 0) throw new UsageError('give at least one scenario file, folder or glob (or "files" in a config file)');
  if (v.color && v['no-color']) throw new UsageError('give --color or --no-color, not both');
  const str = (name: keyof typeof RUN_OPTIONS) => v[name] as string | undefined;
  const strings = (name: keyof typeof RUN_OPTIONS) => v[name] as string[] | undefined;
  const list = (x: string[] | undefined) => x?.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  return {
    inputs: positionals,
    urls: checkedUrls('--url', strings('url')),
    adminUrls: checkedUrls('--admin-url', strings('admin-url')),
    transports: namesGiven('--transport', strings('transport'), list),
    transportModules: strings('transport-module') ?? [],
    secrets: {
      apisecret: str('api-secret') ?? env.JANUS_API_SECRET,
      token: str('token') ?? env.JANUS_TOKEN,
      admin_secret: str('admin-secret') ?? env.JANUS_ADMIN_SECRET,
    },
    tls: { ca: strings('ca')?.map(caFileText), insecure: v.insecure === true },
    reporters: strings('reporter') ?? ['spec'],
    reporterOptions: Object.fromEntries((strings('reporter-option') ?? []).map(reporterOption)),
    grep: str('grep'),
    invert: v.invert === true,
    bail: v.bail === true,
    retries: wholeNumberOption('--retries', str('retries')!, { min: 0 }),
    tags: list(strings('tags')) ?? [],
    scenarioTimeoutMs: durationOption('--timeout', str('timeout')!),
    stepTimeoutMs: durationOption('--step-timeout', str('step-timeout')!),
    seed: str('seed'),
    jobs: str('jobs') === undefined ? defaultJobs() : wholeNumberOption('--jobs', str('jobs')!, { min: 1 }),
    janusBinary: str('janus-binary'),
    ...managedSettings(strings('janus-config'), list(strings('janus-without')), strings('url')),
    schemaMode: schemaMode(str('schema')!),
    list: v.list === true,
    failOnSkip: v['fail-on-skip'] === true,
    minTests: wholeNumberOption('--min-tests', str('min-tests')!, { min: 0 }),
    colour: v.color ? true : v['no-color'] ? false : undefined,
    shard: str('shard') === undefined ? undefined : shard(str('shard')!),
  };
}

/**
 * A list option's names: given but naming nothing (`-t ""`, `-t ,`, an unset variable in a CI
 * script) is a usage error, not an empty list: no transport meant no test, and "0 passing", exit 0.
 */
function namesGiven(option: string, given: string[] | undefined, list: (x: string[] | undefined) => string[] | undefined): string[] | undefined {
  const names = list(given);
  if (given !== undefined && names!.length === 0) throw new UsageError(`${option} names nothing (got ${given.map((g) => JSON.stringify(g)).join(', ')}): give one or more names, comma-separated`);
  return names;
}

/** `-O KEY=VALUE`: the value is all after the first '=' (output=a=b.xml); without a key and an '=' it is a mistake, not an option set to nothing. */
function reporterOption(kv: string): [string, string] {
  const eq = kv.indexOf('=');
  if (eq <= 0) throw new UsageError(`--reporter-option ${JSON.stringify(kv)}: expected KEY=VALUE, as output=results.xml`);
  return [kv.slice(0, eq), kv.slice(eq + 1)];
}

/** `--janus-config` and `--janus-without`: for the managed Janus only, checked before anything starts. */
function managedSettings(config: string[] | undefined, without: string[] | undefined, urls: string[] | undefined): Pick<RunSettings, 'janusConfig' | 'janusWithout'> {
  if ((config?.length || without?.length) && urls?.length) throw new UsageError(`--${config?.length ? 'janus-config' : 'janus-without'} is for the managed Janus; with --url the server's own configuration is used`);
  const janusConfig: RunSettings['janusConfig'] = {};
  for (const setting of config ?? []) {
    const match = /^([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?)=(.*)$/.exec(setting.trim());
    if (!match) throw new UsageError(`--janus-config expects KEY=VALUE (a janus.jcfg general setting, nat.KEY, media.KEY, http.KEY or websockets.KEY), as websockets.json=compact; not "${setting}"`);
    // janus.jcfg has no such key and Janus would ignore it without a word: the layout is each transport's.
    if (match[1] === 'json') throw new UsageError(`--janus-config json: the JSON layout is each transport's setting; give http.json=${match[2]} and websockets.json=${match[2]}`);
    // A misspelt janus.jcfg key, as in a scenario's requires.janus: Janus would start without the setting.
    const meant = misspeltJcfgSetting(match[1]!);
    if (meant) throw new UsageError(`--janus-config ${match[1]}: not a janus.jcfg setting (Janus would ignore it); did you mean ${meant}?`);
    janusConfig[match[1]!] = jcfgValue(match[2]!);
  }
  try {
    checkOverrides(janusConfig);
  } catch (e) {
    throw new UsageError(`--janus-config: ${(e as Error).message}`);
  }
  for (const plugin of without ?? []) {
    // `echotest` for janus.plugin.echotest: the short name is what a new user writes first.
    const meant = /^[a-z0-9_]+$/i.test(plugin) ? `; did you mean janus.plugin.${plugin.toLowerCase()}?` : '';
    if (!/^janus\.plugin\.[a-z0-9_]+$/.test(plugin)) throw new UsageError(`--janus-without expects a plugin package name, as janus.plugin.voicemail; not "${plugin}"${meant}`);
  }
  return { janusConfig, janusWithout: without ?? [] };
}

/** true/false and whole numbers are written as such in the jcfg; anything else as a string. */
function jcfgValue(text: string): string | number | boolean {
  if (text === 'true' || text === 'false') return text === 'true';
  return /^-?\d+$/.test(text) ? Number(text) : text;
}

function withDefaults(values: OptionValues, table: OptionTable): OptionValues {
  const out = { ...values };
  for (const [name, o] of Object.entries(table)) if (out[name] === undefined && o.default !== undefined) out[name] = o.default;
  return out;
}

/**
 * A URL with a scheme must parse as one: `http://`, `ws://[::1` or a port of `8088:99` is a
 * mistake on the command line (exit 2) said before anything starts, not a server that cannot be
 * reached (exit 3). Text with no scheme is left to the plan, which names the schemes it serves.
 * The URL is shown without its user-info and query, where credentials go.
 */
function checkedUrls(option: string, urls: string[] | undefined): string[] {
  for (const url of urls ?? []) {
    const problem = urlProblem(url);
    if (problem) throw new UsageError(`${option} ${withoutCredentials(url)}: invalid URL: ${problem}`);
  }
  return urls ?? [];
}

/** What is wrong with a URL that names a scheme, in words; undefined when it parses (or names no scheme). */
function urlProblem(url: string): string | undefined {
  if (!SCHEME.test(url) || URL.canParse(url)) return undefined;
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url)?.[1];
  if (authority === undefined) return 'not a valid URL';
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  if (host === '') return 'no host after "//"';
  if (host.startsWith('[') && !host.includes(']')) return 'the [ of an IPv6 address is not closed with ]';
  // What follows the host name (or the [IPv6] address): `:port`, or nothing.
  const port = /^(?:\[[^\]]*\]|[^:]*)(.*)$/.exec(host)![1]!.slice(1);
  if (!/^\d*$/.test(port)) return `the port "${port}" is not a number from 0 to 65535`;
  if (Number(port) > 65535) return `the port ${port} is above 65535`;
  return 'not a valid URL';
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1').replace(/[?#].*$/s, '');
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

function shard(v: string): ShardSpec {
  const parsed = parseShard(v);
  if ('problem' in parsed) throw new UsageError(parsed.problem);
  return parsed;
}

function schemaMode(v: string): SchemaMode {
  if (v === 'strict' || v === 'warn' || v === 'off') return v;
  throw new UsageError(`--schema expects strict, warn or off, got "${v}"`);
}
