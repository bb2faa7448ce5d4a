import type Mocha from 'mocha';
import type { ScenarioResult } from '../src/run/events.js';

/**
 * One scenario on one transport as the run planned it; its result arrives when it finishes.
 * The CLI keeps these for its reports, and the mocha adapter hangs each on its mocha test so
 * reporters running under plain mocha find the same data.
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

const KEY = 'janusScenario';

type TestWithEntry = Mocha.Test & { [KEY]?: ReportEntry };

export function attachEntry(test: Mocha.Test, entry: ReportEntry): void {
  (test as TestWithEntry)[KEY] = entry;
}

/** The entry of a scenario test, or one made from what mocha knows of any other test. */
export function entryOf(test: Mocha.Test): ReportEntry {
  const attached = (test as TestWithEntry)[KEY];
  if (attached) return attached;
  const state = test.isPending() ? 'pending' : test.state === 'failed' ? 'failed' : 'passed';
  const error = (test as Mocha.Test & { err?: Error }).err;
  return {
    file: test.file ?? test.parent?.fullTitle() ?? '',
    name: test.parent?.fullTitle() ? `${test.parent.fullTitle()} ${test.title}` : test.title,
    transport: '',
    tags: [],
    plain: { state, durationMs: test.duration ?? 0, error: error ? String(error.message ?? error) : undefined },
  };
}
