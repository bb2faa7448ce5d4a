import { isRecord } from '../core/own.js';
import { createPatternCompiler } from './compile-pattern.js';
import type { Mismatch } from './contract.js';

/** Whether a pattern lets a message through with this value at the key asked about. */
export type Admits = (value: unknown) => boolean;

const ANYTHING: Admits = () => true;

/**
 * Which values a message pattern admits at one top-level key (`janus`), judged by the pattern's
 * own matchers, whatever form it takes: `{ janus: ack }`, `{ janus: { $oneOf: [ack] } }`,
 * `{ $exact: { janus: ack } }`, `{ $oneOf: [{ janus: ack }, { janus: success }] }`. Where the
 * answer depends on run-time values (placeholders) or on the rest of the message ($not of a
 * whole message, $schema), every value is admitted: the caller then keeps its default.
 */
export function admitsAt(pattern: unknown, key: string): Admits {
  if (!isRecord(pattern)) return ANYTHING;
  const keys = Object.keys(pattern);
  const operators = keys.filter((k) => k.startsWith('$') && !k.startsWith('$$'));
  if (operators.length === 0) return Object.hasOwn(pattern, key) ? fieldAdmits(pattern[key]) : ANYTHING;
  // Several operators on one value must all hold.
  const parts = operators.map((op) => operatorAdmits(op, pattern[op], key));
  return (value) => parts.every((admits) => admits(value));
}

function operatorAdmits(op: string, arg: unknown, key: string): Admits {
  if (op === '$exact') return admitsAt(arg, key);
  if (op === '$oneOf' && Array.isArray(arg)) {
    const alternatives = arg.map((p) => admitsAt(p, key));
    return (value) => alternatives.some((admits) => admits(value));
  }
  return ANYTHING;
}

/** A field's own pattern, compiled apart (errors are the step compiler's to report) and run on the value. */
function fieldAdmits(pattern: unknown): Admits {
  if (JSON.stringify(pattern)?.includes('${')) return ANYTHING;
  let broken = false;
  const compiler = createPatternCompiler(() => undefined, () => (broken = true), () => true);
  const matcher = compiler.compile(pattern, [], false);
  if (broken) return ANYTHING;
  const rt = { resolve: () => undefined, validateSchema: () => undefined };
  return (value) => {
    const out: Mismatch[] = [];
    matcher(value, '', rt, out);
    return out.length === 0;
  };
}

/** A request step ends at the ack when its pattern admits an ack and no event: waiting on would only fail. */
export function expectsAck(pattern: unknown): boolean {
  const admits = admitsAt(pattern, 'janus');
  return admits('ack') && !admits('event');
}
