import { closestName } from '../core/diagnostic.js';
import type { DocPath } from '../core/source.js';
import { JANUS_MESSAGE_TYPES, messageFields, type MessageFields } from '../schemas/modules.js';

/** What Janus writes in `janus:` of what it sends: replies, events, and a long-poll's keepalive. */
const SENT_TYPES: readonly string[] = [...JANUS_MESSAGE_TYPES, 'keepalive'];

/**
 * A message pattern's `janus:` that is one letter or two off a message type Janus sends
 * (`succes`, `webrtcupp`, `ping` for `pong`) matches no message: the step would fail at the
 * server, or a `no_event` pass having checked nothing. Said at load time, with the type meant.
 * A name like none of them is left alone: a test server may send its own. Only the message's
 * own `janus:` (also in whole-message `$oneOf`, `$not` and `$exact`): deeper, a key of that name is
 * a plugin's or a test server's data.
 */
export function checkMessageTypes(pattern: unknown, path: DocPath, error: ReportError): void {
  if (Array.isArray(pattern)) return pattern.forEach((item, i) => checkMessageTypes(item, [...path, i], error));
  if (pattern === null || typeof pattern !== 'object') return;
  for (const [key, value] of Object.entries(pattern)) {
    if (key === 'janus') checkTypes(value, [...path, key], error);
    else if (MESSAGE_OPERATORS.has(key)) checkMessageTypes(value, [...path, key], error);
  }
}

type ReportError = (path: DocPath, message: string, hint?: string, key?: boolean) => void;

const MESSAGE_OPERATORS = new Set(['$oneOf', '$not', '$exact']);

/** The value under `janus:`: a type, or the alternatives of `$oneOf` and `$not` (a `$regex` is no type). */
function checkTypes(value: unknown, path: DocPath, error: ReportError): void {
  if (typeof value === 'string') return checkType(value, path, error);
  if (Array.isArray(value)) return value.forEach((item, i) => checkTypes(item, [...path, i], error));
  if (value === null || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value)) if (key === '$oneOf' || key === '$not') checkTypes(inner, [...path, key], error);
}

function checkType(type: string, path: DocPath, error: ReportError): void {
  if (type.startsWith('$') || type.includes('${') || SENT_TYPES.includes(type)) return;
  // A slip of one letter or two: a test server's own type may well be a longer variation (`not-server-info`).
  const meant = closestName(type.toLowerCase(), SENT_TYPES, 2);
  if (meant) error(path, `Janus sends no message "${type}"; did you mean "${meant}"?`, `the types of what it sends: ${SENT_TYPES.join(', ')}`);
}

/**
 * A key of a message pattern one letter or two off a field Janus sends (`sesion_id`,
 * `transction`, `pluginData`, `error: { cod }`), and no such field itself, matches nothing in any
 * message: an `expect` would fail at the server, but under `no_event`, `$not` or `$absent` the
 * step would pass having checked nothing. Said at load time, with the field meant. At the
 * message's level (also in whole-message `$oneOf`, `$not` and `$exact`) and in the objects whose
 * fields the core defines (plugindata, error, jsep); a key like none of them is left alone (a test
 * server may send its own), and so is what a plugin's or a reply's `data` holds (see messageFields).
 */
export function checkMessageFields(pattern: unknown, path: DocPath, error: ReportError, fields: MessageFields = messageFields()): void {
  if (pattern === null || typeof pattern !== 'object' || Array.isArray(pattern)) return;
  for (const [key, value] of Object.entries(pattern)) {
    const at = [...path, key];
    if (MESSAGE_OPERATORS.has(key)) forEachPattern(value, at, (p, where) => checkMessageFields(p, where, error, fields));
    else if (key.startsWith('$') || key.includes('${')) continue;
    else if (fields.names.has(key)) {
      const inner = fields.within.get(key);
      if (inner) checkMessageFields(value, at, error, inner);
    } else checkField(key, fields.names, at, error);
  }
}

/** Each pattern of an operator: the items of a list (`$oneOf`), else the one (`$not`, `$exact`). */
function forEachPattern(value: unknown, path: DocPath, check: (pattern: unknown, path: DocPath) => void): void {
  if (Array.isArray(value)) value.forEach((item, i) => check(item, [...path, i]));
  else check(value, path);
}

function checkField(key: string, known: ReadonlySet<string>, path: DocPath, error: ReportError): void {
  // A short key is one letter off many: `id` is not `ip`.
  const meant = key.length > 2 ? closestName(key.toLowerCase(), [...known], key.length <= 4 ? 1 : 2) : undefined;
  if (meant) error(path, `Janus sends no field "${key}" here; did you mean "${meant}"?`, 'a key no message has matches nothing: under no_event, $not or $absent the step would pass having checked nothing', true);
}
