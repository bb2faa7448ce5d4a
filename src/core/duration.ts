/** Durations in scenario files: a number of milliseconds, or "250ms", "2s", "1.5s", "1m". */
export const DURATION_PATTERN = '^[0-9]+(\\.[0-9]+)?(ms|s|m)$';

/** The longest timer Node can set (2^31-1 ms, about 24.8 days); longer ones fire after 1 ms. */
export const MAX_DURATION_MS = 2 ** 31 - 1;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

export function parseDuration(value: number | string): number {
  if (typeof value === 'number') return value;
  const m = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m)$/.exec(value);
  if (!m) throw new Error(`not a duration: ${value}`);
  return Math.round(Number(m[1]) * UNIT_MS[m[2]!]!);
}

/**
 * A bare number below this is no duration anyone means in milliseconds: `timeout: 5` and
 * `--step-timeout 30` are seconds in the writer's mind, and would time out at once.
 */
const LEAST_BARE_MS = 100;

/**
 * Reads a duration and checks its range, for scenario files and the command line alike:
 * at most MAX_DURATION_MS, and at least 1 ms where zero makes no sense (a timeout, a period).
 * A bare number from 1 to 99 must say its unit.
 */
export function checkDuration(value: unknown, options: { positive?: boolean } = {}): { ms: number } | { problem: string } {
  const text = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value;
  let ms: number;
  if (typeof text === 'number' && Number.isInteger(text) && text > 0 && text < LEAST_BARE_MS) {
    return { problem: `${JSON.stringify(value)} would be ${text} milliseconds: write ${text}s for seconds, or ${text}ms` };
  }
  if (typeof text === 'number' && Number.isInteger(text) && text >= 0) ms = text;
  else if (typeof text === 'string' && new RegExp(DURATION_PATTERN).test(text)) ms = parseDuration(text);
  else return { problem: `expected a duration like 500ms, 2s or 1m (or a whole number of milliseconds); got ${JSON.stringify(value)}` };
  if (ms > MAX_DURATION_MS) return { problem: `${JSON.stringify(value)} is longer than the longest timer there is (${MAX_DURATION_MS} ms, about 24.8 days)` };
  if (options.positive && ms === 0) return { problem: `${JSON.stringify(value)} is no time at all here; give at least 1ms` };
  return { ms };
}

export function formatDuration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)}s` : `${ms}ms`;
}
