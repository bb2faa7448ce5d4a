import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { scenarioDir } from '../support/cli.js';
import { ECHOTEST_CONNECTED } from '../support/media-scenarios.js';

/**
 * Media scenarios against a Janus the runner did not start (`--url`): the peers run in WebRTC
 * peer processes the runner starts, must reach webrtcup, media and the data channel echo, and a
 * peer process that crashes fails its scenario only. Janus and the runner share a network
 * namespace made for the test, as a server and a client on one network would.
 */
describe('media scenarios against a running Janus (--url)', function () {
  this.timeout(120_000);
  const files = scenarioDir({
    'sleeps.yaml': `name: sleeps with a live PeerConnection\n${ECHOTEST_CONNECTED}  - sleep: 60s\n`,
  });
  after(() => files.remove());

  /** Runs the CLI against a Janus in a namespace of the test's own (support/remote-media-inside.ts). */
  function runInside(...args: string[]) {
    const inside = fileURLToPath(new URL('../support/remote-media-inside.js', import.meta.url));
    const result = spawnSync('unshare', ['-Urn', process.execPath, inside, ...args], { encoding: 'utf8', timeout: 110_000 });
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { code: number; stdout: string; stderr: string; killed?: number; junit?: string; json?: string };
  }

  it('bring a PeerConnection up from a peer process of the runner over http and ws', function () {
    const run = runInside('scenarios/media/echotest-webrtc.yaml');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /✔ EchoTest with a real PeerConnection, from offer to hangup \[http\]/);
    assert.match(run.stdout, /✔ EchoTest with a real PeerConnection, from offer to hangup \[ws\]/);
    assert.match(run.stdout, /\b2 passing/);
  });

  for (const signal of ['SIGSEGV', 'SIGKILL']) {
    it(`a peer process killed by ${signal} fails its scenario with the reason; the others run and every report is written`, function () {
      const run = runInside(files.path('sleeps.yaml'), 'scenarios/media/echotest-webrtc.yaml', '--transport', 'http', '--kill-peer', signal);
      assert.ok(run.killed, `no peer process was seen: ${run.stdout}${run.stderr}`);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      const reason = `WebRTC peer process died: signal ${signal}`;
      assert.match(run.stdout, new RegExp(`sleeps with a live PeerConnection \\[http\\][\\s\\S]*${reason}`));
      assert.match(run.stdout, /✔ EchoTest with a real PeerConnection, from offer to hangup \[http\]/);
      assert.match(run.stdout, /\b1 passing/);
      assert.match(run.junit ?? '', new RegExp(`<failure [^>]*message="[^"]*${reason}`));
      const json = JSON.parse(run.json ?? "{}") as { scenarios?: Array<{ status: string; failure?: { summary: string } }> };
      assert.deepEqual(json.scenarios?.map((r) => [r.status, r.failure?.summary]), [['failed', reason], ['passed', undefined]]);
    });
  }
});
