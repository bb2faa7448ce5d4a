import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startJanus, type ManagedJanus } from '../../src/managed/index.js';
import { eventually, listSessions } from '../support/admin.js';
import { runCli, scenarioDir } from '../support/cli.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../../../examples/transports/proxied-ws.mjs', import.meta.url));

/** A TCP proxy the test owns: forwards bytes to `port`, counts the connections it carried. */
async function tcpProxy(port: number): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let count = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    count++;
    const upstream = connect({ host: '127.0.0.1', port });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    port: address.port,
    connections: () => count,
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** The documented example of a user-written transport, loaded with --transport-module. */
describe('--transport-module', function () {
  this.timeout(120_000);
  let janus: ManagedJanus;
  let api: Awaited<ReturnType<typeof tcpProxy>>;
  let admin: Awaited<ReturnType<typeof tcpProxy>>;
  const files = scenarioDir({
    'not-a-transport.mjs': 'export default { name: "x" };\n',
    'nothing.mjs': 'export const unrelated = 1;\n',
    'throws.mjs': 'throw new Error("boom\\nsecond line");\n',
    'two.mjs': `import base from ${JSON.stringify(EXAMPLE)};\nexport default [{ ...base, name: 'proxied-ws-a', schemes: ['pws-a'] }, { ...base, name: 'proxied-ws-b', schemes: ['pws-b'] }];\n`,
  });

  before(async () => {
    janus = await startJanus({ plugins: ['janus.plugin.echotest'], transports: ['http', 'ws'], config: {} });
    api = await tcpProxy(Number(new URL(janus.endpoints.ws!).port));
    admin = await tcpProxy(Number(new URL(janus.endpoints.adminWs!).port));
  });
  after(async () => {
    await api?.close();
    await admin?.close();
    await janus?.stop();
    files.remove();
  });

  it('runs the core scenarios through the example transport and the proxy, leaving no session', async () => {
    const run = await runCli(['run', 'scenarios/core', '--transport-module', EXAMPLE, '--transport', 'proxied-ws',
      '--url', `proxied-ws://127.0.0.1:${api.port}`, '--admin-url', `proxied-ws://127.0.0.1:${admin.port}`, '--admin-secret', janus.adminSecret]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /info returns server_info \[proxied-ws\]/);
    // Every core scenario passed or was skipped for a stated reason (the count follows scenarios/core).
    const total = Number(/\[(\d+)\/\1,/.exec(run.stdout)?.[1]);
    const passing = Number(/^ *(\d+) passing/m.exec(run.stdout)?.[1]);
    const skipped = Number(/^ *(\d+) skipped$/m.exec(run.stdout)?.[1] ?? 0);
    assert.ok(passing >= 16 && passing + skipped === total, `${passing} passing, ${skipped} skipped of ${total}`);
    assert.doesNotMatch(run.stdout, /failing/);
    assert.ok(api.connections() > 10, `the Janus API went through the proxy (${api.connections()} connections)`);
    assert.ok(admin.connections() > 0, 'the Admin API went through the proxy');
    assert.ok(await eventually(async () => (await listSessions(janus.endpoints.adminHttp!, janus.adminSecret)).length === 0), 'sessions left on the server');
  });

  it('registers every definition of a default-exported array', async () => {
    const run = await runCli(['run', 'scenarios/core/ping.yaml', '--transport-module', files.path('two.mjs'), '--transport', 'proxied-ws-a,proxied-ws-b',
      '--url', `pws-a://127.0.0.1:${api.port}`, '--url', `pws-b://127.0.0.1:${api.port}`]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /ping answers pong \[proxied-ws-a\]/);
    assert.match(run.stdout, /ping answers pong \[proxied-ws-b\]/);
  });

  it("a module that calls the package's registerTransport registers into the command line's own registry", async () => {
    // The package as a project installs it: `import 'janus-scenarios'` from the user's folder must
    // load the very modules the command line runs (one registry, one TransportFault class), not a
    // copy of its own: a copy would take the registration and the command line would see none.
    mkdirSync(files.path('node_modules'));
    symlinkSync(ROOT, files.path('node_modules/janus-scenarios'));
    const registering = files.path('registering.mjs');
    writeFileSync(registering, `import { registerTransport } from 'janus-scenarios';\nimport base from ${JSON.stringify(EXAMPLE)};\nregisterTransport({ ...base, name: 'proxied-ws-c', schemes: ['pws-c'] });\n`);
    const run = await runCli(['run', 'scenarios/core/ping.yaml', '--transport-module', registering, '--transport', 'proxied-ws-c', '--url', `pws-c://127.0.0.1:${api.port}`]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /ping answers pong \[proxied-ws-c\]/);
  });

  const usageErrors: Array<[string, () => string, RegExp]> = [
    ['a missing file', () => 'no-such-transport.mjs', /^--transport-module no-such-transport\.mjs: cannot load it: no such file$/],
    ['a module whose default export is no definition', () => files.path('not-a-transport.mjs'), /: schemes must be an array|needs a name|connect must be a function/],
    ['a module that registers nothing', () => files.path('nothing.mjs'), /: it registered no transport \(default-export a transport definition, or call registerTransport\)$/],
    ['a module that throws', () => files.path('throws.mjs'), /: cannot load it: boom second line$/],
  ];
  for (const [what, file, reason] of usageErrors) {
    it(`${what} is a usage error (exit 2, one line), before any network I/O`, async () => {
      const before = api.connections();
      const run = await runCli(['run', 'scenarios/core/ping.yaml', '--transport-module', file(), '--transport', 'proxied-ws', '--url', `proxied-ws://127.0.0.1:${api.port}`]);
      assert.equal(run.code, 2, run.stdout + run.stderr);
      // The reason is one line; the CLI adds its usual pointer to --help after usage errors.
      const lines = run.stderr.trim().split('\n').filter((l) => !l.startsWith('(run janus-scenarios'));
      assert.equal(lines.length, 1, run.stderr);
      assert.match(lines[0]!.replace(/^error: /, ''), reason);
      assert.equal(api.connections(), before, 'no connection was made');
    });
  }

  it('a name taken by a built-in transport is a usage error', async () => {
    const clash = files.path('clash.mjs');
    writeFileSync(clash, `import base from ${JSON.stringify(EXAMPLE)};\nexport default { ...base, name: 'ws' };\n`);
    const run = await runCli(['run', 'scenarios/core/ping.yaml', '--transport-module', clash, '--transport', 'ws', '--url', 'ws://127.0.0.1:1']);
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.match(run.stderr, /--transport-module .*clash\.mjs: .*ws/);
  });
});
