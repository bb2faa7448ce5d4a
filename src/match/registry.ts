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

const operators = new Map<string, OperatorDefinition>();

export function registerOperator(op: OperatorDefinition): void {
  if (!op.name.startsWith('$')) throw new Error(`operator names start with $: ${op.name}`);
  operators.set(op.name, op);
}

export function getOperator(name: string): OperatorDefinition | undefined {
  return operators.get(name);
}

export function operatorNames(): string[] {
  return [...operators.keys()];
}

for (const op of [typeOperator, regexOperator, ...compareOperators, lengthOperator, exactOperator, schemaOperator, anyOrderOperator, containsOperator, notOperator, oneOfOperator, janusVersionOperator]) {
  registerOperator(op);
}
