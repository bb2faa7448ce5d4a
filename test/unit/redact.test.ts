import assert from 'node:assert/strict';
import { Redactor } from '../../reporters/redact.js';

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
