import { described, describeValue, type OperatorDefinition } from '../contract.js';
import { MARKERS, TYPE_NAMES } from '../markers.js';

export const typeOperator: OperatorDefinition = {
  name: '$type',
  summary: '$type: integer | number | string | boolean | object | array | null | present | absent | any',
  compile(arg, path, compiler) {
    const check = typeof arg === 'string' ? MARKERS[`$${arg}`] : undefined;
    if (!check) {
      compiler.error(path, `$type expects one of ${TYPE_NAMES.join(', ')}; got ${describeValue(arg)}`);
      return undefined;
    }
    const expected = `a value of type ${arg}`;
    return described((actual, at, _rt, out) => {
      if (!check(actual)) out.push({ at, expected, actual });
    }, () => expected);
  },
};
