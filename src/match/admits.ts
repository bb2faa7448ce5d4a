import { isRecord } from '../core/own.js';
import type { DocPath } from '../core/source.js';
import { caseForVersion, parseVersionRange, type VersionRange } from '../core/version-range.js';
import type { Matcher, MatchRuntime, Mismatch } from './contract.js';

/**
 * Whether a pattern lets a message through with a value at the key asked about: yes, no, or,
 * where its form does not say (a whole-message `$not`, `$schema`), a text saying why not.
 */
type Admission = boolean | string;
type Admits = (value: unknown, rt: MatchRuntime) => Admission;

/** The matcher a part of the pattern compiled to, by its path; undefined where it did not compile. */
export type CompiledAt = (path: DocPath) => Matcher | undefined;

const ANYTHING: Admits = () => true;

/**
 * Which values a message pattern admits at one top-level key (`janus`), judged by the pattern's
 * own matchers, whatever form it takes: `{ janus: ack }`, `{ janus: { $oneOf: [ack] } }`,
 * `{ $exact: { janus: ack } }`, `{ $oneOf: [{ janus: ack }, { janus: success }] }`,
 * `{ janus: "${verb}" }`, `{ janus: { $janus: { ">=1.0.0": ack } } }`. The field's matcher is the
 * one the step matches with, run with the run's values and server version.
 */
function admitsAt(pattern: unknown, key: string, path: DocPath, compiledAt: CompiledAt): Admits {
  if (!isRecord(pattern)) return ANYTHING;
  const keys = Object.keys(pattern);
  const operators = keys.filter((k) => k.startsWith('$') && !k.startsWith('$$'));
  if (operators.length === 0) return Object.hasOwn(pattern, key) ? fieldAdmits(compiledAt([...path, key]), key) : ANYTHING;
  // Several operators on one value must all hold.
  const parts = operators.map((op) => operatorAdmits(op, pattern[op], key, [...path, op], compiledAt));
  return (value, rt) => all(parts.map((admits) => admits(value, rt)));
}

function operatorAdmits(op: string, arg: unknown, key: string, path: DocPath, compiledAt: CompiledAt): Admits {
  if (op === '$exact') return admitsAt(arg, key, path, compiledAt);
  if (op === '$oneOf' && Array.isArray(arg)) {
    const alternatives = arg.map((p, i) => admitsAt(p, key, [...path, i], compiledAt));
    return (value, rt) => any(alternatives.map((admits) => admits(value, rt)));
  }
  if (op === '$janus' && isRecord(arg)) return versionAdmits(arg, key, path, compiledAt);
  return () => `a whole-message ${op} does not say which \`${key}\` it wants`;
}

/** A whole-message `$janus`: what the pattern for the server's version admits; nothing when none is for it. */
function versionAdmits(arg: Record<string, unknown>, key: string, path: DocPath, compiledAt: CompiledAt): Admits {
  const cases: Array<{ range: VersionRange; admits: Admits }> = [];
  for (const [text, pattern] of Object.entries(arg)) {
    const parsed = parseVersionRange(text);
    if ('range' in parsed) cases.push({ range: parsed.range, admits: admitsAt(pattern, key, [...path, text], compiledAt) });
  }
  return (value, rt) => caseForVersion(cases, rt.serverVersion)?.admits(value, rt) ?? false;
}

/** A field's matcher run on the value; one with a placeholder that has no value yet cannot tell. */
function fieldAdmits(matcher: Matcher | undefined, key: string): Admits {
  if (!matcher) return ANYTHING;
  return (value, rt) => {
    const out: Mismatch[] = [];
    try {
      matcher(value, key, rt, out);
    } catch (e) {
      return (e as Error).message;
    }
    return out.length === 0;
  };
}

function all(answers: Admission[]): Admission {
  if (answers.includes(false)) return false;
  return answers.find((a) => typeof a === 'string') ?? true;
}

function any(answers: Admission[]): Admission {
  if (answers.includes(true)) return true;
  return answers.find((a) => typeof a === 'string') ?? false;
}

/** Where a request step ends: at the ack, or at the final reply, and then why not at the ack. */
export interface Ending {
  untilAck: boolean;
  /** Why the step waits past an ack, for a failure whose ack would have matched to say. */
  why?: string;
}

const AT_ACK: Ending = { untilAck: true };
const AT_FINAL: Ending = { untilAck: false };

/**
 * Where a request step with this `expect` ends: at the ack when the pattern's `janus` admits
 * an ack and no event (waiting on would only fail). An Ending when the pattern alone decides;
 * when its `janus` depends on the run (a placeholder, `$janus`), a function of the run's
 * values and server version, called before the request is sent.
 */
export function requestEnding(pattern: unknown, path: DocPath, compiledAt: CompiledAt): Ending | ((rt: MatchRuntime) => Ending) {
  if (pattern === undefined) return AT_FINAL;
  const admits = admitsAt(pattern, 'janus', path, compiledAt);
  const probe = probeRuntime();
  const ending = decide(admits, probe.rt);
  return probe.consulted() ? (rt) => decide(admits, rt) : ending;
}

function decide(admits: Admits, rt: MatchRuntime): Ending {
  const ack = admits('ack', rt);
  const event = admits('event', rt);
  if (ack === true && event === false) return AT_ACK;
  if (ack === false) return AT_FINAL;
  if (event === true) return { untilAck: false, why: 'its `janus` admits an event too' };
  return { untilAck: false, why: typeof ack === 'string' ? ack : (event as string) };
}

/**
 * A runtime that notes whether a matcher looked at the run (values, schemas, the server's
 * version): a decision made without a look holds for every run.
 */
function probeRuntime(): { rt: MatchRuntime; consulted: () => boolean } {
  let consulted = false;
  const rt: MatchRuntime = {
    resolve: () => {
      consulted = true;
      return undefined;
    },
    validateSchema: () => {
      consulted = true;
      return undefined;
    },
    get serverVersion() {
      consulted = true;
      return undefined;
    },
  };
  return { rt, consulted: () => consulted };
}
