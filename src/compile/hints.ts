import type { DocPath } from '../core/source.js';
import { JANUS_VERBS } from '../schemas/modules.js';
import { stepKinds } from '../steps/registry.js';

/**
 * What a value of the wrong shape in a scenario file most likely meant, said as a hint under the
 * load error: the YAML slips (a colon without a space, a list without "- "), and the slips of
 * the scenario language (a pattern or a step written as a word, a request's field beside it).
 */

/** What a value of the wrong type most likely meant: the first of the hints that knows. */
export function typeHint(path: DocPath, expected: string, data: unknown): string | undefined {
  for (const hint of [layoutHint, patternHint, bareStepHint, saveHint]) {
    const text = hint(path, expected, data);
    if (text !== undefined) return text;
  }
  return undefined;
}

/**
 * The YAML slips behind most wrong types, said where they happen: `request:create` (no space
 * after the colon: one string), a key with nothing indented under it (null), items written
 * without their `- ` (a map where a list goes).
 */
function layoutHint(_path: DocPath, expected: string, data: unknown): string | undefined {
  if (expected === 'object' && typeof data === 'string' && /^[\w$.-]+:\S/.test(data)) return `a key needs a space after its colon: "${data.replace(':', ': ')}"`;
  if (expected === 'object' && data === null) return 'nothing is written under it: the lines that belong to it go indented further than the key';
  if (expected === 'array' && typeof data === 'object' && data !== null) return 'each item of a list starts with "- "';
  // `clients: alice, bob`: YAML reads one string; a list is written in brackets.
  if (expected === 'array' && typeof data === 'string') return `a list is written in brackets: [${data.split(',').map((s) => s.trim()).filter(Boolean).join(', ')}], or an item a line, each starting with "- "`;
  return undefined;
}

/** Fields of a Janus request that a new user may write beside `request:` instead of in it. */
const REQUEST_FIELDS = new Set(['plugin', 'body', 'jsep', 'opaque_id', 'session_id', 'handle_id', 'transaction', 'apisecret', 'token', 'candidate', 'candidates', 'loop_index', 'force_bundle', 'force_rtcp_mux']);

/**
 * `plugin:` (or `body:`, `jsep:`) under a request step's `request: attach`, on the step's level:
 * it belongs to the request the step sends, written as a mapping.
 */
export function requestFieldHint(key: string, step: unknown): string | undefined {
  if (!REQUEST_FIELDS.has(key) || step === null || typeof step !== 'object') return undefined;
  const { request, [key]: value } = step as Record<string, unknown>;
  if (request === undefined) return undefined;
  const json = JSON.stringify(value) ?? '';
  const written = typeof value === 'string' ? value : json.length <= 60 ? json : '...';
  const verb = typeof request === 'string' ? `janus: ${request}` : '...';
  return `"${key}" is a field of the request Janus gets: write it inside the request, request: { ${verb}, ${key}: ${written} }`;
}

/**
 * A step written as a bare word (`- create`, `- sleep 1s`): a step is a mapping of its kind to
 * its value; a Janus verb is sent by a request step.
 */
function bareStepHint(path: DocPath, _expected: string, data: unknown): string | undefined {
  const list = path[path.length - 2];
  if (typeof data !== 'string' || typeof path[path.length - 1] !== 'number' || (list !== 'steps' && list !== 'cleanup')) return undefined;
  const [word = '', ...rest] = data.trim().split(/\s+/);
  if (stepKinds().some((k) => k.key === word)) return `a step is a mapping of its kind to its value: - ${word}: ${rest.join(' ') || '...'}`;
  if (JANUS_VERBS.includes(word.toLowerCase())) return `a step is a mapping: a request Janus gets is sent by - request: ${word}`;
  return undefined;
}

/** `save: session_id`: what to save is a mapping of names to paths in the message. */
function saveHint(path: DocPath, _expected: string, data: unknown): string | undefined {
  if (path[path.length - 1] !== 'save' || typeof data !== 'string') return undefined;
  return `save takes a name for each value and where it is in the message: save: { ${/^[A-Za-z_][\w-]*$/.test(data) ? data : 'name'}: data.id }`;
}

/** The keys whose value is a pattern a message must match. */
const PATTERN_KEYS = new Set(['expect', 'wait', 'no_event']);

/**
 * A pattern written as a bare word (`expect: success`, `wait: webrtcup`) or a bare placeholder:
 * a pattern is a mapping of the fields to match, and the word was most likely the verb.
 */
function patternHint(path: DocPath, _expected: string, data: unknown): string | undefined {
  const key = path[path.length - 1];
  if (typeof key !== 'string' || !PATTERN_KEYS.has(key) || typeof data !== 'string') return undefined;
  if (/^[A-Za-z_]+$/.test(data)) return `a pattern is a mapping of the fields the message must have: ${key}: { janus: ${data} }`;
  return `a pattern is a mapping of the fields the message must have (${key}: { janus: success }); a placeholder stands for a field's value (${key}: { error: "\${saved_error}" })`;
}

/**
 * A file that is a list: several scenarios written in one file, or steps without the scenario
 * around them. Each says what the file should be instead.
 */
export function topListHint(items: unknown[], fragment: boolean): string {
  const isMap = (item: unknown): item is Record<string, unknown> => item !== null && typeof item === 'object' && !Array.isArray(item);
  if (items.some((item) => isMap(item) && ('steps' in item || 'name' in item))) return `a file holds one ${fragment ? 'fragment' : 'scenario'}: put each item of the list in a file of its own`;
  return fragment ? 'a fragment is a mapping: put the steps under steps:' : 'a scenario is a mapping: give it a name: and put the steps under steps:';
}

/** Characters that show as a space or as nothing: in a key they make it another key, one its reader cannot see. */
const INVISIBLE = /[\u00a0\u1680\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff]/;
const INVISIBLE_NAMES: Record<string, string> = { '00A0': 'a no-break space', '200B': 'a zero-width space', '200C': 'a zero-width non-joiner', '200D': 'a zero-width joiner', '2060': 'a word joiner', '3000': 'an ideographic space', FEFF: 'a byte order mark' };

/**
 * A key that is unknown for a character that cannot be seen (a no-break space pasted from a web
 * page, a zero-width space): "did you mean request?" under a key that reads request would puzzle.
 */
export function invisibleCharacterHint(key: string): string | undefined {
  const m = INVISIBLE.exec(key);
  if (!m) return undefined;
  const code = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return `the key holds U+${code} (${INVISIBLE_NAMES[code] ?? 'a space of another kind'}) at character ${m.index + 1}, which is not a space YAML indents or separates with: retype the key with plain spaces`;
}
