import { StringDecoder } from 'node:string_decoder';
import type { Redactor } from '../report/redact.js';

type Write = NodeJS.WriteStream['write'];
type Call = (this: NodeJS.WriteStream, ...args: unknown[]) => boolean;

/**
 * Passes everything written to standard output and standard error through the run's redactor,
 * for as long as a run lasts: the console reporter redacts its own lines, but mocha's reporters
 * (dot, list, xunit to stdout, a user's module), the schema-warning summary, coverage and error
 * lines all print too, and each of them must show `[redacted]` as well. A writer may write a
 * value in pieces (a key, then its value; a long line in chunks): the tail of a write that could
 * begin a secret waits for the next write, or for the end (the undo, the process's exit), so
 * a secret split across writes is redacted as if written at once. Returns the undo.
 */
export function guardOutput(redactor: Redactor, streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): () => void {
  const guards = streams.map((stream) => {
    const original = stream.write as unknown as Call;
    // Bytes are decoded across writes too: a character split between two would become U+FFFD.
    const decoder = new StringDecoder('utf8');
    let held = '';
    const guarded = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
      const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? decoder.write(Buffer.from(chunk)) : undefined;
      if (text === undefined) return original.call(this, chunk, ...rest);
      const pending = held + text;
      const cut = redactor.safeUpTo(pending);
      held = pending.slice(cut);
      return original.call(this, redactor.text(pending.slice(0, cut)), ...rest);
    };
    stream.write = guarded as unknown as Write;
    const flush = (): void => {
      const rest = held + decoder.end();
      held = '';
      if (rest !== '') original.call(stream, redactor.text(rest));
    };
    return { stream, original, flush };
  });
  const flushAll = (): void => guards.forEach((g) => g.flush());
  process.on('exit', flushAll);
  return () => {
    process.off('exit', flushAll);
    for (const { stream, original, flush } of guards) {
      stream.write = original as unknown as Write;
      flush();
    }
  };
}
