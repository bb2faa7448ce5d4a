import assert from 'node:assert/strict';
import { nextPackets, svcVideoStream } from '../../src/media/rtp.js';
import { SPATIAL_LAYERS, VP9_PAYLOAD_TYPE } from '../../src/media/vp9-svc.js';

/**
 * The layered VP9 a peer sends with svc: the payload descriptor fields Janus reads
 * (janus_vp9_parse_svc, janus_vp9_is_keyframe). Whether Janus switches layers on them is the
 * job of scenarios/media/videoroom-svc.yaml against the real server.
 */
describe('VP9 SVC packets', function () {
  const pictures = (count: number) => {
    const stream = svcVideoStream(1234);
    return Array.from({ length: count }, () => nextPackets(stream));
  };

  it('sends a picture as one packet per spatial layer, same timestamp, the marker on the last', function () {
    for (const picture of pictures(4)) {
      assert.equal(picture.length, SPATIAL_LAYERS);
      assert.deepEqual(picture.map((p) => p[1]! & 0x7f), [VP9_PAYLOAD_TYPE, VP9_PAYLOAD_TYPE]);
      assert.deepEqual(picture.map((p) => p[1]! >> 7), [0, 1]);
      assert.equal(picture[0]!.readUInt32BE(4), picture[1]!.readUInt32BE(4));
      // Layer indices: spatial id 0 then 1, layer 1 depending on layer 0 (D).
      assert.deepEqual(picture.map((p) => p[13]! & 0x0f), [0x00, 0x03]);
    }
  });

  it('cycles temporal layers 0, 2, 1, 2 with U on the upper ones, and sends a key frame every 8 pictures from the 5th', function () {
    const sent = pictures(17);
    assert.deepEqual(sent.slice(0, 8).map((p) => p[0]![13]! >> 4), [0x0, 0x5, 0x3, 0x5, 0x0, 0x5, 0x3, 0x5]);
    const keys = sent.map((p, i) => ((p[0]![12]! & 0x40) === 0 ? i : -1)).filter((i) => i >= 0);
    assert.deepEqual(keys, [4, 12]);
    // A key frame's first packet carries the scalability structure (V) with both layer sizes.
    const key = sent[12]![0]!;
    assert.equal(key[12]! & 0x02, 0x02);
    assert.deepEqual([key.readUInt16BE(16), key.readUInt16BE(18), key.readUInt16BE(20), key.readUInt16BE(22)], [320, 180, 640, 360]);
    assert.equal(sent[13]![0]![12]! & 0x02, 0);
  });

  it('marks key frames as switching-up points only when asked', function () {
    const sent = (keyFrameSwitchUp: boolean) => {
      const stream = svcVideoStream(1234, keyFrameSwitchUp);
      return Array.from({ length: 9 }, () => nextPackets(stream).map((p) => p[13]! >> 4));
    };
    // Temporal id and U of both layer frames of pictures 0..8 (4 a key frame).
    assert.deepEqual(sent(false).map((p) => p[0]), [0x0, 0x5, 0x3, 0x5, 0x0, 0x5, 0x3, 0x5, 0x0]);
    assert.deepEqual(sent(true).map((p) => p[0]), [0x0, 0x5, 0x3, 0x5, 0x1, 0x5, 0x3, 0x5, 0x0]);
    assert.deepEqual(sent(true).map((p) => p[1]), sent(true).map((p) => p[0]));
  });
});
