import type { OperatorDefinition } from './contract.js';
import { compareOperators } from './operators/compare.js';
import { exactOperator } from './operators/exact.js';
import { janusVersionOperator } from './operators/janus-version.js';
import { lengthOperator } from './operators/length.js';
import { notOperator } from './operators/not.js';
import { oneOfOperator } from './operators/one-of.js';
import { regexOperator } from './operators/regex.js';
import { schemaOperator } from './operators/schema.js';
import { typeOperator } from './operators/type.js';
import { anyOrderOperator, containsOperator } from './operators/unordered.js';

/** The matcher operators janus-scenarios ships with. */
export const BUILTIN_OPERATORS: readonly OperatorDefinition[] = [
  typeOperator, regexOperator, ...compareOperators, lengthOperator, exactOperator, schemaOperator, anyOrderOperator, containsOperator, notOperator, oneOfOperator, janusVersionOperator,
];
