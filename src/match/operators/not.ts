import { describeValue, type Mismatch, type OperatorDefinition } from '../contract.js';

export const notOperator: OperatorDefinition = {
  name: '$not',
  summary: '$not: a pattern the value must not match (`$not: { $contains: [x] }` for "x is not in the list")',
  compile(arg, path, compiler, exact) {
    const inner = compiler.compile(arg, path, exact);
    const expected = `anything but ${describeValue(arg)}`;
    return (actual, at, rt, out) => {
      const found: Mismatch[] = [];
      inner(actual, at, rt, found);
      if (found.length === 0) out.push({ at, expected, actual });
    };
  },
};
