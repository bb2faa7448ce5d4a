import assert from 'node:assert/strict';
import { loadFiles } from '../../src/compile/load-files.js';
import { UsageError } from '../../src/core/usage-error.js';
import { planSuite } from '../../src/plan/plan.js';
import { registerBuiltinTransports } from '../../src/transports/registry.js';
import { scenarioDir } from '../support/cli.js';

/** A `--url` no transport serves, or a transport's other name, is a usage error saying what to write, before any server is asked. */
describe('planning: URLs and transport names nothing serves', function () {
  const files = scenarioDir({ 'alpha.yaml': 'name: alpha\nsteps:\n  - request: ping\n' });
  after(() => files.remove());
  before(() => registerBuiltinTransports());
  const scenarios = () => loadFiles([files.path('alpha.yaml')], {}).scenarios;
  const refused = (pattern: RegExp) => (e: unknown) => e instanceof UsageError && pattern.test(e.message);

  it('a host and port with no scheme says how to write the URL, not "unknown transport" (with or without --transport)', async () => {
    const howTo = /^--url localhost:8088: the URL has no scheme; write it whole, as http:\/\/localhost:8088\/janus or ws:\/\/localhost:8088 \(schemes served: http:\/\/, https:\/\/, ws:\/\/, wss:\/\/, .*\)$/;
    await assert.rejects(planSuite(scenarios(), { urls: ['localhost:8088'] }), refused(howTo));
    await assert.rejects(planSuite(scenarios(), { urls: ['localhost:8088'], transports: ['http'] }), refused(howTo));
    await assert.rejects(planSuite(scenarios(), { urls: ['127.0.0.1:8188'], transports: ['ws'] }), refused(/^--url 127\.0\.0\.1:8188: the URL has no scheme; write it whole, as http:\/\/127\.0\.0\.1:8188\/janus or ws:\/\/127\.0\.0\.1:8188 /));
  });

  it('an unknown scheme is named with the schemes there are; an --admin-url is told its own path', async () => {
    await assert.rejects(planSuite(scenarios(), { urls: ['ftp://127.0.0.1/janus'] }), refused(/^--url ftp:\/\/127\.0\.0\.1\/janus: no transport serves the scheme "ftp" \(schemes served: http:\/\/, .*amqp:\/\/.*\)$/));
    // A port nothing listens on: a plan that got as far as asking the server would have a fault, not throw.
    await assert.rejects(planSuite(scenarios(), { urls: ['ws://127.0.0.1:1'], adminUrls: ['127.0.0.1:7188'] }), refused(/^--admin-url 127\.0\.0\.1:7188: the URL has no scheme; write it whole, as http:\/\/127\.0\.0\.1:7188\/admin or ws:\/\/127\.0\.0\.1:7188 /));
  });

  it('a transport called by another name gets the name it has here', async () => {
    for (const [asked, meant] of [['websocket', 'ws'], ['WebSockets', 'ws'], ['amqp', 'rabbitmq'], ['htp', 'http']]) {
      await assert.rejects(planSuite(scenarios(), { urls: ['ws://127.0.0.1:1'], transports: [asked!] }), refused(new RegExp(`^unknown transport "${asked}"; did you mean ${meant}\\? \\(known: `)));
    }
  });
});
