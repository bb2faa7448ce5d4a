import { Registry } from '../core/registry.js';
import { BUILTIN_STEP_KINDS } from './builtin.js';
import type { StepKind } from './contract.js';

/** Step kinds by the key that starts a step; the rule is `Registry`'s (src/core/registry.ts). */
export const stepKindRegistry = new Registry<StepKind>('step kind', (k) => k.key, () => BUILTIN_STEP_KINDS);

/** Adds a step kind; scenarios loaded from then on may use it. A key registered twice throws. */
export function registerStepKind(kind: StepKind): void {
  stepKindRegistry.register(kind);
}

export function stepKinds(): StepKind[] {
  return stepKindRegistry.values();
}

export function getStepKind(key: string): StepKind | undefined {
  return stepKindRegistry.get(key);
}
