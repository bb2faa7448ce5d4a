import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { closestName, type Diagnostic } from '../core/diagnostic.js';
import { getStepKind, stepKinds } from '../steps/registry.js';
import { fragmentSchema, scenarioSchema } from './scenario-schema.js';
import type { DocPath, YamlSource } from './yaml-source.js';

/**
 * Validates scenario and fragment files against the scenario-language schema with ajv in
 * strict mode, before anything runs. Each step is checked against the schema of its own kind,
 * so an error says "unknown key 'expct' in a request step", not a wall of oneOf alternatives.
 * Validators are compiled once per process.
 */
let compiled: { scenario: ValidateFunction; fragment: ValidateFunction; steps: Map<string, ValidateFunction> } | undefined;

function validators() {
  if (compiled) return compiled;
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true, verbose: true });
  const looseSteps = (schema: object) => ({ ...schema, $defs: { step: { type: 'object' } } });
  compiled = {
    scenario: ajv.compile(looseSteps(scenarioSchema())),
    fragment: ajv.compile(looseSteps(fragmentSchema())),
    steps: new Map(stepKinds().map((k) => [k.key, ajv.compile(k.schema)])),
  };
  return compiled;
}

export function validateFile(source: YamlSource, kind: 'scenario' | 'fragment'): Diagnostic[] {
  const v = validators();
  const value = source.value;
  const validate = kind === 'scenario' ? v.scenario : v.fragment;
  const diagnostics: Diagnostic[] = [];
  if (!validate(value)) diagnostics.push(...toDiagnostics(validate.errors ?? [], source, kind === 'scenario' ? 'the scenario' : 'the fragment'));
  for (const list of ['steps', 'cleanup'] as const) {
    const steps = (value as Record<string, unknown> | null)?.[list];
    if (!Array.isArray(steps)) continue;
    steps.forEach((step, i) => diagnostics.push(...validateStep(step, [list, i], source)));
  }
  return diagnostics.sort((a, b) => a.span.line - b.span.line || a.span.col - b.span.col);
}

function validateStep(step: unknown, path: DocPath, source: YamlSource): Diagnostic[] {
  if (step === null || typeof step !== 'object' || Array.isArray(step)) return [];
  const keys = Object.keys(step);
  const kinds = keys.filter((k) => getStepKind(k));
  const names = stepKinds().map((k) => k.key);
  if (kinds.length === 0) {
    const first = keys[0];
    const hint = first ? closestName(first, names) : undefined;
    return [{
      span: first ? source.spanOf([...path, first], { key: true }) : source.spanOf(path),
      message: `unknown step kind${first ? ` "${first}"` : ''}: a step starts with one of ${names.join(', ')}`,
      hint: hint ? `did you mean "${hint}"?` : undefined,
    }];
  }
  if (kinds.length > 1) {
    return [{ span: source.spanOf([...path, kinds[1]!], { key: true }), message: `a step has exactly one kind, found both "${kinds[0]}" and "${kinds[1]}"; split it into two steps` }];
  }
  const validate = validators().steps.get(kinds[0]!)!;
  if (validate(step)) return [];
  return toDiagnostics(validate.errors ?? [], source, `a ${kinds[0]} step`, path);
}

function toDiagnostics(errors: ErrorObject[], source: YamlSource, where: string, base: DocPath = []): Diagnostic[] {
  // anyOf failures come with one error per branch; keep only the anyOf summary for that place.
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const kept = errors.filter((e) => e.keyword === 'anyOf' || !anyOfPaths.has(e.instancePath));
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of kept) {
    const path = [...base, ...splitPointer(e.instancePath, source.value, base)];
    const d = describe(e, path, source, where);
    const key = `${d.span.line}:${d.span.col}:${d.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  }
  return out;
}

function describe(e: ErrorObject, path: DocPath, source: YamlSource, where: string): Diagnostic {
  const at = path.length > 0 ? `"${path[path.length - 1]}"` : where;
  const schema = e.parentSchema as { description?: string; properties?: Record<string, unknown> } | undefined;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const allowed = Object.keys(schema?.properties ?? {});
      const hint = closestName(key, allowed);
      return {
        span: source.spanOf([...path, key], { key: true }),
        message: `unknown key "${key}" in ${path.length > 0 && typeof path[path.length - 1] === 'string' ? `"${path[path.length - 1]}"` : where}; expected one of ${allowed.join(', ')}`,
        hint: hint ? `did you mean "${hint}"?` : undefined,
      };
    }
    case 'required':
      return { span: source.spanOf(path), message: `${where === 'the scenario' && path.length === 0 ? 'the scenario' : at} is missing the required key "${e.params.missingProperty}"` };
    case 'type':
      return { span: source.spanOf(path), message: `${at} should be ${article(String(e.params.type))}, not ${typeName(e.data)}` };
    case 'anyOf':
      return { span: source.spanOf(path), message: `${at} should be ${schema?.description ?? 'one of the allowed forms'}; got ${JSON.stringify(e.data)}` };
    case 'enum':
      return { span: source.spanOf(path), message: `${at} should be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}; got ${JSON.stringify(e.data)}` };
    case 'pattern':
      return { span: source.spanOf(path), message: `${at} should be ${schema?.description ?? `a string matching ${e.params.pattern}`}; got ${JSON.stringify(e.data)}` };
    case 'propertyNames':
      return { span: source.spanOf([...path, String(e.params.propertyName)], { key: true }), message: `"${e.params.propertyName}" is not a valid name in ${at}: use letters, digits, _ and -` };
    default:
      return { span: source.spanOf(path), message: `${at} ${e.message ?? 'is invalid'}` };
  }
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
