import assert from 'node:assert/strict';
import { PeerError, type SessionDescription } from '../../src/media/contract.js';
import { lastLine, ProcessPeerHost } from '../../src/media/process-host.js';
import { childPids } from '../support/processes.js';

/**
 * The PeerHost of peer processes (used against a --url Janus, and by the namespace agent)
 * through its contract: what its offers carry, answering an offer, the errors a scenario author
 * meets, and a peer process that dies. Nothing here connects: ICE with a real Janus needs the
 * namespaced launcher (see cli-media.test.ts).
 */
describe('PeerHost of WebRTC peer processes', function () {
  this.timeout(20_000);
  const host = new ProcessPeerHost();
  after(() => host.shutdown());

  it('offers Opus with the audio-level extension, VP8 and a data channel, without candidates', async function () {
    const offer = (await host.run({ op: 'offer', id: 'a/pc', tracks: { audio: true, video: true, data: true } })) as SessionDescription;
    assert.equal(offer.type, 'offer');
    assert.match(offer.sdp, /\r\nm=audio \d+ UDP\/TLS\/RTP\/SAVPF 111\r\n/);
    assert.match(offer.sdp, /\r\na=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n/);
    assert.match(offer.sdp, /\r\na=rtpmap:111 opus\/48000\/2\r\n/);
    assert.match(offer.sdp, /\r\nm=video \d+ UDP\/TLS\/RTP\/SAVPF 96\r\n/);
    assert.match(offer.sdp, /\r\na=rtpmap:96 VP8\/90000\r\n/);
    assert.match(offer.sdp, /\r\nm=application \d+ UDP\/DTLS\/SCTP webrtc-datachannel\r\n/);
    // Janus must not reach the peer before the peer has its answer (see withoutCandidates).
    assert.doesNotMatch(offer.sdp, /a=candidate:|a=end-of-candidates/);
    assert.match(offer.sdp, /\r\na=ice-ufrag:/);
  });

  it('offers VP9 in one stream for svc', async function () {
    const offer = (await host.run({ op: 'offer', id: 'h/svc', tracks: { audio: false, video: true, data: false, svc: true } })) as SessionDescription;
    assert.match(offer.sdp, /\r\nm=video \d+ UDP\/TLS\/RTP\/SAVPF 98\r\n/);
    assert.match(offer.sdp, /\r\na=rtpmap:98 VP9\/90000\r\n/);
    assert.doesNotMatch(offer.sdp, /VP8|ssrc-group/);
  });

  it('offers only the tracks asked for', async function () {
    const offer = (await host.run({ op: 'offer', id: 'b/audio-only', tracks: { audio: true, video: false, data: false } })) as SessionDescription;
    assert.match(offer.sdp, /m=audio /);
    assert.doesNotMatch(offer.sdp, /m=video |m=application /);
  });

  it('answers an offer, receiving what it offers', async function () {
    const offer = (await host.run({ op: 'offer', id: 'c/caller', tracks: { audio: true, video: true, data: false } })) as SessionDescription;
    const answer = (await host.run({ op: 'accept', id: 'c/callee', jsep: offer })) as SessionDescription;
    assert.equal(answer.type, 'answer');
    assert.match(answer.sdp, /m=audio /);
    assert.match(answer.sdp, /m=video /);
    assert.match(answer.sdp, /\r\na=candidate:/, 'an answer keeps its host candidates');
    assert.equal(await host.run({ op: 'accept', id: 'c/caller', jsep: answer }), undefined);
  });

  it('takes an answer without candidates only with trickled ones (Janus with full_trickle)', async function () {
    const offer = (await host.run({ op: 'offer', id: 'm/caller', tracks: { audio: true, video: false, data: false } })) as SessionDescription;
    const answer = (await host.run({ op: 'accept', id: 'm/callee', jsep: offer })) as SessionDescription;
    const lines = answer.sdp.split('\r\n');
    const trickled = lines.filter((l) => l.startsWith('a=candidate:')).map((l) => ({ candidate: l.slice(2), sdpMid: '0' }));
    const bare = { type: 'answer' as const, sdp: lines.filter((l) => !/^a=(candidate:|end-of-candidates)/.test(l)).join('\r\n') };
    await assert.rejects(host.run({ op: 'accept', id: 'm/caller', jsep: bare }), (e: Error) => e instanceof PeerError && /has no ICE candidates .*full_trickle.*`candidates:`/.test(e.message));
    assert.equal(await host.run({ op: 'accept', id: 'm/caller', jsep: bare, candidates: trickled }), undefined);
  });

  it('refuses a second offer while the first is unanswered', async function () {
    await host.run({ op: 'offer', id: 'd/pc', tracks: { audio: true, video: false, data: false } });
    await assert.rejects(host.run({ op: 'offer', id: 'd/pc', tracks: { audio: true, video: false, data: false } }), (e: Error) => e instanceof PeerError && /middle of a negotiation/.test(e.message));
  });

  it('names what is missing: a peer, tracks, a data channel', async function () {
    await assert.rejects(host.run({ op: 'send', id: 'e/nobody', options: {} }), (e: Error) => e instanceof PeerError && /no peer nobody: make an offer or accept one first/.test(e.message));
    await host.run({ op: 'offer', id: 'e/data-only', tracks: { audio: false, video: false, data: true } });
    await assert.rejects(host.run({ op: 'send', id: 'e/data-only', options: {} }), (e: Error) => e instanceof PeerError && /no tracks to send on/.test(e.message));
    await host.run({ op: 'offer', id: 'e/no-data', tracks: { audio: true, video: false, data: false } });
    await assert.rejects(host.run({ op: 'receive', id: 'e/no-data', timeoutMs: 100 }), (e: Error) => e instanceof PeerError && /no data channel message reached peer/.test(e.message));
    await assert.rejects(host.run({ op: 'data', id: 'e/no-data', text: 'x', timeoutMs: 100 }), (e: Error) => e instanceof PeerError && /has no data channel/.test(e.message));
  });

  it('closeAll closes the peers of one prefix only', async function () {
    await host.run({ op: 'offer', id: 'f/one', tracks: { audio: true, video: false, data: false } });
    await host.run({ op: 'offer', id: 'g/two', tracks: { audio: true, video: false, data: false } });
    await host.closeAll('f/');
    await assert.rejects(host.run({ op: 'stop', id: 'f/one' }), PeerError);
    assert.equal(await host.run({ op: 'stop', id: 'g/two' }), undefined);
  });

  it('closeAll ends the peer process of that scenario run', async function () {
    const before = peerProcesses();
    await host.run({ op: 'offer', id: 'k/pc', tracks: { audio: true, video: false, data: false } });
    const started = peerProcesses().filter((pid) => !before.includes(pid));
    assert.equal(started.length, 1);
    await host.closeAll('k/');
    assert.ok(!peerProcesses().includes(started[0]!), 'the peer process is gone after closeAll');
  });

  for (const signal of ['SIGSEGV', 'SIGKILL'] as const) {
    it(`a peer process killed by ${signal} fails its scenario run with the reason, and only that one`, async function () {
      const lostHost = new ProcessPeerHost((prefix, reason) => heard.push(`${prefix} ${reason}`));
      const heard: string[] = [];
      const watched: string[] = [];
      const before = peerProcesses();
      try {
        await lostHost.run({ op: 'offer', id: 'x/pc', tracks: { audio: false, video: false, data: true } });
        const [victim] = peerProcesses().filter((pid) => !before.includes(pid));
        await lostHost.run({ op: 'offer', id: 'y/pc', tracks: { audio: true, video: false, data: false } });
        lostHost.watch('x/', (reason) => watched.push(reason));
        lostHost.watch('y/', (reason) => watched.push(`y: ${reason}`));
        // A command in progress when the process dies fails with the reason.
        const receiving = lostHost.run({ op: 'receive', id: 'x/pc', timeoutMs: 15_000 });
        process.kill(victim!, signal);
        const reason = `WebRTC peer process died: signal ${signal}`;
        await assert.rejects(receiving, (e: Error) => e instanceof PeerError && e.message === reason);
        assert.deepEqual(watched, [reason]);
        assert.deepEqual(heard, [`x/ ${reason}`]);
        // Later commands of that run fail the same way; the other run's peers live on.
        await assert.rejects(lostHost.run({ op: 'stop', id: 'x/pc' }), (e: Error) => e.message === reason);
        assert.equal(await lostHost.run({ op: 'stop', id: 'y/pc' }), undefined);
        // The next scenario run gets a process of its own.
        const offer = (await lostHost.run({ op: 'offer', id: 'z/pc', tracks: { audio: true, video: false, data: false } })) as SessionDescription;
        assert.match(offer.sdp, /m=audio /);
        await lostHost.closeAll('x/');
      } finally {
        await lostHost.shutdown();
      }
      assert.deepEqual(peerProcesses().filter((pid) => !before.includes(pid)), [], 'no peer process is left');
    });
  }
});

describe('the reason a peer process died', function () {
  it('names the uncaught error, not Node\'s closing version line or the stack', function () {
    const stderr = ['file:///x/peer.js:12', '    track.sendMessageBinary(p);', '          ^', '', 'TypeError: Track is closed', '    at MediaPeer.tick (file:///x/peer.js:12:11)', '    at listOnTimeout (node:internal/timers:581:17)', '', 'Node.js v20.20.2', ''].join('\n');
    assert.equal(lastLine(stderr), ' (TypeError: Track is closed)');
    assert.equal(lastLine('some words\nNode.js v20.20.2\n'), ' (some words)');
    assert.equal(lastLine(''), '');
  });
});

/** The WebRTC peer processes this test process started and that still run. */
function peerProcesses(): number[] {
  return childPids(process.pid, /peer-process\.js/);
}
