import assert from 'node:assert/strict';
import { brokerRoutes, mqttJcfg, mqttUrl, rabbitmqJcfg, rabbitmqUrl } from '../../src/managed/brokers/janus-config.js';
import { renderJcfg } from '../../src/managed/jcfg.js';
import type { JanusMessage } from '../../src/protocol/messages.js';
import { parseBrokerUrl, withoutCredentials } from '../../src/transports/broker-url.js';
import { TransportFault } from '../../src/transports/contract.js';
import { mqttSettings } from '../../src/transports/mqtt.js';
import { rabbitSettings } from '../../src/transports/rabbitmq.js';
import { getTransport, transportForScheme } from '../../src/transports/registry.js';
import { ReplyRouter, type SharedChannel } from '../../src/transports/shared-channel.js';
import { MAILBOX_LIMITS } from '../../src/janus/mailbox.js';

/** A connection on a shared reply stream, recording what the router hands it. */
function connection(router: ReplyRouter): { channel: SharedChannel; got: JanusMessage[]; faults: string[] } {
  const got: JanusMessage[] = [];
  const faults: string[] = [];
  const holder = { channel: undefined as unknown as SharedChannel, got, faults };
  holder.channel = router.open({
    message: (m) => {
      holder.channel.received(m);
      got.push(m);
    },
    fault: (r) => faults.push(r),
  });
  return holder;
}

/** What Janus would echo for a request as sent on the wire. */
function wireTx(text: string): string {
  return (JSON.parse(text) as { transaction: string }).transaction;
}

describe('broker transports: one reply stream shared by every connection', () => {
  it('hands a reply only to the connection that sent the request, with its own transaction back', () => {
    const router = new ReplyRouter();
    const a = connection(router);
    const b = connection(router);
    // Both send the same transaction (a scenario repeated with one seed): the wire keeps them apart.
    const wa = wireTx(a.channel.outgoing({ janus: 'ping', transaction: 't1' }, {}));
    const wb = wireTx(b.channel.outgoing({ janus: 'ping', transaction: 't1' }, {}));
    assert.notEqual(wa, wb);
    router.route({ janus: 'pong', transaction: wb });
    assert.deepEqual(a.got, []);
    assert.deepEqual(b.got, [{ janus: 'pong', transaction: 't1' }]);
    router.route({ janus: 'pong', transaction: wa });
    assert.deepEqual(a.got, [{ janus: 'pong', transaction: 't1' }]);
  });

  it('drops what belongs to no connection of this process (another runner on the same Janus)', () => {
    const router = new ReplyRouter();
    const a = connection(router);
    router.route({ janus: 'pong', transaction: 't1' });
    router.route({ janus: 'pong', transaction: '0123456789ab/t1' });
    router.route({ janus: 'event', session_id: 42, sender: 1 });
    router.route({ janus: 'webrtcup', session_id: 42, sender: 1 });
    assert.deepEqual(a.got, []);
  });

  it('sends session events to the session owner (its creator, then its claimer), replies to the requester', () => {
    const router = new ReplyRouter();
    const alice = connection(router);
    const bob = connection(router);
    const create = wireTx(alice.channel.outgoing({ janus: 'create', transaction: 'c' }, {}));
    router.route({ janus: 'success', transaction: create, data: { id: 7 } });
    assert.deepEqual(alice.got, [{ janus: 'success', transaction: 'c', data: { id: 7 } }]);
    // bob messages alice's session: the ack is bob's, the plugin's event alice's.
    const message = wireTx(bob.channel.outgoing({ janus: 'message', transaction: 'm', body: {} }, { sessionId: 7, handleId: 9 }));
    router.route({ janus: 'ack', session_id: 7, transaction: message });
    router.route({ janus: 'event', session_id: 7, sender: 9, transaction: message, plugindata: {} });
    assert.deepEqual(bob.got, [{ janus: 'ack', session_id: 7, transaction: 'm' }]);
    assert.deepEqual(alice.got.at(-1), { janus: 'event', session_id: 7, sender: 9, transaction: 'm', plugindata: {} });
    // bob claims the session: from then on its events are bob's.
    const claim = wireTx(bob.channel.outgoing({ janus: 'claim', transaction: 'k' }, { sessionId: 7 }));
    router.route({ janus: 'success', session_id: 7, transaction: claim });
    router.route({ janus: 'hangup', session_id: 7, sender: 9, reason: 'x' });
    assert.deepEqual(bob.got.at(-1), { janus: 'hangup', session_id: 7, sender: 9, reason: 'x' });
    assert.equal(alice.got.length, 2);
  });

  it('gives a reply without a transaction to the oldest unanswered request, once', () => {
    const router = new ReplyRouter();
    const a = connection(router);
    const b = connection(router);
    a.channel.outgoing({ janus: 'create', id: 'abc', transaction: 'bad' }, {});
    const good = wireTx(b.channel.outgoing({ janus: 'ping', transaction: 'p' }, {}));
    router.route({ janus: 'pong', transaction: good });
    const error = { janus: 'error', error: { code: 467, reason: 'Invalid element type' } };
    router.route(error);
    assert.deepEqual(a.got, [error]);
    assert.deepEqual(b.got, [{ janus: 'pong', transaction: 'p' }]);
    // Nothing is unanswered any more: a second stray error goes nowhere.
    router.route(error);
    assert.equal(a.got.length + b.got.length, 2);
  });

  it('holds a reply without a transaction while requests of several connections may own it, and gives it to the one left', () => {
    const router = new ReplyRouter();
    const a = connection(router);
    const b = connection(router);
    // b's request went first: "the oldest" would be b's, yet it is a's request Janus refused.
    const good = wireTx(b.channel.outgoing({ janus: 'message', body: {}, transaction: 'm' }, { sessionId: 1, handleId: 2 }));
    a.channel.outgoing({ janus: 'create', id: 'abc', transaction: 'bad' }, {});
    const error = { janus: 'error', error: { code: 467, reason: 'Invalid element type' } };
    router.route(error);
    assert.deepEqual([a.got, b.got], [[], []], 'nobody gets it while both may own it');
    router.route({ janus: 'ack', transaction: good });
    assert.deepEqual(a.got, [error]);
    assert.deepEqual(b.got, [{ janus: 'ack', transaction: 'm' }]);
  });

  it('a held reply goes to the remaining connection when the other closes, or to the oldest request after the limit', async () => {
    const router = new ReplyRouter(20);
    const a = connection(router);
    const b = connection(router);
    const error = { janus: 'error', error: { code: 467, reason: 'x' } };
    a.channel.outgoing({ janus: 'ping', transaction: 'p' }, {});
    b.channel.outgoing({ janus: 'ping', transaction: 'q' }, {});
    router.route(error);
    b.channel.close();
    assert.deepEqual(a.got, [error]);
    const c = connection(router);
    const d = connection(router);
    c.channel.outgoing({ janus: 'ping', transaction: 'p' }, {});
    d.channel.outgoing({ janus: 'ping', transaction: 'q' }, {});
    router.route(error);
    assert.deepEqual([c.got, d.got], [[], []]);
    await new Promise<void>((resolve) => {
      const look = setInterval(() => c.got.length + d.got.length > 0 && (clearInterval(look), resolve()), 5);
    });
    assert.deepEqual([c.got, d.got], [[error], []], 'the oldest request takes it');
  });

  for (const [what, count, bytes, reason] of [
    ['messages', MAILBOX_LIMITS.messages + 1, 100, `more than ${MAILBOX_LIMITS.messages} replies`],
    ['bytes', 9, Math.ceil(MAILBOX_LIMITS.bytes / 8), 'more than 64 MiB of replies'],
  ] as const) {
    it(`holds no more replies than a mailbox keeps (${what}): past that, every connection fails and they are dropped`, () => {
      const router = new ReplyRouter();
      const a = connection(router);
      const b = connection(router);
      a.channel.outgoing({ janus: 'ping', transaction: 'p' }, {});
      b.channel.outgoing({ janus: 'ping', transaction: 'q' }, {});
      // Either request may own each of them: all are held.
      for (let i = 0; i < count - 1; i++) router.route({ janus: 'error', error: { code: 467, reason: `n${i}` } }, bytes);
      assert.deepEqual([a.faults, b.faults], [[], []], 'within the limit');
      router.route({ janus: 'error', error: { code: 467, reason: 'one too many' } }, bytes);
      const fault = `the server sent ${reason} without a transaction that no connection could be told to own, the most held: they were dropped`;
      assert.deepEqual([a.faults, b.faults], [[fault], [fault]]);
      // Dropped: the request left does not get them when the other connection closes.
      b.channel.close();
      assert.deepEqual(a.got, []);
    });
  }

  it('a request sent without a transaction takes a reply without one at once', () => {
    const router = new ReplyRouter();
    const a = connection(router);
    const b = connection(router);
    b.channel.outgoing({ janus: 'ping', transaction: 'q' }, {});
    a.channel.outgoing({ janus: 'ping' }, {});
    const pong = { janus: 'pong' };
    router.route(pong);
    assert.deepEqual(a.got, [pong]);
    assert.deepEqual(b.got, []);
  });

  it('rewrites only the transaction of a raw payload, byte for byte otherwise', () => {
    const router = new ReplyRouter();
    const a = connection(router);
    const raw = '{"janus":"ping",  "transaction" : "raw-1" }  ';
    const sent = a.channel.outgoing(raw, {});
    assert.equal(sent, raw.replace('"raw-1"', JSON.stringify(`${a.channel.tag}/raw-1`)));
    // Unparseable text goes out untouched.
    assert.equal(a.channel.outgoing('{"janus":', {}), '{"janus":');
  });

  it('tells every connection when the stream fails, and forgets a closed connection', () => {
    const router = new ReplyRouter();
    const a = connection(router);
    const b = connection(router);
    b.channel.close();
    router.faultAll('connection closed by broker');
    assert.deepEqual(a.faults, ['connection closed by broker']);
    assert.deepEqual(b.faults, []);
    assert.equal(router.size, 1);
  });
});

describe('broker transport URLs', () => {
  it('registers mqtt and rabbitmq by name and by scheme', () => {
    assert.equal(getTransport('mqtt')?.name, 'mqtt');
    assert.equal(transportForScheme('mqtts:')?.name, 'mqtt');
    assert.equal(transportForScheme('amqp')?.name, 'rabbitmq');
  });

  it('reads topics, QoS and version, with the Admin API defaults, and gives each client its own id', () => {
    const api = mqttSettings(parseBrokerUrl('MQTT', 'mqtt://127.0.0.1:1883', ['to_janus', 'from_janus', 'qos', 'version', 'client_id', 'keepalive']), 'janus');
    assert.deepEqual([api.toJanus, api.fromJanus, api.qos, api.version], ['to-janus', 'from-janus', 0, '3.1.1']);
    const admin = mqttSettings(parseBrokerUrl('MQTT', 'mqtt://h?qos=1&version=5&from_janus=out', ['qos', 'version', 'from_janus']), 'admin');
    assert.deepEqual([admin.toJanus, admin.fromJanus, admin.qos, admin.version], ['to-janus-admin', 'out', 1, '5']);
    assert.notEqual(api.clientId, mqttSettings(parseBrokerUrl('MQTT', 'mqtt://127.0.0.1:1883', []), 'janus').clientId);
  });

  it('refuses unknown options, bad values and wildcard topics with a fault that shows no credentials', () => {
    const cases: Array<[string, RegExp]> = [
      ['mqtt://u:s3cret@h?topic=x', /unknown option 'topic'/],
      ['mqtt://u:s3cret@h?qos=3', /qos=3 must be one of 0, 1, 2/],
      ['mqtt://u:s3cret@h?version=4', /version=4 must be one of 3\.1\.1, 5/],
      ['mqtt://u:s3cret@h?from_janus=a/%23', /wildcards/],
    ];
    for (const [url, reason] of cases) {
      assert.throws(() => mqttSettings(parseBrokerUrl('MQTT', url, ['to_janus', 'from_janus', 'qos', 'version']), 'janus'), (e: Error) => {
        assert.ok(e instanceof TransportFault);
        assert.match(e.message, reason);
        assert.doesNotMatch(e.message, /s3cret|u:/);
        return true;
      });
    }
    assert.throws(() => parseBrokerUrl('RabbitMQ', 'amqp://u:s3cret@[bad', []), (e: Error) => !e.message.includes('s3cret'));
  });

  it('reads RabbitMQ queues, exchange and vhost', () => {
    const parse = (url: string) => rabbitSettings(parseBrokerUrl('RabbitMQ', url, ['to_janus', 'from_janus', 'exchange', 'heartbeat']), 'janus');
    assert.equal(parse('amqp://h').vhost, '/');
    assert.equal(parse('amqp://h/').vhost, '/');
    assert.equal(parse('amqp://h/%2F').vhost, '/');
    assert.equal(parse('amqp://h/prod').vhost, 'prod');
    const s = parse('amqp://h?to_janus=in&from_janus=out&exchange=ex');
    assert.deepEqual([s.toJanus, s.fromJanus, s.exchange], ['in', 'out', 'ex']);
    assert.equal(parse('amqp://h').exchange, undefined);
    const admin = rabbitSettings(parseBrokerUrl('RabbitMQ', 'amqp://h', []), 'admin');
    assert.deepEqual([admin.toJanus, admin.fromJanus], ['to-janus-admin', 'from-janus-admin']);
  });

  it('removes credentials from library error text', () => {
    const broker = parseBrokerUrl('RabbitMQ', 'amqp://user:p%40ss@h:5672/v', []);
    assert.equal(withoutCredentials('failed amqp://user:p%40ss@h:5672/v with p@ss', broker), 'failed *** with ***');
  });
});

describe('managed Janus on brokers', () => {
  it('gives each instance its own topics and queues, with QoS 0 and the Admin API, and URLs that reach them', () => {
    const one = brokerRoutes('i1', 'mqtt');
    const two = brokerRoutes('i2', 'mqtt');
    assert.notEqual(one.toJanus, two.toJanus);
    const mqtt = renderJcfg(mqttJcfg(1883, one, 'i1'));
    for (const line of ['publish_qos = 0', 'subscribe_qos = 0', `subscribe_topic = "${one.toJanusAdmin}"`, 'url = "tcp://127.0.0.1:1883"', 'client_id = "janus-i1"']) assert.ok(mqtt.includes(line), line);
    const url = new URL(mqttUrl(1883, one, true));
    assert.equal(url.searchParams.get('to_janus'), one.toJanusAdmin);
    const rabbit = brokerRoutes('i1', 'rabbitmq');
    const jcfg = renderJcfg(rabbitmqJcfg(5672, rabbit));
    assert.ok(jcfg.includes(`janus_exchange = "${rabbit.exchange}"`) && jcfg.includes('janus_exchange_type = "direct"'));
    assert.equal(new URL(rabbitmqUrl(5672, rabbit, false)).searchParams.get('exchange'), rabbit.exchange);
  });
});
