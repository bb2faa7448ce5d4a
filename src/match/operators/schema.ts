import { described, type OperatorDefinition } from '../contract.js';

export const schemaOperator: OperatorDefinition = {
  name: '$schema',
  summary: '$schema: the name of a JSON Schema in the catalogue the value must satisfy',
  compile(arg, path, compiler) {
    if (typeof arg !== 'string' || !compiler.knownSchema(arg)) {
      compiler.error(path, `$schema expects the name of a known schema; got ${JSON.stringify(arg)}`);
      return undefined;
    }
    return described((actual, at, rt, out) => {
      const problems = rt.validateSchema(arg, actual, rt.serverVersion);
      // A violation names its schema already: said once.
      const named = `schema ${arg}: `;
      for (const p of problems ?? []) out.push({ at, expected: `valid against ${named}${p.startsWith(named) ? p.slice(named.length) : p}`, actual });
    }, () => `valid against schema ${arg}`);
  },
};
