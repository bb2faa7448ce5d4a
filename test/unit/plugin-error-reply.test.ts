import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFiles } from '../../src/compile/load-files.js';
import type { JanusMessage } from '../../src/protocol/messages.js';
import { runScenario } from '../../src/run/run-scenario.js';
import type { ScenarioResult } from '../../src/run/events.js';
import { getTransport, registerTransport } from '../../src/transports/registry.js';
import { scriptedTransport } from '../support/answering-transport.js';

const ECHO = 'janus.plugin.echotest';

/**
 * A plugin refuses a request in its reply or event (an `error_code` in `plugindata.data`), not
 * with a Janus `error`. A request step without `expect` passes on any reply but an error: a
 * plugin's refusal is one, and passed (a room that was never created, a set-up that did not
 * happen), leaving later steps to fail for reasons that hide it. Cleanup steps are the exception:
 * they undo what the steps may not have done, and "destroy it if it is there" is their idiom.
 */
describe('a request the plugin refuses, without expect or with one that leaves the refusal out', function () {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'plugin-error-reply-'));
    // EchoTest as Janus runs it: a message with no attribute is refused with 413 in its event.
    if (!getTransport('echo-refusing')) {
      registerTransport(scriptedTransport('echo-refusing', (r: JanusMessage): JanusMessage[] => {
        const tx = r.transaction;
        if (r.janus === 'create') return [{ janus: 'success', transaction: tx, data: { id: 5 } }];
        if (r.janus === 'attach') return [{ janus: 'success', session_id: 5, transaction: tx, data: { id: 77 } }];
        if (r.janus === 'message') {
          const body = r.body as Record<string, unknown>;
          const data = Object.keys(body).length === 0 ? { echotest: 'event', error_code: 413, error: 'Message error: no supported attributes (audio, video, bitrate, record, filename, substream, temporal, fallback, svc, spatial_layer, temporal_layer) found' } : { echotest: 'event', result: 'ok' };
          return [{ janus: 'ack', session_id: 5, transaction: tx }, { janus: 'event', session_id: 5, sender: 77, transaction: tx, plugindata: { plugin: ECHO, data } }];
        }
        return [{ janus: 'success', session_id: 5, transaction: tx }];
      }));
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function run(last: string): Promise<ScenarioResult> {
    const file = join(dir, 's.yaml');
    writeFileSync(file, `name: refused\nsteps:\n  - request: create\n  - request: { janus: attach, plugin: ${ECHO} }\n${last}`);
    const loaded = loadFiles([file], { cwd: dir });
    assert.deepEqual(loaded.diagnostics, []);
    return runScenario(loaded.scenarios[0]!, { transport: 'echo-refusing', url: 'echo-refusing://x', tls: {}, secrets: {} }, { seed: 's', stepTimeoutMs: 5000, scenarioTimeoutMs: 10_000, schemaMode: 'off' });
  }

  it('fails, naming the plugin\'s error by code and name, at the step', async function () {
    const result = await run('  - request: { janus: message, body: {} }\n');
    assert.equal(result.status, 'failed');
    assert.match(result.failure!.summary, /^main message got a plugin error: 413 \(ECHOTEST_INVALID_ELEMENT\): Message error: no supported attributes/);
    assert.deepEqual([result.failure!.span?.line, result.failure!.span?.col], [5, 5]);
  });

  it('passes when the plugin accepts the request', async function () {
    const result = await run('  - request: { janus: message, body: { audio: true } }\n');
    assert.equal(result.status, 'passed', result.failure?.summary);
  });

  it('passes in cleanup, which undoes what the steps may not have done ("destroy it if it is there")', async function () {
    const result = await run('  - request: { janus: message, body: { audio: true } }\ncleanup:\n  - request: { janus: message, body: {} }\n');
    assert.equal(result.status, 'passed', result.failure?.summary);
    assert.deepEqual(result.cleanupFailures, []);
  });

  it('fails as well with an expect that names no place of the refusal: a pattern is never weaker than none', async function () {
    // Each passed before: only a step without expect looked for the refusal.
    // A type above the refusal (a marker, `$type`) names no key of it: each of those passed too.
    for (const expect of ['{ janus: event }', '{ janus: event, plugindata: { plugin: janus.plugin.echotest, data: { echotest: event } } }', '{ $oneOf: [{ janus: event }, { janus: success }] }',
      '{ plugindata: $any }', '{ plugindata: $object }', '{ janus: event, plugindata: { data: $present } }', '{ plugindata: { data: { $type: object } } }', '{ plugindata: { data: { $oneOf: [$object, { result: ok }] } } }']) {
      const result = await run(`  - request: { janus: message, body: {} }\n    expect: ${expect}\n`);
      assert.equal(result.status, 'failed', expect);
      assert.match(result.failure!.summary, /^main message got a plugin error: 413 \(ECHOTEST_INVALID_ELEMENT\)/, expect);
    }
  });

  it('passes when expect names the refusal (error_code or error in the data): the pattern decides', async function () {
    for (const expect of ['{ janus: event, plugindata: { data: { error_code: ECHOTEST_INVALID_ELEMENT } } }', '{ janus: event, plugindata: { data: { error: $string } } }', '{ plugindata: { data: { $not: { result: ok } } } }']) {
      const result = await run(`  - request: { janus: message, body: {} }\n    expect: ${expect}\n`);
      assert.equal(result.status, 'passed', `${expect}: ${result.failure?.summary}`);
    }
  });

  // A request that ends at its ack leaves its event to a wait: the refusal is then the wait's to see.
  const acked = '  - request: { janus: message, body: {} }\n    expect: { janus: ack }\n';

  it('fails a wait that takes the refusal by a pattern that leaves it out, naming it, at the wait', async function () {
    for (const wait of ['{ janus: event }', '{ janus: event, transaction: "${transaction}", plugindata: { plugin: janus.plugin.echotest } }']) {
      const result = await run(`${acked}  - wait: ${wait}\n`);
      assert.equal(result.status, 'failed', wait);
      assert.match(result.failure!.summary, /^the message waited for is a plugin error: 413 \(ECHOTEST_INVALID_ELEMENT\): Message error/, wait);
      assert.equal(result.failure!.span?.line, 7, wait);
    }
  });

  it('passes a wait whose pattern names the refusal, a wait for an accepted request, and a wait in cleanup', async function () {
    const cases = [
      `${acked}  - wait: { janus: event, plugindata: { data: { error_code: ECHOTEST_INVALID_ELEMENT } } }\n`,
      '  - request: { janus: message, body: { audio: true } }\n    expect: { janus: ack }\n  - wait: { janus: event }\n',
      `${acked}cleanup:\n  - wait: { janus: event }\n`,
    ];
    for (const steps of cases) {
      const result = await run(steps);
      assert.equal(result.status, 'passed', `${steps}: ${result.failure?.summary}`);
    }
  });
});
