import type { ScenarioResult } from '../src/run/events.js';

/**
 * One scenario on one transport as the run planned it; its result arrives when it finishes.
 * The CLI keeps these for its reports, and the mocha adapter hangs each on its mocha test so
 * reporters running under plain mocha find the same data. (No mocha types here: this is part
 * of the public types.)
 */
export interface ReportEntry {
  file: string;
  name: string;
  transport: string;
  tags: string[];
  skipReason?: string;
  /** Epoch ms when it started running. */
  startedAt?: number;
  result?: ScenarioResult;
  /** A mocha test that is not a scenario (plain mocha): what mocha knows of it. */
  plain?: { state: 'passed' | 'failed' | 'pending'; durationMs: number; error?: string };
}
