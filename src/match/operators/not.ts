import { described, type MatchRuntime, type Mismatch, type OperatorDefinition } from '../contract.js';

export const notOperator: OperatorDefinition = {
  name: '$not',
  summary: '$not: a pattern the value must not match (`$not: { $contains: [x] }` for "x is not in the list")',
  compile(arg, path, compiler, exact) {
    const inner = compiler.negate(exact, (asserted) => compiler.compile(arg, path, asserted));
    const describe = (rt: MatchRuntime): string => `anything but ${inner.describe(rt)}`;
    return described((actual, at, rt, out) => {
      const found: Mismatch[] = [];
      inner(actual, at, rt, found);
      if (found.length === 0) out.push({ at, expected: describe(rt), actual });
    }, describe);
  },
};
