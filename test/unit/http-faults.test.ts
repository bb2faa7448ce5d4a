import assert from 'node:assert/strict';
import { loadFiles } from '../../src/compile/load-files.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { knownSchema } from '../../src/schemas/catalogue.js';
import { scenarioDir } from '../support/cli.js';
import { useFakeJanus } from '../support/fake-janus.js';

/**
 * Over HTTP every request is an exchange of its own: the body of a POST is that request's reply
 * and no other's, and a long-poll that fails does not stop the next POST (cleanup still destroys).
 */
describe('HTTP: replies and cleanup', function () {
  this.timeout(20_000);
  const files = scenarioDir({
    'ping.yaml': 'name: ping\nsteps:\n  - request: ping\n',
    'poll.yaml': 'name: create, then listen\nsteps:\n  - request: create\n  - sleep: 2s\n',
  });
  const fake = useFakeJanus(files);
  afterEach(() => {
    fake().behaviour = 'ok';
    fake().onHttpRequest = undefined;
  });

  async function run(file: string) {
    const loaded = loadFiles([files.path(file)], { knownSchema });
    assert.deepEqual(loaded.diagnostics, []);
    return runScenario(loaded.scenarios[0]!, { transport: 'http', url: fake().httpUrl, tls: {}, secrets: {} }, { seed: 's', stepTimeoutMs: 2000, scenarioTimeoutMs: 10_000 });
  }

  it('a POST answered with another transaction is a server problem at once, not the request\'s reply', async () => {
    fake().behaviour = 'wrongTransaction';
    const result = await run('ping.yaml');
    assert.equal(result.status, 'failed');
    assert.equal(result.failure?.kind, 'infrastructure');
    assert.match(result.failure!.summary, /the reply to ping \(transaction \w+\) names another transaction, "/);
  });

  it('a long-poll that fails is a server problem, and cleanup still destroys the session over POST', async () => {
    // Polls (GET) fail with HTTP 500; requests (POST) are answered.
    fake().onHttpRequest = (request, f) => void (f.behaviour = request.method === 'GET' ? 'status500' : 'ok');
    const result = await run('poll.yaml');
    assert.equal(result.failure?.kind, 'infrastructure', JSON.stringify(result.failure));
    assert.match(result.failure!.summary, /HTTP 500/);
    assert.deepEqual(result.sessionsLeft, []);
    assert.equal(result.destroyedSessions.length, 1);
    assert.ok(fake().requests.some((r) => r.method === 'POST' && r.body.includes('"destroy"')), 'a destroy was sent');
  });
});
