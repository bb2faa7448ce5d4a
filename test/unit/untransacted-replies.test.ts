import assert from 'node:assert/strict';
import type { JanusMessage } from '../../src/protocol/messages.js';
import type { ScenarioResult } from '../../src/run/events.js';
import { runScripted } from '../support/scripted-run.js';

/**
 * A request sent without a transaction (a `raw:` payload) is ended by the next reply without
 * one: Janus leaves the transaction out of the envelope errors it answers such requests with.
 * Notifications carry none either (`detached`, `hangup`, `media`, a long-poll's `keepalive`);
 * one that came before the reply passed for it, and a raw step whose reply was a 456 error
 * passed (a `detach` sent beside it, its `detached` first: over WebSocket, most runs).
 */

const TRANSPORT = 'notify-first';
const SESSION = 1001;
const HANDLE = 2001;

/** Answers a request without a transaction with a notification first, then the 456 error Janus gives it. */
function notifyFirst(notification: string): (request: JanusMessage) => JanusMessage[] {
  return (request) => {
    const { transaction } = request;
    if (request.janus === 'create') return [{ janus: 'success', transaction, data: { id: SESSION } }];
    if (transaction !== undefined) return [{ janus: 'success', session_id: SESSION, transaction }];
    return [
      { janus: notification, session_id: SESSION, sender: HANDLE },
      { janus: 'error', session_id: SESSION, error: { code: 456, reason: 'Missing mandatory element (transaction)' } },
    ];
  };
}

describe('a notification without a transaction is no reply to a request sent without one', function () {
  this.timeout(20_000);
  function run(notification: string, steps: string): Promise<ScenarioResult> {
    const text = `steps:\n  - request: create\n  - raw: '{"janus":"keepalive","session_id":${SESSION}}'\n${steps}`;
    return runScripted(`${TRANSPORT}-${notification}`, () => notifyFirst(notification), notification, text);
  }

  for (const notification of ['detached', 'hangup', 'media', 'keepalive']) {
    it(`a raw step without expect fails on its error reply, a ${notification} before it`, async function () {
      const result = await run(notification, '');
      assert.equal(result.status, 'failed');
      assert.equal(result.failure!.summary, 'main raw payload got an error reply: 456 MISSING_MANDATORY_ELEMENT: Missing mandatory element (transaction)');
      assert.equal(result.failure!.span?.line, 4);
    });
  }

  it('a raw step expecting the error passes, and the notification waits in the mailbox', async function () {
    const result = await run('detached', '    expect: { janus: error, error: { code: 456 } }\n  - wait: { janus: detached, sender: 2001 }\n    within: 500ms\n');
    assert.equal(result.status, 'passed', result.failure?.summary);
  });
});
