import type { Span } from './spans.js';

/**
 * Finds, in any text, every run of at least `width` consecutive characters that also occurs
 * inside one of a few source strings (a secret in the forms it takes), each run whole: a longer
 * shared run is the union of its `width`-character windows, and each of those is a window of a
 * source. So the search is one pass of a rolling hash over the text, a set lookup per position
 * and a real compare only on a hash hit: linear in the text, whatever the sources (no regular
 * expression of every substring, which grows with the square of a secret's length).
 */
export class SharedRuns {
  /** Each source window by its hash; more than one only when hashes collide. */
  private readonly windows = new Map<number, string[]>();
  private readonly highestPower: number;

  constructor(
    sources: Iterable<string>,
    readonly width: number,
  ) {
    this.highestPower = power(width - 1);
    for (const source of sources) for (let at = 0; at + width <= source.length; at++) this.addWindow(source.slice(at, at + width));
  }

  get empty(): boolean {
    return this.windows.size === 0;
  }

  /** The shared runs, left to right, overlapping or touching ones merged (`mergeSpans` keeps surrogate pairs whole). */
  spans(text: string): Span[] {
    const out: Span[] = [];
    const width = this.width;
    if (this.empty || text.length < width) return out;
    let hash = hashOf(text, 0, width);
    for (let at = 0; ; at++) {
      if (this.windows.has(hash) && this.isWindow(text, at, hash)) {
        const last = out[out.length - 1];
        if (last !== undefined && at <= last.end) last.end = at + width;
        else out.push({ start: at, end: at + width });
      }
      if (at + width >= text.length) break;
      hash = roll(hash, text.charCodeAt(at), text.charCodeAt(at + width), this.highestPower);
    }
    return out;
  }

  private addWindow(window: string): void {
    const hash = hashOf(window, 0, window.length);
    const same = this.windows.get(hash);
    if (same === undefined) this.windows.set(hash, [window]);
    else if (!same.includes(window)) same.push(window);
  }

  private isWindow(text: string, at: number, hash: number): boolean {
    return this.windows.get(hash)!.some((window) => text.startsWith(window, at));
  }
}

// A polynomial hash modulo 2^32 (Math.imul wraps like the modulus), with an odd base.
const BASE = 0x01000193;

function hashOf(text: string, from: number, width: number): number {
  let hash = 0;
  for (let i = from; i < from + width; i++) hash = (Math.imul(hash, BASE) + text.charCodeAt(i)) | 0;
  return hash;
}

/** The hash of the window one character on: the leaving character's term out, the coming one in. */
function roll(hash: number, leaving: number, coming: number, highestPower: number): number {
  return (Math.imul(hash - Math.imul(leaving, highestPower), BASE) + coming) | 0;
}

function power(exponent: number): number {
  let p = 1;
  for (let i = 0; i < exponent; i++) p = Math.imul(p, BASE);
  return p;
}
