import { described, type OperatorDefinition } from '../contract.js';

export const exactOperator: OperatorDefinition = {
  name: '$exact',
  summary: '$exact: a pattern matched exactly: no extra keys in objects, at any depth',
  compile(arg, path, compiler) {
    const inner = compiler.compile(arg, path, true);
    return described((actual, at, rt, out) => inner(actual, at, rt, out), (rt) => `exactly ${inner.describe(rt)}`);
  },
};
