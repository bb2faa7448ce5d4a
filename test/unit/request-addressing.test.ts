import assert from 'node:assert/strict';
import { loadFiles } from '../../src/compile/load-files.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { scenarioDir } from '../support/cli.js';
import { useFakeJanus } from '../support/fake-janus.js';

/**
 * Over HTTP the ids of a request go into the path, and `at:` names the level: a `claim` after a
 * reconnect is posted to the root path with the session id in the body (janus.js does this).
 */
describe('request addressing over HTTP', function () {
  const files = scenarioDir({
    'addressing.yaml': `name: addressing
clients: [a, b]
keepalive: false
steps:
  - { client: a, request: create }
  - { client: b, request: { janus: claim, session_id: 4242 }, at: root }
  - { client: b, request: { janus: claim, session_id: 4242 } }
  - { client: a, request: { janus: attach, plugin: janus.plugin.echotest } }
  - { client: a, request: { janus: message, handle_id: 77, body: {} }, at: session }
  - { client: a, request: { janus: message, handle_id: 77, body: {} } }
  - { client: a, request: { janus: info, session_id: null }, at: session }
`,
  });
  const fakeJanus = useFakeJanus(files);

  it('explicit ids fill the path up to the level `at:` gives, and stay in the body above it', async function () {
    const loaded = loadFiles([files.path('addressing.yaml')]);
    assert.deepEqual(loaded.diagnostics, []);
    const result = await runScenario(loaded.scenarios[0]!, { transport: 'http', url: fakeJanus().httpUrl, tls: {}, secrets: {} }, { seed: 's', stepTimeoutMs: 2000, scenarioTimeoutMs: 10_000 });
    assert.equal(result.status, 'passed', result.failure?.summary);
    const posts = fakeJanus().requests.filter((r) => r.method === 'POST').map((r) => {
      const body = JSON.parse(r.body) as Record<string, unknown>;
      return `${new URL(r.path, 'http://x').pathname} ${String(body.janus)} ${String(body.session_id ?? '-')} ${String(body.handle_id ?? '-')}`;
    });
    assert.deepEqual(posts.slice(0, 7), [
      '/janus create - -',
      '/janus claim 4242 -',
      '/janus/4242 claim 4242 -',
      '/janus/4242 attach - -',
      '/janus/4242 message - 77',
      '/janus/4242/77 message - 77',
      '/janus info - -',
    ]);
  });
});
