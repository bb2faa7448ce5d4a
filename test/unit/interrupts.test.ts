import assert from 'node:assert/strict';
import { withInterrupts } from '../../src/cli/interrupts.js';

describe('withInterrupts (cli)', function () {
  it('many listeners on the run\'s signal (a Janus start per group, a test per job) raise no warning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      await withInterrupts(() => undefined, () => undefined, async (signal) => {
        const listeners = Array.from({ length: 30 }, () => () => undefined);
        for (const l of listeners) signal.addEventListener('abort', l);
        for (const l of listeners) signal.removeEventListener('abort', l);
      });
      // Node emits the warning on the next turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(warnings.filter((w) => /MaxListeners/.test(w)), []);
  });
});
