import { described, type MatchRuntime, type Mismatch, type OperatorDefinition } from '../contract.js';

export const oneOfOperator: OperatorDefinition = {
  name: '$oneOf',
  summary: '$oneOf: [patterns]; the value must match at least one (`{ $oneOf: [opus, $absent] }`)',
  compile(arg, path, compiler, exact) {
    if (!Array.isArray(arg) || arg.length === 0) {
      compiler.error(path, '$oneOf expects a non-empty array of patterns');
      return undefined;
    }
    const alternatives = arg.map((p, i) => compiler.compile(p, [...path, i], exact));
    const describe = (rt: MatchRuntime): string => `one of ${alternatives.map((m) => m.describe(rt)).join(', ')}`;
    return described((actual, at, rt, out) => {
      const ok = alternatives.some((m) => {
        const found: Mismatch[] = [];
        m(actual, at, rt, found);
        return found.length === 0;
      });
      if (!ok) out.push({ at, expected: describe(rt), actual });
    }, describe);
  },
};
