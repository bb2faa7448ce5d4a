import { described, type OperatorDefinition } from '../contract.js';

export const lengthOperator: OperatorDefinition = {
  name: '$length',
  summary: '$length: the exact number of elements of an array (or characters (code points) of a string)',
  compile(arg, path, compiler) {
    if (typeof arg !== 'number' || !Number.isInteger(arg) || arg < 0) {
      compiler.error(path, '$length expects a non-negative integer');
      return undefined;
    }
    const expected = `an array or string of length ${arg}`;
    return described((actual, at, _rt, out) => {
      const length = Array.isArray(actual) ? actual.length : typeof actual === 'string' ? characters(actual) : undefined;
      if (length !== arg) out.push({ at, expected, actual });
    }, () => expected);
  },
};

/**
 * A string's length in characters (code points), as JSON Schema's maxLength and a reader count
 * them: "👍" is one, though JavaScript's `length` counts its two UTF-16 code units.
 */
function characters(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
