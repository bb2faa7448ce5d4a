import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodingsOf } from '../../src/report/redact.js';
import { FakeJanus } from '../support/fake-janus.js';
import { runCli } from '../support/cli.js';

/**
 * Secrets under pressure: a secret variable and the api secret placed so that every cut the
 * tool makes (the transcript's line length, a mismatch's value, a schema warning's value, V8's
 * quote of unparsable JSON) falls at each position inside them, printed by every reporter and
 * by the run's own summaries. No piece of a secret, in any encoding searched, may appear.
 */
describe('secrets straddling every cut, with every reporter', function () {
  this.timeout(180_000);
  const note = 'Zq7Nx4Kp9Wm2Tr8Vb3Hy6Jd';
  const apiSecret = 'Lc5Gs1Qf7Xe3Ru9Ya2Mo4Pi';
  let fake: FakeJanus;
  let dir: string;

  /** A scenario whose secret starts `pad` characters into the text some cut is applied to. */
  const scenario = (pad: number, janus: string, expect: string) => `name: "pad ${pad} ${janus}"
variables: { note: "\${env.JS_NOTE}" }
secrets: [note]
steps:
  - request: { janus: ${janus}, pad: "${'x'.repeat(pad)}", note: "\${note}" }
    expect: ${expect}
`;

  before(async () => {
    fake = await FakeJanus.start();
    fake.onHttpRequest = (req, f) => (f.behaviour = req.body.includes('"reflect"') ? 'reflect' : 'ok');
    dir = mkdtempSync(join(tmpdir(), 'jstest-secrets-'));
    const len = note.length;
    // `{"janus":"ping","pad":"` + pad + `","note":"`: the secret starts 33 + pad characters in.
    const around = (cut: number) => Array.from({ length: len + 1 }, (_, i) => cut - 33 - len + i).filter((p) => p >= 0);
    const pads = new Set([...around(297), ...around(77), ...around(117)]);
    for (const pad of pads) writeFileSync(join(dir, `ping-${pad}.yaml`), scenario(pad, 'ping', '{ echo: "nothing like this" }'));
    // V8 quotes the first 10 characters of text it cannot parse; the fake sends "<" + pad + note.
    for (let pad = 0; pad <= 10; pad++) writeFileSync(join(dir, `reflect-${pad}.yaml`), scenario(pad, 'reflect', '{ janus: success }'));
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every piece of each secret (from 3 characters, at the start or the end, or 6 anywhere), in every encoding. */
  function assertNoPiece(where: string, text: string): void {
    for (const secret of [note, apiSecret]) {
      const pieces = new Set<string>();
      for (let n = 3; n <= secret.length; n++) pieces.add(secret.slice(0, n)).add(secret.slice(secret.length - n));
      for (let i = 0; i + 6 <= secret.length; i++) pieces.add(secret.slice(i, i + 6));
      for (const piece of pieces) assert.ok(!text.includes(piece), `${where} shows "${piece}" of ${secret}:\n${excerpt(text, piece)}`);
      for (const form of encodingsOf(secret)) assert.ok(!text.includes(form), `${where} shows ${secret} encoded as ${form}`);
    }
  }

  const runs: Array<[string, string[]]> = [
    ['spec and every file', ['-R', 'spec', '-R', 'junit:OUT/r.xml', '-R', 'json:OUT/r.json', '-R', 'tap:OUT/r.tap', '-R', 'html:OUT/r.html']],
    ['dot', ['-R', 'dot']],
    ['list', ['-R', 'list']],
    ['junit to stdout', ['-R', 'junit:-']],
    ['json to stdout', ['-R', 'json:-']],
    ['tap to stdout', ['-R', 'tap:-']],
    ["mocha's xunit", ['-R', 'xunit']],
    ["mocha's min", ['-R', 'min']],
  ];
  for (const [name, reporters] of runs) {
    it(`${name}: no piece of a secret in anything printed or written`, async () => {
      const out = mkdtempSync(join(tmpdir(), 'jstest-secrets-out-'));
      try {
        const args = ['run', dir, '--url', fake.httpUrl, '--api-secret', apiSecret, '--schema', 'warn', '--jobs', '8', ...reporters.map((r) => r.replace('OUT', out))];
        const run = await runCli(args, { env: { JS_NOTE: note } });
        assert.equal(run.code, 3, run.stdout + run.stderr);
        assert.ok(/\[redacted\]/.test(run.stdout + run.stderr), 'the secrets went through the run and were replaced');
        assertNoPiece('stdout', run.stdout);
        assertNoPiece('stderr', run.stderr);
        for (const file of ['r.xml', 'r.json', 'r.tap', 'r.html'].filter(() => name === 'spec and every file')) assertNoPiece(file, readFileSync(join(out, file), 'utf8'));
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
  }

  it('coverage: no piece of a secret', async () => {
    const run = await runCli(['coverage', dir, '--url', fake.httpUrl, '--api-secret', apiSecret, '--schema', 'warn', '--jobs', '8'], { env: { JS_NOTE: note } });
    assert.equal(run.code, 3, run.stdout + run.stderr);
    assertNoPiece('stdout', run.stdout);
    assertNoPiece('stderr', run.stderr);
  });

  it('pieces of the api secret a scenario sends (8 characters or more) appear in no report and no output', async () => {
    const own = mkdtempSync(join(tmpdir(), 'jstest-secrets-pieces-'));
    const [prefix, middle, suffix] = [apiSecret.slice(0, 8), apiSecret.slice(7, 16), apiSecret.slice(-10)];
    writeFileSync(
      join(own, 'pieces.yaml'),
      `name: pieces of the api secret
steps:
  - request: create
  - request: { janus: keepalive, note: "prefix-${prefix}", middle: "<${middle}>", "key-${suffix}": "${suffix}!" }
    expect: { janus: success, echo: { note: "nothing like this" } }
`,
    );
    const files = ['r.xml', 'r.json', 'r.tap', 'r.html', 'r.jsonl'];
    try {
      const reporters = ['spec', 'junit:r.xml', 'json:r.json', 'tap:r.tap', 'html:r.html', 'blob:r.jsonl'].flatMap((r) => ['-R', r.replace(/:/, `:${own}/`)]);
      const run = await runCli(['run', join(own, 'pieces.yaml'), '--url', fake.httpUrl, '--api-secret', apiSecret, '--schema', 'warn', ...reporters]);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stdout, /prefix-\[redacted\]/, 'the pieces went through the run and were replaced');
      const outputs: Array<[string, string]> = [['stdout', run.stdout], ['stderr', run.stderr], ...files.map((f): [string, string] => [f, readFileSync(join(own, f), 'utf8')])];
      for (const [where, text] of outputs) {
        assert.match(text, /\[redacted\]/, `${where} shows the message`);
        for (let at = 0; at + 8 <= apiSecret.length; at++) {
          const piece = apiSecret.slice(at, at + 8);
          assert.ok(!text.includes(piece), `${where} shows "${piece}" of the api secret:\n${excerpt(text, piece)}`);
        }
      }
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('credentials in a URL are not printed when the server cannot be reached', async () => {
    for (const url of [`http://bob:${note}@127.0.0.1:1/janus?apisecret=${apiSecret}`, `ws://bob:${note}@127.0.0.1:1/?token=${apiSecret}`]) {
      const run = await runCli(['run', join(dir, 'reflect-0.yaml'), '--url', url, '--step-timeout', '2s'], { env: { JS_NOTE: note } });
      assert.equal(run.code, 3, run.stdout + run.stderr);
      assert.match(run.stderr, /cannot reach Janus at \w+:\/\/\[redacted\]@127\.0\.0\.1:1\//);
      assertNoPiece('stderr', run.stderr);
      assertNoPiece('stdout', run.stdout);
    }
  });
});

function excerpt(text: string, piece: string): string {
  const at = text.indexOf(piece);
  return text.slice(Math.max(0, at - 120), at + 120);
}
