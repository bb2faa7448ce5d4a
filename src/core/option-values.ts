import { checkDuration } from './duration.js';
import { UsageError } from './usage-error.js';

/** The whole numbers an option takes: from `min`, up to `max` when there is one. */
export interface WholeRange {
  min: number;
  max?: number;
}

/**
 * The value of a whole-number option (--jobs, --retries, --users, ...), checked the same way for
 * every command: digits only (not `1e3`, `0x10`, `1.0` or ` 2`), within the option's range. A
 * mistake is a UsageError naming the option, what it takes and what it got.
 */
export function wholeNumberOption(option: string, text: string, range: WholeRange): number {
  const n = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isSafeInteger(n) && n >= range.min && (range.max === undefined || n <= range.max)) return n;
  const takes = range.max === undefined ? `${range.min} or more` : `from ${range.min} to ${range.max}`;
  const tooLarge = /^[0-9]+$/.test(text) && !Number.isSafeInteger(n) ? ' (too large to be read exactly)' : '';
  throw new UsageError(`${option} is a whole number, ${takes}; not "${text}"${tooLarge}`);
}

/** The value of a duration option (--timeout 30s): in milliseconds; positive unless `zero` allows 0. */
export function durationOption(option: string, text: string, { zero = false } = {}): number {
  const checked = checkDuration(text, { positive: !zero });
  if ('problem' in checked) throw new UsageError(`${option}: ${checked.problem}`);
  return checked.ms;
}
