import { withConditions } from '../steps/conditions.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { compileValidator } from '../schemas/validators.js';
import type { JsonSchema } from '../schemas/types.js';
import { byPosition, closestName, type Diagnostic } from '../core/diagnostic.js';
import { derivedFrom } from '../core/registry.js';
import type { StepKind } from '../steps/contract.js';
import { getStepKind, stepKinds } from '../steps/registry.js';
import { checkDuration, DURATION_PATTERN } from '../core/duration.js';
import { transportRegistry } from '../transports/registry.js';
import { fragmentSchema, NAME_PATTERN, scenarioSchema } from './scenario-schema.js';
import { SAVE_PATH_PATTERN } from '../steps/common.js';
import { invisibleCharacterHint, requestFieldHint, topListHint, typeHint } from './hints.js';
import type { DocPath } from '../core/source.js';
import type { YamlSource } from '../load/yaml-source.js';

/**
 * Validates scenario and fragment files against the scenario-language schema with ajv in
 * strict mode, before anything runs. Each step is checked against the schema of its own kind,
 * so an error says "unknown key 'expct' in a request step", not a wall of oneOf alternatives.
 * The file validators list the registered transports: they are compiled again when a transport
 * is registered. A step kind's validator is compiled when a step of that kind is first checked,
 * so a kind registered after files were loaded is validated like a built-in one.
 */
const fileValidators = derivedFrom([transportRegistry], () => {
  const [scenario, fragment] = fileSchemas().map(compileValidator);
  return { scenario: scenario!, fragment: fragment! };
});

/** The schemas files are validated with (steps only as objects: each is checked against its kind's). */
export function fileSchemas(): JsonSchema[] {
  const looseSteps = (schema: object): JsonSchema => ({ ...schema, $defs: { step: { type: 'object' } } });
  return [looseSteps(scenarioSchema()), looseSteps(fragmentSchema())];
}

/** The schema a step of this kind is validated with. */
export function stepKindSchema(kind: StepKind): JsonSchema {
  return withConditions(kind.schema) as JsonSchema;
}

const stepValidators = new WeakMap<StepKind, ValidateFunction>();

function stepValidator(kind: StepKind): ValidateFunction {
  let validate = stepValidators.get(kind);
  if (!validate) {
    try {
      validate = compileValidator(stepKindSchema(kind));
    } catch (e) {
      throw new Error(`step kind "${kind.key}" has a schema ajv cannot compile in strict mode: ${(e as Error).message}`);
    }
    stepValidators.set(kind, validate);
  }
  return validate;
}

export function validateFile(source: YamlSource, kind: 'scenario' | 'fragment'): Diagnostic[] {
  return checkFile(source, kind).diagnostics;
}

/** The steps of a file the schema refused, by list and index (a step inside `concurrently` counts as its top-level step). */
export interface RefusedSteps {
  steps: ReadonlySet<number>;
  cleanup: ReadonlySet<number>;
}

/**
 * A file's schema problems, and what they leave to compile. Problems only inside some steps (and
 * in the keys no compiler reads: name, description, tags, an unknown top-level key) leave the
 * other steps to be compiled, so their problems (placeholders, regexes, durations) are said in the
 * same run; a problem the compiler depends on (clients, variables, requires, steps not a list) is
 * `blocking`.
 */
export function checkFile(source: YamlSource, kind: 'scenario' | 'fragment'): { diagnostics: Diagnostic[]; refused: RefusedSteps; blocking: boolean } {
  const v = fileValidators();
  const value = source.value;
  const validate = kind === 'scenario' ? v.scenario : v.fragment;
  const diagnostics: Diagnostic[] = [];
  const refused = { steps: new Set<number>(), cleanup: new Set<number>() };
  let blocking = false;
  if (!validate(value)) {
    const errors = validate.errors ?? [];
    const foreign = kind === 'scenario' ? notAScenario(errors, source) : undefined;
    if (foreign) return { diagnostics: [foreign], refused, blocking: true };
    diagnostics.push(...toDiagnostics(errors, source, kind === 'scenario' ? 'the scenario' : 'the fragment'));
    for (const e of errors) {
      const step = /^\/(steps|cleanup)\/(\d+)(\/|$)/.exec(e.instancePath);
      if (step) refused[step[1] as 'steps' | 'cleanup'].add(Number(step[2]));
      else if (!readByNoCompiler(e)) blocking = true;
    }
  }
  // In a fragment, `${param}` may stand where a typed value goes; it is checked again once substituted.
  const params = kind === 'fragment' ? Object.keys(((value as Record<string, unknown> | null)?.params as object | undefined) ?? {}) : [];
  for (const list of ['steps', 'cleanup'] as const) {
    const steps = (value as Record<string, unknown> | null)?.[list];
    if (!Array.isArray(steps)) continue;
    steps.forEach((step, i) => {
      const problems = validateStep(step, [list, i], source, params);
      if (problems.length > 0) refused[list].add(i);
      diagnostics.push(...problems);
    });
  }
  return { diagnostics: diagnostics.sort(byPosition), refused, blocking };
}

/** A top-level problem the compiler does not trip on: it reads no name, description or tags, and no key it does not know. */
function readByNoCompiler(e: ErrorObject): boolean {
  if (/^\/(name|description|tags)(\/|$)/.test(e.instancePath)) return true;
  if (e.instancePath !== '') return false;
  return e.keyword === 'additionalProperties' || (e.keyword === 'required' && e.params.missingProperty === 'name');
}

/**
 * Another YAML file in a folder of scenarios (docker-compose.yml, a CI config): a mapping with
 * no `name`, no `steps`, and no key a scenario has or a near miss of one. One line says what it
 * is, rather than a missing name, a missing steps and each of its keys unknown.
 */
function notAScenario(errors: ErrorObject[], source: YamlSource): Diagnostic | undefined {
  const value = source.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  const known = Object.keys((errors.find((e) => e.keyword === 'additionalProperties' && e.instancePath === '')?.parentSchema as { properties?: object } | undefined)?.properties ?? {});
  if (keys.length === 0 || known.length === 0 || keys.some((k) => known.includes(k) || closestName(k, ['name', 'steps']) !== undefined)) return undefined;
  return {
    span: source.spanOf([keys[0]!], { key: true }),
    message: `not a scenario: none of its keys (${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', ...' : ''}) is a scenario's, and it has no name: and no steps:`,
    hint: 'run and validate take scenario files, or folders of them: give the scenarios\' folder, not one that holds other YAML files',
  };
}

/** Validates one step against the schema of its kind; `params` are names whose `${name}` passes for any type. */
export function validateStep(step: unknown, path: DocPath, source: YamlSource, params: string[] = []): Diagnostic[] {
  if (step === null || typeof step !== 'object' || Array.isArray(step)) return [];
  const keys = Object.keys(step);
  const kinds = keys.filter((k) => getStepKind(k) !== undefined);
  const names = stepKinds().map((k) => k.key);
  if (kinds.length === 0) {
    const first = keys[0];
    const hint = first ? closestName(first, names) : undefined;
    return [{
      span: first ? source.spanOf([...path, first], { key: true }) : source.spanOf(path),
      message: `unknown step kind${first ? ` "${first}"` : ''}: a step starts with one of ${names.join(', ')}`,
      hint: (first && invisibleCharacterHint(first)) ?? (hint ? `did you mean "${hint}"?` : undefined),
    }];
  }
  if (kinds.length > 1) {
    return [{ span: source.spanOf([...path, kinds[1]!], { key: true }), message: `a step has exactly one kind, found both "${kinds[0]}" and "${kinds[1]}"; split it into two steps` }];
  }
  const kind = getStepKind(kinds[0]!)!;
  const validate = stepValidator(kind);
  const isParam = (data: unknown) => typeof data === 'string' && params.some((p) => new RegExp(`^\\$\\{\\s*${p}\\s*\\}$`).test(data));
  const own = validate(step) ? [] : toDiagnostics((validate.errors ?? []).filter((e) => !isParam(e.data)), source, article(`${kind.key} step`), path);
  return [...own, ...validateNested(kind, step as Record<string, unknown>, path, source, params)];
}

/** The steps a step holds (concurrently): each against its own kind's schema, and only of the kinds allowed there. */
function validateNested(kind: StepKind, step: Record<string, unknown>, path: DocPath, source: YamlSource, params: string[]): Diagnostic[] {
  const nested = kind.nestedSteps;
  const list = nested && step[nested.key];
  if (!nested || !Array.isArray(list)) return [];
  return list.flatMap((inner, i) => {
    const at: DocPath = [...path, nested.key, i];
    const innerKind = inner !== null && typeof inner === 'object' ? Object.keys(inner).find((k) => getStepKind(k) !== undefined) : undefined;
    if (innerKind !== undefined && !nested.kinds.includes(innerKind)) {
      return [{
        span: source.spanOf([...at, innerKind], { key: true }),
        message: `${article(`${innerKind} step`)} cannot be inside ${kind.key}: it holds ${nested.kinds.join(', ')} steps, whose requests are sent together`,
        hint: innerKind === 'wait' || innerKind === 'no_event' ? `put it after the ${kind.key} step: events that arrived meanwhile are kept in the mailbox` : undefined,
      }];
    }
    return validateStep(inner, at, source, params);
  });
}

function toDiagnostics(errors: ErrorObject[], source: YamlSource, where: string, base: DocPath = []): Diagnostic[] {
  // anyOf failures come with one error per branch; keep only the anyOf summary for that place.
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  // if/then/else adds a summary ("must match then schema") next to the errors of the branch
  // taken, and a bad property name also fails the name's own schema at the object: those say
  // nothing the branch's errors and the propertyNames error do not.
  const kept = errors.filter((e) => (e.keyword === 'anyOf' || !anyOfPaths.has(e.instancePath)) && e.keyword !== 'if' && !e.schemaPath.includes('/propertyNames/'));
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of kept) {
    const path = [...base, ...splitPointer(e.instancePath, source.value, base)];
    const d = describe(e, path, source, where, base);
    const key = `${d.span.line}:${d.span.col}:${d.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  }
  return out;
}

/** What a pattern means, in words, for the fields whose schema uses one. */
const PATTERN_PHRASES: Record<string, string> = {
  [DURATION_PATTERN]: 'a duration like 500ms, 2s or 1m (or a number of milliseconds)',
  [NAME_PATTERN]: 'a name made of letters, digits, _ and - (starting with a letter or _)',
  '^janus\\.plugin\\.': 'a plugin package name like janus.plugin.echotest',
  [SAVE_PATH_PATTERN]: 'a path into the message like data.id or plugindata.data.list[0].room',
};
const DURATION_PHRASE = PATTERN_PHRASES[DURATION_PATTERN]!;

function describe(e: ErrorObject, path: DocPath, source: YamlSource, where: string, base: DocPath): Diagnostic {
  const at = label(path, base, where);
  const schema = e.parentSchema as { description?: string; properties?: Record<string, unknown>; anyOf?: Array<{ pattern?: string }> } | undefined;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const allowed = Object.keys(schema?.properties ?? {});
      const hint = closestName(key, allowed);
      return {
        span: source.spanOf([...path, key], { key: true }),
        message: `unknown key "${key}" in ${at}; expected one of ${allowed.join(', ')}`,
        hint: invisibleCharacterHint(key) ?? (hint ? `did you mean "${hint}"?` : requestFieldHint(key, e.data)),
      };
    }
    case 'required':
      return { span: source.spanOf(path), message: `${at} is missing the required key "${e.params.missingProperty}"` };
    case 'type':
      // A whole file that is null: nothing but comments and blank lines.
      // A fragment is said as one: it needs only steps:, and "scenario" would send its reader to the wrong file kind.
      if (path.length === 0 && e.data === null) {
        const fragment = where === 'the fragment';
        return { span: source.spanOf(path), message: `the file holds no ${fragment ? 'fragment' : 'scenario'}: it is empty, or only comments`, hint: fragment ? 'a fragment is a mapping with at least steps:' : 'a scenario is a mapping with at least name: and steps:' };
      }
      if (path.length === 0 && Array.isArray(e.data)) return { span: source.spanOf(path), message: `${at} should be ${article(String(e.params.type))}, not ${typeName(e.data)}`, hint: topListHint(e.data, where === 'the fragment') };
      return { span: source.spanOf(path), message: `${at} should be ${article(String(e.params.type))}, not ${typeName(e.data)}`, hint: typeHint(path, String(e.params.type), e.data) };
    case 'anyOf': {
      const isDuration = schema?.anyOf?.some((branch) => branch.pattern === DURATION_PATTERN);
      const positive = schema?.anyOf?.some((branch) => (branch as { minimum?: number }).minimum === 1);
      const range = isDuration && typeof e.data === 'number' ? checkDuration(e.data, { positive }) : undefined;
      if (range && 'problem' in range) return { span: source.spanOf(path), message: `${at}: ${range.problem}` };
      return { span: source.spanOf(path), message: `${at} should be ${isDuration ? DURATION_PHRASE : (schema?.description ?? 'one of the allowed forms')}; got ${JSON.stringify(e.data)}` };
    }
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]).map(String);
      // `echotest` for janus.plugin.echotest: the short name is a typo too.
      const data = typeof e.data === 'string' ? e.data : undefined;
      const hint = data === undefined ? undefined : (allowed.find((a) => a.endsWith(`.${data}`) || a.toLowerCase() === data.toLowerCase()) ?? closestName(data, allowed));
      return {
        span: source.spanOf(path),
        message: `${at} should be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}; got ${JSON.stringify(e.data)}`,
        hint: hint ? `did you mean "${hint}"?` : undefined,
      };
    }
    case 'pattern': {
      const phrase = PATTERN_PHRASES[String(e.params.pattern)] ?? schema?.description ?? `a string matching ${e.params.pattern}`;
      return { span: source.spanOf(path), message: `${at} should be ${phrase}; got ${JSON.stringify(e.data)}` };
    }
    case 'propertyNames': {
      const names = (schema as { propertyNames?: { description?: string; enum?: string[] } } | undefined)?.propertyNames;
      const rule = names?.enum ? `should be one of ${names.enum.join(', ')}` : names?.description ? `should be ${names.description}` : 'use letters, digits, _ and -, starting with a letter or _';
      const hint = names?.enum ? closestName(String(e.params.propertyName), names.enum) : undefined;
      return {
        span: source.spanOf([...path, String(e.params.propertyName)], { key: true }),
        message: `"${e.params.propertyName}" is not a valid name in ${at}: ${rule}`,
        hint: hint ? `did you mean "${hint}"?` : undefined,
      };
    }
    case 'uniqueItems': {
      const later = Math.max(Number(e.params.i), Number(e.params.j));
      return { span: source.spanOf([...path, later]), message: `${at} lists ${JSON.stringify((e.data as unknown[])[later])} twice` };
    }
    case 'minItems':
      return { span: source.spanOf(path), message: (e.data as unknown[]).length === 0 ? `${at} is empty; give at least ${e.params.limit}` : `${at} needs at least ${e.params.limit} items` };
    default:
      return { span: source.spanOf(path), message: `${at} ${e.message ?? 'is invalid'}` };
  }
}

/** "steps[2].save.sid", or the step itself ("a no_event step") or the file ("the scenario"). */
function label(path: DocPath, base: DocPath, where: string): string {
  const rel = path.slice(base.length);
  if (rel.length === 0) return where;
  return `"${rel.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('')}"`;
}

function splitPointer(pointer: string, root: unknown, base: DocPath): Array<string | number> {
  let cur: unknown = root;
  for (const seg of base) cur = (cur as Record<string | number, unknown>)?.[seg];
  const out: Array<string | number> = [];
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const key = Array.isArray(cur) ? Number(seg) : seg;
    out.push(key);
    cur = (cur as Record<string | number, unknown>)?.[key];
  }
  return out;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return article(typeof v);
}

function article(t: string): string {
  return t.split(',').map((x) => (/^[aeiou]/.test(x) ? `an ${x}` : `a ${x}`)).join(' or ');
}
