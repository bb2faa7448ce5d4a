import type { OperatorDefinition } from '../contract.js';

export const regexOperator: OperatorDefinition = {
  name: '$regex',
  summary: '$regex: a JavaScript regular expression the string must match (unanchored)',
  compile(arg, path, compiler) {
    if (typeof arg !== 'string') {
      compiler.error(path, '$regex expects a string holding a regular expression');
      return undefined;
    }
    // With placeholders the expression is only known when matching; it is built then.
    const template = compiler.template(arg, path);
    if (template) {
      return (actual, at, rt, out) => {
        const source = String(rt.resolve(template));
        let re: RegExp | undefined;
        try {
          re = new RegExp(source);
        } catch (e) {
          out.push({ at, expected: `a valid regular expression, but /${source}/ is not: ${(e as Error).message}`, actual });
          return;
        }
        if (typeof actual !== 'string' || !re.test(actual)) out.push({ at, expected: `a string matching /${source}/`, actual });
      };
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
