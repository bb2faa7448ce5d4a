import assert from 'node:assert/strict';
import { main } from '../../src/cli/commands.js';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => (out += `${s}\n`), err: (s) => (err += `${s}\n`) });
  return { code, out, err };
}

describe('capture command: bad command lines are usage errors before anything listens', () => {
  const cases: [string, string[], RegExp][] = [
    ['no target', ['capture', '--listen', '127.0.0.1:0', '--out', 'x'], /give --target URL/],
    ['no out', ['capture', '--target', 'ws://127.0.0.1:8188', '--listen', '127.0.0.1:0'], /give --out DIR/],
    ['a listen per target', ['capture', '--target', 'ws://127.0.0.1:8188', '--out', 'x'], /one --listen HOST:PORT per --target/],
    ['a target that is not a URL', ['capture', '--target', 'nowhere', '--listen', '127.0.0.1:0', '--out', 'x'], /is not a URL/],
    ['a target of another scheme', ['capture', '--target', 'ftp://h/janus', '--listen', '127.0.0.1:0', '--out', 'x'], /ws:\/\/, wss:\/\/, http:\/\/ or https:\/\//],
    ['a listen address without a port', ['capture', '--target', 'ws://127.0.0.1:8188', '--listen', 'localhost', '--out', 'x'], /--listen is HOST:PORT/],
    ['a bad duration', ['capture', '--target', 'ws://127.0.0.1:8188', '--listen', '127.0.0.1:0', '--out', 'x', '--duration', 'soon'], /--duration/],
    ['a misspelt option', ['capture', '--targt', 'ws://127.0.0.1:8188'], /did you mean --target/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const { code, out, err } = await cli(args);
      assert.equal(code, 2);
      assert.equal(out, '');
      assert.match(err, message);
      assert.doesNotMatch(err, /\n\s+at /, 'a stack trace');
    });
  }

  it('a target with credentials in it is not printed with them', async () => {
    const { err } = await cli(['capture', '--target', 'ws://user:hunter22@127.0.0.1:8188', '--listen', 'bad', '--out', 'x']);
    assert.doesNotMatch(err, /hunter22/);
  });

  it('is listed in the help', async () => {
    const { out } = await cli(['--help']);
    assert.match(out, /capture --target URL --listen HOST:PORT --out DIR/);
  });
});
