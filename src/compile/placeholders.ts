import { closestName, HINTED_PER_FILE, type Diagnostic } from '../core/diagnostic.js';
import type { DocPath } from '../core/source.js';
import type { YamlSource } from '../load/yaml-source.js';
import { BUILTIN_NAMES } from './scenario.js';
import { isValidRef, type PlaceholderRef, type RefChecker } from './template.js';
import { readPath } from '../steps/common.js';

/** What `${env_int.NAME}` accepts: a decimal integer, as Number() reads it back exactly. */
const INTEGER = /^-?(0|[1-9][0-9]{0,14})$/;

/** What placeholders are checked against in one document; handles and diagnostics grow as its steps are read. */
export interface PlaceholderScope {
  readonly env: NodeJS.ProcessEnv;
  readonly clients: string[];
  /** Handle names declared with `as:` so far, per client. */
  readonly handles: Map<string, Set<string>>;
  readonly diagnostics: Diagnostic[];
  /** Names saved by steps being compiled to run at the same time (concurrently): known only after all of them. */
  readonly savedTogether: Set<string>;
  /** The variables whose value is known at load time (no saved value has replaced them yet), by name. */
  readonly constants: ReadonlyMap<string, unknown>;
  /**
   * A step was left out before this point for a problem already reported (the schema refused it,
   * its fragment could not be included): the names it would have declared are not known, so a
   * name not found is not said to be unknown.
   */
  unsure: boolean;
}

/** Reports a problem with the placeholder being checked; always false, for `return fail(...)`. */
type Fail = (message: string, hint?: string) => false;

/** Checks each `${...}` of `src` against the names `known` at that point, reporting what is wrong. */
export function refChecker(scope: PlaceholderScope, src: YamlSource, known: Set<string>): RefChecker {
  return (ref: PlaceholderRef, path: DocPath): boolean => {
    const fail: Fail = (message, hint) => {
      scope.diagnostics.push({ span: src.spanInString(path, ref.text, ref.offset), message, hint });
      return false;
    };
    return checkRef(scope, known, ref, fail);
  };
}

function checkRef(scope: PlaceholderScope, known: Set<string>, ref: PlaceholderRef, fail: Fail): boolean {
  if (ref.unclosed) return fail(`a placeholder is not closed: "${ref.text.length > 40 ? `${ref.text.slice(0, 40)}…` : ref.text}" has no }`, 'close it with } (or write $${ for a literal ${)');
  if (!isValidRef(ref.ref)) return fail(`"\${${ref.ref}}" is not a valid placeholder: use \${name} or \${name.field}`);
  const [head, second, third] = ref.ref.split('.');
  if (head === 'env' || head === 'env_int') return checkEnvRef(scope.env, head, second, fail);
  if (scope.clients.includes(head!) && !known.has(head!)) {
    if (!['session', 'handle', 'handles'].includes(second ?? '')) return fail(`\${${ref.ref}}: a client has session, handle and handles.<name>`);
    if (second === 'handles') return checkHandle(scope, head!, third, fail);
    return true;
  }
  if (head === 'handles' && !known.has(head)) return checkHandle(scope, undefined, second, fail);
  if (known.has(head!) && second !== undefined && scope.constants.has(head!) && !scope.unsure) return checkConstantPath(scope.constants.get(head!), ref.ref, fail);
  if (known.has(head!) || (BUILTIN_NAMES as readonly string[]).includes(head!)) return true;
  if (scope.savedTogether.has(head!)) return fail(`\${${ref.ref}} is saved by a request sent at the same time (in the same concurrently step): it has a value only after that step`, 'use it in a step after the concurrently step');
  if (scope.unsure) return true;
  const hint = hinting(scope) ? closestName(head!, [...known, ...BUILTIN_NAMES, ...scope.clients]) : undefined;
  return fail(`unknown placeholder \${${ref.ref}}: no variable, parameter or saved value named "${head}" is defined before this point`, hint ? `did you mean "\${${hint}}"?` : undefined);
}

/**
 * `${o.b}` into a variable whose value is known now: the path must lead somewhere, as it will at
 * run time (readPath, which the run reads it with). A field that is not there would fail the
 * step only after the server was reached, as "has no value".
 */
function checkConstantPath(value: unknown, ref: string, fail: Fail): boolean {
  const [head, ...path] = ref.split('.');
  if (readPath(value, path.join('.')) !== undefined) return true;
  // The longest part of the path that exists, to say where it stops.
  let reached = 0;
  while (reached < path.length - 1 && readPath(value, path.slice(0, reached + 1).join('.')) !== undefined) reached++;
  const at = reached === 0 ? value : readPath(value, path.slice(0, reached).join('.'));
  const where = reached === 0 ? `the variable ${head}` : `${head}.${path.slice(0, reached).join('.')}`;
  const holds = at !== null && typeof at === 'object' ? (Array.isArray(at) ? `a list of ${at.length}` : `fields ${Object.keys(at).join(', ') || '(none)'}`) : `${JSON.stringify(at)}, no fields`;
  return fail(`\${${ref}} names nothing: ${where} has no "${path[reached]}" (it holds ${holds})`);
}

/** Whether a problem found now still gets a "did you mean" (HINTED_PER_FILE). */
function hinting(scope: PlaceholderScope): boolean {
  return scope.diagnostics.length < HINTED_PER_FILE;
}

/** `${env.NAME}` / `${env_int.NAME}`: the variable must be set (and an integer for env_int) when the scenario is compiled. */
function checkEnvRef(env: NodeJS.ProcessEnv, head: 'env' | 'env_int', name: string | undefined, fail: Fail): boolean {
  if (name === undefined) return fail(`\${${head}} needs a variable name: \${${head}.NAME}`);
  const value = Object.hasOwn(env, name) ? env[name] : undefined;
  if (value === undefined) return fail(`environment variable ${name} is not set`);
  if (head === 'env_int' && !INTEGER.test(value)) return fail(`environment variable ${name} is not an integer: "${value}"`);
  return true;
}

/** `${alice.handles.x}` (or `${handles.x}`, any client): x must have been named with `as:` before. */
function checkHandle(scope: PlaceholderScope, client: string | undefined, name: string | undefined, fail: Fail): boolean {
  const { handles } = scope;
  if (name === undefined) return fail(`\${${client ? `${client}.` : ''}handles} needs a handle name: \${${client ? `${client}.` : ''}handles.<name>}`);
  const declared = client === undefined ? [...handles.values()].flatMap((set) => [...set]) : [...(handles.get(client) ?? [])];
  // In a fragment compiled on its own, a handle named by a parameter (`as: "${as}"`) is not known yet.
  if (declared.includes(name) || declared.some((n) => n.includes('${')) || scope.unsure) return true;
  const hint = hinting(scope) ? closestName(name, declared) : undefined;
  return fail(
    `no handle named "${name}"${client ? ` for client ${client}` : ''} before this point: name one with \`as: ${name}\` on an attach step first`,
    hint ? `did you mean "${hint}"?` : undefined,
  );
}
