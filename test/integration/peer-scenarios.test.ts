import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { runCli } from '../support/cli.js';
import { type Peers, startPeers } from '../support/peers.js';

/**
 * test/scenarios through the CLI, the way a user runs scenarios that need peers besides
 * Janus: SIPp and coturn on loopback, their addresses in environment variables. The schema
 * catalogue test runs the same files over http and ws; here they run over the TLS transports.
 */
describe('scenarios with a SIP peer and a STUN server (test/scenarios)', function () {
  this.timeout(120_000);
  let peers: Peers;
  before(async () => {
    peers = await startPeers();
  });
  after(() => peers?.stop());

  it('pass over https and wss against the managed Janus', async function () {
    const files = readdirSync('test/scenarios', { recursive: true }).filter((f) => String(f).endsWith('.yaml'));
    const run = await runCli(['run', 'test/scenarios', '--transport', 'https,wss', '--jobs', '4'], { env: peers.env });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, new RegExp(`\\b${files.length * 2} passing`));
    assert.doesNotMatch(run.stdout, /pending|skipped/);
  });

  it('will not load without the peers\' addresses, naming the variable and where it is read', async function () {
    const run = await runCli(['validate', 'test/scenarios/stun/test-stun.yaml'], { env: { STUN_PORT: '', STUN_LOCAL_PORT: '3478' } });
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.match(run.stderr, /test\/scenarios\/stun\/test-stun\.yaml:\d+:\d+/);
    assert.match(run.stderr, /environment variable STUN_PORT is not an integer: ""/);
  });
});
