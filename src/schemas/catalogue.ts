import { clip } from '../core/clip.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { compileValidator } from './validators.js';
import { admin } from './admin/index.js';
import { core } from './core/index.js';
import { bundledPlugins } from './plugins/index.js';
import { forVersion } from './field-versions.js';
import type { JsonSchema, PluginSpec, VersionedSchema } from './types.js';

/**
 * Every schema of the catalogue by name: core/request/attach, core/success/create,
 * core/reply/error, core/event/webrtcup, admin/request/list_sessions, admin/success/handle_info,
 * videoroom/request/join, videoroom/joined, ... Validators are compiled once per process, on
 * first use, in two variants: as written, and strict (unknown fields are violations).
 */
export interface Entry extends VersionedSchema {
  name: string;
}

/**
 * The entries, filled on first use: the core's and the Admin API's at once, the plugins' when a
 * name not of those two is asked for (or all of them), so a run parses the plugins' schemas at
 * its first plugin message, not at start.
 */
const entries = new Map<string, Entry>();
let pluginsAdded = false;
const add = (name: string, s: VersionedSchema): void => void entries.set(name, { name, ...s });

function entriesFor(name?: string): Map<string, Entry> {
  if (entries.size === 0) {
    for (const [kind, table] of Object.entries({ request: core.requests, success: core.success, reply: core.replies, event: core.events })) {
      for (const [key, s] of Object.entries(table)) add(`core/${kind}/${key}`, s);
    }
    for (const [kind, table] of Object.entries({ request: admin.requests, success: admin.success })) {
      for (const [key, s] of Object.entries(table)) add(`admin/${kind}/${key}`, s);
    }
  }
  if (!pluginsAdded && (name === undefined || !/^(core|admin)\//.test(name))) {
    pluginsAdded = true;
    for (const plugin of bundledPlugins()) {
      for (const [request, r] of Object.entries(plugin.requests)) add(`${plugin.short}/request/${request || 'message'}`, { schema: r.body, since: r.since, until: r.until });
      for (const [name, m] of Object.entries(plugin.messages)) add(`${plugin.short}/${name}`, m);
    }
  }
  return entries;
}

let pluginsByPackage: Map<string, PluginSpec> | undefined;

/** A bundled plugin's spec by its package name (janus.plugin.videoroom). */
export function pluginSpec(pluginPackage: string): PluginSpec | undefined {
  pluginsByPackage ??= new Map(bundledPlugins().map((p) => [p.package, p]));
  return pluginsByPackage.get(pluginPackage);
}

export function knownSchema(name: string): boolean {
  return entriesFor(name).has(name);
}

export function schemaEntry(name: string): Entry | undefined {
  return entriesFor(name).get(name);
}

export function schemaNames(): string[] {
  return [...entriesFor().keys()];
}

/** Compiled validators: strict or plain, then by version (undefined: any), then by schema name. */
const compiled = { strict: new Map<string | undefined, Map<string, ValidateFunction>>(), plain: new Map<string | undefined, Map<string, ValidateFunction>>() };

/**
 * `version`: the Janus version the message comes from; fields of other versions are unknown to
 * it. Looked up by parts, not by a key made of them: the checker asks for every message.
 */
export function validatorFor(name: string, strict: boolean, version?: string): ValidateFunction {
  const byVersion = strict ? compiled.strict : compiled.plain;
  let byName = byVersion.get(version);
  if (!byName) byVersion.set(version, (byName = new Map()));
  let validate = byName.get(name);
  if (!validate) {
    validate = compileValidator(catalogueSchema(name, strict, version));
    byName.set(name, validate);
  }
  return validate;
}

/** The schema a message is validated with: the catalogue's, for one version, strict or as written. */
export function catalogueSchema(name: string, strict: boolean, version?: string): JsonSchema {
  const schema = forVersion(entriesFor(name).get(name)!.schema, version);
  return strict ? forbidUnknownFields(schema) : schema;
}

/** Strict mode: every object schema that lists its properties and says nothing else forbids others. */
export function forbidUnknownFields(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...schema };
  if (out.properties && typeof out.properties === 'object') {
    out.properties = Object.fromEntries(Object.entries(out.properties as Record<string, JsonSchema>).map(([k, v]) => [k, forbidUnknownFields(v)]));
    if (!('additionalProperties' in out)) out.additionalProperties = false;
  }
  if (out.items && typeof out.items === 'object') out.items = forbidUnknownFields(out.items as JsonSchema);
  if (out.additionalProperties && typeof out.additionalProperties === 'object') out.additionalProperties = forbidUnknownFields(out.additionalProperties as JsonSchema);
  for (const k of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(out[k])) out[k] = (out[k] as JsonSchema[]).map(forbidUnknownFields);
  }
  return out;
}

/** One broken rule: which schema, where in the message, which rule, what was found. */
export interface Violation {
  schema: string;
  pointer: string;
  rule: string;
  value: unknown;
  /** A field the catalogue does not know (reported in strict mode only). */
  unknownField?: boolean;
  /** Stands for the violations of one check past MAX_VIOLATIONS_LISTED, which its rule counts: nothing was found at its pointer. */
  unlisted?: boolean;
  /** A violation of the request sent with this transaction, counted once a reply said Janus accepted it. */
  request?: string;
}

export function violationsOf(name: string, value: unknown, strict: boolean, version?: string): Violation[] {
  const validate = validatorFor(name, strict, version);
  if (validate(value)) return [];
  return toViolations(name, validate.errors);
}

/**
 * The most violations one check lists. A message gives one per field it breaks, and a server's
 * message can hold hundreds of thousands of fields: listed whole they took the runner's stack
 * (a spread of the list) and filled the console with warnings.
 */
export const MAX_VIOLATIONS_LISTED = 20;

/** A failed validation's errors as violations of the schema `name`: the first MAX_VIOLATIONS_LISTED, then one that counts the rest. */
export function toViolations(name: string, errors: ErrorObject[] | null | undefined): Violation[] {
  const all = errors ?? [];
  const listed = all.slice(0, MAX_VIOLATIONS_LISTED).map((e) => toViolation(name, e));
  const unlisted = all.length - listed.length;
  if (unlisted > 0) listed.push({ schema: name, pointer: '/', rule: `and ${unlisted} more violation(s) of this message, not listed`, value: undefined, unlisted: true });
  return listed;
}

function toViolation(schema: string, e: ErrorObject): Violation {
  if (e.keyword === 'additionalProperties') {
    const field = String(e.params.additionalProperty);
    return { schema, pointer: `${e.instancePath}/${field}`, rule: 'unknown field (not in the catalogue)', value: (e.data as Record<string, unknown>)[field], unknownField: true };
  }
  if (e.keyword === 'required') {
    return { schema, pointer: `${e.instancePath}/${String(e.params.missingProperty)}`, rule: 'required: the field is missing', value: undefined };
  }
  return { schema, pointer: e.instancePath || '/', rule: `${e.keyword}: ${e.message ?? 'invalid'}`, value: e.data };
}

export function formatViolation(v: Violation): string {
  if (v.unlisted) return `schema ${v.schema}: ${v.rule}`;
  const found = v.value === undefined ? 'nothing' : clip(JSON.stringify(v.value) ?? String(v.value), 120);
  return `schema ${v.schema}: ${v.pointer || '/'}: ${v.rule}; found ${found}`;
}

/** For the `$schema` operator: problems as lines, undefined when valid. */
export function validateSchema(name: string, value: unknown, version?: string): string[] | undefined {
  // Strict, for the server's version: as tight as the run's own check of every message, never laxer.
  const violations = violationsOf(name, value, true, version);
  return violations.length > 0 ? violations.map(formatViolation) : undefined;
}
