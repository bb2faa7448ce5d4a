import assert from 'node:assert/strict';
import { Redactor } from '../../src/report/redact.js';

describe('Redactor', function () {
  it('replaces a secret inside strings, in its JSON-escaped forms, and as a whole value', () => {
    const r = new Redactor(['s3"cr\\et', '4242', undefined, '']);
    const message = { apisecret: 's3"cr\\et', note: 'a s3"cr\\et inside', id: 4242, other: 42, list: ['4242x'] };
    assert.deepEqual(r.value(message), { apisecret: '[redacted]', note: 'a [redacted] inside', id: '[redacted]', other: 42, list: ['[redacted]x'] });
    assert.equal(r.text(JSON.stringify(message)).includes('s3'), false);
    assert.equal(r.text(JSON.stringify(JSON.stringify(message))).includes('s3'), false);
  });

  it('replaces the longest secret first, and learns new ones as the run goes', () => {
    const r = new Redactor(['abc']);
    r.add(['abcdef']);
    assert.equal(r.text('xabcdefx abc'), 'x[redacted]x [redacted]');
    assert.equal(new Redactor().text('nothing secret'), 'nothing secret');
  });
});

describe('Redactor, encodings and cuts', function () {
  const secret = 'Zq7Nx4Kp 9Wm2/Tr8+Vb3';
  const r = new Redactor([secret]);

  it('finds a secret URL-encoded, HTML-escaped and base64-encoded at every alignment', () => {
    assert.equal(r.text(`q=${encodeURIComponent(secret)}&f=${encodeURIComponent(secret).replace(/%20/g, '+')}`), 'q=[redacted]&f=[redacted]');
    for (const before of ['', 'a', 'ab', 'abc']) {
      const encoded = Buffer.from(`${before}${secret}tail`).toString('base64');
      assert.ok(!r.text(encoded).includes(Buffer.from(secret).toString('base64').slice(2, 12)), `alignment ${before.length}`);
      assert.match(r.text(encoded), /\[redacted\]/);
    }
  });

  it('redacts a piece of a secret next to a cut mark, at every cut position', () => {
    for (let n = 1; n < secret.length; n++) {
      const cut = `{"note":"${secret}"}`.slice(0, 9 + n) + '...';
      assert.equal(r.text(cut), '{"note":"[redacted]...', `cut after ${n} characters`);
      assert.equal(r.text(`..."${secret.slice(n)}`), '..."[redacted]');
    }
  });

  it('redacts credentials in URLs whatever their value', () => {
    assert.equal(new Redactor().text('at http://bob:pw@h:1/janus?maxev=1&apisecret=s3&token=t and ws://u@h/'), 'at http://[redacted]@h:1/janus?maxev=1&apisecret=[redacted]&token=[redacted] and ws://[redacted]@h/');
  });
});
