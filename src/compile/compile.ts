import { closestName, HINTED_PER_FILE, type Diagnostic } from '../core/diagnostic.js';
import { checkDuration } from '../core/duration.js';
import { formatSpan, type DocPath, type SourceSpan } from '../core/source.js';
import type { YamlSource } from '../load/yaml-source.js';
import { createPatternCompiler, hasKeyPlaceholder, KEY_PLACEHOLDER_HINT, type ErrorCodeNames } from '../match/compile-pattern.js';
import type { Template } from '../match/contract.js';
import { everyStep, type CompiledStep, type KnownBug, type StepCompiler } from '../steps/contract.js';
import { describeRange, parseVersionRange, rangesMeet, type VersionRange } from '../core/version-range.js';
import { getStepKind } from '../steps/registry.js';
import { Includes, type IncludeHost, type LoadedFragment } from './include.js';
import { checkMessageFields, checkMessageTypes } from './message-types.js';
import { substituteParams } from './params.js';
import { refChecker, type PlaceholderScope } from './placeholders.js';
import { BUILTIN_NAMES, type CompiledScenario, type ScenarioNeeds } from './scenario.js';
import { misspeltJcfgSetting } from '../schemas/jcfg-settings.js';
import { JANUS_PLUGINS } from '../schemas/modules.js';
import { connectionSkip, strongestNeed } from './connection-needs.js';
import { compileString, compileTemplate, keysWithPlaceholders } from './template.js';
import { SharedPatterns } from './shared-patterns.js';
import type { RefusedSteps } from './validate.js';

export { MAX_INCLUDE_DEPTH, MAX_INCLUDED_STEPS } from './include.js';

export interface CompileOptions {
  env: NodeJS.ProcessEnv;
  /** Reads, parses and validates a fragment file (the loader owns I/O and caching). */
  loadFragment(file: string): LoadedFragment;
  /** The identity of a file for include cycles (its real path, through symbolic links); default the path. */
  identify?(file: string): string;
  knownSchema(name: string): boolean;
  errorCodes?: ErrorCodeNames;
  /** Steps the schema refused: left out, so that the problems of the others are found in the same run. */
  refused?: RefusedSteps;
}

const DEFAULT_CLIENT = 'main';

/** Names a variable, saved value, client, parameter or handle may not take: placeholders mean something else by them. */
const RESERVED_NAMES: ReadonlySet<string> = new Set([...BUILTIN_NAMES, ...Object.getOwnPropertyNames(Object.prototype)]);

const isBuiltin = (name: string): boolean => (BUILTIN_NAMES as readonly string[]).includes(name);

/** Why a name is reserved: a placeholder of the engine's own, or a member the language gives every object (`__proto__`, `constructor`). */
function reservedBecause(name: string, builtinReason: string): string {
  return isBuiltin(name) ? builtinReason : `every JavaScript object has a member of that name (Object.prototype.${name}), and no scenario name may reach one`;
}

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

function compileDocument(source: YamlSource, options: CompileOptions, mode: CompileMode): { scenario?: CompiledScenario; diagnostics: Diagnostic[] } {
  return new ScenarioCompiler(source, options, mode).compile();
}

/** A fragment compiled on its own (validate) or a scenario; `params`: a lone fragment's parameters without defaults. */
interface CompileMode {
  fragment: boolean;
  params: string[];
}

/** The parts of a scenario compiled one by one, before they are put together. */
interface CompiledParts {
  variables: CompiledScenario['variables'];
  steps: CompiledStep[];
  cleanup: CompiledStep[];
  secrets: string[];
  keepalive?: number;
  clientKeepalive: Record<string, boolean | number>;
  timeoutMs?: number;
  knownBug?: KnownBug;
}

/** Reports a problem at a path within the step being compiled. */
/** `key`: the problem is the key at `path` itself (a misspelt name), not its value. */
type StepError = (path: DocPath, message: string, hint?: string, key?: boolean) => void;

/**
 * One document being compiled. Its steps are read in order, and what they declare (variables,
 * saved values, handles) grows as they go, so a placeholder sees only the names declared before it.
 */
class ScenarioCompiler implements IncludeHost {
  readonly diagnostics: Diagnostic[] = [];
  private readonly doc: Record<string, unknown>;
  private readonly clients: string[];
  /** Variables, parameters and saved values declared so far. */
  private readonly names: Set<string>;
  private readonly placeholders: PlaceholderScope;
  private readonly includes: Includes;
  private readonly requires: Record<string, unknown>;
  /** What the steps need of a client connection (close, reopen, close codes). */
  private connection?: 'connection' | 'closeCodes';
  /** `requires.plugins`, and the plugins Janus ships that the steps attach to. */
  private readonly plugins: string[];
  /** Variables whose value is known at load time (written out, or made of such variables), until a step saves a value of that name. */
  private readonly constants = new Map<string, unknown>();
  /** While compiling steps that run at the same time (concurrently): what they declare, applied after the last of them. */
  private deferred?: Array<() => void>;
  /** While the scenario's cleanup steps compile (those they include too). */
  private inCleanup = false;
  /** Whether a step was left out (leaveOut): the steps compiled are not all the scenario sends. */
  private leftOut = false;
  /** Patterns written the same in several steps, compiled once (see SharedPatterns). */
  private readonly sharedPatterns = new SharedPatterns(() => this.diagnostics.length);

  constructor(
    private readonly source: YamlSource,
    readonly options: CompileOptions,
    private readonly mode: CompileMode,
  ) {
    this.doc = source.value as Record<string, unknown>;
    this.clients = clientNames(this.doc.clients);
    this.names = new Set<string>(mode.params);
    this.placeholders = { env: options.env, clients: this.clients, handles: new Map(), diagnostics: this.diagnostics, savedTogether: new Set(), constants: this.constants, unsure: false };
    this.includes = new Includes(this, source.path);
    this.requires = (this.doc.requires as Record<string, unknown> | undefined) ?? {};
    this.plugins = [...((this.requires.plugins as string[] | undefined) ?? [])];
  }

  compile(): { scenario?: CompiledScenario; diagnostics: Diagnostic[] } {
    const { source, doc, diagnostics } = this;
    checkReservedNames(source, doc, diagnostics);
    const variables = this.variables();
    const steps = this.compileSteps(source, (doc.steps as unknown[]) ?? [], ['steps'], this.clients[0]!, this.options.refused?.steps);
    this.inCleanup = true;
    const cleanup = this.compileSteps(source, (doc.cleanup as unknown[]) ?? [], ['cleanup'], this.clients[0]!, this.options.refused?.cleanup);
    this.inCleanup = false;
    const secrets = this.secrets();
    this.checkNeeds([...steps, ...cleanup]);
    this.janusSettings();
    this.connection = strongestNeed([...steps, ...cleanup]);
    const keepalive = this.scenarioDuration('keepalive');
    const clientKeepalive = this.clientKeepalive();
    const timeoutMs = this.scenarioDuration('timeout');
    const knownBug = doc.known_bug === undefined ? undefined : this.knownBug(source, ['known_bug'], doc.known_bug);
    if (diagnostics.length > 0 || this.mode.fragment) return { diagnostics };
    return { diagnostics, scenario: this.scenario({ variables, steps, cleanup, secrets, keepalive, clientKeepalive, timeoutMs, knownBug }) };
  }

  private scenario(parts: CompiledParts): CompiledScenario {
    const { doc, source } = this;
    return {
      file: source.file,
      span: source.spanOf(['name']),
      name: doc.name as string,
      description: doc.description as string | undefined,
      tags: (doc.tags as string[] | undefined) ?? [],
      requires: this.needs(),
      clients: this.clients,
      keepalive: typeof doc.keepalive === 'boolean' ? doc.keepalive : (parts.keepalive ?? true),
      ...(Object.keys(parts.clientKeepalive).length > 0 && { clientKeepalive: parts.clientKeepalive }),
      timeoutMs: parts.timeoutMs,
      variables: parts.variables,
      secrets: parts.secrets,
      steps: parts.steps,
      cleanup: parts.cleanup,
      ...(parts.knownBug && { knownBug: parts.knownBug }),
    };
  }

  private needs(): ScenarioNeeds {
    const requires = this.requires;
    return {
      plugins: this.plugins,
      transports: requires.transports as string[] | undefined,
      janus: (requires.janus as Record<string, string | number | boolean> | undefined) ?? {},
      exclusive: requires.exclusive === true,
      eventhandlers: observerSettings(requires.eventhandlers),
      loggers: observerSettings(requires.loggers),
      media: requires.media === true,
      ...(this.connection && { connection: this.connection }),
    };
  }

  /** Each variable's template, checked against the names before it; then its name is declared. */
  private variables(): CompiledScenario['variables'] {
    const { source, names } = this;
    return Object.entries((this.doc.variables as Record<string, unknown> | undefined) ?? {}).map(([name, value]) => {
      for (const at of keysWithPlaceholders(value, ['variables', name])) this.diagnostics.push(keyPlaceholder(source.spanOf(at, { key: true }), at));
      const t = compileTemplate(value, ['variables', name], refChecker(this.placeholders, source, names));
      names.add(name);
      const known = this.constantOf(value);
      if (known) this.constants.set(name, known.value);
      return [name, t, source.spanOf(['variables', name])] as [string, typeof t, SourceSpan];
    });
  }

  /** `secrets:`, each of which must name a variable or a saved value. */
  private secrets(): string[] {
    const secrets = (this.doc.secrets as string[] | undefined) ?? [];
    secrets.forEach((name, i) => {
      if (this.names.has(name) || this.placeholders.unsure) return;
      const closest = this.diagnostics.length < HINTED_PER_FILE ? closestName(name, [...this.names]) : undefined;
      this.diagnostics.push({ span: this.source.spanOf(['secrets', i]), message: `secrets: "${name}" is not a variable or a saved value of this scenario`, hint: closest ? `did you mean "${closest}"?` : undefined });
    });
    return secrets;
  }

  /** Steps that need more than the scenario's `requires:` says: peers, http. */
  private checkNeeds(all: CompiledStep[]): void {
    // Peers need a Janus they can reach, which only requires.media asks for.
    const peerStep = this.requires.media === true || this.mode.fragment ? undefined : all.find((s) => s.kind === 'peer');
    if (peerStep) this.diagnostics.push({ span: peerStep.span, message: 'a peer step needs a Janus WebRTC peers can reach', hint: 'add `media: true` under `requires:`' });
    if (!this.mode.fragment) checkHttpSteps(all, this.requires.transports as string[] | undefined, this.diagnostics);
    if (!this.mode.fragment) checkConnectionSteps(all, this.requires.transports as string[] | undefined, this.diagnostics);
    // A step left out may be the request that opened the client.
    if (!this.mode.fragment && !this.leftOut) checkEventsBeforeRequests(all, this.diagnostics);
  }

  /** `clients: [{ name, keepalive }]`: each client's own setting, checked like the scenario's; a name given twice is an error. */
  /** `requires.janus`: a key near a janus.jcfg setting but none itself is a typo Janus would ignore without a word. */
  private janusSettings(): void {
    for (const key of Object.keys((this.requires.janus as Record<string, unknown> | undefined) ?? {})) {
      const meant = misspeltJcfgSetting(key);
      if (meant) this.diagnostics.push({ span: this.source.spanOf(['requires', 'janus', key], { key: true }), message: `requires.janus: "${key}" is not a janus.jcfg setting (Janus would ignore it)`, hint: `did you mean "${meant}"?` });
    }
  }

  private clientKeepalive(): Record<string, boolean | number> {
    const out: Record<string, boolean | number> = {};
    const seen = new Set<string>();
    ((this.doc.clients as unknown[] | undefined) ?? []).forEach((entry, i) => {
      const name = typeof entry === 'string' ? entry : (entry as { name: string }).name;
      if (seen.has(name)) this.diagnostics.push({ span: this.source.spanOf(['clients', i]), message: `client "${name}" is declared twice` });
      seen.add(name);
      const value = typeof entry === 'object' && entry !== null ? (entry as { keepalive?: unknown }).keepalive : undefined;
      if (value === undefined) return;
      if (typeof value === 'boolean') out[name] = value;
      else {
        const checked = checkDuration(value, { positive: true });
        if ('ms' in checked) out[name] = checked.ms;
        else this.diagnostics.push({ span: this.source.spanOf(['clients', i, 'keepalive']), message: `keepalive: ${checked.problem}` });
      }
    });
    return out;
  }

  /** The keepalive setting a client runs with: its own, else the scenario's. */
  private keepaliveOf(client: string): boolean | number {
    const own = ((this.doc.clients as unknown[] | undefined) ?? []).find((e) => typeof e === 'object' && e !== null && (e as { name?: unknown }).name === client) as { keepalive?: unknown } | undefined;
    const value = own?.keepalive ?? this.doc.keepalive;
    return value === false ? false : typeof value === 'number' ? value : true;
  }

  /** A scenario-level duration (keepalive, timeout): a positive one, checked like any other. */
  private scenarioDuration(key: string): number | undefined {
    const value = this.doc[key];
    if (value === undefined || typeof value === 'boolean') return undefined;
    const checked = checkDuration(value, { positive: true });
    if ('ms' in checked) return checked.ms;
    this.diagnostics.push({ span: this.source.spanOf([key]), message: `${key}: ${checked.problem}` });
    return undefined;
  }

  private versionRange(src: YamlSource, path: DocPath, value: unknown): VersionRange | undefined {
    const parsed = parseVersionRange(String(value));
    if ('range' in parsed) return parsed.range;
    this.diagnostics.push({ span: src.spanOf(path), message: `${String(path[path.length - 1])}: ${parsed.problem}` });
    return undefined;
  }

  private knownBug(src: YamlSource, path: DocPath, value: unknown): KnownBug | undefined {
    const raw = value as { what: string; janus: string; link?: string };
    const range = this.versionRange(src, [...path, 'janus'], raw.janus);
    return range && { what: raw.what, janus: range, link: raw.link, span: src.spanOf(path, { key: true }) };
  }

  compileSteps(src: YamlSource, raws: unknown[], base: DocPath, defaultClient: string, refused?: ReadonlySet<number>): CompiledStep[] {
    const out: CompiledStep[] = [];
    raws.forEach((raw, i) => {
      // A step the schema refused is not of the shape its kind compiles; what it would have
      // declared (saved values, handles) is unknown from here on.
      if (refused?.has(i)) return this.leaveOut([raw]);
      const path = [...base, i];
      const step = raw as Record<string, unknown>;
      this.notePlugin(step);
      const kind = Object.keys(step).map(getStepKind).find((k) => k !== undefined)!;
      const compiled = kind.compile(step, this.stepCompiler(src, path, defaultClient));
      const list = Array.isArray(compiled) ? compiled : compiled ? [compiled] : [];
      out.push(...this.applyConditions(src, path, step, kind.key, list));
    });
    return out;
  }

  /**
   * Steps left out for a problem already reported (refused by the schema, or a fragment that
   * cannot be included; undefined when they cannot be read at all). When their text may declare a
   * name (a `save:`, an `as:`, an include, at any depth), no name after them is called unknown:
   * they may have declared it. Steps that declare nothing change nothing.
   */
  leaveOut(steps: unknown[] | undefined): void {
    this.leftOut = true;
    if (steps === undefined || mayDeclare(steps)) this.placeholders.unsure = true;
  }

  /**
   * An attach to a plugin Janus ships that `requires.plugins` does not list: the scenario needs it, so it is added
   * (a managed Janus loads it; a Janus without it skips the scenario). A plugin named through variables known at
   * load time counts as one written out.
   */
  private notePlugin(step: Record<string, unknown>): void {
    const request = sentRequest(step) as { janus?: unknown; plugin?: unknown } | undefined;
    if (request === null || typeof request !== 'object' || request.janus !== 'attach' || typeof request.plugin !== 'string') return;
    const plugin = this.constantOf(request.plugin)?.value;
    if (typeof plugin === 'string' && JANUS_PLUGINS.includes(plugin) && !this.plugins.includes(plugin)) this.plugins.push(plugin);
  }

  /** What a value written with placeholders will be at run time, when every placeholder names a variable known at load time. */
  private constantOf(value: unknown): { value: unknown } | undefined {
    let known = true;
    const template = compileTemplate(value, [], (ref) => (known &&= this.constants.has(ref.ref)));
    return known ? { value: template({ lookup: (ref) => this.constants.get(ref) }) } : undefined;
  }

  /** A step's `janus:` range and `known_bug:` mark, onto what it compiled to (an include: every step it brought). */
  private applyConditions(src: YamlSource, path: DocPath, step: Record<string, unknown>, kind: string, list: CompiledStep[]): CompiledStep[] {
    const range = step.janus === undefined ? undefined : this.versionRange(src, [...path, 'janus'], step.janus);
    const bug = step.known_bug === undefined ? undefined : this.knownBug(src, [...path, 'known_bug'], step.known_bug);
    if (bug && kind === 'include') {
      this.diagnostics.push({ span: src.spanOf([...path, 'known_bug'], { key: true }), message: 'known_bug marks one step or the whole scenario, not an include', hint: 'put it on the step of the fragment that shows the bug, or on the scenario' });
    }
    // Cleanup steps undo what the steps did; their verdicts are listed, never a bug's sign. A mark
    // there would do nothing: a bug gone would pass unsaid, a bug shown would fail the scenario.
    if (bug && this.inCleanup) {
      this.diagnostics.push({ span: src.spanOf([...path, 'known_bug'], { key: true }), message: 'known_bug does nothing on a cleanup step: a cleanup failure is never the bug showing, and a pass never says the bug is gone', hint: 'mark the step under `steps:` that shows the bug, or the scenario' });
    }
    const out = list.map((s) => ({
      ...s,
      ...(range && { janus: [range, ...(s.janus ?? [])], title: `${s.title} (expects Janus ${describeRange(range)} behaviour)` }),
      ...(bug && kind !== 'include' && { knownBug: bug }),
    }));
    this.checkRunsSomewhere(src, path, list, out, bug !== undefined && kind !== 'include');
    return out;
  }

  /**
   * A step no version runs (an include's range and its fragment step's have none in common), or
   * a known_bug mark on versions its step never runs on (it could neither show nor be found gone),
   * checks nothing on any server, without a word: a load error where the range or mark is written
   * that leaves no version. `before`, `after`: the steps without and with this step's conditions.
   */
  private checkRunsSomewhere(src: YamlSource, path: DocPath, before: CompiledStep[], after: CompiledStep[], marked: boolean): void {
    const where = (s: CompiledStep): string => `${s.title} (${formatSpan(s.span)})`;
    const ranges = (s: CompiledStep): string => (s.janus ?? []).map((r) => `"${r.text}"`).join(' and ');
    const dead = after.filter((s, i) => s.janus && rangesMeet(before[i]!.janus ?? []) && !rangesMeet(s.janus));
    if (dead.length > 0) {
      this.diagnostics.push({ span: src.spanOf([...path, 'janus']), message: `janus: no version is in all of ${ranges(dead[0]!)}: ${where(dead[0]!)}${dead.length > 1 ? ` and ${dead.length - 1} more step(s)` : ''} would never run`, hint: 'give the include a range its steps share, or leave it out' });
    }
    const unjudged = after.filter((s, i) => {
      const was = before[i]!;
      const fine = marked || !was.knownBug || rangesMeet([...(was.janus ?? []), was.knownBug.janus]);
      return s.knownBug && fine && !dead.includes(s) && !rangesMeet([...(s.janus ?? []), s.knownBug.janus]);
    });
    if (unjudged.length > 0) {
      const s = unjudged[0]!;
      this.diagnostics.push({ span: src.spanOf([...path, marked ? 'known_bug' : 'janus'], { key: marked }), message: `known_bug: the mark is for Janus "${s.knownBug!.janus.text}", and its step runs only on ${ranges(s)}: ${where(s)} could neither show the bug nor find it gone`, hint: 'mark the versions the step runs on, or move the mark to the step of the other versions' });
    }
  }

  /** What a step kind compiles one step with: spans, errors, placeholders and patterns, against this document. */
  private stepCompiler(src: YamlSource, stepPath: DocPath, defaultClient: string): StepCompiler {
    const error: StepError = (path, message, hint, key) => {
      this.diagnostics.push({ span: src.spanOf([...stepPath, ...path], { key: key ?? (path.length > 0 && (String(path[path.length - 1]).startsWith('$') || hasKeyPlaceholder(String(path[path.length - 1])))) }), message, hint });
    };
    const check = refChecker(this.placeholders, src, this.names);
    const strings = (s: string, path: DocPath): Template | undefined => (s.includes('${') ? compileString(s, [...stepPath, ...path], check) : undefined);
    const patterns = createPatternCompiler(strings, error, this.options.knownSchema, this.options.errorCodes);
    const handles = this.placeholders.handles;
    const pattern: StepCompiler['pattern'] = (value, path, exact, watch) => {
      checkMessageTypes(value, path, error);
      return this.sharedPatterns.matcher(value, path, exact, watch, (told) => (told ? patterns.compileWatched(value, path, exact, told) : patterns.compile(value, path, exact)));
    };
    return {
      span: (path = [], key = false) => src.spanOf([...stepPath, ...path], { key }),
      error,
      client: (raw) => this.client(src, stepPath, raw, defaultClient),
      template: (value, path) => {
        for (const at of keysWithPlaceholders(value, path)) this.diagnostics.push(keyPlaceholder(src.spanOf([...stepPath, ...at], { key: true }), at));
        return compileTemplate(value, [...stepPath, ...path], check);
      },
      pattern,
      messagePattern: (value, path, exact, watch) => {
        checkMessageFields(value, path, error);
        return pattern(value, path, exact, watch);
      },
      declare: (saved) => {
        if (this.deferred) saved.forEach((n) => this.placeholders.savedTogether.add(n));
        this.later(() => saved.forEach((n) => {
          this.names.add(n);
          this.constants.delete(n);
        }));
      },
      durationMs: (value, path, opts = {}) => this.durationMs(error, value, path, opts),
      declareHandle: (client, name) => this.declareHandle(error, client, name),
      knowsHandle: (client, name) => (handles.get(client)?.has(name) ?? false) || this.placeholders.unsure,
      cleanup: this.inCleanup,
      steps: (raws, path, client) => this.compileTogether(src, raws, [...stepPath, ...path], client),
      keepaliveOf: (client) => this.keepaliveOf(client),
      include: (file, params, path, client) => this.includes.include({ file, params, src, stepPath, path, client, error }),
    };
  }

  /** The client a step acts as: its `client:` key or the default, which the scenario must declare. */
  private client(src: YamlSource, stepPath: DocPath, raw: Record<string, unknown>, defaultClient: string): string {
    const { clients } = this;
    const name = (raw.client as string | undefined) ?? defaultClient;
    if (!clients.includes(name) && !this.mode.fragment) {
      const hint = closestName(name, clients);
      this.diagnostics.push({
        span: src.spanOf([...stepPath, 'client']),
        message: `unknown client "${name}"; the scenario declares ${clients.join(', ')}`,
        hint: hint ? `did you mean "${hint}"?` : 'declare it under `clients:`',
      });
    }
    return name;
  }

  private durationMs(error: StepError, value: unknown, path: DocPath, opts: { positive?: boolean }): number | undefined {
    if (this.isOpenParam(value)) return undefined;
    const checked = checkDuration(value, opts);
    if ('ms' in checked) return checked.ms;
    // Named by its key, as the scenario's own durations are (`timeout: 5 would be 5 milliseconds`).
    const key = path[path.length - 1];
    error(path, typeof key === 'string' ? `${key}: ${checked.problem}` : checked.problem);
    return undefined;
  }

  /** A `${param}` standing for a whole typed value in a fragment compiled on its own: checked once substituted. */
  private isOpenParam(value: unknown): boolean {
    return typeof value === 'string' && this.mode.params.some((p) => new RegExp(`^\\$\\{\\s*${p}\\s*\\}$`).test(value));
  }

  private declareHandle(error: StepError, client: string, name: string): void {
    if (RESERVED_NAMES.has(name)) error(['as'], `"${name}" cannot name a handle: ${reservedBecause(name, `\${handles.${name}} would be ambiguous with the engine's own names`)}`);
    const handles = this.placeholders.handles;
    this.later(() => {
      if (!handles.has(client)) handles.set(client, new Set());
      handles.get(client)!.add(name);
    });
  }

  /** A declaration: at once, or after the last of the steps being compiled to run at the same time. */
  private later(declare: () => void): void {
    if (this.deferred) this.deferred.push(declare);
    else declare();
  }

  /**
   * Steps that run at the same time (held by a concurrently step): none of them sees what
   * another saves or names, as their requests are all sent before any reply is read.
   */
  private compileTogether(src: YamlSource, raws: unknown[], base: DocPath, client: string): CompiledStep[] {
    const outer = this.deferred;
    this.deferred = [];
    const compiled = this.compileSteps(src, raws, base, client);
    const declarations = this.deferred;
    this.deferred = outer;
    if (!outer) this.placeholders.savedTogether.clear();
    declarations.forEach((declare) => this.later(declare));
    return compiled;
  }
}

/** The names under `clients:`, each a name or `{ name, keepalive }`; one client called main when there are none. */
function clientNames(declared: unknown): string[] {
  if (!Array.isArray(declared)) return [DEFAULT_CLIENT];
  return declared.map((entry) => (typeof entry === 'string' ? entry : (entry as { name: string }).name));
}

/** `requires.eventhandlers` / `loggers`: a list of names means each with no settings of its own. */
function observerSettings(given: unknown): Record<string, Record<string, string | number | boolean>> {
  if (given === undefined) return {};
  if (Array.isArray(given)) return Object.fromEntries(given.map((pkg: string) => [pkg, {}]));
  return given as Record<string, Record<string, string | number | boolean>>;
}

/** Variables, saved values, clients and fragment parameters must not take a name the engine gives a meaning. */
function checkReservedNames(source: YamlSource, doc: Record<string, unknown>, diagnostics: Diagnostic[]): void {
  const reserved = (name: string): boolean => RESERVED_NAMES.has(name);
  const say = (path: DocPath, key: boolean, what: string, name: string): void => {
    diagnostics.push({ span: source.spanOf(path, { key }), message: `"${name}" cannot be ${what} name: ${reservedBecause(name, `\${${name}} already means something (${BUILTIN_NAMES.join(', ')} are the engine's own)`)}`, hint: `rename it, e.g. "my_${name}"` });
  };
  for (const name of Object.keys((doc.variables as object | undefined) ?? {})) if (reserved(name)) say(['variables', name], true, 'a variable', name);
  for (const name of Object.keys((doc.params as object | undefined) ?? {})) if (reserved(name)) say(['params', name], true, 'a parameter', name);
  ((doc.clients as unknown[] | undefined) ?? []).forEach((entry, i) => {
    if (typeof entry === 'string') reserved(entry) && say(['clients', i], false, 'a client', entry);
    else reserved((entry as { name: string }).name) && say(['clients', i, 'name'], false, 'a client', (entry as { name: string }).name);
  });
  const checkSaves = (steps: unknown[], base: DocPath): void => steps.forEach((step, i) => {
    if (step === null || typeof step !== 'object') return;
    const save = (step as { save?: unknown }).save;
    if (save !== null && typeof save === 'object') {
      for (const name of Object.keys(save)) if (reserved(name)) say([...base, i, 'save', name], true, 'a saved value\'s', name);
    }
    // Steps held by another (concurrently) save names too.
    const key = Object.keys(step).map(getStepKind).find((k) => k?.nestedSteps)?.nestedSteps?.key;
    const nested = key === undefined ? undefined : (step as Record<string, unknown>)[key];
    if (Array.isArray(nested)) checkSaves(nested, [...base, i, key!]);
  });
  for (const list of ['steps', 'cleanup'] as const) checkSaves((doc[list] as unknown[] | undefined) ?? [], [list]);
}

/** A step that closes connections on a transport `requires.transports` names that has none to close: a load error. */
function checkConnectionSteps(steps: CompiledStep[], transports: string[] | undefined, diagnostics: Diagnostic[]): void {
  for (const transport of transports ?? []) {
    const step = steps.find((s) => s.needs !== undefined && connectionSkip(s.needs, transport) !== undefined);
    if (!step) continue;
    diagnostics.push({ span: step.span, message: `${step.kind}: ${connectionSkip(step.needs!, transport)}`, hint: `leave ${transport} out of \`transports:\` under \`requires:\`` });
    return;
  }
}

/**
 * A client's events come from the sessions it creates, so a `wait` (or `no_event`, `order`) of a
 * client that has sent no request yet has nothing to look at: a wait times out after its limit,
 * a no_event passes having checked nothing. Said at load time, at the first such step. Steps
 * held by one step (concurrently) run together: a request among them opens the client for all.
 */
function checkEventsBeforeRequests(steps: CompiledStep[], diagnostics: Diagnostic[]): void {
  const opened = new Set<string>();
  const visit = (list: readonly CompiledStep[]): boolean => {
    for (const step of list) {
      if (step.inner) for (const s of everyStep(step.inner)) if (s.opensClient) opened.add(s.client);
      if (step.opensClient) opened.add(step.client);
      if (step.readsEvents && !opened.has(step.client)) {
        const what = step.kind === 'no_event' ? 'it would pass having checked nothing' : 'nothing can arrive, and it would fail after its time limit';
        diagnostics.push({ span: step.span, message: `${step.kind}: client ${step.client} has sent no request before this step, so it has no session and no events: ${what}`, hint: 'put it after the request that makes the event (a create, attach and message first)' });
        return true;
      }
      if (step.inner && visit(step.inner)) return true;
    }
    return false;
  };
  visit(steps);
}

/** The keys by which a step declares a name (`save`, `as`) or may (`include`). */
const DECLARING_KEYS = ['save', 'as', 'include'];

/**
 * Whether a value holds a key by which a step declares a name, at any depth, or one a letter off
 * (`savee:`, the very typo the step was refused for: its names are not to be called unknown too).
 */
function mayDeclare(value: unknown): boolean {
  const stack = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (!Array.isArray(v) && Object.keys(v).some((k) => closestName(k, DECLARING_KEYS, 1) !== undefined)) return true;
    stack.push(...Object.values(v));
  }
  return false;
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

/**
 * The Janus API request a step sends, as written: a request step's, an http step's JSON body (to
 * the Janus API, not the Admin API), a raw step's text when it is JSON. What else a step sends is
 * no request of the Janus API.
 */
function sentRequest(step: Record<string, unknown>): unknown {
  if (step.request !== undefined) return step.request;
  const http = step.http as { api?: unknown; body?: unknown } | undefined;
  if (http !== null && typeof http === 'object') return http.api === undefined || http.api === 'janus' ? http.body : undefined;
  if (typeof step.raw !== 'string') return undefined;
  try {
    return JSON.parse(step.raw) as unknown;
  } catch {
    return undefined; // not JSON (a malformed payload is what raw steps are for), so no attach
  }
}

/** A key with a placeholder in a request or a value: compileTemplate resolves values, never keys. */
function keyPlaceholder(span: SourceSpan, at: DocPath): Diagnostic {
  return { span, message: `a placeholder in a key is not resolved: the key is used as written ("${String(at[at.length - 1])}")`, hint: KEY_PLACEHOLDER_HINT };
}
