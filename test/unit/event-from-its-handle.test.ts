import assert from 'node:assert/strict';
import type { JanusMessage } from '../../src/protocol/messages.js';
import type { ScenarioResult } from '../../src/run/events.js';
import { runScripted } from '../support/scripted-run.js';

/**
 * A request step that waits for its plugin's event takes the event with its transaction from
 * the handle (and session) it was sent to, no other. A request that ended at its ack leaves its
 * event to come later; a later request reusing its transaction took that event for its own
 * answer, and passed on what another handle said (over HTTP, where the long-poll brings events
 * after the POST's ack, every time).
 */

const TRANSPORT = 'late-event';
const ECHO = 'janus.plugin.echotest';
const SESSION = 1001;

/**
 * EchoTest with its event late: a message with attributes is acked and its event held until
 * the next request comes, then sent before anything else; one without attributes is refused
 * (413) in an event at once. Handles are 2001, 2002, ... in attach order.
 */
function lateEvents(): (request: JanusMessage) => JanusMessage[] {
  let handles = 2000;
  let held: JanusMessage[] = [];
  return (request) => {
    const earlier = held;
    held = [];
    const { transaction } = request;
    if (request.janus === 'create') return [...earlier, { janus: 'success', transaction, data: { id: SESSION } }];
    if (request.janus === 'attach') return [...earlier, { janus: 'success', session_id: SESSION, transaction, data: { id: ++handles } }];
    if (request.janus !== 'message') return [...earlier, { janus: 'success', session_id: SESSION, transaction }];
    const refused = Object.keys(request.body as object).length === 0;
    const data = refused ? { echotest: 'event', error_code: 413, error: 'Message error: no supported attributes found' } : { echotest: 'event', result: 'ok' };
    const event: JanusMessage = { janus: 'event', session_id: SESSION, sender: request.handle_id, transaction, plugindata: { plugin: ECHO, data } };
    const ack: JanusMessage = { janus: 'ack', session_id: SESSION, transaction };
    if (refused) return [...earlier, ack, event];
    held = [event];
    return [...earlier, ack];
  };
}

describe('a plugin event answers the request sent to its handle, not another with the same transaction', function () {
  this.timeout(20_000);
  function run(name: string, steps: string): Promise<ScenarioResult> {
    // A server of its own per scenario: what it holds back belongs to one run.
    const text = `steps:\n  - request: create\n  - request: { janus: attach, plugin: ${ECHO} }\n    as: a\n  - request: { janus: attach, plugin: ${ECHO} }\n    as: b\n  - request: { janus: message, body: { audio: true }, transaction: t1 }\n    handle: a\n    expect: { janus: ack }\n${steps}`;
    return runScripted(`${TRANSPORT}-${name}`, lateEvents, name, text);
  }

  it('a request reusing the transaction fails on its own refusal, which the other handle\'s late event passed', async function () {
    const result = await run('refused', '  - request: { janus: message, body: {}, transaction: t1 }\n    handle: b\n');
    assert.equal(result.status, 'failed');
    assert.match(result.failure!.summary, /^main message got a plugin error: 413 \(ECHOTEST_INVALID_ELEMENT\)/);
    assert.equal(result.failure!.span?.line, 11);
  });

  it('an expect naming the other handle as sender does not match the request\'s own event', async function () {
    const result = await run('sender', '  - request: { janus: message, body: {}, transaction: t1 }\n    handle: b\n    expect: { janus: event, sender: "${handles.a}", plugindata: { data: { error_code: 413 } } }\n');
    assert.equal(result.status, 'failed');
    assert.deepEqual(result.failure!.mismatches?.map((m) => [m.at, m.actual]), [['sender', 2002]]);
  });

  it('a raw payload naming its handle in its text is answered by that handle\'s event', async function () {
    const raw = `  - raw: '{"janus":"message","session_id":${SESSION},"handle_id":2002,"transaction":"t1","body":{}}'\n`;
    const result = await run('raw', raw);
    assert.equal(result.status, 'failed');
    assert.match(result.failure!.summary, /got a plugin error: 413 \(ECHOTEST_INVALID_ELEMENT\)/);
  });

  it('the other handle\'s event stays in the mailbox for a wait', async function () {
    const result = await run('mailbox', '  - request: { janus: message, body: {}, transaction: t1 }\n    handle: b\n    expect: { janus: event, sender: "${handles.b}", plugindata: { data: { error_code: 413 } } }\n  - wait: { janus: event, sender: "${handles.a}", transaction: t1, plugindata: { data: { result: ok } } }\n    within: 500ms\n');
    assert.equal(result.status, 'passed', result.failure?.summary);
  });
});
