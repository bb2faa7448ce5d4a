import { setMaxListeners } from 'node:events';
import { ExitCode } from '../core/exit-codes.js';
import { interruptStartsWith, killAllJanusSync } from '../managed/live.js';

/**
 * Runs `body` with Ctrl-C (and SIGTERM) handled as every running command does: the first stops
 * the run through the signal it is given (running scenarios clean up) and every Janus start
 * under way (see interruptStartsWith); a second calls `atOnce` (end the reports), kills every
 * Janus this process started and exits 130.
 */
export async function withInterrupts<T>(say: (line: string) => void, atOnce: () => void, body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const interrupt = new AbortController();
  // Every Janus start and test under way listens to it (a suite starts a dozen instances at once):
  // many listeners are the design here, not a leak for Node to warn about on stderr.
  setMaxListeners(0, interrupt.signal);
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupt.signal.aborted) {
      atOnce();
      killAllJanusSync();
      process.exit(ExitCode.interrupted);
    }
    say('\ninterrupted: cleaning up (press Ctrl-C again to stop at once)');
    interrupt.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const untie = interruptStartsWith(interrupt.signal);
  try {
    return await body(interrupt.signal);
  } finally {
    untie();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
