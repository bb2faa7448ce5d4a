import type Mocha from 'mocha';

export type MochaReporterClass = new (runner: Mocha.Runner, options: Mocha.MochaOptions) => Mocha.reporters.Base | object;

/**
 * Mocha takes one reporter; this one is several, each on the same runner, so the console and
 * mocha's own reporters (dot, xunit with output=, a module path) run together.
 */
export function fanOut(reporters: MochaReporterClass[]): MochaReporterClass {
  return class FanOut {
    private readonly children: Array<{ done?: (failures: number, fn: (failures: number) => void) => void }>;

    constructor(runner: Mocha.Runner, options: Mocha.MochaOptions) {
      this.children = reporters.map((R) => new R(runner, options) as { done?: (failures: number, fn: (failures: number) => void) => void });
    }

    /** Mocha waits for this: every child that writes asynchronously (xunit to a file) finishes first. */
    done(failures: number, fn: (failures: number) => void): void {
      const waiting = this.children.filter((c) => typeof c.done === 'function');
      let left = waiting.length;
      if (left === 0) return fn(failures);
      for (const child of waiting) child.done!(failures, () => --left === 0 && fn(failures));
    }
  };
}
