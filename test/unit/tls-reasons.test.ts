import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { get } from 'node:https';
import type { AddressInfo } from 'node:net';
import { describeError } from '../../src/transports/wire.js';

/** What a TLS failure reads as: OpenSSL's reason in words, never its line naming a source file of Node's build. */
describe('TLS failures in words', function () {
  let plain: Server;
  before((done) => {
    plain = createServer((_req, res) => res.end('{}')).listen(0, '127.0.0.1', done);
  });
  after((done) => {
    plain.close(() => done());
  });

  it('https on a plain http port: the server answered in plain text, and what to give instead', async function () {
    const { port } = plain.address() as AddressInfo;
    const err = await new Promise<unknown>((resolve) => get(`https://127.0.0.1:${port}/janus/info`, { rejectUnauthorized: false }, () => resolve(undefined)).on('error', resolve));
    assert.ok(err, 'the request succeeded');
    assert.equal(describeError(err), 'TLS: the server answered in plain text (is it an http or ws port? give http:// or ws://)');
  });

  it('another OpenSSL error: its reason alone', function () {
    const err = Object.assign(new Error('C0B7A1E7D27F0000:error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1605:SSL alert number 40\n'), { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' });
    assert.equal(describeError(err), 'TLS: sslv3 alert handshake failure');
  });
});
