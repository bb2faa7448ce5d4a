import { testRan, type Baseline } from './baseline.js';

/** What of a difference (diff.ts's Difference) confirmation looks at. */
interface Keyed {
  test: string;
  message: string;
  pointer: string;
  class: string;
}

/**
 * A difference the same server did not do every time: reported apart, never failing
 * `--fail-on`. `unstable` says why: which re-run matched the baseline there, or that the
 * baseline's recordings differed there.
 */
export type Unstable<D> = D & { unstable: string };

/**
 * What identifies a difference when re-runs are set against it: test, message, pointer and
 * class, with list positions, message counts and the step left out. It is looser than `fingerprint` on purpose:
 * a re-run decides the step an unasked event fell in and the position of a participant in a
 * list, and a real change that shows there in another step or at another index must still count
 * as reproduced (a change taken for a race is a change hidden).
 */
export function confirmationKey(d: Keyed): string {
  // A step not reached, or not in the baseline, is named with how many messages it had: a count the re-run's timing decides.
  const message = d.message.replace(/\d+ message\(s\)/g, 'N message(s)');
  return [d.test, message, d.pointer.replace(/\/\d+(?=\/|$)/g, '/*'), d.class].join('|');
}

/**
 * Confirmation by re-run: the tests that showed differences were run again on the new server
 * (`reruns`, each the differences of one re-run against the baseline, keyed by the tests it
 * re-ran). A difference stays only when every re-run of its test showed it again; one that a
 * re-run did not show (there the server did what the baseline has) is the server's timing, a
 * race, not a change of version: it is unstable. A difference of a test no re-run ran (the
 * inventory, a test the re-run skipped) stays.
 */
export function confirmedByReruns<D extends Keyed>(differences: D[], reruns: RerunDifferences[]): { differences: D[]; unstable: Array<Unstable<D>> } {
  const kept: D[] = [];
  const unstable: Array<Unstable<D>> = [];
  for (const d of differences) {
    const missing = reruns.findIndex((r) => r.tests.has(d.test) && !r.keys.has(confirmationKey(d)));
    if (missing < 0) kept.push(d);
    else unstable.push({ ...d, unstable: `not shown by re-run ${missing + 1} of ${reruns.length}: there the server did what the baseline has` });
  }
  return { differences: kept, unstable };
}

/** One re-run: the tests it ran (not skipped) and the confirmation keys of their differences against the baseline. */
export interface RerunDifferences {
  tests: Set<string>;
  keys: Set<string>;
}

export function rerunDifferences(rerun: Baseline, differences: Keyed[]): RerunDifferences {
  return { tests: new Set(rerun.tests.filter(testRan).map((t) => t.id)), keys: new Set(differences.map(confirmationKey)) };
}

/** The tests to run again to confirm differences: those of real tests (not the inventory, the wire or timing summaries) that ran. */
export function testsToConfirm(differences: Keyed[], now: Baseline): Set<string> {
  const ran = new Set(now.tests.filter(testRan).map((t) => t.id));
  return new Set(differences.map((d) => d.test).filter((id) => ran.has(id)));
}
