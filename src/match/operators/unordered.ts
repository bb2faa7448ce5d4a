import { described, describeList, type Matcher, type MatchRuntime, type Mismatch, type OperatorDefinition } from '../contract.js';

/**
 * Finds a distinct actual element for every expected pattern: a bipartite matching, grown one
 * augmenting path at a time (Kuhn's algorithm), at most patterns x fits steps per pattern.
 * Trying every placement instead costs factorial time on a mismatch when patterns fit many
 * elements (11 `$integer` and one "x" against 12 integers: 45 s, with the event loop blocked).
 */
function assign(matchers: Matcher[], actual: unknown[], at: string, rt: MatchRuntime): boolean {
  const fits = matchers.map((m) =>
    actual.map((a, i) => {
      const out: Mismatch[] = [];
      m(a, `${at}[${i}]`, rt, out);
      return out.length === 0;
    }),
  );
  // The pattern each element is given to, -1 while free.
  const holder = new Array<number>(actual.length).fill(-1);
  /** Gives pattern k an element: a free one, or one whose holder can move to another it fits. */
  const place = (k: number, tried: boolean[]): boolean => {
    for (let i = 0; i < actual.length; i++) {
      if (tried[i] || !fits[k]![i]) continue;
      tried[i] = true;
      if (holder[i] === -1 || place(holder[i]!, tried)) {
        holder[i] = k;
        return true;
      }
    }
    return false;
  };
  return matchers.every((_, k) => place(k, new Array<boolean>(actual.length).fill(false)));
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
