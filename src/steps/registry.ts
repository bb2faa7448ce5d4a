import type { StepKind } from './contract.js';
import { adminStep } from './admin.js';
import { httpStep } from './http.js';
import { includeStep } from './include.js';
import { noEventStep } from './no-event.js';
import { peerStep } from './peer.js';
import { rawStep } from './raw.js';
import { requestStep } from './request.js';
import { sleepStep } from './sleep.js';
import { waitStep } from './wait.js';

const kinds = new Map<string, StepKind>();

export function registerStepKind(kind: StepKind): void {
  if (kinds.has(kind.key)) throw new Error(`step kind "${kind.key}" is already registered`);
  kinds.set(kind.key, kind);
}

export function stepKinds(): StepKind[] {
  return [...kinds.values()];
}

export function getStepKind(key: string): StepKind | undefined {
  return kinds.get(key);
}

for (const kind of [requestStep, adminStep, rawStep, httpStep, waitStep, noEventStep, sleepStep, includeStep, peerStep]) registerStepKind(kind);
