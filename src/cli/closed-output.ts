/**
 * A reader that stops reading (`janus-scenarios schema | head`, a pager quit early) closes the
 * pipe, and the next write to it fails with EPIPE: an 'error' event that, unheard, ends the
 * process with a stack trace in the middle of a run. What is printed after that reaches nobody,
 * so the command carries on without it: a run still cleans up its sessions and its managed
 * Janus, writes its report files and exits with its verdict. Any other write error stays fatal.
 */
export function carryOnWhenOutputCloses(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
  }
}
