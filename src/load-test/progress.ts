import { performance } from 'node:perf_hooks';
import { percentileMs } from './histogram.js';
import type { LoadMetrics } from './metrics.js';

const TTY_EVERY_MS = 1000;
const PLAIN_EVERY_MS = 10_000;

/**
 * The live progress line: rewritten in place every second on a terminal, a plain line every
 * ten seconds otherwise (CI logs). Users, iterations/s and p95 of the requests since the last
 * line, errors so far.
 */
export function showProgress(metrics: LoadMetrics, totalMs: number, stream: NodeJS.WriteStream): { stop: () => void } {
  const tty = stream.isTTY === true;
  const every = tty ? TTY_EVERY_MS : PLAIN_EVERY_MS;
  let last = performance.now();
  const tick = (): void => {
    const now = performance.now();
    const window = metrics.takeWindow();
    const rate = window.iterations / Math.max(0.001, (now - last) / 1000);
    last = now;
    const finished = metrics.finished;
    const errors = metrics.iterations.failed;
    const share = finished === 0 ? 0 : (100 * errors) / finished;
    const p95 = window.requests.totalCount === 0 ? '-' : `${percentileMs(window.requests, 95).toFixed(1)}ms`;
    const line = `${clock(now - metrics.startedAt)}/${clock(totalMs)}  users ${metrics.users}  iterations ${finished} (${rate.toFixed(1)}/s)  errors ${errors} (${share.toFixed(2)}%)  p95 ${p95}`;
    stream.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
  };
  const timer = setInterval(tick, every);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      if (tty) stream.write('\r\x1b[2K');
    },
  };
}

function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
