import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { generate, parser, type IPublishPacket, type Packet } from 'mqtt-packet';
import type { TransportConnection } from '../../src/transports/contract.js';
import { mqttTransport } from '../../src/transports/mqtt.js';
import { options, RecordingSink, until } from '../support/transports.js';

/**
 * A broker that resends a QoS 1 message (the dup flag set, the same packet id) must not make one
 * Janus reply two: the second copy would be a second answer to a request, blamed on the server.
 * The broker is a fake that speaks just enough MQTT 3.1.1 and sends each reply twice.
 */
describe('MQTT at QoS 1: a message the broker sends again', function () {
  let server: Server;
  const sockets = new Set<Socket>();
  /** The requests the broker got from the client, in order. */
  const requests: Array<{ transaction: string }> = [];
  let toClient: (packet: Packet) => void = () => assert.fail('no client yet');

  before(async () => {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      const read = parser({ protocolVersion: 4 });
      toClient = (packet) => socket.write(generate(packet));
      read.on('packet', (packet: Packet) => {
        if (packet.cmd === 'connect') toClient({ cmd: 'connack', returnCode: 0, sessionPresent: false });
        if (packet.cmd === 'subscribe') toClient({ cmd: 'suback', messageId: packet.messageId!, granted: packet.subscriptions.map(() => 1 as const) });
        if (packet.cmd === 'pingreq') toClient({ cmd: 'pingresp' });
        if (packet.cmd === 'disconnect') socket.end();
        if (packet.cmd === 'publish') {
          if (packet.qos > 0) toClient({ cmd: 'puback', messageId: packet.messageId! });
          requests.push(JSON.parse(String(packet.payload)) as { transaction: string });
        }
      });
      socket.on('data', (data) => read.parse(data));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const reply = (transaction: string, messageId: number, dup: boolean): IPublishPacket =>
    ({ cmd: 'publish', topic: 'from-janus', qos: 1, dup, retain: false, messageId, payload: JSON.stringify({ janus: 'pong', transaction }) });

  it('passes the reply on once; a new message under the same packet id still comes through', async function () {
    const sink = new RecordingSink();
    const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}?qos=1`;
    const connection: TransportConnection = await mqttTransport().connect(options(url), sink);
    try {
      await connection.send({ janus: 'ping', transaction: 'first' }, {});
      await until('the first request at the broker', () => requests.length === 1);
      toClient(reply(requests[0]!.transaction, 7, false));
      toClient(reply(requests[0]!.transaction, 7, true));
      // The broker has our PUBACK: it may use the id again, for another message.
      await connection.send({ janus: 'ping', transaction: 'second' }, {});
      await until('the second request at the broker', () => requests.length === 2);
      toClient(reply(requests[1]!.transaction, 7, false));
      await sink.next('the second pong', (m) => m.transaction === 'second');
      assert.deepEqual(sink.messages.map((m) => m.transaction), ['first', 'second']);
      assert.deepEqual(sink.faults, []);
    } finally {
      await connection.close();
    }
  });
});
