import { createServer, type Server } from 'node:net';

/**
 * Distinct free loopback TCP ports. All probe servers stay open until every port is known, so
 * one call never returns the same port twice; another process may still take a port before
 * Janus binds it, which the launcher handles by retrying.
 */
export async function pickFreePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('listen(0) returned no TCP address');
      ports.push(address.port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => (s.listening ? s.close(() => resolve()) : resolve()))));
  }
}

/**
 * UDP port ranges for media, one block per instance: the first half for the core's ICE
 * agents, the second for plugins that open their own RTP ports (SIP, NoSIP, AudioBridge,
 * Streaming). Blocks live below Linux's ephemeral range (32768+) and start at an offset
 * derived from the pid, so parallel test processes rarely share a block. Overlap would not
 * break anything (Janus tries other ports in the range); distinct blocks just keep instances apart.
 */
const RANGE_START = 10000;
const BLOCK_SIZE = 200;
const BLOCK_COUNT = Math.floor((32700 - RANGE_START) / BLOCK_SIZE);
let nextBlock = process.pid % BLOCK_COUNT;

export interface MediaPortRanges {
  core: string;
  plugins: string;
}

export function allocateMediaPortRanges(): MediaPortRanges {
  const base = RANGE_START + nextBlock * BLOCK_SIZE;
  nextBlock = (nextBlock + 1) % BLOCK_COUNT;
  const half = BLOCK_SIZE / 2;
  return { core: `${base}-${base + half - 1}`, plugins: `${base + half}-${base + BLOCK_SIZE - 1}` };
}
