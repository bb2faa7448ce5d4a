import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Media scenarios against a Janus the runner did not start (`--url`): the peers run in the
 * runner's own process (LocalPeerHost) and must reach webrtcup, media and the data channel echo.
 * Janus and the runner share a network namespace made for the test, as a server and a client
 * on one network would.
 */
describe('media scenarios against a running Janus (--url)', function () {
  this.timeout(120_000);

  it('bring a PeerConnection up from the runner\'s own process over http and ws', function () {
    const inside = fileURLToPath(new URL('../support/remote-media-inside.js', import.meta.url));
    const result = spawnSync('unshare', ['-Urn', process.execPath, inside, 'scenarios/media/echotest-webrtc.yaml'], { encoding: 'utf8', timeout: 110_000 });
    assert.equal(result.status, 0, result.stderr);
    const run = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { code: number; stdout: string; stderr: string };
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /✔ EchoTest with a real PeerConnection, from offer to hangup \[http\]/);
    assert.match(run.stdout, /✔ EchoTest with a real PeerConnection, from offer to hangup \[ws\]/);
    assert.match(run.stdout, /\b2 passing/);
  });
});
