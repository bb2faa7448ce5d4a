import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFiles } from '../../src/compile/load-files.js';
import type { JanusMessage } from '../../src/protocol/messages.js';
import { failureText } from '../../src/report/failure-text.js';
import type { ScenarioResult } from '../../src/run/events.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { getTransport, registerTransport } from '../../src/transports/registry.js';
import { scriptedTransport } from '../support/answering-transport.js';

/**
 * Where a request step ends, against a server that acks a plugin message and then sends its
 * event: a pattern whose `janus` admits an ack and no event ends at the ack, whatever form it
 * takes once the run's values and the server's version are known; the event goes to the mailbox.
 */

const TRANSPORT = 'ack-then-event';
const ECHO = 'janus.plugin.echotest';

/**
 * Answers create and attach with ids, a message with an ack and then the plugin's event (only
 * the ack for a body `{ silent: true }`), anything else with success.
 */
function answers(request: JanusMessage): JanusMessage[] {
  const { transaction } = request;
  if (request.janus !== 'message') return [{ janus: 'success', transaction, data: { id: request.janus === 'attach' ? 2002 : 1001 } }];
  const ack: JanusMessage = { janus: 'ack', session_id: 1001, transaction };
  if ((request.body as { silent?: boolean } | undefined)?.silent) return [ack];
  return [
    ack,
    { janus: 'event', session_id: 1001, sender: 2002, transaction, plugindata: { plugin: ECHO, data: { echotest: 'event', result: 'ok' } } },
  ];
}

describe('a request step ends at the ack whatever form its ack pattern takes', function () {
  this.timeout(20_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'janus-scenarios-ending-'));
    if (!getTransport(TRANSPORT)) registerTransport(scriptedTransport(TRANSPORT, answers));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function run(name: string, text: string, serverVersion?: string): Promise<ScenarioResult> {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, `name: ${name}\n${text}`);
    const loaded = loadFiles([file], { cwd: dir });
    assert.deepEqual(loaded.diagnostics, []);
    return runScenario(loaded.scenarios[0]!, { transport: TRANSPORT, url: `${TRANSPORT}://x`, tls: {}, secrets: {}, serverVersion }, { seed: 's', stepTimeoutMs: 5000, scenarioTimeoutMs: 10_000 });
  }

  const message = `  - request: create
  - request: { janus: attach, plugin: ${ECHO} }
  - request: { janus: message, body: { audio: true } }
`;
  // The event is taken from the mailbox: the step before did not take it as its reply.
  const thenEvent = `  - wait: { janus: event, plugindata: { data: { result: ok } } }
`;

  it('an ack written with $janus, with the server\'s version known', async function () {
    const result = await run('janus-op', `steps:\n${message}    expect: { janus: { $janus: { ">=1.0.0": ack } } }\n${thenEvent}`, '1.1.2');
    assert.equal(result.status, 'passed', result.failure && failureText(result));
  });

  it('a whole-message $janus whose pattern for the version is an ack', async function () {
    const result = await run('janus-whole', `steps:\n${message}    expect: { $janus: { ">=1.0.0": { janus: ack, transaction: "\${transaction}" }, "<1.0.0": { janus: event } } }\n${thenEvent}`, '1.1.2');
    assert.equal(result.status, 'passed', result.failure && failureText(result));
  });

  it('an ack written with a constant variable', async function () {
    const result = await run('variable', `variables: { a: ack }\nsteps:\n${message}    expect: { janus: "\${a}" }\n${thenEvent}`);
    assert.equal(result.status, 'passed', result.failure && failureText(result));
  });

  it('an ack written with a value saved by an earlier step', async function () {
    const steps = `steps:
  - request: create
  - request: { janus: attach, plugin: ${ECHO} }
  - request: { janus: message, body: { audio: true } }
    expect: { janus: ack }
    save: { verb: janus }
${thenEvent}  - request: { janus: message, body: { audio: true } }
    expect: { janus: "\${verb}" }
${thenEvent}`;
    const result = await run('saved', steps);
    assert.equal(result.status, 'passed', result.failure && failureText(result));
  });

  it('a pattern for the event still waits for it', async function () {
    const result = await run('event', `variables: { e: event }\nsteps:\n${message}    expect: { janus: "\${e}", plugindata: { data: { result: ok } } }\n`);
    assert.equal(result.status, 'passed', result.failure && failureText(result));
  });

  it('a step that waited past an ack that matched says why', async function () {
    const result = await run('untold', `steps:\n${message}    expect: { $not: { janus: event } }\n`);
    assert.equal(result.status, 'failed');
    assert.match(result.failure!.summary, /did not match \(its ack matched, but the step waited past it for the final reply: a whole-message \$not does not say which `janus` it wants\)$/);
    const both = await run('both', `steps:\n${message}    expect: { $oneOf: [{ janus: ack }, { janus: event, plugindata: { data: { result: bad } } }] }\n`);
    assert.equal(both.status, 'failed');
    assert.match(both.failure!.summary, /its ack matched, but the step waited past it for the final reply: its `janus` admits an event too\)$/);
    const silent = await run('silent', `steps:\n${message.replace('audio: true', 'silent: true')}    expect: { $not: { janus: event } }\n    timeout: 300ms\n`);
    assert.equal(silent.status, 'failed');
    assert.match(silent.failure!.summary, /^got an ack for message \(transaction \S+\) but no final reply or event within 300ms \(its ack matched, but the step waited past it for the final reply: a whole-message \$not/);
  });

  it('an operator\'s mismatch shows a secret placeholder resolved, and the report redacts it', async function () {
    const result = await run('secret', `variables: { pin: s3cret-pin-value }\nsecrets: [pin]\nsteps:\n  - request: create\n    expect: { data: { id: { $oneOf: ["\${pin}", 1] } } }\n`);
    assert.equal(result.status, 'failed');
    const text = failureText(result);
    assert.match(text, /data\.id: expected one of "\[redacted\]", 1, got 1001/);
    assert.match(text, /- +"id": <one of "\[redacted\]", 1>/, 'the diff too');
    assert.doesNotMatch(text, /s3cret/);
  });
});
