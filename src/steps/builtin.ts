import type { StepKind } from './contract.js';
import { adminStep } from './admin.js';
import { concurrentlyStep } from './concurrently.js';
import { closeStep } from './close.js';
import { closedStep } from './closed.js';
import { httpStep } from './http.js';
import { includeStep } from './include.js';
import { keepalivesStep } from './keepalives.js';
import { noEventStep } from './no-event.js';
import { orderStep } from './order.js';
import { peerStep } from './peer.js';
import { rawStep } from './raw.js';
import { reopenStep } from './reopen.js';
import { requestStep } from './request.js';
import { sleepStep } from './sleep.js';
import { waitStep } from './wait.js';

/** The step kinds janus-scenarios ships with, in the order the schema and messages list them. */
export const BUILTIN_STEP_KINDS: readonly StepKind[] = [requestStep, adminStep, rawStep, httpStep, concurrentlyStep, waitStep, noEventStep, orderStep, sleepStep, includeStep, peerStep, closeStep, reopenStep, closedStep, keepalivesStep];
