/** Deterministic transaction ids: the same seed, file and transport give the same sequence. */
export function transactionGenerator(seed: string, scope: string): () => string {
  let state = hash(`${seed}\u0000${scope}`);
  const next = (): number => {
    // mulberry32
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return () => base36(next()) + base36(next());
}

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * `n.toString(36).padStart(7, '0')` for an unsigned 32-bit n (36^7 > 2^32, so seven digits hold
 * it), the same text: V8's toString with a radix takes a generic path about ten times slower,
 * and every request draws two.
 */
export function base36(n: number): string {
  let out = '';
  for (let i = 0; i < 7; i++) {
    out = DIGITS[n % 36]! + out;
    n = Math.floor(n / 36);
  }
  return out;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function randomSeed(): string {
  return Math.floor(Math.random() * 2 ** 32).toString(36);
}
