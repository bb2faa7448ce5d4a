import { formatDuration } from '../core/duration.js';
import { PeerError, type PeerAction, type PeerResult, type RemoteCandidate, type SessionDescription } from '../media/contract.js';
import { commonProperties, NAME, namesValues, POSITIVE_DURATION, requireValues } from './common.js';
import { mismatchFailure, StepFailure, type CompiledStep, type StepContext, type StepKind } from './contract.js';

type Action = 'offer' | 'accept' | 'send_media' | 'stop_media' | 'message' | 'close';

/** The keys each action takes besides `peer`, `pc` and `name`. */
const ACTION_KEYS: Record<Action, string[]> = {
  offer: ['audio', 'video', 'data', 'simulcast', 'svc', 'key_frame_switch_up', 'save'],
  accept: ['jsep', 'candidates', 'save'],
  send_media: ['audio_level', 'loss'],
  stop_media: [],
  message: ['text', 'expect', 'within'],
  close: [],
};
const DEFAULT_PC = 'pc';

/**
 * `peer:` drives a WebRTC PeerConnection of the scenario (needs `requires: { media: true }`):
 * make an offer, accept Janus's answer or offer, send fake RTP, use the data channel, close.
 * Descriptions are saved as values that a request puts in `jsep`. Peers live until the
 * scenario ends, whatever its outcome.
 */
export const peerStep: StepKind = {
  key: 'peer',
  summary: 'drive a WebRTC peer (requires.media): offer, accept a jsep, send_media, stop_media, message, close',
  schema: {
    type: 'object',
    required: ['peer'],
    additionalProperties: false,
    properties: {
      peer: { enum: Object.keys(ACTION_KEYS), description: 'what the peer does' },
      pc: { ...NAME, description: `which PeerConnection (default "${DEFAULT_PC}"); offer and accept create it` },
      audio: { type: 'boolean', description: 'offer: an Opus track (default true)' },
      video: { type: 'boolean', description: 'offer: a VP8 track (default true)' },
      data: { type: 'boolean', description: 'offer: a data channel (default false)' },
      simulcast: { type: 'boolean', description: 'offer: the video as three simulcast streams (ssrc-group SIM; default false)' },
      svc: { type: 'boolean', description: 'offer: the video as VP9 with two spatial and three temporal layers (SVC) instead of VP8 (default false)' },
      key_frame_switch_up: { type: 'boolean', description: 'offer, with svc: key frames carry the switching-up point (U) bit too; by default only upper temporal layer frames do, as libwebrtc sends them (default false)' },
      save: { ...NAME, description: 'offer/accept: the name the local description {type, sdp} is saved as (default offer / answer)' },
      jsep: { description: 'accept: the remote description, usually a saved event\'s jsep: "${answer}"' },
      candidates: { type: ['array', 'string'], description: 'accept: Janus\'s trickled candidates (saved `candidate` of trickle events), for an answer without any (full_trickle)' },
      audio_level: { type: 'integer', minimum: 0, maximum: 127, description: 'send_media: audio level in -dBov (0 loud, 127 silent) in every audio packet' },
      loss: { type: 'integer', minimum: 0, maximum: 100, description: 'send_media: percent of packets skipped (sequence numbers used, packets never sent), so Janus counts them lost' },
      text: { type: 'string', description: 'message: text to send on the data channel' },
      expect: { description: 'message: pattern the next data channel message must match' },
      within: { ...POSITIVE_DURATION, description: 'message: how long to wait for it (default: the step time limit; in media scenarios at least 15s)' },
      name: commonProperties.name,
    },
  },
  compile(raw, cc) {
    const action = raw.peer as Action;
    const pc = (raw.pc as string | undefined) ?? DEFAULT_PC;
    for (const key of Object.keys(raw)) {
      if (key === 'peer' || key === 'pc' || key === 'name' || ACTION_KEYS[action].includes(key)) continue;
      const owners = (Object.keys(ACTION_KEYS) as Action[]).filter((a) => ACTION_KEYS[a].includes(key));
      cc.error([key], `\`${key}\` does not go with \`peer: ${action}\`; it belongs to peer: ${owners.join(' or ')}`);
    }
    if (action === 'accept' && raw.jsep === undefined) cc.error([], '`peer: accept` needs `jsep:` with the remote description, e.g. jsep: "${answer}"');
    if (raw.svc === true && raw.simulcast === true) cc.error(['svc'], '`svc: true` and `simulcast: true` do not go together: SVC layers travel in one VP9 stream, simulcast is three VP8 streams');
    if (raw.svc === true && raw.video === false) cc.error(['svc'], '`svc: true` layers the video, but the offer has `video: false`');
    if (raw.key_frame_switch_up !== undefined && raw.svc !== true) cc.error(['key_frame_switch_up'], '`key_frame_switch_up` marks VP9-SVC key frames, but the offer has no `svc: true`');
    if (action === 'message' && raw.text === undefined && raw.expect === undefined) cc.error([], '`peer: message` needs `text:` to send, `expect:` to receive, or both');
    const saveAs = (raw.save as string | undefined) ?? (action === 'offer' ? 'offer' : 'answer');
    if (action === 'offer' || action === 'accept') cc.declare([saveAs]);
    const jsep = raw.jsep === undefined ? undefined : cc.template(raw.jsep, ['jsep']);
    const candidates = raw.candidates === undefined ? undefined : cc.template(raw.candidates, ['candidates']);
    const text = raw.text === undefined ? undefined : cc.template(raw.text, ['text']);
    const expect = raw.expect === undefined ? undefined : cc.pattern(raw.expect, ['expect'], true);
    // A match that never read a value the pattern names ($not, a $oneOf branch not tried) is no pass.
    const readsValues = namesValues(raw.expect);
    const within = raw.within === undefined ? undefined : cc.durationMs(raw.within, ['within'], { positive: true });
    const client = cc.client({});
    const step: CompiledStep = {
      kind: 'peer',
      span: cc.span(),
      title: (raw.name as string | undefined) ?? `peer ${pc}: ${action.replace('_', ' ')}`,
      client,
      async execute(ctx) {
        const actor = ctx.actor(client);
        const run = (action: PeerAction) => runPeer(ctx, pc, action);
        switch (action) {
          case 'offer': {
            const tracks = { audio: raw.audio !== false, video: raw.video !== false, data: raw.data === true, simulcast: raw.simulcast === true, svc: raw.svc === true, svcKeyFrameSwitchUp: raw.key_frame_switch_up === true };
            ctx.save(saveAs, await run({ op: 'offer', tracks }));
            return;
          }
          case 'accept': {
            const trickled = candidates === undefined ? [] : asCandidates(ctx.resolve(candidates, actor));
            const local = await run({ op: 'accept', jsep: asDescription(ctx.resolve(jsep!, actor)), candidates: trickled });
            if (local) ctx.save(saveAs, local);
            return;
          }
          case 'send_media':
            await run({ op: 'send', options: { ...(raw.audio_level !== undefined && { audioLevel: raw.audio_level as number }), ...(raw.loss !== undefined && { loss: raw.loss as number }) } });
            return;
          case 'stop_media':
            await run({ op: 'stop' });
            return;
          case 'message': {
            const withinMs = within ?? ctx.stepTimeoutMs;
            if (text) await run({ op: 'data', text: String(ctx.resolve(text, actor)), timeoutMs: ctx.stepTimeoutMs });
            if (!expect) return;
            const received = await run({ op: 'receive', timeoutMs: withinMs });
            const mismatches = ctx.match(expect, received, actor);
            if (mismatches.length > 0) throw mismatchFailure(`the data channel message does not match (waited up to ${formatDuration(withinMs)})`, { expected: raw.expect, actual: received, mismatches });
            if (readsValues) requireValues(expect, ctx, actor);
            return;
          }
          case 'close':
            await run({ op: 'close' });
        }
      },
    };
    return step;
  },
};

async function runPeer(ctx: StepContext, pc: string, action: PeerAction): Promise<PeerResult> {
  try {
    return await ctx.peers.run(pc, action);
  } catch (err) {
    if (err instanceof PeerError) throw new StepFailure('assertion', err.message);
    throw err;
  }
}

/** Trickled candidates as Janus sends them; `{ completed: true }` (end of candidates) is skipped. */
function asCandidates(value: unknown): RemoteCandidate[] {
  const list = Array.isArray(value) ? value : [value];
  const candidates: RemoteCandidate[] = [];
  for (const item of list) {
    const c = item as { candidate?: unknown; sdpMid?: unknown; completed?: unknown } | null;
    if (typeof c === 'object' && c !== null && c.completed === true) continue;
    if (typeof c !== 'object' || c === null || typeof c.candidate !== 'string' || !c.candidate.startsWith('candidate:') || (c.sdpMid !== undefined && typeof c.sdpMid !== 'string')) {
      throw new StepFailure('assertion', 'candidates are not trickled ICE candidates ({ candidate: "candidate:...", sdpMid })', { actual: value });
    }
    candidates.push({ candidate: c.candidate, ...(typeof c.sdpMid === 'string' && { sdpMid: c.sdpMid }) });
  }
  return candidates;
}

function asDescription(value: unknown): SessionDescription {
  const jsep = value as Partial<SessionDescription> | null;
  if (typeof jsep !== 'object' || jsep === null || (jsep.type !== 'offer' && jsep.type !== 'answer') || typeof jsep.sdp !== 'string') {
    throw new StepFailure('assertion', 'jsep is not a session description ({ type: offer|answer, sdp })', { actual: value });
  }
  return { type: jsep.type, sdp: jsep.sdp };
}
