import { described, type OperatorDefinition } from '../contract.js';

type Comparison = (a: number, b: number) => boolean;

function comparison(name: string, symbol: string, test: Comparison): OperatorDefinition {
  return {
    name,
    summary: `${name}: a number; the value must be a number ${symbol} it`,
    compile(arg, path, compiler) {
      if (typeof arg !== 'number') {
        compiler.error(path, `${name} expects a number; got ${JSON.stringify(arg)}`);
        return undefined;
      }
      const expected = `a number ${symbol} ${arg}`;
      return described((actual, at, _rt, out) => {
        if (typeof actual !== 'number' || !test(actual, arg)) out.push({ at, expected, actual });
      }, () => expected);
    },
  };
}

export const compareOperators: OperatorDefinition[] = [
  comparison('$gt', '>', (a, b) => a > b),
  comparison('$gte', '>=', (a, b) => a >= b),
  comparison('$lt', '<', (a, b) => a < b),
  comparison('$lte', '<=', (a, b) => a <= b),
];
