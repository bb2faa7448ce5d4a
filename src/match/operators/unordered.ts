import { described, describeList, type Matcher, type MatchRuntime, type Mismatch, type OperatorDefinition } from '../contract.js';

/**
 * Finds a distinct actual element for every expected pattern (backtracking; arrays in Janus
 * replies are short). `$anyOrder` also requires the lengths to be equal; `$contains` does not.
 */
function assign(matchers: Matcher[], actual: unknown[], at: string, rt: MatchRuntime): boolean {
  const fits = matchers.map((m) =>
    actual.map((a, i) => {
      const out: Mismatch[] = [];
      m(a, `${at}[${i}]`, rt, out);
      return out.length === 0;
    }),
  );
  const used = new Array<boolean>(actual.length).fill(false);
  const place = (k: number): boolean => {
    if (k === matchers.length) return true;
    for (let i = 0; i < actual.length; i++) {
      if (used[i] || !fits[k]![i]) continue;
      used[i] = true;
      if (place(k + 1)) return true;
      used[i] = false;
    }
    return false;
  };
  return place(0);
}

function unordered(name: string, sameLength: boolean, summary: string): OperatorDefinition {
  return {
    name,
    summary,
    compile(arg, path, compiler, exact) {
      if (!Array.isArray(arg)) {
        compiler.error(path, `${name} expects an array of patterns`);
        return undefined;
      }
      const matchers = arg.map((p, i) => compiler.compile(p, [...path, i], exact));
      const describe = (rt: MatchRuntime): string =>
        sameLength ? `an array of ${arg.length} element(s) matching ${describeList(matchers, rt)} in any order` : `an array containing elements matching ${describeList(matchers, rt)}`;
      return described((actual, at, rt, out) => {
        const ok =
          Array.isArray(actual) &&
          (!sameLength || actual.length === matchers.length) &&
          assign(matchers, actual, at, rt);
        if (!ok) out.push({ at, expected: describe(rt), actual });
      }, describe);
    },
  };
}

export const anyOrderOperator = unordered('$anyOrder', true, '$anyOrder: [patterns]; the same elements in any order');
export const containsOperator = unordered('$contains', false, '$contains: [patterns]; each matches a distinct element, others allowed');
