import { describeValue, type Mismatch, type OperatorDefinition } from '../contract.js';

export const oneOfOperator: OperatorDefinition = {
  name: '$oneOf',
  summary: '$oneOf: [patterns]; the value must match at least one (`{ $oneOf: [opus, $absent] }`)',
  compile(arg, path, compiler, exact) {
    if (!Array.isArray(arg) || arg.length === 0) {
      compiler.error(path, '$oneOf expects a non-empty array of patterns');
      return undefined;
    }
    const alternatives = arg.map((p, i) => compiler.compile(p, [...path, i], exact));
    const expected = `one of ${arg.map(describeValue).join(', ')}`;
    return (actual, at, rt, out) => {
      const ok = alternatives.some((m) => {
        const found: Mismatch[] = [];
        m(actual, at, rt, found);
        return found.length === 0;
      });
      if (!ok) out.push({ at, expected, actual });
    };
  },
};
