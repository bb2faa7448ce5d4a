import { dirname, relative, resolve as resolvePath } from 'node:path';
import { closestName, type Diagnostic } from '../core/diagnostic.js';
import { parseDuration } from '../core/duration.js';
import { formatSpan, type SourceSpan } from '../core/source.js';
import { validateStep } from '../load/validate.js';
import type { DocPath, YamlSource } from '../load/yaml-source.js';
import { createPatternCompiler, type ErrorCodeNames } from '../match/compile-pattern.js';
import type { CompiledStep, StepCompiler } from '../steps/contract.js';
import { getStepKind } from '../steps/registry.js';
import { substituteParams } from './params.js';
import { BUILTIN_NAMES, type CompiledScenario } from './scenario.js';
import { compileString, compileTemplate, isValidRef, type PlaceholderRef } from './template.js';

/** What `${env_int.NAME}` accepts: a decimal integer, as Number() reads it back exactly. */
const INTEGER = /^-?(0|[1-9][0-9]{0,14})$/;

export interface CompileOptions {
  env: NodeJS.ProcessEnv;
  /** Reads, parses and validates a fragment file (the loader owns I/O and caching). */
  loadFragment(file: string): { source?: YamlSource; diagnostics: Diagnostic[]; missing?: boolean };
  knownSchema(name: string): boolean;
  errorCodes?: ErrorCodeNames;
}

const DEFAULT_CLIENT = 'main';

/** Compiles a validated scenario file: steps, fragments, placeholders, patterns. No I/O but fragments. */
export function compileScenario(source: YamlSource, options: CompileOptions): { scenario?: CompiledScenario; diagnostics: Diagnostic[] } {
  const doc = source.value as Record<string, unknown>;
  const diagnostics: Diagnostic[] = [];
  const clients = (doc.clients as string[] | undefined) ?? [DEFAULT_CLIENT];
  const names = new Set<string>();
  const handles = new Map<string, Set<string>>();
  const includeStack: string[] = [source.path];

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
  const requires = (doc.requires as Record<string, unknown> | undefined) ?? {};
  // Peers need a Janus they can reach, which only requires.media asks for.
  const peerStep = requires.media === true ? undefined : [...steps, ...cleanup].find((s) => s.kind === 'peer');
  if (peerStep) diagnostics.push({ span: peerStep.span, message: 'a peer step needs a Janus WebRTC peers can reach', hint: 'add `media: true` under `requires:`' });
  if (diagnostics.length > 0) return { diagnostics };

  const keepalive = doc.keepalive;
  return {
    diagnostics,
    scenario: {
      file: source.file,
      span: source.spanOf(['name']),
      name: doc.name as string,
      description: doc.description as string | undefined,
      tags: (doc.tags as string[] | undefined) ?? [],
      requires: {
        plugins: (requires.plugins as string[] | undefined) ?? [],
        transports: requires.transports as string[] | undefined,
        janus: (requires.janus as Record<string, string | number | boolean> | undefined) ?? {},
        exclusive: requires.exclusive === true,
        eventhandlers: observerSettings(requires.eventhandlers),
        loggers: observerSettings(requires.loggers),
        media: requires.media === true,
      },
      clients,
      keepalive: keepalive === undefined || typeof keepalive === 'boolean' ? (keepalive ?? true) : parseDuration(keepalive as string | number),
      timeoutMs: doc.timeout === undefined ? undefined : parseDuration(doc.timeout as string | number),
      variables,
      secrets,
      steps,
      cleanup,
    },
  };

  function compileSteps(src: YamlSource, raws: unknown[], base: DocPath, defaultClient: string): CompiledStep[] {
    const out: CompiledStep[] = [];
    raws.forEach((raw, i) => {
      const path = [...base, i];
      const step = raw as Record<string, unknown>;
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
        if (!clients.includes(name)) {
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
      durationMs(value, path) {
        try {
          return parseDuration(value as string | number);
        } catch {
          error(path, `expected a duration like 500ms or 2s; got ${JSON.stringify(value)}`);
          return undefined;
        }
      },
      declareHandle(client, name) {
        if (!handles.has(client)) handles.set(client, new Set());
        handles.get(client)!.add(name);
      },
      knowsHandle: (client, name) => handles.get(client)?.has(name) ?? false,
      include(file, params, path, client) {
        const target = resolvePath(dirname(src.path), file);
        const shown = (p: string): string => relativeDisplay(src, p);
        if (includeStack.includes(target)) {
          error(path, `include cycle: ${[...includeStack, target].map(shown).join(' -> ')}`);
          return [];
        }
        const loaded = options.loadFragment(target);
        if (loaded.missing) {
          error(path, `cannot include ${file}: no such file`);
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
        const values: Record<string, unknown> = {};
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
        includeStack.push(target);
        const compiled = compileSteps(substituted, steps, ['steps'], client);
        includeStack.pop();
        return compiled;
      },
    };
  }

  function refChecker(src: YamlSource, known: Set<string>) {
    return (ref: PlaceholderRef, path: DocPath): boolean => {
      const fail = (message: string, hint?: string): false => {
        diagnostics.push({ span: src.spanInString(path, ref.text, ref.offset), message, hint });
        return false;
      };
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
        return true;
      }
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
