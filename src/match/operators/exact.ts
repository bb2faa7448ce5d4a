import type { OperatorDefinition } from '../contract.js';

export const exactOperator: OperatorDefinition = {
  name: '$exact',
  summary: '$exact: a pattern matched exactly: no extra keys in objects, at any depth',
  compile(arg, path, compiler) {
    return compiler.compile(arg, path, true);
  },
};
