import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeInstanceFiles } from '../../src/managed/instance-files.js';
import { checkOverrides } from '../../src/managed/overrides.js';
import { makeListener } from '../../src/managed/listeners.js';

/** `http.` and `websockets.` overrides reach the transports' own jcfg files, never janus.jcfg. */
describe('managed Janus: transport settings', function () {
  let dir = '';
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'jstest-instance-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes http.mhd_connection_limit to janus.transport.http.jcfg and websockets.* to its own', async function () {
    await writeInstanceFiles({
      dir,
      installation: { binary: '/nonexistent/janus', moduleDir: '/nonexistent/lib', shareDir: '/nonexistent/share', setpriv: undefined },
      plugins: [],
      transports: ['http', 'websockets'],
      listeners: [makeListener('http', 18088), makeListener('adminHttp', 17088), makeListener('ws', 18188)],
      overrides: { 'http.mhd_connection_limit': 6256, 'websockets.pingpong_trigger': 30, session_timeout: 60 },
      adminSecret: 'x',
      media: { core: '20000-20100', plugins: '20100-20200' },
    });
    const http = readFileSync(join(dir, 'janus.transport.http.jcfg'), 'utf8');
    const ws = readFileSync(join(dir, 'janus.transport.websockets.jcfg'), 'utf8');
    const main = readFileSync(join(dir, 'janus.jcfg'), 'utf8');
    assert.match(http, /general: \{[^}]*mhd_connection_limit = 6256/);
    assert.match(http, /port = 18088/, 'the listener stays as the launcher set it');
    assert.match(ws, /general: \{[^}]*pingpong_trigger = 30/);
    assert.doesNotMatch(main, /mhd_connection_limit|pingpong_trigger/);
    assert.match(main, /session_timeout = 60/);
    assert.doesNotMatch(ws, /mhd_connection_limit/);
  });

  it("refuses overrides of the listeners' own keys and of unknown sections", function () {
    assert.throws(() => checkOverrides({ 'http.port': 1 }), /places the managed Janus's listeners/);
    assert.throws(() => checkOverrides({ 'websockets.ws_port': 1 }), /places the managed Janus's listeners/);
    assert.throws(() => checkOverrides({ 'rabbitmq.host': 'x' }), /only nat\., media\., http\. and websockets\. settings/);
    assert.doesNotThrow(() => checkOverrides({ 'http.mhd_connection_limit': 5000, 'nat.full_trickle': true }));
  });
});
