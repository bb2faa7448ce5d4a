import { described, type OperatorDefinition } from '../contract.js';

export const lengthOperator: OperatorDefinition = {
  name: '$length',
  summary: '$length: the exact number of elements of an array (or characters of a string)',
  compile(arg, path, compiler) {
    if (typeof arg !== 'number' || !Number.isInteger(arg) || arg < 0) {
      compiler.error(path, '$length expects a non-negative integer');
      return undefined;
    }
    const expected = `an array or string of length ${arg}`;
    return described((actual, at, _rt, out) => {
      const length = Array.isArray(actual) || typeof actual === 'string' ? actual.length : undefined;
      if (length !== arg) out.push({ at, expected, actual });
    }, () => expected);
  },
};
