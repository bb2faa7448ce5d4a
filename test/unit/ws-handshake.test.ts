import assert from 'node:assert/strict';
import { wsTransport } from '../../src/transports/ws.js';
import { eventually } from '../support/admin.js';
import { acceptOf, answering, END, frame, switching, type Answer, type Upgrade } from '../support/raw-ws-server.js';
import { RecordingSink } from '../support/transports.js';

/**
 * The WebSocket opening handshake the transport makes itself (ws-handshake.ts), against a raw
 * TCP server (raw-ws-server.ts) that reads the request and writes whatever answer a test gives: the request is
 * what a WebSocket server expects, a good answer opens a connection whose frames are masked
 * (a client's), and every bad answer fails the connect with a one-line reason and its socket
 * closed, before the time limit.
 */

/** The payload of a client's (masked) frame, unmasked; fails unless the frame is masked. */
function unmasked(frame: Buffer): string {
  assert.equal(frame[0]! & 0x0f, 0x1, 'a text frame');
  assert.equal(frame[1]! & 0x80, 0x80, 'a client frame is masked (RFC 6455, 5.3)');
  const length = frame[1]! & 0x7f;
  assert.ok(length < 126, 'a short frame');
  const mask = frame.subarray(2, 6);
  const payload = Buffer.from(frame.subarray(6, 6 + length));
  for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
  return payload.toString('utf8');
}

describe('the WebSocket opening handshake', function () {
  this.timeout(20_000);
  const ws = () => wsTransport({ name: 'ws', schemes: ['ws'], secure: false });
  const options = (url: string, api: 'janus' | 'admin' = 'janus') => ({ url, api, tls: {}, connectTimeoutMs: 10_000 });

  it('sends the upgrade a WebSocket server expects, and masks what it sends once open', async () => {
    const server = await answering((upgrade) => [Buffer.from(switching(upgrade, { 'Sec-WebSocket-Protocol': /janus-admin-protocol/.test(upgrade.head) ? 'janus-admin-protocol' : 'janus-protocol' }))]);
    try {
      const janus = await ws().connect(options(`${server.url}/path/x?token=a%20b`), new RecordingSink());
      janus.send({ janus: 'ping', transaction: 't1' }, {});
      assert.ok(await eventually(() => server.frames.length > 0, 5000), 'the server got a frame');
      assert.deepEqual(JSON.parse(unmasked(server.frames[0]!)), { janus: 'ping', transaction: 't1' });
      await janus.close({ now: true });
      const admin = await ws().connect(options(server.url, 'admin'), new RecordingSink());
      await admin.close({ now: true });
      const [first, second] = server.upgrades;
      const lines = first!.head.split('\r\n');
      assert.equal(lines[0], 'GET /path/x?token=a%20b HTTP/1.1');
      const fields = new Map(lines.slice(1).map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      assert.equal(fields.get('host'), new URL(server.url).host);
      assert.equal(fields.get('upgrade'), 'websocket');
      assert.equal(fields.get('connection'), 'Upgrade');
      assert.equal(fields.get('sec-websocket-version'), '13');
      assert.equal(fields.get('sec-websocket-protocol'), 'janus-protocol');
      assert.equal(Buffer.from(fields.get('sec-websocket-key')!, 'base64').length, 16, 'a key of 16 bytes');
      assert.equal(fields.has('sec-websocket-extensions'), false, 'no extension offered');
      assert.equal(fields.has('authorization'), false);
      assert.match(second!.head, /^GET \/ HTTP\/1\.1\r\n/);
      assert.match(second!.head, /^sec-websocket-protocol: janus-admin-protocol$/im);
      assert.notEqual(second!.key, first!.key, 'a new key each time');
    } finally {
      server.stop();
    }
  });

  it("sends a URL's user and password as Basic credentials, and never shows them", async () => {
    const server = await answering(() => [Buffer.from('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n')]);
    try {
      const url = server.url.replace('ws://', 'ws://janus:s3cr%20t@');
      await assert.rejects(ws().connect(options(url), new RecordingSink()), (err: Error) => {
        assert.equal(err.message, `WebSocket ${server.url}: handshake failed: Unexpected server response: 401 (the port answers plain HTTP: is it Janus's HTTP port? give http://HOST:PORT/janus)`);
        return true;
      });
      assert.match(server.upgrades[0]!.head, new RegExp(`^authorization: Basic ${Buffer.from('janus:s3cr%20t').toString('base64')}$`, 'im'));
    } finally {
      server.stop();
    }
  });

  it('opens on an answer that comes in pieces, a frame with its last one', async () => {
    const server = await answering((upgrade) => {
      const answer = Buffer.concat([Buffer.from(switching(upgrade)), frame(0x1, Buffer.from('{"janus":"hi!"}'))]);
      return [...answer].map((byte) => Buffer.from([byte]));
    });
    try {
      const sink = new RecordingSink();
      const connection = await ws().connect(options(server.url), sink);
      assert.ok(await eventually(() => sink.messages.length === 1, 5000), `messages: ${JSON.stringify(sink.messages)}, faults: ${JSON.stringify(sink.faults.map((f) => f.message))}`);
      assert.deepEqual(sink.messages[0], { janus: 'hi!' });
      await connection.close({ now: true });
    } finally {
      server.stop();
    }
  });

  const bad: Array<{ what: string; answer: Answer; reason: string }> = [
    { what: 'a wrong Sec-WebSocket-Accept', answer: (u) => [Buffer.from(switching(u, { 'Sec-WebSocket-Accept': acceptOf('other') }))], reason: 'handshake failed: Invalid Sec-WebSocket-Accept header' },
    { what: 'no Sec-WebSocket-Accept', answer: (u) => [Buffer.from(switching(u, { 'Sec-WebSocket-Accept': undefined }))], reason: 'handshake failed: Invalid Sec-WebSocket-Accept header' },
    { what: 'no subprotocol', answer: (u) => [Buffer.from(switching(u, { 'Sec-WebSocket-Protocol': undefined }))], reason: 'handshake failed: Server sent no subprotocol' },
    { what: 'another subprotocol', answer: (u) => [Buffer.from(switching(u, { 'Sec-WebSocket-Protocol': 'janus-admin-protocol' }))], reason: 'handshake failed: Server sent an invalid subprotocol' },
    { what: 'an extension not asked for', answer: (u) => [Buffer.from(switching(u, { 'Sec-WebSocket-Extensions': 'permessage-deflate' }))], reason: 'handshake failed: Server sent a Sec-WebSocket-Extensions header but no extension was requested' },
    { what: 'an upgrade to another protocol', answer: (u) => [Buffer.from(switching(u, { Upgrade: 'h2c' }))], reason: 'handshake failed: Invalid Upgrade header' },
    { what: 'an SSH banner, the connection kept open', answer: () => [Buffer.from('SSH-2.0-OpenSSH_9.2\r\n')], reason: "handshake failed: the server's answer is not HTTP (is this port Janus's HTTP or WebSocket port?)" },
    { what: 'half an answer, then the end of the connection', answer: (u) => [Buffer.from(switching(u).slice(0, 40)), END], reason: 'handshake dropped by server (socket hang up; does this port speak "janus-protocol"?)' },
    { what: 'a header that never ends', answer: () => [Buffer.from('HTTP/1.1 101 Switching Protocols\r\n'), ...Array.from({ length: 40 }, () => Buffer.from(`X-Filler: ${'x'.repeat(1000)}\r\n`))], reason: 'handshake failed: the answer to the upgrade has a header over 16 KiB' },
  ];
  for (const { what, answer, reason } of bad) {
    it(`fails the connect on ${what}, its socket closed, before the time limit`, async () => {
      const server = await answering(answer);
      try {
        await assert.rejects(ws().connect(options(server.url), new RecordingSink()), (err: Error) => {
          assert.equal(err.message, `WebSocket ${server.url}: ${reason}`);
          return true;
        });
        assert.ok(await eventually(() => server.closed() === 1, 5000), 'the socket was closed');
      } finally {
        server.stop();
      }
    });
  }
});
