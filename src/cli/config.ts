import { CONFIG_FILES } from '../load/collect.js';
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { YamlSource } from '../load/yaml-source.js';
import { closestName } from '../core/diagnostic.js';
import { parseJsonText } from '../core/json-text.js';
import { importOptionModule, OPTION_FILE_LIMITS, optionFileProblem, optionFileText } from '../load/option-file.js';
import { UsageError, type OptionTable, type OptionValues } from './options.js';

/** Config file names looked for in the working folder, in this order; then package.json's key. */
const PACKAGE_KEY = 'janus-scenarios';

/** Options a project always passes, from its config file: each key is a long option name. */
export interface ProjectConfig {
  /** Where it came from, for messages. */
  source?: string;
  values: OptionValues;
  /** Scenario files, folders or globs to use when the command line names none. */
  files?: string[];
}

/**
 * Finds and reads the project's config: `--config FILE`, else the first of CONFIG_FILES in
 * `cwd`, else the "janus-scenarios" key of its package.json. Keys are option names
 * (`transport`, `admin-url` or `adminUrl`, `reporter`, `timeout`, ...) checked against
 * `table`, with "did you mean"; a mistake is a usage error (exit 2).
 */
export async function loadProjectConfig(cwd: string, explicit: string | undefined, table: OptionTable): Promise<ProjectConfig> {
  const found = explicit ? resolve(cwd, explicit) : CONFIG_FILES.map((f) => resolve(cwd, f)).find((f) => existsSync(f));
  if (found) {
    // Named as the command line gave it (--config /etc/x.json), else as found in the working folder.
    const name = explicit ?? basename(found);
    return checkedFrom(await readConfigFile(found, name, explicit ? `--config ${explicit}` : name), name, table);
  }
  const pkgPath = resolve(cwd, 'package.json');
  if (!existsSync(pkgPath)) return { values: {} };
  const pkg = parseJson(configText(pkgPath, 'package.json'), 'package.json') as Record<string, unknown> | null;
  if (typeof pkg !== 'object' || pkg === null || pkg[PACKAGE_KEY] === undefined) return { values: {} };
  return checkedFrom(pkg[PACKAGE_KEY], `package.json "${PACKAGE_KEY}"`, table);
}

/** The command line wins: a config value fills only an option the command line left out. */
export function mergeOptions(commandLine: OptionValues, config: ProjectConfig): OptionValues {
  const out = { ...config.values };
  for (const [k, v] of Object.entries(commandLine)) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * The config's value: a module's default export, or the parsed JSON or YAML. The file is first
 * checked as every option's file is (a named pipe or a device is refused, not read); `label`
 * names it in that refusal, `name` in a problem with what it holds.
 */
async function readConfigFile(path: string, name: string, label: string): Promise<unknown> {
  if (/\.m?js$/.test(path)) {
    const problem = optionFileProblem(path, OPTION_FILE_LIMITS.module);
    if (problem) throw new UsageError(`${label}: ${problem}`);
    let mod: Record<string, unknown>;
    try {
      mod = await importOptionModule(path, label);
    } catch (e) {
      throw new UsageError(`${name}: ${firstLine(e)}`);
    }
    // Without these a module's options would be read as none, and the run would go on without them.
    if (mod.default === undefined) throw new UsageError(`${name}: the module has no default export; write export default { timeout: '10s', ... }`);
    if (typeof (mod.default as { then?: unknown } | null)?.then === 'function') throw new UsageError(`${name}: the default export is a promise; export the options object itself`);
    return mod.default;
  }
  const text = configText(path, label);
  if (path.endsWith('.json')) return parseJson(text, name);
  // YAML as the scenario loader reads it, and refused in its words (aliases that expand too far, tags, duplicate keys).
  const parsed = YamlSource.parse(name, path, text);
  const [first] = parsed.diagnostics;
  if (first) throw new UsageError(`${name}:${first.span.line}:${first.span.col}: ${first.message}`);
  return parsed.source!.value;
}

function configText(path: string, label: string): string {
  return optionFileText(path, OPTION_FILE_LIMITS.config, label);
}

/** A JSON config's value; a mistake in it names its line and column, as a scenario's load error does. */
function parseJson(text: string, name: string): unknown {
  const parsed = parseJsonText(text);
  if ('value' in parsed) return parsed.value;
  throw new UsageError(`${name}:${parsed.line}:${parsed.col}: invalid JSON: ${parsed.problem}`);
}

/** What was thrown, as its first line: an Error's message, or the thrown value itself. */
function firstLine(e: unknown): string {
  let text: string;
  try {
    text = e instanceof Error ? e.message : String(e);
  } catch {
    text = 'an exception that cannot be shown as text';
  }
  return text.split('\n')[0]!;
}

/**
 * Reading a module's values runs its code (a getter, a Proxy): what it throws is a mistake in
 * the config file, said in one line naming it (exit 2), not a crash.
 */
function checkedFrom(raw: unknown, source: string, table: OptionTable): ProjectConfig {
  try {
    return checked(raw, source, table);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${source}: ${firstLine(e)}`);
  }
}

function checked(raw: unknown, source: string, table: OptionTable): ProjectConfig {
  if (raw === null || raw === undefined) return { source, values: {} };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new UsageError(`${source}: expected an object of options`);
  const values: OptionValues = {};
  let files: string[] | undefined;
  const allowed = Object.keys(table).filter((k) => !table[k]!.commandLineOnly);
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const name = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    if (name === 'files') {
      files = stringList(value, source, key);
      continue;
    }
    const spec = table[name];
    if (spec?.commandLineOnly) {
      const secret = /secret|token/.test(name);
      throw new UsageError(`${source}: "${key}" cannot be set in a config file; ${secret ? `give it on the command line or in the environment (${envName(name)})` : 'give it on the command line'}`);
    }
    if (!spec) {
      const hint = closestName(name, [...allowed, 'files']);
      throw new UsageError(`${source}: unknown option "${key}"${hint ? `; did you mean "${hint}"?` : ''}`);
    }
    values[name] = spec.type === 'boolean' ? boolean(value, source, key) : spec.multiple ? multiple(name, value, source, key) : scalar(value, source, key);
  }
  return { source, values, ...(files && { files }) };
}

function envName(option: string): string {
  return { 'api-secret': 'JANUS_API_SECRET', token: 'JANUS_TOKEN', 'admin-secret': 'JANUS_ADMIN_SECRET' }[option] ?? option;
}

function boolean(value: unknown, source: string, key: string): boolean {
  if (typeof value !== 'boolean') throw new UsageError(`${source}: "${key}" expects true or false, got ${JSON.stringify(value)}`);
  return value;
}

function scalar(value: unknown, source: string, key: string): string {
  if (typeof value !== 'string' && typeof value !== 'number') throw new UsageError(`${source}: "${key}" expects a string or a number, got ${JSON.stringify(value)}`);
  return String(value);
}

/** A list option: a string, a list of strings, or (reporter-option) an object of key: value. */
function multiple(name: string, value: unknown, source: string, key: string): string[] {
  if (name === 'reporter-option' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).map(([k, v]) => `${k}=${scalar(v, source, `${key}.${k}`)}`);
  }
  return stringList(value, source, key);
}

function stringList(value: unknown, source: string, key: string): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items.map((v, i) => scalar(v, source, Array.isArray(value) ? `${key}[${i}]` : key));
}
