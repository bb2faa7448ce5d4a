import assert from 'node:assert/strict';
import { guardOutput } from '../../src/cli/output-guard.js';
import { FRAGMENT_LENGTH, Redactor } from '../../src/report/redact.js';

/* What the run's writers print goes through the redactor, also when they write a secret in pieces. */

const SECRET = 'Rk7vX2mKp9Qa';

/** A stream that keeps what reaches it, write by write. */
function sink(): { stream: NodeJS.WriteStream; writes: string[]; text: () => string } {
  const writes: string[] = [];
  const stream = { write: (chunk: unknown) => (writes.push(String(chunk)), true) } as unknown as NodeJS.WriteStream;
  return { stream, writes, text: () => writes.join('') };
}

/** Every run of FRAGMENT_LENGTH characters of the secret: none may reach the stream. */
function assertNoPiece(text: string): void {
  for (let i = 0; i + FRAGMENT_LENGTH <= SECRET.length; i++) assert.ok(!text.includes(SECRET.slice(i, i + FRAGMENT_LENGTH)), `a piece of the secret got through: ${text}`);
}

describe('the output guard', function () {
  it('redacts a secret written in two pieces, each shorter than a redacted piece', function () {
    const out = sink();
    const unguard = guardOutput(new Redactor([SECRET]), [out.stream]);
    out.stream.write('token: ');
    out.stream.write(SECRET.slice(0, 6));
    out.stream.write(`${SECRET.slice(6)}\n`);
    unguard();
    assert.equal(out.text(), 'token: [redacted]\n');
  });

  it('redacts a long line written in chunks at every alignment, the secret JSON-escaped in it', function () {
    const line = `{"message":"${'x'.repeat(20)} ${JSON.stringify(`a"${SECRET}`).slice(1, -1)} and more"}\n`;
    for (let size = 1; size <= 9; size++) {
      const out = sink();
      const unguard = guardOutput(new Redactor([`a"${SECRET}`]), [out.stream]);
      for (let i = 0; i < line.length; i += size) out.stream.write(line.slice(i, i + size));
      unguard();
      assertNoPiece(out.text());
      assert.match(out.text(), /^\{"message":"x{20} \[redacted\] and more"\}\n$/, `chunks of ${size}`);
    }
  });

  it('holds back nothing that cannot begin a secret: a line goes out with its write', function () {
    const out = sink();
    const unguard = guardOutput(new Redactor([SECRET]), [out.stream]);
    out.stream.write('passing (3s)\n');
    assert.deepEqual(out.writes, ['passing (3s)\n']);
    out.stream.write('waiting for Rk7');
    assert.equal(out.text(), 'passing (3s)\nwaiting for ', 'the start of the secret waits for what follows');
    unguard();
    assert.equal(out.text(), 'passing (3s)\nwaiting for Rk7', 'and goes out at the end: three characters are no piece');
  });

  it('decodes bytes across writes: a character split between two stays whole', function () {
    const out = sink();
    const unguard = guardOutput(new Redactor([SECRET]), [out.stream]);
    const bytes = Buffer.from('é\n');
    out.stream.write(bytes.subarray(0, 1));
    out.stream.write(bytes.subarray(1));
    unguard();
    assert.equal(out.text(), 'é\n');
  });
});
