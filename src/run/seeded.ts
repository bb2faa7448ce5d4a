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
  const digits = new Array<number>(14);
  return () => {
    base36Digits(next(), digits, 0);
    base36Digits(next(), digits, 7);
    // One string of fourteen characters, not fourteen concatenations: every request draws one.
    return String.fromCharCode(digits[0]!, digits[1]!, digits[2]!, digits[3]!, digits[4]!, digits[5]!, digits[6]!, digits[7]!, digits[8]!, digits[9]!, digits[10]!, digits[11]!, digits[12]!, digits[13]!);
  };
}

const DIGIT_CODES = Array.from('0123456789abcdefghijklmnopqrstuvwxyz', (c) => c.charCodeAt(0));

/**
 * `n.toString(36).padStart(7, '0')` for an unsigned 32-bit n (36^7 > 2^32, so seven digits hold
 * it), the same text: V8's toString with a radix takes a generic path about ten times slower,
 * and every request draws two.
 */
export function base36(n: number): string {
  const digits = new Array<number>(7);
  base36Digits(n, digits, 0);
  return String.fromCharCode(...digits);
}

/** The seven character codes of base36(n), written into `into` from `at`. */
function base36Digits(n: number, into: number[], at: number): void {
  for (let i = 6; i >= 0; i--) {
    into[at + i] = DIGIT_CODES[n % 36]!;
    n = Math.floor(n / 36);
  }
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function randomSeed(): string {
  return Math.floor(Math.random() * 2 ** 32).toString(36);
}
