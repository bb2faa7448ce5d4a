import { isMap, isPair, isScalar, isSeq, parseDocument, type Node, type Scalar } from 'yaml';
import { parseVersionRange, satisfies } from '../../src/core/version-range.js';

/**
 * Mutants of a scenario file: the same text with one expected value changed. A scenario that
 * asserts what matters fails for every mutant; one that survives has an expectation nothing checks.
 */
export interface Mutant {
  /** `line:col` of the changed value in the original file. */
  where: string;
  what: string;
  text: string;
}

/** Step kinds whose `expect` is checked against a reply at once (no wait for a timeout). */
const REPLY_STEPS = ['request', 'admin', 'raw', 'http'];
/** Operators whose operands are still compared as values; all others ($regex, $not, $oneOf, ...) are skipped. */
const VALUE_OPERATORS = new Set(['$exact', '$anyOrder', '$contains']);
/** Keys whose string values are error names: a changed name is a load error, not a failing run. */
const ERROR_NAME_KEYS = new Set(['code', 'error_code']);

/** The first and the last changeable value of the scenario's own `expect` patterns (includes and cleanup left out). */
export function mutantsOf(text: string, version?: string): Mutant[] {
  const doc = parseDocument(text, { keepSourceTokens: true });
  const steps = doc.get('steps', true);
  const candidates: Candidate[] = [];
  if (isSeq(steps)) {
    for (const step of steps.items) {
      if (!isMap(step) || !REPLY_STEPS.some((kind) => step.has(kind))) continue;
      // A step for other Janus versions does not run here: what it expects cannot fail.
      if (version && !runsOn(step.get('janus'), version)) continue;
      const expect = step.get('expect', true);
      if (expect) collect(expect as Node, undefined, candidates);
    }
  }
  // `janus: success` fails trivially when changed; the values after it say whether a scenario looks closer.
  const telling = candidates.filter((c) => !c.janusVerb);
  const pool = telling.length > 0 ? telling : candidates;
  const picked = [...new Set([pool[0], pool.at(-1)])].filter((c): c is Candidate => c !== undefined);
  const lineStarts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index! + 1)];
  return picked.map((candidate) => {
    const scalar = candidate.scalar;
    const [start, end] = scalar.range!;
    let line = 0;
    while (line + 1 < lineStarts.length && lineStarts[line + 1]! <= start) line++;
    const replacement = JSON.stringify(replacementOf(candidate));
    return {
      where: `${line + 1}:${start - lineStarts[line]! + 1}`,
      what: `${JSON.stringify(scalar.value)} → ${replacement}`,
      text: text.slice(0, start) + replacement + text.slice(end),
    };
  });
}

/** Whether a step's `janus:` range (none: every version) holds for the version under test. */
function runsOn(condition: unknown, version: string): boolean {
  if (typeof condition !== 'string') return true;
  const parsed = parseVersionRange(condition);
  return !('range' in parsed) || satisfies(parsed.range, version);
}

interface Candidate {
  scalar: Scalar;
  janusVerb: boolean;
}

/**
 * The changed value written in place. A message type one letter off (`success~`) is a load
 * error now (the type meant is named), so a `janus:` is changed into a name like no type.
 */
function replacementOf({ scalar, janusVerb }: Candidate): unknown {
  return janusVerb && typeof scalar.value === 'string' ? `not-${scalar.value}` : changed(scalar.value);
}

function collect(node: Node, key: string | undefined, out: Candidate[]): void {
  if (isScalar(node)) {
    if (changeable(node.value, key)) out.push({ scalar: node, janusVerb: key === 'janus' });
  } else if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const name = String(pair.key.value);
      if (name.startsWith('$') && !VALUE_OPERATORS.has(name)) continue;
      if (pair.value) collect(pair.value as Node, name, out);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) collect(item as Node, key, out);
  }
}

function changeable(value: unknown, key: string | undefined): boolean {
  if (typeof value === 'string') {
    if (value.includes('${') || value.startsWith('$')) return false; // placeholders and markers
    return !(key && ERROR_NAME_KEYS.has(key) && /^[A-Z_]+$/.test(value));
  }
  return typeof value === 'number' || typeof value === 'boolean' || value === null;
}

function changed(value: unknown): unknown {
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'string') return `${value}~`;
  return 'not null';
}
