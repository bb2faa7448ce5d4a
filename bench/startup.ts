import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { median } from './measure.js';

/** What starting a process cost: seconds to the event measured, and its peak memory when known. */
export interface ProcessCost {
  seconds: number;
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
  const peaks: number[] = [];
  for (let i = 0; i < times; i++) {
    const measureMemory = memoryFile !== undefined && existsSync(TIME);
    const [file, argv] = measureMemory ? [TIME, ['-f', '%M', '-o', memoryFile, process.execPath, ...args]] : [process.execPath, args];
    const t0 = process.hrtime.bigint();
    const { code, stderr } = await runProcess(file, argv);
    seconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (code !== expectCode) throw new Error(`node ${args.join(' ')} exited with ${code}, expected ${expectCode}: ${stderr.slice(-500)}`);
    if (measureMemory) {
      peaks.push(Number(readFileSync(memoryFile, 'utf8').trim().split('\n').pop()) / 1024);
      rmSync(memoryFile, { force: true });
    }
  }
  return { seconds: median(seconds), ...(peaks.length > 0 && { peakMb: median(peaks) }) };
}

/**
 * Seconds from spawning `node <args(url)>` to its first request on the wire, as seen by a local
 * listener (an HTTP request or a WebSocket upgrade) at `url` of the given scheme. The listener
 * then answers 503 (or drops the upgrade): the process ends on its own as with any server problem.
 */
export async function timeToFirstRequest(scheme: 'http' | 'ws', path: string, args: (url: string) => string[], times: number): Promise<number> {
  const seconds: number[] = [];
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
      const exited = runProcess(process.execPath, args(url));
      const at = await Promise.race([firstRequest, exited]);
      if (typeof at !== 'bigint') throw new Error(`node ${args(url).join(' ')} exited before any request: ${at.stderr.slice(-500)}`);
      seconds.push(Number(at - t0) / 1e9);
      await exited;
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }
  return median(seconds);
}

function runProcess(file: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const limit = setTimeout(() => child.kill('SIGKILL'), PROCESS_LIMIT_MS);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(limit);
      resolve({ code, stderr });
    });
  });
}
