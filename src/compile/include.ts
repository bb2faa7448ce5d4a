import { dirname, relative, resolve as resolvePath } from 'node:path';
import { closestName, HINTED_PER_FILE, type Diagnostic } from '../core/diagnostic.js';
import { formatSpan, type DocPath } from '../core/source.js';
import type { YamlSource } from '../load/yaml-source.js';
import type { CompiledStep } from '../steps/contract.js';
import { substituteParams } from './params.js';
import { validateStep } from './validate.js';

/** Bounds on include work: fan-out (fragments including fragments many times) and nesting. */
export const MAX_INCLUDED_STEPS = 10_000;
export const MAX_INCLUDE_DEPTH = 32;

/** A fragment file as the loader gives it: read, parsed and validated, or why not. */
export interface LoadedFragment {
  source?: YamlSource;
  diagnostics: Diagnostic[];
  missing?: boolean;
  unreadable?: string;
  /** A fragment whose schema problems are all in steps: its text, to tell what its steps declare. */
  partly?: { source: YamlSource };
}

/** The document being compiled, as including fragments into it sees it. */
export interface IncludeHost {
  readonly diagnostics: Diagnostic[];
  readonly options: {
    loadFragment(file: string): LoadedFragment;
    identify?(file: string): string;
  };
  compileSteps(src: YamlSource, raws: unknown[], base: DocPath, defaultClient: string, refused?: ReadonlySet<number>): CompiledStep[];
  /** Steps left out for a problem already reported (undefined: steps that cannot be read); see ScenarioCompiler.leaveOut. */
  leaveOut(steps: unknown[] | undefined): void;
}

/** One include step: the file it names, the parameters it gives, and where it is written. */
export interface IncludeRequest {
  file: string;
  params: Record<string, unknown>;
  /** The file the step is written in, and the step's path there. */
  src: YamlSource;
  stepPath: DocPath;
  /** The `include:` key's path within the step. */
  path: DocPath;
  client: string;
  /** Reports a problem at a path within the step. */
  error(path: DocPath, message: string): void;
}

type Fragment = { params?: Record<string, unknown>; steps: unknown[] };

/** The chain of files being included into one document, to stop cycles, deep nesting and runaway fan-out. */
export class Includes {
  private readonly identify: (file: string) => string;
  /** Each file's identity (its real path), outermost first. */
  private readonly stack: string[];
  /** The same chain as the files were named, for messages. */
  private readonly paths: string[];
  private includedSteps = 0;

  constructor(private readonly host: IncludeHost, root: string) {
    this.identify = host.options.identify ?? ((file: string) => file);
    this.stack = [this.identify(root)];
    this.paths = [root];
  }

  /**
   * The steps of the fragment a step includes, compiled in place; none when it cannot be included,
   * and then they are left out: a `${name}` after the include is not called unknown for a problem
   * of the fragment that has nothing to do with the name it saves.
   */
  include(request: IncludeRequest): CompiledStep[] {
    const target = resolvePath(dirname(request.src.path), request.file);
    if (!this.mayEnter(request, target)) return this.leaveOut(undefined);
    const loaded = this.host.options.loadFragment(target);
    if (loaded.missing || loaded.unreadable) {
      request.error(request.path, `cannot include ${request.file}: ${loaded.unreadable ?? 'no such file'}`);
      return this.leaveOut(undefined);
    }
    const before = this.host.diagnostics.length;
    try {
      this.host.diagnostics.push(...loaded.diagnostics);
      if (!loaded.source) return this.leaveOut((loaded.partly?.source.value as Fragment | undefined)?.steps);
      const substituted = this.substitute(request, loaded.source);
      if (!substituted || !this.count(request, substituted)) return this.leaveOut((loaded.source.value as Fragment).steps);
      return this.compileInside(target, substituted, request.client);
    } finally {
      this.nameIncluder(request, before);
    }
  }

  private leaveOut(steps: unknown[] | undefined): CompiledStep[] {
    this.host.leaveOut(steps);
    return [];
  }

  /**
   * A problem found in a fragment (or deeper) also says which include brought the fragment in:
   * its position alone would not tell a reader which scenario, or which of its includes, was
   * being loaded. Nested includes name the innermost and the outermost (the scenario's).
   */
  private nameIncluder(request: IncludeRequest, from: number): void {
    const at = formatSpan(request.src.spanOf([...request.stepPath, ...request.path]));
    const list = this.host.diagnostics;
    for (let i = from; i < list.length; i++) {
      const d = list[i]!;
      if (d.span.file === request.src.file || d.hint?.includes(at)) continue;
      list[i] = { ...d, hint: withIncluder(d.hint, at) };
    }
  }

  /** Whether the chain may go on into `target`: no cycle, not too deep, not past the fan-out bound. */
  private mayEnter(request: IncludeRequest, target: string): boolean {
    if (this.includedSteps > MAX_INCLUDED_STEPS) return false;
    if (this.stack.includes(this.identify(target))) {
      const shown = (p: string): string => relativeDisplay(request.src, p);
      request.error(request.path, `include cycle: ${[...this.paths, target].map(shown).join(' -> ')}`);
      return false;
    }
    if (this.stack.length > MAX_INCLUDE_DEPTH) {
      request.error(request.path, `includes nest more than ${MAX_INCLUDE_DEPTH} deep`);
      return false;
    }
    return true;
  }

  /** The fragment with the step's parameters (and its defaults) put in, its steps validated again; undefined when it cannot be. */
  private substitute(request: IncludeRequest, source: YamlSource): YamlSource | undefined {
    const fragment = source.value as Fragment;
    const values = this.parameterValues(request, fragment.params ?? {});
    // Compiling with parameters missing would only add knock-on errors.
    if (!values) return undefined;
    const steps = substituteParams(fragment.steps, values) as unknown[];
    const substituted = source.withValue({ ...fragment, steps });
    const problems = steps.flatMap((step, i) => validateStep(step, ['steps', i], substituted));
    if (problems.length === 0) return substituted;
    const where = `with the parameters given at ${formatSpan(request.src.spanOf([...request.stepPath, ...request.path]))}`;
    this.host.diagnostics.push(...problems.map((d) => ({ ...d, hint: d.hint ?? where })));
    return undefined;
  }

  /** Each declared parameter's value: given under `with:`, else its default; undefined when one is unknown or missing. */
  private parameterValues(request: IncludeRequest, declared: Record<string, unknown>): Record<string, unknown> | undefined {
    const complete = this.checkGiven(request, declared);
    const values: Record<string, unknown> = Object.create(null);
    let missing = false;
    for (const [name, fallback] of Object.entries(declared)) {
      if (Object.hasOwn(request.params, name)) values[name] = request.params[name];
      else if (fallback !== null) values[name] = fallback;
      else {
        request.error(request.path, `the fragment ${request.file} needs the parameter "${name}" (give it under \`with:\`)`);
        missing = true;
      }
    }
    return complete && !missing ? values : undefined;
  }

  /** Whether every parameter given under `with:` is one the fragment declares; reports each that is not. */
  private checkGiven(request: IncludeRequest, declared: Record<string, unknown>): boolean {
    const { src, stepPath, path, file, params } = request;
    const withPath = [...path.slice(0, -1), 'with'];
    let complete = true;
    for (const given of Object.keys(params)) {
      if (Object.hasOwn(declared, given)) continue;
      const hint = this.host.diagnostics.length < HINTED_PER_FILE ? closestName(given, Object.keys(declared)) : undefined;
      this.host.diagnostics.push({
        span: src.spanOf([...stepPath, ...withPath, given], { key: true }),
        message: `the fragment ${file} has no parameter "${given}"; it declares ${Object.keys(declared).join(', ') || 'none'}`,
        hint: hint ? `did you mean "${hint}"?` : undefined,
      });
      complete = false;
    }
    return complete;
  }

  /** Counts the fragment's steps towards the fan-out bound; false (reported) once they pass it. */
  private count(request: IncludeRequest, fragment: YamlSource): boolean {
    this.includedSteps += (fragment.value as Fragment).steps.length;
    if (this.includedSteps <= MAX_INCLUDED_STEPS) return true;
    request.error(request.path, `includes expand to more than ${MAX_INCLUDED_STEPS} steps (fragments including fragments many times); nothing more is included`);
    return false;
  }

  private compileInside(target: string, fragment: YamlSource, client: string): CompiledStep[] {
    this.stack.push(this.identify(target));
    this.paths.push(target);
    const compiled = this.host.compileSteps(fragment, (fragment.value as Fragment).steps, ['steps'], client);
    this.stack.pop();
    this.paths.pop();
    return compiled;
  }
}

/** `included at f.fragment.yaml:3:14`, then `, from s.yaml:4:14`; deeper, the middle is left out (`, ..., from`). */
function withIncluder(hint: string | undefined, at: string): string {
  if (hint === undefined) return `included at ${at}`;
  const start = hint.lastIndexOf('included at ');
  if (start < 0) return `${hint}; included at ${at}`;
  const innermost = hint.slice(start).split(', ')[0];
  return `${hint.slice(0, start)}${innermost}, ${hint.includes(', from ', start) ? '..., ' : ''}from ${at}`;
}

/** A path as the including file names things: relative to it when the file is shown relative. */
function relativeDisplay(src: YamlSource, path: string): string {
  if (src.file === src.path) return path;
  const cwd = src.path.slice(0, src.path.length - src.file.length);
  return relative(cwd, path);
}
