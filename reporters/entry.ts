import type Mocha from 'mocha';
import type { ReportEntry } from './report-entry.js';

export type { ReportEntry };

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
