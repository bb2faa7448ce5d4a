import assert from 'node:assert/strict';
import { messageLine } from '../../src/report/failure-text.js';
import { connectionLabel } from '../../src/reporters/html/client/diagram.js';

/** A connection closing or opening again shows in failure texts and the HTML diagram as what it is, with its code. */
describe('connection events in reports', () => {
  it('failure texts show the close in words, not as a quoted JSON string', () => {
    const line = messageLine({ atMs: 12, client: 'main', direction: 'in', message: 'connection closed by the server (code 4321, bye)', connection: { event: 'closed', by: 'server', code: 4321, reason: 'bye' } });
    assert.equal(line, '+   12ms main <- connection closed by the server (code 4321, bye)');
  });

  it('the diagram labels a close with who closed it, the code and the reason, and a reopen', () => {
    assert.deepEqual(connectionLabel({ event: 'closed', by: 'client', code: 3504, reason: 'Gateway timeout' }), { verb: 'connection closed', detail: 'by the client, code 3504, Gateway timeout', error: false });
    assert.deepEqual(connectionLabel({ event: 'closed', by: 'client' }), { verb: 'connection closed', detail: 'by the client', error: false });
    assert.deepEqual(connectionLabel({ event: 'opened' }), { verb: 'connection opened', error: false });
  });
});
