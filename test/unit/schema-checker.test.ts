import assert from 'node:assert/strict';
import { formatViolation, forbidUnknownFields, schemaNames, violationsOf } from '../../src/schemas/catalogue.js';
import { MessageChecker } from '../../src/schemas/checker.js';
import { errorCodeByName, errorNameOf } from '../../src/schemas/error-names.js';
import { compareVersions, holdsFor } from '../../src/schemas/versions.js';

const ECHO = 'janus.plugin.echotest';

/** A checker that has seen an attach to echotest (handle 77 in session 5). */
function echoChecker(): MessageChecker {
  const c = new MessageChecker('1.1.2');
  c.outgoing('janus', { janus: 'attach', plugin: ECHO, transaction: 'a1' }, { sessionId: 5 });
  c.incoming('janus', { janus: 'success', session_id: 5, transaction: 'a1', data: { id: 77 } });
  return c;
}

function echoEvent(data: Record<string, unknown>, transaction?: string): Record<string, unknown> {
  return { janus: 'event', session_id: 5, sender: 77, ...(transaction && { transaction }), plugindata: { plugin: ECHO, data } };
}

describe('schema checker', function () {
  it('accepts a plugin event that matches the request that caused it', function () {
    const c = echoChecker();
    c.outgoing('janus', { janus: 'message', body: { audio: true }, transaction: 'm1' }, { sessionId: 5, handleId: 77 });
    assert.deepEqual(c.incoming('janus', echoEvent({ echotest: 'event', result: 'ok' }, 'm1')), []);
  });

  it('a wrong type names schema, JSON pointer, rule and value', function () {
    const c = echoChecker();
    c.outgoing('janus', { janus: 'message', body: { audio: true }, transaction: 'm1' }, { sessionId: 5, handleId: 77 });
    const [v, ...rest] = c.incoming('janus', echoEvent({ echotest: 'event', result: 5 }, 'm1'));
    assert.equal(rest.length, 0);
    assert.equal(v!.schema, 'echotest/result');
    assert.equal(v!.pointer, '/plugindata/data/result');
    assert.match(v!.rule, /^enum: /);
    assert.equal(v!.value, 5);
    assert.equal(formatViolation(v!), 'schema echotest/result: /plugindata/data/result: enum: must be equal to one of the allowed values; found 5');
  });

  it('a missing field and an unknown field are violations at their pointers', function () {
    const c = echoChecker();
    c.outgoing('janus', { janus: 'message', body: { audio: true }, transaction: 'm1' }, { sessionId: 5, handleId: 77 });
    const found = c.incoming('janus', echoEvent({ echotest: 'event', surprise: 1 }, 'm1'));
    assert.deepEqual(found.map((v) => [v.pointer, v.unknownField ?? false]).sort(), [['/plugindata/data/result', false], ['/plugindata/data/surprise', true]]);
  });

  it('an unknown plugin error code is a violation', function () {
    const c = echoChecker();
    c.outgoing('janus', { janus: 'message', body: { audio: true }, transaction: 'm1' }, { sessionId: 5, handleId: 77 });
    const [v] = c.incoming('janus', echoEvent({ echotest: 'event', error_code: 499, error: 'x' }, 'm1'));
    assert.equal(v!.rule, `unknown error code for ${ECHO}`);
    assert.equal(v!.pointer, '/plugindata/data/error_code');
    assert.equal(v!.value, 499);
  });

  it('a request that breaks its schema counts only if Janus accepts it', function () {
    const rejected = echoChecker();
    rejected.outgoing('janus', { janus: 'message', body: { audio: 'yes' }, transaction: 'm1' }, { sessionId: 5, handleId: 77 });
    assert.deepEqual(rejected.incoming('janus', { janus: 'ack', session_id: 5, transaction: 'm1' }), []);
    assert.deepEqual(rejected.incoming('janus', echoEvent({ echotest: 'event', error_code: 413, error: 'bad' }, 'm1')), []);

    const accepted = echoChecker();
    accepted.outgoing('janus', { janus: 'message', body: { audio: 'yes' }, transaction: 'm2' }, { sessionId: 5, handleId: 77 });
    const [v] = accepted.incoming('janus', echoEvent({ echotest: 'event', result: 'ok' }, 'm2'));
    assert.equal(v!.schema, 'echotest/request/message');
    assert.equal(v!.pointer, '/body/audio');
  });

  it('a keepalive or trickle that breaks its schema counts once Janus acks it: the ack is its final reply', function () {
    for (const [verb, extra] of [['keepalive', {}], ['trickle', { candidate: { completed: true } }]] as const) {
      const c = echoChecker();
      c.outgoing('janus', { janus: verb, ...extra, zzz: 1, transaction: `${verb}-1` }, { sessionId: 5, handleId: 77 });
      const found = c.incoming('janus', { janus: 'ack', session_id: 5, transaction: `${verb}-1` });
      assert.deepEqual(found.map((v) => [v.schema, v.pointer, v.unknownField ?? false]), [[`core/request/${verb}`, '/zzz', true]], `${verb}: its ack let the unknown field through`);
      // Refused, it is a deliberately malformed request: not counted.
      const refused = echoChecker();
      refused.outgoing('janus', { janus: verb, ...extra, zzz: 1, transaction: `${verb}-2` }, { sessionId: 5, handleId: 77 });
      assert.deepEqual(refused.incoming('janus', { janus: 'error', session_id: 5, transaction: `${verb}-2`, error: { code: 458, reason: 'No such session 5' } }), []);
    }
    // A message's ack is not its verdict: the plugin may still refuse it in its event.
    const message = echoChecker();
    message.outgoing('janus', { janus: 'message', body: { audio: 'yes' }, transaction: 'm1' }, { sessionId: 5, handleId: 77 });
    assert.deepEqual(message.incoming('janus', { janus: 'ack', session_id: 5, transaction: 'm1' }), []);
  });

  it('a message_plugin request the plugin refuses in its response is not counted (an error scenario\'s malformed request)', function () {
    const c = new MessageChecker('1.1.2');
    c.outgoing('admin', { janus: 'message_plugin', plugin: 'janus.plugin.videoroom', request: { request: 'bogus' }, transaction: 'p1' }, {});
    assert.deepEqual(c.incoming('admin', { janus: 'success', transaction: 'p1', response: { videoroom: 'event', error_code: 423, error: "Unknown request 'bogus'" } }), []);
    // Accepted, it counts.
    c.outgoing('admin', { janus: 'message_plugin', plugin: 'janus.plugin.videoroom', request: { request: 'list', zzz: 1 }, transaction: 'p2' }, {});
    const found = c.incoming('admin', { janus: 'success', transaction: 'p2', response: { videoroom: 'success', list: [] } });
    assert.deepEqual(found.map((v) => v.pointer), ['/request/zzz']);
  });

  it('events without a transaction must be notifications the plugin sends unasked', function () {
    const c = echoChecker();
    assert.deepEqual(c.incoming('janus', echoEvent({ echotest: 'event', result: 'done' })), []);
    const [v] = c.incoming('janus', echoEvent({ echotest: 'other' }));
    assert.match(v!.rule, /not a known notification without a transaction/);
  });

  it("checks message_plugin's request and response against the plugin's synchronous requests", function () {
    const c = new MessageChecker('1.1.2');
    const admin = { janus: 'message_plugin', plugin: 'janus.plugin.videoroom', admin_secret: 's' };
    c.outgoing('admin', { ...admin, transaction: 'p1', request: { request: 'exists', room: 1234 } }, {});
    assert.deepEqual(c.incoming('admin', { janus: 'success', transaction: 'p1', response: { videoroom: 'success', room: 1234, exists: true } }), []);
    c.outgoing('admin', { ...admin, transaction: 'p2', request: { request: 'exists', room: 1234 } }, {});
    const [v] = c.incoming('admin', { janus: 'success', transaction: 'p2', response: { videoroom: 'success', room: 1234, exists: 'yes' } });
    assert.equal(v!.pointer, '/response/exists');
    c.outgoing('admin', { ...admin, transaction: 'p3', request: { request: 'exists', room: 'not a number' } }, {});
    const [r] = c.incoming('admin', { janus: 'success', transaction: 'p3', response: { videoroom: 'success', room: 1234, exists: false } });
    assert.equal(r!.pointer, '/request/room');
    // EchoTest's admin hook echoes the request back: nothing of the plugin catalogue applies.
    c.outgoing('admin', { janus: 'message_plugin', plugin: ECHO, admin_secret: 's', transaction: 'p4', request: { hello: 1 } }, {});
    assert.deepEqual(c.incoming('admin', { janus: 'success', transaction: 'p4', response: { hello: 1 } }), []);
  });

  it('strict mode adds additionalProperties: false wherever properties are listed and nothing else is said', function () {
    const strict = forbidUnknownFields({ type: 'object', properties: { a: { type: 'object', properties: { b: {} } }, m: { type: 'object', additionalProperties: { type: 'object', properties: { c: {} } } } } });
    assert.equal(strict.additionalProperties, false);
    const props = strict.properties as Record<string, Record<string, unknown>>;
    assert.equal(props.a!.additionalProperties, false);
    assert.equal((props.m!.additionalProperties as Record<string, unknown>).additionalProperties, false);
    assert.deepEqual(violationsOf('echotest/result', { echotest: 'event', result: 'ok', x: 1 }, false), []);
    assert.equal(violationsOf('echotest/result', { echotest: 'event', result: 'ok', x: 1 }, true).length, 1);
  });

  it('names error codes both ways, core and plugin', function () {
    assert.equal(errorCodeByName('SESSION_NOT_FOUND'), 458);
    assert.equal(errorCodeByName('ECHOTEST_INVALID_ELEMENT'), 413);
    assert.equal(errorNameOf(458), 'SESSION_NOT_FOUND');
    assert.equal(errorNameOf(413, ECHO), 'ECHOTEST_INVALID_ELEMENT');
    assert.equal(errorCodeByName('NOPE'), undefined);
  });

  it('compares versions and ranges', function () {
    assert.ok(compareVersions('1.1.2', '1.1.10') < 0);
    assert.ok(compareVersions('1.2', '1.1.9') > 0);
    assert.ok(holdsFor({ until: '1.1.2' }, '1.1.2'));
    assert.ok(!holdsFor({ until: '1.1.2' }, '1.1.3'));
    assert.ok(!holdsFor({ since: '1.2.0' }, '1.1.2'));
    assert.ok(holdsFor({ since: '1.2.0' }, undefined));
  });

  it('every schema in the catalogue compiles in both modes', function () {
    for (const name of schemaNames()) {
      violationsOf(name, {}, false);
      violationsOf(name, {}, true);
    }
  });
});
