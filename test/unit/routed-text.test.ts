import assert from 'node:assert/strict';
import type { JanusMessage, Route } from '../../src/protocol/messages.js';
import { routedText, withRouteIds } from '../../src/transports/wire.js';

/** A request's text on a message socket: the ids of its route added without a copy, exactly as the copy would be written. */
describe('a request with its route ids, as text', function () {
  const payloads: JanusMessage[] = [
    {},
    { janus: 'create', transaction: 't1' },
    { janus: 'message', body: { audio: true }, transaction: 't2' },
    { janus: 'detach', session_id: 5, transaction: 't3' },
    { janus: 'detach', session_id: null, handle_id: null, transaction: 't4' },
    { janus: 'attach', handle_id: 'x' },
    JSON.parse('{"__proto__": {"a": 1}, "janus": "keepalive"}') as JanusMessage,
    { janus: 'message', text: '}', nested: { session_id: 1 } },
  ];
  const routes: Route[] = [{}, { sessionId: 123456789012345 }, { sessionId: 1, handleId: 2 }, { handleId: 7 }];

  it('is the text of the copy with the ids set, for every payload and route', function () {
    for (const payload of payloads) {
      for (const route of routes) {
        const text = routedText(payload, route);
        assert.equal(text, JSON.stringify(withRouteIds(payload, route)), `${JSON.stringify(payload)} on ${JSON.stringify(route)}`);
        assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(withRouteIds(payload, route))));
      }
    }
  });

  it('leaves the payload as it was', function () {
    const payload: JanusMessage = { janus: 'create', transaction: 't' };
    routedText(payload, { sessionId: 1, handleId: 2 });
    assert.deepEqual(payload, { janus: 'create', transaction: 't' });
  });
});
