/**
 * `npm run bench:startup`: the start-up of each command alone, without a Janus (the listener of
 * startup.ts takes the first request): `node -e 0` as the floor, `--help`, `schema`, `validate`
 * to their exit, and `run --url` to its first request over WebSocket and HTTP. Wall and CPU
 * medians of BENCH_STARTS processes (9), with the machine's load beside them: on a busy machine
 * the wall figures grow, the CPU ones much less.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { anchorScenario } from './anchor.js';
import { CLI, timeToExit, timeToFirstRequest, type ProcessCost } from './startup.js';

const STARTS = Math.max(1, Number(process.env.BENCH_STARTS ?? 9) || 9);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'janus-scenarios-startup-'));
  try {
    const scenario = join(dir, 'anchor.yaml');
    const memoryFile = join(dir, 'time.txt');
    writeFileSync(scenario, anchorScenario(1));
    console.log(`start-up of ${CLI}, a process each: medians of ${STARTS}; ${availableParallelism()} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' ')} (1, 5, 15 min)`);
    console.log(`  ${'command'.padEnd(40)}${'wall s'.padStart(8)}${'CPU s'.padStart(8)}`);
    const line = (what: string, c: ProcessCost): void => console.log(`  ${what.padEnd(40)}${c.seconds.toFixed(3).padStart(8)}${(c.cpuSeconds?.toFixed(2) ?? 'n/a').padStart(8)}`);
    line('node -e 0 (node itself)', await timeToExit(['-e', '0'], STARTS, 0, memoryFile));
    line('--help, to exit', await timeToExit([CLI, '--help'], STARTS, 0, memoryFile));
    line('schema, to exit', await timeToExit([CLI, 'schema'], STARTS, 0, memoryFile));
    line('validate <one file>, to exit', await timeToExit([CLI, 'validate', scenario], STARTS, 0, memoryFile));
    line('run --url ws://…, to the first request', await timeToFirstRequest('ws', '', (url) => [CLI, 'run', scenario, '--url', url], STARTS));
    line('run --url http://…, to the first request', await timeToFirstRequest('http', '/janus', (url) => [CLI, 'run', scenario, '--url', url], STARTS));
    console.log(`  (load after: ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(`bench:startup: ${(e as Error)?.message ?? String(e)}`);
  process.exitCode = 1;
});
