import assert from 'node:assert/strict';
import { unmetConfig } from '../../src/plan/remote.js';

/** A scenario's requires.janus that a running server lacks is a skip reason, shown in --list and every report. */
describe('skip reasons against a running Janus', function () {
  const info = { 'session-timeout': 60, api_secret: true, auth_token: false };

  it('name a plain setting with the value wanted', () => {
    assert.equal(unmetConfig({ session_timeout: 5 }, info, {}), 'needs a Janus configured with session_timeout = 5');
  });

  it('name a secret setting without its value: the scenario\'s api, admin or token secret is never shown', () => {
    for (const key of ['api_secret', 'admin_secret', 'token_auth_secret']) {
      const reason = unmetConfig({ [key]: 's3Kq8vXw2Rm' }, info, { apisecret: 'another' });
      assert.ok(reason?.startsWith(`needs a Janus configured with ${key} = [redacted]`), reason);
      assert.ok(!reason!.includes('s3Kq'), reason);
    }
  });

  it('a met api_secret is no reason', () => {
    assert.equal(unmetConfig({ api_secret: 's3Kq8vXw2Rm' }, info, { apisecret: 's3Kq8vXw2Rm' }), undefined);
  });
});
