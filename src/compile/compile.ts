import { dirname, relative, resolve as resolvePath } from 'node:path';
import { closestName, type Diagnostic } from '../core/diagnostic.js';
import { checkDuration } from '../core/duration.js';
import { formatSpan, type DocPath, type SourceSpan } from '../core/source.js';
import { validateStep } from './validate.js';
import type { YamlSource } from '../load/yaml-source.js';
import { createPatternCompiler, type ErrorCodeNames } from '../match/compile-pattern.js';
import type { CompiledStep, StepCompiler } from '../steps/contract.js';
import { getStepKind } from '../steps/registry.js';
import { substituteParams } from './params.js';
import { BUILTIN_NAMES, type CompiledScenario } from './scenario.js';
import { JANUS_PLUGINS } from '../schemas/modules.js';
import { compileString, compileTemplate, isValidRef, type PlaceholderRef } from './template.js';

/** What `${env_int.NAME}` accepts: a decimal integer, as Number() reads it back exactly. */
const INTEGER = /^-?(0|[1-9][0-9]{0,14})$/;

export interface CompileOptions {
  env: NodeJS.ProcessEnv;
  /** Reads, parses and validates a fragment file (the loader owns I/O and caching). */
  loadFragment(file: string): { source?: YamlSource; diagnostics: Diagnostic[]; missing?: boolean; unreadable?: string };
  /** The identity of a file for include cycles (its real path, through symbolic links); default the path. */
  identify?(file: string): string;
  knownSchema(name: string): boolean;
  errorCodes?: ErrorCodeNames;
}

const DEFAULT_CLIENT = 'main';

/** Bounds on include work: fan-out (fragments including fragments many times) and nesting. */
export const MAX_INCLUDED_STEPS = 10_000;
export const MAX_INCLUDE_DEPTH = 32;

/** Names a variable, saved value, client, parameter or handle may not take: placeholders mean something else by them. */
const RESERVED_NAMES: ReadonlySet<string> = new Set([...BUILTIN_NAMES, ...Object.getOwnPropertyNames(Object.prototype)]);

/** Transports an `http:` step can run on. */
const HTTP_TRANSPORTS = ['http', 'https'];

/**
 * Compiles a fragment named on its own (validate): its parameters stand for values, defaults
 * filled in, so its includes, placeholders and patterns are checked as an includer would see them.
 * Clients are the includer's business: any client name is accepted.
 */
export function compileFragment(source: YamlSource, options: CompileOptions): { diagnostics: Diagnostic[] } {
  const doc = source.value as { params?: Record<string, unknown>; steps: unknown[] };
  const params = doc.params ?? {};
  const defaults = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== null));
  const steps = substituteParams(doc.steps, defaults) as unknown[];
  const open = Object.keys(params).filter((name) => params[name] === null);
  return compileDocument(source.withValue({ ...doc, steps }), options, { fragment: true, params: open });
}

/** Compiles a validated scenario file: steps, fragments, placeholders, patterns. No I/O but fragments. */
export function compileScenario(source: YamlSource, options: CompileOptions): { scenario?: CompiledScenario; diagnostics: Diagnostic[] } {
  return compileDocument(source, options, { fragment: false, params: [] });
}

function compileDocument(source: YamlSource, options: CompileOptions, mode: { fragment: boolean; params: string[] }): { scenario?: CompiledScenario; diagnostics: Diagnostic[] } {
  const doc = source.value as Record<string, unknown>;
  const diagnostics: Diagnostic[] = [];
  const identify = options.identify ?? ((file: string) => file);
  const clients = (doc.clients as string[] | undefined) ?? [DEFAULT_CLIENT];
  const names = new Set<string>(mode.params);
  const handles = new Map<string, Set<string>>();
  const includeStack: string[] = [identify(source.path)];
  /** The same chain as the files were named, for messages. */
  const includePaths: string[] = [source.path];
  let includedSteps = 0;
  /** A `${param}` standing for a whole typed value in a fragment compiled on its own: checked once substituted. */
  const isOpenParam = (value: unknown): boolean => typeof value === 'string' && mode.params.some((p) => new RegExp(`^\\$\\{\\s*${p}\\s*\\}$`).test(value));
  const requires = (doc.requires as Record<string, unknown> | undefined) ?? {};
  const plugins = [...((requires.plugins as string[] | undefined) ?? [])];

  checkReservedNames(source, doc, diagnostics);

  const variables = Object.entries((doc.variables as Record<string, unknown> | undefined) ?? {}).map(([name, value]) => {
    const t = compileTemplate(value, ['variables', name], refChecker(source, names));
    names.add(name);
    return [name, t, source.spanOf(['variables', name])] as [string, typeof t, SourceSpan];
  });

  const steps = compileSteps(source, (doc.steps as unknown[]) ?? [], ['steps'], clients[0]!);
  const cleanup = compileSteps(source, (doc.cleanup as unknown[]) ?? [], ['cleanup'], clients[0]!);
  const secrets = (doc.secrets as string[] | undefined) ?? [];
  secrets.forEach((name, i) => {
    if (names.has(name)) return;
    const closest = closestName(name, [...names]);
    diagnostics.push({ span: source.spanOf(['secrets', i]), message: `secrets: "${name}" is not a variable or a saved value of this scenario`, hint: closest ? `did you mean "${closest}"?` : undefined });
  });
  // Peers need a Janus they can reach, which only requires.media asks for.
  const peerStep = requires.media === true || mode.fragment ? undefined : [...steps, ...cleanup].find((s) => s.kind === 'peer');
  if (peerStep) diagnostics.push({ span: peerStep.span, message: 'a peer step needs a Janus WebRTC peers can reach', hint: 'add `media: true` under `requires:`' });
  if (!mode.fragment) checkHttpSteps([...steps, ...cleanup], requires.transports as string[] | undefined, diagnostics);
  const keepalive = scenarioDuration('keepalive');
  const timeoutMs = scenarioDuration('timeout');
  if (diagnostics.length > 0 || mode.fragment) return { diagnostics };

  return {
    diagnostics,
    scenario: {
      file: source.file,
      span: source.spanOf(['name']),
      name: doc.name as string,
      description: doc.description as string | undefined,
      tags: (doc.tags as string[] | undefined) ?? [],
      requires: {
        plugins,
        transports: requires.transports as string[] | undefined,
        janus: (requires.janus as Record<string, string | number | boolean> | undefined) ?? {},
        exclusive: requires.exclusive === true,
        eventhandlers: observerSettings(requires.eventhandlers),
        loggers: observerSettings(requires.loggers),
        media: requires.media === true,
      },
      clients,
      keepalive: typeof doc.keepalive === 'boolean' ? doc.keepalive : (keepalive ?? true),
      timeoutMs,
      variables,
      secrets,
      steps,
      cleanup,
    },
  };

  /** A scenario-level duration (keepalive, timeout): a positive one, checked like any other. */
  function scenarioDuration(key: string): number | undefined {
    const value = doc[key];
    if (value === undefined || typeof value === 'boolean') return undefined;
    const checked = checkDuration(value, { positive: true });
    if ('ms' in checked) return checked.ms;
    diagnostics.push({ span: source.spanOf([key]), message: `${key}: ${checked.problem}` });
    return undefined;
  }

  /** An attach to a plugin Janus ships that `requires.plugins` does not list: the scenario needs it, so it is added. */
  function notePlugin(step: Record<string, unknown>): void {
    const request = step.request as { janus?: unknown; plugin?: unknown } | undefined;
    if (request === null || typeof request !== 'object' || request.janus !== 'attach' || typeof request.plugin !== 'string') return;
    if (JANUS_PLUGINS.includes(request.plugin) && !plugins.includes(request.plugin)) plugins.push(request.plugin);
  }

  function compileSteps(src: YamlSource, raws: unknown[], base: DocPath, defaultClient: string): CompiledStep[] {
    const out: CompiledStep[] = [];
    raws.forEach((raw, i) => {
      const path = [...base, i];
      const step = raw as Record<string, unknown>;
      notePlugin(step);
      const kind = Object.keys(step).map(getStepKind).find((k) => k !== undefined)!;
      const compiled = kind.compile(step, stepCompiler(src, path, defaultClient));
      if (Array.isArray(compiled)) out.push(...compiled);
      else if (compiled) out.push(compiled);
    });
    return out;
  }

  function stepCompiler(src: YamlSource, stepPath: DocPath, defaultClient: string): StepCompiler {
    const error = (path: DocPath, message: string, hint?: string): void => {
      diagnostics.push({ span: src.spanOf([...stepPath, ...path], { key: path.length > 0 && String(path[path.length - 1]).startsWith('$') }), message, hint });
    };
    const check = refChecker(src, names);
    const patterns = createPatternCompiler(
      (s, path) => (s.includes('${') ? compileString(s, [...stepPath, ...path], check) : undefined),
      error,
      options.knownSchema,
      options.errorCodes,
    );
    return {
      span: (path = [], key = false) => src.spanOf([...stepPath, ...path], { key }),
      error,
      client(raw) {
        const name = (raw.client as string | undefined) ?? defaultClient;
        if (!clients.includes(name) && !mode.fragment) {
          const hint = closestName(name, clients);
          diagnostics.push({
            span: src.spanOf([...stepPath, 'client']),
            message: `unknown client "${name}"; the scenario declares ${clients.join(', ')}`,
            hint: hint ? `did you mean "${hint}"?` : 'declare it under `clients:`',
          });
        }
        return name;
      },
      template: (value, path) => compileTemplate(value, [...stepPath, ...path], check),
      pattern: (value, path, exact) => patterns.compile(value, path, exact),
      declare: (saved) => saved.forEach((n) => names.add(n)),
      durationMs(value, path, opts = {}) {
        if (isOpenParam(value)) return undefined;
        const checked = checkDuration(value, opts);
        if ('ms' in checked) return checked.ms;
        error(path, checked.problem);
        return undefined;
      },
      declareHandle(client, name) {
        if (RESERVED_NAMES.has(name)) error(['as'], `"${name}" cannot name a handle: \${handles.${name}} would be ambiguous with the engine's own names`);
        if (!handles.has(client)) handles.set(client, new Set());
        handles.get(client)!.add(name);
      },
      knowsHandle: (client, name) => handles.get(client)?.has(name) ?? false,
      include(file, params, path, client) {
        const target = resolvePath(dirname(src.path), file);
        const shown = (p: string): string => relativeDisplay(src, p);
        if (includedSteps > MAX_INCLUDED_STEPS) return [];
        if (includeStack.includes(identify(target))) {
          error(path, `include cycle: ${[...includePaths, target].map(shown).join(' -> ')}`);
          return [];
        }
        if (includeStack.length > MAX_INCLUDE_DEPTH) {
          error(path, `includes nest more than ${MAX_INCLUDE_DEPTH} deep`);
          return [];
        }
        const loaded = options.loadFragment(target);
        if (loaded.missing || loaded.unreadable) {
          error(path, `cannot include ${file}: ${loaded.unreadable ?? 'no such file'}`);
          return [];
        }
        diagnostics.push(...loaded.diagnostics);
        if (!loaded.source) return [];
        const fragment = loaded.source.value as { params?: Record<string, unknown>; steps: unknown[] };
        const declared = fragment.params ?? {};
        const withPath = [...path.slice(0, -1), 'with'];
        let complete = true;
        for (const given of Object.keys(params)) {
          if (Object.hasOwn(declared, given)) continue;
          const hint = closestName(given, Object.keys(declared));
          diagnostics.push({
            span: src.spanOf([...stepPath, ...withPath, given], { key: true }),
            message: `the fragment ${file} has no parameter "${given}"; it declares ${Object.keys(declared).join(', ') || 'none'}`,
            hint: hint ? `did you mean "${hint}"?` : undefined,
          });
          complete = false;
        }
        const values: Record<string, unknown> = Object.create(null);
        for (const [name, fallback] of Object.entries(declared)) {
          if (Object.hasOwn(params, name)) values[name] = params[name];
          else if (fallback !== null) values[name] = fallback;
          else {
            error(path, `the fragment ${file} needs the parameter "${name}" (give it under \`with:\`)`);
            complete = false;
          }
        }
        // Compiling with parameters missing would only add knock-on errors.
        if (!complete) return [];
        const steps = substituteParams(fragment.steps, values) as unknown[];
        const substituted = loaded.source.withValue({ ...fragment, steps });
        const problems = steps.flatMap((step, i) => validateStep(step, ['steps', i], substituted));
        if (problems.length > 0) {
          diagnostics.push(...problems.map((d) => ({ ...d, hint: d.hint ?? `with the parameters given at ${formatSpan(src.spanOf([...stepPath, ...path]))}` })));
          return [];
        }
        includedSteps += steps.length;
        if (includedSteps > MAX_INCLUDED_STEPS) {
          error(path, `includes expand to more than ${MAX_INCLUDED_STEPS} steps (fragments including fragments many times); nothing more is included`);
          return [];
        }
        includeStack.push(identify(target));
        includePaths.push(target);
        const compiled = compileSteps(substituted, steps, ['steps'], client);
        includeStack.pop();
        includePaths.pop();
        return compiled;
      },
    };
  }

  /** `${alice.handles.x}` (or `${handles.x}`, any client): x must have been named with `as:` before. */
  function checkHandle(client: string | undefined, name: string | undefined, fail: (message: string, hint?: string) => false): boolean {
    if (name === undefined) return fail(`\${${client ? `${client}.` : ''}handles} needs a handle name: \${${client ? `${client}.` : ''}handles.<name>}`);
    const declared = client === undefined ? [...handles.values()].flatMap((set) => [...set]) : [...(handles.get(client) ?? [])];
    // In a fragment compiled on its own, a handle named by a parameter (`as: "${as}"`) is not known yet.
    if (declared.includes(name) || declared.some((n) => n.includes('${'))) return true;
    const hint = closestName(name, declared);
    return fail(
      `no handle named "${name}"${client ? ` for client ${client}` : ''} before this point: name one with \`as: ${name}\` on an attach step first`,
      hint ? `did you mean "${hint}"?` : undefined,
    );
  }

  function refChecker(src: YamlSource, known: Set<string>) {
    return (ref: PlaceholderRef, path: DocPath): boolean => {
      const fail = (message: string, hint?: string): false => {
        diagnostics.push({ span: src.spanInString(path, ref.text, ref.offset), message, hint });
        return false;
      };
      if (ref.unclosed) return fail(`a placeholder is not closed: "${ref.text.length > 40 ? `${ref.text.slice(0, 40)}…` : ref.text}" has no }`, 'close it with } (or write $${ for a literal ${)');
      if (!isValidRef(ref.ref)) return fail(`"\${${ref.ref}}" is not a valid placeholder: use \${name} or \${name.field}`);
      const [head, second] = ref.ref.split('.');
      if (head === 'env' || head === 'env_int') {
        if (second === undefined) return fail(`\${${head}} needs a variable name: \${${head}.NAME}`);
        const value = Object.hasOwn(options.env, second) ? options.env[second] : undefined;
        if (value === undefined) return fail(`environment variable ${second} is not set`);
        if (head === 'env_int' && !INTEGER.test(value)) return fail(`environment variable ${second} is not an integer: "${value}"`);
        return true;
      }
      if (clients.includes(head!) && !known.has(head!)) {
        if (!['session', 'handle', 'handles'].includes(second ?? '')) return fail(`\${${ref.ref}}: a client has session, handle and handles.<name>`);
        if (second === 'handles') return checkHandle(head!, ref.ref.split('.')[2], fail);
        return true;
      }
      if (head === 'handles' && !known.has(head)) return checkHandle(undefined, second, fail);
      if (known.has(head!) || (BUILTIN_NAMES as readonly string[]).includes(head!)) return true;
      const candidates = [...known, ...BUILTIN_NAMES, ...clients];
      const hint = closestName(head!, candidates);
      return fail(`unknown placeholder \${${ref.ref}}: no variable, parameter or saved value named "${head}" is defined before this point`, hint ? `did you mean "\${${hint}}"?` : undefined);
    };
  }
}

/** `requires.eventhandlers` / `loggers`: a list of names means each with no settings of its own. */
function observerSettings(given: unknown): Record<string, Record<string, string | number | boolean>> {
  if (given === undefined) return {};
  if (Array.isArray(given)) return Object.fromEntries(given.map((pkg: string) => [pkg, {}]));
  return given as Record<string, Record<string, string | number | boolean>>;
}

/** A path as the including file names things: relative to it when the file is shown relative. */
function relativeDisplay(src: YamlSource, path: string): string {
  if (src.file === src.path) return path;
  const cwd = src.path.slice(0, src.path.length - src.file.length);
  return relative(cwd, path);
}

/** Variables, saved values, clients and fragment parameters must not take a name the engine gives a meaning. */
function checkReservedNames(source: YamlSource, doc: Record<string, unknown>, diagnostics: Diagnostic[]): void {
  const reserved = (name: string): boolean => RESERVED_NAMES.has(name);
  const say = (path: DocPath, key: boolean, what: string, name: string): void => {
    diagnostics.push({ span: source.spanOf(path, { key }), message: `"${name}" cannot be ${what} name: \${${name}} already means something (${BUILTIN_NAMES.join(', ')} are the engine's own)`, hint: `rename it, e.g. "my_${name}"` });
  };
  for (const name of Object.keys((doc.variables as object | undefined) ?? {})) if (reserved(name)) say(['variables', name], true, 'a variable', name);
  for (const name of Object.keys((doc.params as object | undefined) ?? {})) if (reserved(name)) say(['params', name], true, 'a parameter', name);
  ((doc.clients as string[] | undefined) ?? []).forEach((name, i) => reserved(name) && say(['clients', i], false, 'a client', name));
  for (const list of ['steps', 'cleanup'] as const) {
    ((doc[list] as unknown[] | undefined) ?? []).forEach((step, i) => {
      const save = (step as { save?: unknown } | null)?.save;
      if (save === null || typeof save !== 'object') return;
      for (const name of Object.keys(save)) if (reserved(name)) say([list, i, 'save', name], true, 'a saved value\'s', name);
    });
  }
}

/** An `http:` step runs only on http and https: the scenario must say so, or it fails on ws. */
function checkHttpSteps(steps: CompiledStep[], transports: string[] | undefined, diagnostics: Diagnostic[]): void {
  const http = steps.find((s) => s.kind === 'http');
  if (!http) return;
  const others = transports === undefined ? undefined : transports.filter((t) => !HTTP_TRANSPORTS.includes(t));
  if (others !== undefined && others.length === 0) return;
  diagnostics.push({
    span: http.span,
    message: `an http step runs only on the http and https transports, but this scenario ${others ? `also runs on ${others.join(', ')}` : 'runs on every transport'}`,
    hint: 'add `transports: [http, https]` under `requires:`',
  });
}
