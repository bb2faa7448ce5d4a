/** `--shard i/n`: this run takes share `index` (1-based) of `total`. */
export interface ShardSpec {
  index: number;
  total: number;
}

/**
 * The planned tests of share `index` of `total`, in their planned order. Every test of one file
 * goes to the same share (a file's scenarios often share a Janus configuration, so a share
 * starts fewer servers). Files are dealt largest first, each to the share with the fewest tests
 * so far (the first such share on a tie), so two shares differ by at most one file's tests.
 *
 * The result depends only on the planned tests' files and order: never on where the checkout
 * lives, the clock or chance, so every CI machine computes the same split, and the shares of
 * one plan are a partition of it (each test in exactly one). Skipped tests are planned tests:
 * they land in a share like the others, so the merged report lists them once.
 */
export function selectShard<T extends { file: string }>(tests: T[], index: number, total: number): T[] {
  const problem = shardProblem(index, total);
  if (problem) throw new RangeError(problem);
  const shardOfFile = assignFiles(tests.map((t) => t.file), total);
  return tests.filter((t) => shardOfFile.get(t.file) === index);
}

/** File -> 1-based share, for `total` shares of tests whose files are listed in planned order. */
function assignFiles(files: string[], total: number): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const file of files) sizes.set(file, (sizes.get(file) ?? 0) + 1);
  // Largest first; equal sizes keep their planned order (Map keeps first appearance; sort is stable).
  const largestFirst = [...sizes].sort((a, b) => b[1] - a[1]);
  // Shares past the number of files stay empty whatever happens: no need to count them.
  const loads = new Array<number>(Math.min(total, sizes.size)).fill(0);
  const shardOf = new Map<string, number>();
  for (const [file, size] of largestFirst) {
    const lightest = lightestShare(loads);
    loads[lightest]! += size;
    shardOf.set(file, lightest + 1);
  }
  return shardOf;
}

function lightestShare(loads: number[]): number {
  let lightest = 0;
  for (let i = 1; i < loads.length; i++) if (loads[i]! < loads[lightest]!) lightest = i;
  return lightest;
}

/** Why `index` of `total` is no share, or undefined when it is one. */
function shardProblem(index: number, total: number): string | undefined {
  if (!Number.isSafeInteger(total) || total < 1) return `the number of shards must be a whole number from 1, got ${total}`;
  if (!Number.isSafeInteger(index) || index < 1 || index > total) return `the shard must be a whole number from 1 to ${total}, got ${index}`;
  return undefined;
}

/** `--shard 2/3` -> { index: 2, total: 3 }, or the problem in one line. */
export function parseShard(text: string): ShardSpec | { problem: string } {
  const match = /^([0-9]+)\/([0-9]+)$/.exec(text.trim());
  if (!match) return { problem: `--shard expects I/N (e.g. 2/3: the second of three shares), got "${text}"` };
  const index = Number(match[1]);
  const total = Number(match[2]);
  const problem = shardProblem(index, total);
  return problem ? { problem: `--shard ${text}: ${problem}` } : { index, total };
}
