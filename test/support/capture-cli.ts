import assert from 'node:assert/strict';
import { startCli } from './cli.js';

/** Runs `capture` in a child process around `drive`, then stops it with SIGTERM: the files it wrote. */
export async function capture(target: string, out: string, drive: (url: string) => Promise<unknown>): Promise<{ files: string[]; stdout: string }> {
  const cli = startCli(['capture', '--target', target, '--listen', '127.0.0.1:0', '--out', out]);
  try {
    let url: string | undefined;
    while (!url) {
      const m = /point the application at (\S+)/.exec(cli.output());
      if (m) url = m[1];
      else if (cli.child.exitCode !== null) assert.fail(`capture ended early: ${cli.output()}`);
      else await new Promise((r) => setTimeout(r, 20));
    }
    await drive(url);
  } finally {
    cli.child.kill('SIGTERM');
    // Even when `drive` failed: the capture writes its files as it stops, after which they can be removed.
    await cli.done;
  }
  const done = await cli.done;
  assert.equal(done.code, 0, done.stderr);
  const files = [...done.stdout.matchAll(/^wrote (\S+)/gm)].map((m) => m[1]!);
  return { files, stdout: done.stdout };
}
