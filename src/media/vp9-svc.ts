/**
 * Fake VP9 with SVC (RFC 9628 payload descriptor, non-flexible mode): every picture is two
 * layer frames, spatial layer 0 then 1, one packet each, with the layer indices Janus reads
 * (janus_vp9_parse_svc) to pick what a subscriber gets. Pictures cycle temporal layers 0, 2,
 * 1, 2; every KEY_FRAME_EVERY-th picture is a key frame (P clear, scalability structure with
 * the layer sizes, which is what janus_vp9_is_keyframe looks for), so switching up spatially,
 * which waits for a key frame, happens within a fraction of a second. The first key frame is
 * picture FIRST_KEY_FRAME, not 0: Janus goes up only to a spatial layer it received in the
 * last 250 ms, so a subscriber that is up before the media starts sees both layers before the
 * first key frame, and starts at layer 1 rather than 0.
 *
 * The switching-up point bit (U) is on every upper temporal layer frame; on temporal layer 0
 * only with `keyFrameSwitchUp`, and then only on key frames. libwebrtc never sets it on layer 0
 * (its group of frames marks the first frames of layers 1 and 2), RFC 9628 allows it on a key
 * frame, since nothing after one depends on what came before it. Janus 1.1.4+ start a new
 * subscriber's temporal layer only at a U frame, which is the difference the option shows.
 */
export const VP9_PAYLOAD_TYPE = 98;
export const SPATIAL_LAYERS = 2;

const TEMPORAL_PATTERN = [0, 2, 1, 2];
const KEY_FRAME_EVERY = 8;
const FIRST_KEY_FRAME = 4;
/** Layer sizes in the scalability structure: 320x180 and 640x360. */
const SIZES = [[320, 180], [640, 360]] as const;
/** Stand-in for the compressed frame; Janus never decodes it, but wants 16+ bytes for a key frame. */
const FRAME_BYTES = Buffer.alloc(16, 0x55);

// Payload descriptor, first octet.
const P = 0x40; // inter-picture predicted (clear on key frames)
const L = 0x20; // layer indices present
const B = 0x08; // start of a layer frame
const E = 0x04; // end of a layer frame
const V = 0x02; // scalability structure present

/** The payloads of picture number `picture` (0, 1, ...), lowest spatial layer first. */
export function vp9SvcPicture(picture: number, keyFrameSwitchUp = false): Buffer[] {
  const key = picture % KEY_FRAME_EVERY === FIRST_KEY_FRAME;
  const tid = TEMPORAL_PATTERN[picture % TEMPORAL_PATTERN.length]!;
  // TL0PICIDX counts the pictures of temporal layer 0.
  const tl0PicIdx = Math.floor(picture / TEMPORAL_PATTERN.length) & 0xff;
  const payloads: Buffer[] = [];
  for (let sid = 0; sid < SPATIAL_LAYERS; sid++) {
    const ss = key && sid === 0;
    // Key frames have no reference outside the picture; layer 1 always predicts from layer 0 (D).
    const first = L | B | E | (key ? 0 : P) | (ss ? V : 0);
    // U (switching up point) on every upper temporal layer frame, as Janus upswitches only there.
    const switchUp = tid > 0 || (key && keyFrameSwitchUp);
    const indices = (tid << 5) | (switchUp ? 0x10 : 0) | (sid << 1) | (sid > 0 ? 1 : 0);
    payloads.push(Buffer.concat([Buffer.from([first, indices, tl0PicIdx]), ss ? scalabilityStructure() : Buffer.alloc(0), FRAME_BYTES]));
  }
  return payloads;
}

/** N_S-1 and Y (sizes present), then width and height of each spatial layer. */
function scalabilityStructure(): Buffer {
  const ss = Buffer.alloc(1 + 4 * SIZES.length);
  ss[0] = ((SIZES.length - 1) << 5) | 0x10;
  SIZES.forEach(([width, height], i) => {
    ss.writeUInt16BE(width, 1 + 4 * i);
    ss.writeUInt16BE(height, 3 + 4 * i);
  });
  return ss;
}
