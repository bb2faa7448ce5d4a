import { styleText } from 'node:util';
import type { Environment } from '../core/environment.js';

/** The styles the console uses; Node's util.styleText renders them. */
export type Style = 'red' | 'green' | 'yellow' | 'cyan' | 'gray' | 'bold';

/**
 * Whether to colour a stream: `--color` / `--no-color` first, then FORCE_COLOR (CI logs that
 * render colour; FORCE_COLOR=0 turns it off), then NO_COLOR (when not empty, as no-color.org
 * says), then a terminal's own verdict (`hasColors()`: TERM=dumb, NODE_DISABLE_COLORS). A pipe
 * or a file gets none.
 */
export function wantsColour(stream: { isTTY?: boolean; hasColors?: (env?: object) => boolean }, env: Environment = process.env, explicit?: boolean): boolean {
  if (explicit !== undefined) return explicit;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false'].includes(force.toLowerCase());
  if (!stream.isTTY || env.NO_COLOR) return false;
  const { NO_COLOR: _empty, ...rest } = env;
  return typeof stream.hasColors === 'function' ? stream.hasColors(rest) : rest.TERM !== 'dumb';
}

/** `text` in `style` when `on`; the decision is the caller's (wantsColour), not the stream's. */
export function paint(on: boolean, style: Style, text: string): string {
  return on ? styleUnchecked(style, text, { validateStream: false }) : text;
}

/** Newer Node versions check the stream themselves unless told not to; the decision is made above. */
const styleUnchecked = styleText as (format: Style, text: string, options?: { validateStream?: boolean }) => string;
