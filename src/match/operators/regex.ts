import type { OperatorDefinition } from '../contract.js';

export const regexOperator: OperatorDefinition = {
  name: '$regex',
  summary: '$regex: a JavaScript regular expression the string must match (unanchored)',
  compile(arg, path, compiler) {
    if (typeof arg !== 'string') {
      compiler.error(path, '$regex expects a string holding a regular expression');
      return undefined;
    }
    let re: RegExp;
    try {
      re = new RegExp(arg);
    } catch (e) {
      compiler.error(path, `$regex is not a valid regular expression: ${(e as Error).message}`);
      return undefined;
    }
    const expected = `a string matching /${arg}/`;
    return (actual, at, _rt, out) => {
      if (typeof actual !== 'string' || !re.test(actual)) out.push({ at, expected, actual });
    };
  },
};
