import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = new URL('../../../', import.meta.url);
/** The command line as installed: the package's bin (the bundle the build writes), not tsc's module. */
export const CLI = fileURLToPath(new URL((JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { bin: Record<string, string> }).bin['janus-scenarios']!, ROOT));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the real CLI in a child process; `done` resolves when it exits. */
export function startCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { child: ChildProcess; done: Promise<CliRun>; output: () => string } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliRun>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done, output: () => stdout + stderr };
}

export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return startCli(args, options).done;
}

/**
 * Gives each test of the calling suite its own TMPDIR for the CLI runs it starts (mocha hooks),
 * so what a run leaves behind is seen apart from other processes; fails a test that leaves anything.
 */
export function tmpdirPerTest(): { dir: () => string; env: () => NodeJS.ProcessEnv } {
  let dir = '';
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'jstest-tmp-'))));
  afterEach(() => {
    assert.deepEqual(readdirSync(dir), [], 'a temp folder was left behind');
    rmSync(dir, { recursive: true });
  });
  return { dir: () => dir, env: () => ({ TMPDIR: dir }) };
}

/** A temp folder with scenario files; remove() deletes it. */
export function scenarioDir(files: Record<string, string>): { dir: string; path: (name: string) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'jstest-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, path: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Pids of janus processes whose config lives in one of our temp folders, and whose parent is `ppid`. */
export function managedJanusPids(ppid?: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (!cmdline[0]?.endsWith('janus') || !cmdline.some((a) => a.includes('janus-scenarios-'))) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
      if (state === 'Z') continue;
      if (ppid === undefined || parent === ppid) out.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** A zombie (reaped late by PID 1 in containers) is not running. */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
  } catch {
    return false;
  }
}

/** SIGKILL to a process the test started, when it still exists. */
export function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

/** Whether Janus has a handle: each handle runs a thread of its own named "hloop <handle id>". */
export function hasHandle(pid: number): boolean {
  try {
    return readdirSync(`/proc/${pid}/task`).some((t) => readFileSync(`/proc/${pid}/task/${t}/comm`, 'utf8').startsWith('hloop'));
  } catch {
    return false;
  }
}

/** A scenario that holds a session with an attached handle for 30 s: for tests that stop a run while it holds one. */
export const SLEEPS_WITH_A_HANDLE = `name: sleeps with a handle
requires: { plugins: [janus.plugin.echotest] }
steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.echotest }
  - sleep: 30s
`;
