import type { FaultEvent, InterruptEvent, LoadProblemsEvent, MessageEvent, RunBegin, RunEnd, StepBegin, StepEnd, SuiteEvent, TestBegin, TestEnd } from './events.js';

/**
 * What a reporter may listen to: every method is optional (in the manner of Playwright's
 * reporter interface). `onRunEnd` may return a promise: the run waits for it (a file written).
 */
export interface Reporter {
  onRunBegin?(event: RunBegin): void;
  onTestBegin?(event: TestBegin): void;
  onStepBegin?(event: StepBegin): void;
  onMessage?(event: MessageEvent): void;
  onStepEnd?(event: StepEnd): void;
  onTestEnd?(event: TestEnd): void;
  onFault?(event: FaultEvent): void;
  onInterrupt?(event: InterruptEvent): void;
  onRunEnd?(event: RunEnd): void | Promise<void>;
  /** Instead of every other event: the scenario files failed to load. A reporter that writes a file writes it now, the problems as failures. */
  onLoadProblems?(event: LoadProblemsEvent): void | Promise<void>;
  /** True when it writes to standard output, so the console reporter is not added beside it. */
  printsToStdout?(): boolean;
}

/** The method each event type calls. */
export const HANDLERS = {
  'run:begin': 'onRunBegin',
  'test:begin': 'onTestBegin',
  'step:begin': 'onStepBegin',
  message: 'onMessage',
  'step:end': 'onStepEnd',
  'test:end': 'onTestEnd',
  fault: 'onFault',
  interrupt: 'onInterrupt',
  'run:end': 'onRunEnd',
  'load:problems': 'onLoadProblems',
} as const satisfies Record<SuiteEvent['type'], keyof Reporter>;
