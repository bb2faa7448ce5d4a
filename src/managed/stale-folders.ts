import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Each instance folder names the process that made it. A run killed with SIGKILL cannot remove
 * its folder (its Janus dies with it, see janus-process.ts), so the next start removes folders
 * whose owner is gone. Folders of live owners, or without an owner file, are left alone.
 */
const OWNER_FILE = 'owner.json';
export const FOLDER_PREFIX = 'janus-scenarios-';

/**
 * A new folder for this process, `janus-scenarios-<suffix>XXXXXX` in the temp folder: readable
 * by its owner only (0700, whatever the umask; it holds the admin secret in janus.jcfg and the
 * TLS key), and naming its owner so a later command removes it if this process dies unclean.
 */
export function makeOwnedFolder(suffix = ''): string {
  const dir = mkdtempSync(join(tmpdir(), `${FOLDER_PREFIX}${suffix}`));
  chmodSync(dir, 0o700);
  writeOwner(dir);
  return dir;
}

export function writeOwner(dir: string): void {
  writeFileSync(join(dir, OWNER_FILE), JSON.stringify({ pid: process.pid, started: processStart(process.pid) }));
}

let swept = false;

/** Run by every command (run, coverage, validate, ...), once per process. */
export function sweepStaleFolders(): void {
  if (swept) return;
  swept = true;
  removeStaleFolders(tmpdir());
}

/** Removes the owned folders in `parent` whose owner process is gone (any suffix: instances, certificates, peers). */
export function removeStaleFolders(parent: string): void {
  for (const name of readdirSync(parent)) {
    if (!name.startsWith(FOLDER_PREFIX)) continue;
    const dir = join(parent, name);
    try {
      const owner = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as { pid: number; started: string | undefined };
      // The same pid with another start time is a different, later process: the owner is gone.
      if (processStart(owner.pid) === owner.started && owner.started !== undefined) continue;
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // no owner file, or not ours to judge
    }
  }
}

/** The start time of a process (field 22 of /proc/<pid>/stat), undefined when it does not exist. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
