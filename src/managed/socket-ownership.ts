import { readdir, readFile, readlink } from 'node:fs/promises';

/**
 * TCP ports on which process `pid` holds a listening socket, from /proc. A port that accepts
 * connections but is not in this set belongs to someone else: the port was taken between our
 * probe and Janus's bind. Returns undefined where /proc cannot tell (not Linux, no access).
 */
export async function listeningPortsOf(pid: number): Promise<Set<number> | undefined> {
  let inodes: Set<string>;
  try {
    const fds = await readdir(`/proc/${pid}/fd`);
    const targets = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
    inodes = new Set(targets.map((t) => /^socket:\[(\d+)\]$/.exec(t)?.[1]).filter((x): x is string => x !== undefined));
  } catch {
    return undefined;
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      const fields = line.trim().split(/\s+/);
      const LISTEN = '0A';
      if (fields.length < 10 || fields[3] !== LISTEN || !inodes.has(fields[9]!)) continue;
      ports.add(parseInt(fields[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}
