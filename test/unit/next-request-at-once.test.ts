import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFiles } from '../../src/compile/load-files.js';
import type { JanusMessage } from '../../src/protocol/messages.js';
import { runScenario, type RunOptions } from '../../src/run/run-scenario.js';
import type { ScenarioResult } from '../../src/run/events.js';
import { registerTransport } from '../../src/transports/registry.js';
import { answeringTransport } from '../support/answering-transport.js';

/**
 * A step's reply is judged the moment it comes and, when it passes and nothing could stop the
 * scenario between the two steps, the next step's request (written out, made ahead) goes from
 * within the reply's arrival. Nothing of it may show but the time: a failed step still stops the
 * next request, the ids a reply binds address it, its messages and failures are its own.
 */
describe('the next request sent the moment a reply passes', function () {
  this.timeout(20_000);
  let dir: string;
  let log: string[];
  let transports = 0;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'janus-scenarios-at-once-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A transport answering success (data.id 7) on a later turn, logging `send <verb> <session>`, and each reply's arrival as `reply` … `reply end`. */
  function loggingTransport(): string {
    const name = `at-once-${++transports}`;
    const inner = answeringTransport(name, 'later');
    registerTransport({
      ...inner,
      async connect(options, sink) {
        const message = (m: JanusMessage, bytes?: number): void => {
          log.push('reply');
          sink.message(m, bytes);
          log.push('reply end');
        };
        const connection = await inner.connect(options, { ...sink, message });
        return {
          ...connection,
          send: (payload, route, signal) => {
            const request = (typeof payload === 'string' ? JSON.parse(payload) : payload) as JanusMessage;
            log.push(`send ${String(request.janus)} ${route.sessionId ?? '-'}`);
            return connection.send(payload, route, signal);
          },
        };
      },
    });
    return name;
  }

  async function run(steps: string, options: Partial<RunOptions> = {}, serverVersion?: string): Promise<ScenarioResult> {
    log = [];
    const transport = loggingTransport();
    const file = join(dir, `${transport}.yaml`);
    writeFileSync(file, `name: at once\nkeepalive: false\nsteps:\n${steps}`);
    const loaded = loadFiles([file], { cwd: dir });
    assert.deepEqual(loaded.diagnostics, []);
    return runScenario(loaded.scenarios[0]!, { transport, url: `${transport}://x`, tls: {}, secrets: {}, serverVersion }, { seed: 's', stepTimeoutMs: 5000, scenarioTimeoutMs: 10_000, schemaMode: 'strict', ...options });
  }

  const FLOW = '  - request: create\n  - request: { janus: attach, plugin: janus.plugin.echotest }\n  - request: detach\n';

  it('goes from within the reply of the step before, to the ids that reply bound', async () => {
    // The answering transport's replies are no Janus's (an attach's success without its session_id): their checks only warn.
    const result = await run(FLOW, { schemaMode: 'warn' });
    assert.equal(result.status, 'passed', result.failure?.summary);
    assert.deepEqual(log.slice(0, 8), ['send create -', 'reply', 'send attach 7', 'reply end', 'reply', 'send detach 7', 'reply end', 'reply']);
    // The transcript reads as if each request went in its turn: each reply before the next request.
    assert.deepEqual(result.transcript.slice(0, result.stepMessages).map((e) => e.direction), ['out', 'in', 'out', 'in', 'out', 'in']);
  });

  it('waits for its turn when the run announces its steps (events): step:end, then the next request', async () => {
    const events: string[] = [];
    const result = await run(FLOW, { schemaMode: 'warn', onEvent: (e) => events.push(e.type) });
    assert.equal(result.status, 'passed', result.failure?.summary);
    assert.deepEqual(log.slice(0, 4), ['send create -', 'reply', 'reply end', 'send attach 7']);
    assert.ok(events.includes('step:end'), events.join(' '));
  });

  it('is never sent after a reply that fails its step', async () => {
    const result = await run('  - request: create\n    expect: { janus: error }\n  - request: { janus: attach, plugin: janus.plugin.echotest }\n');
    assert.equal(result.status, 'failed');
    assert.equal(result.failure?.span?.line, 4);
    assert.deepEqual(log.filter((l) => l.startsWith('send attach')), [], log.join(', '));
  });

  it('nor after a reply that passes a step marked with a known bug (its verdict is the bug\'s)', async () => {
    const result = await run('  - request: create\n    known_bug: { what: a bug, janus: ">=1.0.0" }\n  - request: { janus: attach, plugin: janus.plugin.echotest }\n', {}, '1.1.2');
    assert.equal(result.status, 'failed');
    assert.match(result.failure!.summary, /did not show/);
    assert.deepEqual(log.filter((l) => l.startsWith('send attach')), [], log.join(', '));
  });

  it('its own schema violation fails it, not the step whose reply sent it', async () => {
    const result = await run('  - request: create\n  - request: { janus: create, surprise: 1 }\n  - request: create\n');
    assert.equal(result.status, 'failed');
    assert.equal(result.failure?.span?.line, 5, result.failure?.summary);
    assert.match(result.failure!.summary, /surprise: unknown field/);
    assert.equal(log.indexOf('send create 7'), -1, 'no request addressed a session: creates go to the root');
    assert.deepEqual(log.slice(0, 3), ['send create -', 'reply', 'send create -']);
  });

  it('what its routing throws is its own failure, when its turn comes', async () => {
    const result = await run('  - request: create\n  - request: { janus: message, body: { audio: true } }\n');
    assert.equal(result.status, 'failed');
    assert.equal(result.failure?.span?.line, 5);
    assert.match(result.failure!.summary, /has no handle yet/);
    assert.deepEqual(log.filter((l) => l.startsWith('send message')), []);
  });
});
