import { Registry } from '../core/registry.js';
import { BUILTIN_OPERATORS } from './builtin.js';
import type { OperatorDefinition } from './contract.js';

/** Matcher operators (`$regex`, ...) by name; the rule is `Registry`'s (src/core/registry.ts). */
export const operatorRegistry = new Registry<OperatorDefinition>('operator', (op) => op.name, () => BUILTIN_OPERATORS);

/** Adds a `{ $name: argument }` operator; a name without `$`, or registered twice, throws. */
export function registerOperator(op: OperatorDefinition): void {
  if (typeof op.name !== 'string' || !op.name.startsWith('$')) throw new Error(`operator names start with $: ${String(op.name)}`);
  operatorRegistry.register(op);
}

export function getOperator(name: string): OperatorDefinition | undefined {
  return operatorRegistry.get(name);
}

export function operatorNames(): string[] {
  return operatorRegistry.names();
}
