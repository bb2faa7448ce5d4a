import { relative } from 'node:path';
import type { Plan } from './contract.js';

/** `--list`: every planned test, one a line (file, name [transport], skip reason), then the counts. */
export function listing(plan: Pick<Plan, 'tests'>, cwd = process.cwd()): string {
  const lines = plan.tests.map(({ info, scenario }) => `${relative(cwd, scenario.file) || scenario.file}: ${info.title}${info.skipReason ? `  (skipped: ${info.skipReason})` : ''}`);
  const skipped = plan.tests.filter((t) => t.info.skipReason).length;
  lines.push(`${plan.tests.length} test(s) planned: ${plan.tests.length - skipped} to run, ${skipped} skipped`);
  return lines.join('\n');
}
