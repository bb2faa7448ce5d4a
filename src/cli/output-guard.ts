import type { Redactor } from '../report/redact.js';

type Write = NodeJS.WriteStream['write'];

/**
 * Passes everything written to standard output and standard error through the run's redactor,
 * for as long as a run lasts: the console reporter redacts its own lines, but mocha's reporters
 * (dot, list, xunit to stdout, a user's module), the schema-warning summary, coverage and error
 * lines all print too, and each of them must show `[redacted]` as well. Returns the undo.
 */
export function guardOutput(redactor: Redactor, streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): () => void {
  const originals = streams.map((stream) => {
    const original = stream.write;
    const guarded = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
      const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : undefined;
      const safe = text === undefined ? chunk : redactor.text(text);
      return (original as (...args: unknown[]) => boolean).call(this, safe, ...rest);
    };
    stream.write = guarded as Write;
    return { stream, original };
  });
  return () => {
    for (const { stream, original } of originals) stream.write = original;
  };
}
