import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { median } from './measure.js';

const ROOT = new URL('../../', import.meta.url);
/**
 * The command line as a user starts it: the package's bin (the build's bundle). BENCH_CLI names
 * another entry to compare with, e.g. `BENCH_CLI=dist/src/cli/main.js` (tsc's modules, unbundled).
 */
export const CLI = fileURLToPath(new URL(process.env.BENCH_CLI ?? (JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { bin: Record<string, string> }).bin['janus-scenarios']!, ROOT));

/** What starting a process cost: seconds to the event measured, and its CPU and peak memory when known. */
export interface ProcessCost {
  seconds: number;
  /** CPU seconds (user + system) the process used by then: what a busy machine does not inflate. */
  cpuSeconds?: number;
  /** Peak resident memory in MB (from /usr/bin/time), when measured. */
  peakMb?: number;
}

const TIME = '/usr/bin/time';
/** No process measured may take longer than this: a hung one fails the bench instead of holding it. */
const PROCESS_LIMIT_MS = 60_000;

/**
 * Seconds from spawning `node <args>` to its exit (median of `times`), and its peak memory.
 * `expectCode`: the exit code it must end with, or the bench fails (a process that failed fast
 * is no measure).
 */
export async function timeToExit(args: string[], times: number, expectCode: number, memoryFile?: string): Promise<ProcessCost> {
  const seconds: number[] = [];
  const cpu: number[] = [];
  const peaks: number[] = [];
  for (let i = 0; i < times; i++) {
    const measure = memoryFile !== undefined && existsSync(TIME);
    const [file, argv] = measure ? [TIME, ['-f', '%M %U %S', '-o', memoryFile, process.execPath, ...args]] : [process.execPath, args];
    const t0 = process.hrtime.bigint();
    const { code, stderr } = await runProcess(file, argv).done;
    seconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (code !== expectCode) throw new Error(`node ${args.join(' ')} exited with ${code}, expected ${expectCode}: ${stderr.slice(-500)}`);
    if (measure) {
      const [kb, user, system] = readFileSync(memoryFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
      peaks.push(kb! / 1024);
      cpu.push(user! + system!);
      rmSync(memoryFile, { force: true });
    }
  }
  return { seconds: median(seconds), ...(cpu.length > 0 && { cpuSeconds: median(cpu), peakMb: median(peaks) }) };
}

/**
 * Seconds from spawning `node <args(url)>` to its first request on the wire, as seen by a local
 * listener (an HTTP request or a WebSocket upgrade) at `url` of the given scheme. The listener
 * then answers 503 (or drops the upgrade): the process ends on its own as with any server problem.
 */
export async function timeToFirstRequest(scheme: 'http' | 'ws', path: string, args: (url: string) => string[], times: number): Promise<ProcessCost> {
  const seconds: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < times; i++) {
    let arrived: (() => void) | undefined;
    const server = createServer();
    const firstRequest = new Promise<bigint>((resolve) => (arrived = () => resolve(process.hrtime.bigint())));
    server.on('request', (_req: IncomingMessage, res) => {
      arrived?.();
      res.writeHead(503).end();
    });
    server.on('upgrade', (_req: IncomingMessage, socket: Socket) => {
      arrived?.();
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
    try {
      const t0 = process.hrtime.bigint();
      const { pid, done } = runProcess(process.execPath, args(url));
      const at = await Promise.race([firstRequest, done]);
      if (typeof at !== 'bigint') throw new Error(`node ${args(url).join(' ')} exited before any request: ${at.stderr.slice(-500)}`);
      seconds.push(Number(at - t0) / 1e9);
      const used = cpuSecondsOf(pid);
      if (used !== undefined) cpu.push(used);
      await done;
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }
  return { seconds: median(seconds), ...(cpu.length === seconds.length && { cpuSeconds: median(cpu) }) };
}

/** CPU seconds a live process has used (Linux; 10 ms ticks), undefined elsewhere. */
function cpuSecondsOf(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

function runProcess(file: string, args: string[]): { pid: number | undefined; done: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const done = new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const limit = setTimeout(() => child.kill('SIGKILL'), PROCESS_LIMIT_MS);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(limit);
      resolve({ code, stderr });
    });
  });
  return { pid: child.pid, done };
}
