import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFiles } from '../../src/compile/load-files.js';
import type { CompiledScenario } from '../../src/compile/scenario.js';
import { formatSpan } from '../../src/core/source.js';
import { transportSkip } from '../../src/plan/targets.js';
import { CLI } from '../support/cli.js';


/** close, reopen, closed and keepalives steps, and per-client keepalives: what loads, and each load error at its place. */
describe('connection lifecycle and keepalive steps (load)', function () {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'js-conn-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function load(text: string): { scenario?: CompiledScenario; errors: string[] } {
    writeFileSync(join(dir, 's.yaml'), text);
    const result = loadFiles([join(dir, 's.yaml')], { cwd: dir, env: {}, knownSchema: () => false });
    return { scenario: result.scenarios[0], errors: result.diagnostics.map((d) => `${formatSpan(d.span).replace(/^.*s\.yaml/, 's.yaml')} ${d.message}`) };
  }

  const ok = (text: string): CompiledScenario => {
    const { scenario, errors } = load(text);
    assert.deepEqual(errors, []);
    return scenario!;
  };

  it('compiles close, reopen, closed and keepalives steps with their titles, clients and needs', function () {
    const s = ok(`name: s
clients: [main, { name: other, keepalive: 2s }]
steps:
  - request: create
  - close: { code: 3504, reason: Gateway timeout }
  - closed: { by: client, code: 3504 }
    within: 2s
  - reopen: true
  - close: true
    client: other
  - keepalives: { at_least: 2, session: "\${session}" }
    within: 5s
`);
    assert.deepEqual(s.steps.map((st) => [st.kind, st.client, st.needs ?? null]), [
      ['request', 'main', null], ['close', 'main', 'closeCodes'], ['closed', 'main', 'closeCodes'], ['reopen', 'main', 'connection'], ['close', 'other', 'connection'], ['keepalives', 'main', null],
    ]);
    assert.equal(s.steps[1]!.title, 'main closes its connection with code 3504');
    assert.equal(s.requires.connection, 'closeCodes');
    assert.deepEqual(s.clients, ['main', 'other']);
    assert.deepEqual(s.clientKeepalive, { other: 2000 });
  });

  it('a client keepalive of its own wins over the scenario\'s, also false', function () {
    const s = ok(`name: s
keepalive: 1s
clients: [a, { name: b, keepalive: false }, { name: c }]
steps:
  - request: create
`);
    assert.equal(s.keepalive, 1000);
    assert.deepEqual(s.clientKeepalive, { b: false });
  });

  const errors: Array<[string, string, RegExp]> = [
    ['a close code the protocol reserves', 'steps:\n  - close: { code: 1001 }\n', /^s\.yaml:3:\d+ close code 1001 is not one a client may send/],
    ['a close code above 4999', 'steps:\n  - close: { code: 5000 }\n', /^s\.yaml:3:\d+ close code 5000/],
    ['a close code between 1000 and 3000', 'steps:\n  - close: { code: 2999 }\n', /close code 2999/],
    ['an expected close code out of range', 'steps:\n  - closed: { code: 999 }\n', /^s\.yaml:3:\d+ close code 999 is not one a close carries/],
    ['a close reason longer than a close frame holds', `steps:\n  - close: { reason: "${'x'.repeat(124)}" }\n`, /at most 123 bytes/],
    ['an unknown client', 'steps:\n  - close: true\n    client: bob\n', /^s\.yaml:4:\d+ unknown client "bob"/],
    ['an unknown key under close', 'steps:\n  - close: { cod: 3504 }\n', /^s\.yaml:3:\d+ .*cod/],
    ['reopen with a value other than true', 'steps:\n  - reopen: false\n', /^s\.yaml:3:\d+/],
    ['keepalives asserted for a client that sends none', 'keepalive: false\nsteps:\n  - keepalives: { at_least: 1 }\n', /^s\.yaml:4:\d+ client main sends no automatic keepalives/],
    ['keepalives asserted for a client whose own setting is false', 'clients: [{ name: q, keepalive: false }]\nsteps:\n  - keepalives: { at_least: 1 }\n', /client q sends no automatic keepalives/],
    ['keepalives with at_least 0', 'steps:\n  - keepalives: { at_least: 0 }\n', /^s\.yaml:3:\d+ .*at_least/],
    ['a client keepalive that is no duration', 'clients: [{ name: a, keepalive: soon }]\nsteps:\n  - request: create\n', /^s\.yaml:2:\d+ /],
    ['a client declared twice', 'clients: [a, { name: a, keepalive: 1s }]\nsteps:\n  - request: create\n', /client "a" is declared twice/],
    ['a reserved client name in the object form', 'clients: [{ name: session }]\nsteps:\n  - request: create\n', /"session" cannot be a client name/],
    ['close on a transport without connections that requires.transports names', 'requires: { transports: [ws, mqtt] }\nsteps:\n  - close: true\n', /^s\.yaml:4:\d+ close: closes and reopens a client's connection, and mqtt gives a client no connection of its own/],
    ['a close code on http that requires.transports names', 'requires: { transports: [http, ws] }\nsteps:\n  - close: { code: 3504 }\n', /close: closes connections with a WebSocket close code or reason, which http has none of/],
  ];
  for (const [what, body, message] of errors) {
    it(`refuses ${what}`, function () {
      const { errors: found } = load(`name: s\n${body}`);
      assert.ok(found.some((e) => message.test(e)), found.join('\n') || 'no error');
    });
  }

  it('skips a closing scenario on transports without connections or close codes, with the reason', function () {
    const plain = ok('name: s\nsteps:\n  - close: true\n  - reopen: true\n');
    assert.equal(transportSkip(plain, 'http'), undefined);
    assert.equal(transportSkip(plain, 'ws'), undefined);
    assert.match(transportSkip(plain, 'mqtt') ?? '', /mqtt gives a client no connection of its own/);
    assert.match(transportSkip(plain, 'rabbitmq') ?? '', /no connection of its own/);
    const coded = ok('name: s\nsteps:\n  - close: { code: 4000 }\n');
    assert.equal(transportSkip(coded, 'ws'), undefined);
    assert.equal(transportSkip(coded, 'wss'), undefined);
    assert.match(transportSkip(coded, 'http') ?? '', /WebSocket close code/);
  });

  it('validate exits 2 with file:line:col for a bad close code, before any network I/O', function () {
    writeFileSync(join(dir, 'bad.yaml'), 'name: s\nsteps:\n  - close: { code: 1006 }\n');
    let code = 0;
    let output = '';
    try {
      execFileSync(process.execPath, [CLI, 'validate', join(dir, 'bad.yaml')], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      const err = e as { status: number; stdout: string; stderr: string };
      code = err.status;
      output = err.stdout + err.stderr;
    }
    assert.equal(code, 2, output);
    assert.match(output, /bad\.yaml:3:\d+/);
    assert.match(output, /close code 1006/);
    assert.doesNotMatch(output, /at .*\.js:\d+/, 'no stack trace');
  });
});
