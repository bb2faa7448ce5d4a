import { testRan, type Baseline } from './baseline.js';

/**
 * Whether a comparison can pair anything: tests pair by id (`file#name[transport]`, the file as
 * the path from the directory the run started in). A baseline none of whose tests this run plans
 * (recorded over another transport, from another directory, of other scenarios) compares
 * nothing, and a comparison of nothing would pass: said before any server starts, with the
 * likely cause. `undefined` when at least one planned test is in the baseline.
 */
export function unpairablePlan(old: Baseline, planned: string[]): string | undefined {
  const oldIds = new Set(old.tests.map((t) => t.id));
  if (planned.some((id) => oldIds.has(id))) return undefined;
  const head = `none of the ${planned.length} test(s) this run plans is in the baseline (${old.tests.length} test(s)): nothing could be compared`;
  if (old.tests.length === 0) return `${head}; the baseline holds no test (record it again)`;
  const oldTransports = new Set(old.tests.map((t) => t.transport));
  const newTransports = new Set(planned.map((id) => parseId(id)?.transport).filter((t): t is string => t !== undefined));
  if (![...newTransports].some((t) => oldTransports.has(t))) {
    return `${head}; the baseline was recorded over ${[...oldTransports].join(', ')}, this run plans ${[...newTransports].join(', ')}: give --transport ${[...oldTransports].join(',')}`;
  }
  // The same scenario under another path: the run started in another directory, or named the files otherwise.
  const byTail = new Map(old.tests.map((t) => [`#${t.name}[${t.transport}]`, t.file]));
  for (const id of planned) {
    const parsed = parseId(id);
    const oldFile = parsed && byTail.get(`#${parsed.name}[${parsed.transport}]`);
    if (parsed && oldFile !== undefined && oldFile !== parsed.file) {
      return `${head}; the baseline names its scenario files from the directory record ran in (${oldFile}), this run from here (${parsed.file}): run compare from that directory, naming the files as record did`;
    }
  }
  return `${head}; was it recorded with other scenarios? (the baseline has ${old.tests[0]!.file}, this run ${parseId(planned[0] ?? '')?.file ?? 'nothing'})`;
}

/** The tests (ids) that ran in both the baseline and this run: what the comparison is of. */
export function comparedTests(old: Baseline, now: Baseline): string[] {
  const byId = new Map(now.tests.map((t) => [t.id, t]));
  return old.tests.filter((t) => testRan(t) && byId.has(t.id) && testRan(byId.get(t.id)!)).map((t) => t.id);
}

/** `file#name[transport]`: the file ends at the first `#` (a scenario name may hold one), the transport is the last bracket. */
function parseId(id: string): { file: string; name: string; transport: string } | undefined {
  const m = /^([^#]*)#(.*)\[([^\]]+)\]$/s.exec(id);
  return m ? { file: m[1]!, name: m[2]!, transport: m[3]! } : undefined;
}
