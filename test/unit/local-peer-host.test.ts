import assert from 'node:assert/strict';
import { PeerError, type SessionDescription } from '../../src/media/contract.js';
import { LocalPeerHost } from '../../src/media/local-host.js';

/**
 * The in-process PeerHost (used against a --url Janus) through its contract: what its offers
 * carry, answering an offer, and the errors a scenario author meets. Nothing here connects:
 * ICE with a real Janus needs the namespaced launcher (see cli-media.test.ts).
 */
describe('in-process PeerHost', function () {
  const host = new LocalPeerHost();
  after(() => host.closeAll(''));

  it('offers Opus with the audio-level extension, VP8 and a data channel, with host candidates', async function () {
    const offer = (await host.run({ op: 'offer', id: 'a/pc', tracks: { audio: true, video: true, data: true } })) as SessionDescription;
    assert.equal(offer.type, 'offer');
    assert.match(offer.sdp, /\r\nm=audio \d+ UDP\/TLS\/RTP\/SAVPF 111\r\n/);
    assert.match(offer.sdp, /\r\na=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n/);
    assert.match(offer.sdp, /\r\na=rtpmap:111 opus\/48000\/2\r\n/);
    assert.match(offer.sdp, /\r\nm=video \d+ UDP\/TLS\/RTP\/SAVPF 96\r\n/);
    assert.match(offer.sdp, /\r\na=rtpmap:96 VP8\/90000\r\n/);
    assert.match(offer.sdp, /\r\nm=application \d+ UDP\/DTLS\/SCTP webrtc-datachannel\r\n/);
    assert.match(offer.sdp, /\r\na=candidate:/);
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
    assert.equal(await host.run({ op: 'accept', id: 'c/caller', jsep: answer }), undefined);
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
    await assert.rejects(host.run({ op: 'data', id: 'e/no-data', text: 'x' }), (e: Error) => e instanceof PeerError && /has no data channel/.test(e.message));
  });

  it('closeAll closes the peers of one prefix only', async function () {
    await host.run({ op: 'offer', id: 'f/one', tracks: { audio: true, video: false, data: false } });
    await host.run({ op: 'offer', id: 'g/two', tracks: { audio: true, video: false, data: false } });
    await host.closeAll('f/');
    await assert.rejects(host.run({ op: 'stop', id: 'f/one' }), PeerError);
    assert.equal(await host.run({ op: 'stop', id: 'g/two' }), undefined);
  });
});
