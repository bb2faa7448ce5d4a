import { since } from '../field-versions.js';
import { arrayOf, boolean, constant, object, oneOfValues, pluginData, pluginError, positiveId, string } from '../shapes.js';
import type { JsonSchema, PluginSpec } from '../types.js';

/**
 * Record&Play (plugins/janus_recordplay.c, v1.1.2). Synchronous: list, update, configure;
 * asynchronous: record (with the client's offer), play (Janus offers), start (with the answer),
 * stop, pause, resume. Recording ids are integers. A recording appears in `list` only once it is
 * complete (its .nfo written when the recorder's PeerConnection goes away).
 */

const S = 'recordplay';
const recordingId = positiveId;
const nonNegative = { type: 'integer', minimum: 0 } as const;
/** A gboolean sent as a JSON integer. */
const zeroOrOne = oneOfValues(0, 1);

/** { recordplay: "event", result: {...} } */
function event(result: JsonSchema): JsonSchema {
  return pluginData(S, 'event', { result });
}

const listEntry = object(
  { id: recordingId, name: string, date: string, audio: boolean, video: boolean, data: boolean },
  {
    audio_codec: oneOfValues('opus', 'multiopus', 'red', 'pcmu', 'pcma', 'g722', 'isac32', 'isac16', 'l16-48', 'l16'),
    audio_red: constant(true),
    video_codec: oneOfValues('vp8', 'vp9', 'h264', 'av1', 'h265'),
    /** Private recordings (1.3.1, #3518) are listed only with the admin key; the flag shows on every entry. */
    is_private: since('1.3.1', boolean),
  },
);

export const recordplay: PluginSpec = {
  package: 'janus.plugin.recordplay',
  adminMessages: true,
  short: S,
  errors: {
    411: { name: 'NO_MESSAGE' },
    412: { name: 'INVALID_JSON' },
    413: { name: 'INVALID_REQUEST' },
    414: { name: 'INVALID_ELEMENT' },
    415: { name: 'MISSING_ELEMENT' },
    416: { name: 'NOT_FOUND' },
    417: { name: 'INVALID_RECORDING' },
    418: { name: 'INVALID_STATE' },
    419: { name: 'INVALID_SDP' },
    420: { name: 'RECORDING_EXISTS' },
    440: { name: 'UNAUTHORIZED', since: '1.3.1' },
    499: { name: 'UNKNOWN_ERROR' },
  },
  requests: {
    list: { body: object({ request: constant('list') }), replies: ['list'] },
    /**
     * Rescans the recordings folder. 1.1.2 also drops recordings still in progress (no .nfo yet)
     * from the index: their id becomes free again and they reappear only after another update.
     */
    update: { body: object({ request: constant('update') }), replies: ['ok'] },
    /** Per-handle settings for recording (REMB cap, keyframe request interval in ms). */
    configure: {
      body: object({ request: constant('configure') }, { 'video-bitrate-max': nonNegative, 'video-keyframe-interval': nonNegative }),
      replies: ['configure'],
    },
    /** Needs a JSEP offer (415 "Missing SDP offer" otherwise); answered with `recording` and Janus' answer. */
    record: {
      body: object(
        { request: constant('record'), name: { type: 'string', minLength: 1 } },
        {
          /** 0 or absent: Janus picks one. */
          id: nonNegative,
          /** Base name of the .mjr files (-audio/-video/-data appended); default rec-<id>. */
          filename: string,
          audiocodec: string,
          videocodec: string,
          videoprofile: string,
          opusred: boolean,
          /** Data channel recordings: text (default) or binary. */
          textdata: boolean,
          /** With a renegotiation offer (jsep.update). */
          update: boolean,
          /** Keep the recording out of `list` (1.3.1). */
          is_private: since('1.3.1', boolean),
        },
      ),
      events: ['recording'],
    },
    /** Must not carry a JSEP; answered with `preparing` and Janus' offer (`restart` for an ICE restart). */
    play: { body: object({ request: constant('play'), id: recordingId }, { restart: boolean }), events: ['preparing'] },
    /** Carries the answer to the play offer. */
    start: { body: object({ request: constant('start') }), events: ['playing'] },
    /** Ends recording or playout; Janus closes the PeerConnection, `done` follows. */
    stop: { body: object({ request: constant('stop') }), events: ['stopped'] },
    pause: { body: object({ request: constant('pause') }), events: ['paused', 'idle'] },
    resume: { body: object({ request: constant('resume') }), events: ['resumed', 'idle'] },
  },
  messages: {
    list: { schema: pluginData(S, 'list', { list: arrayOf(listEntry) }) },
    ok: { schema: pluginData(S, 'ok') },
    configure: {
      schema: pluginData(S, 'configure', {
        status: constant('ok'),
        settings: object({ 'video-keyframe-interval': nonNegative, 'video-bitrate-max': nonNegative }),
      }),
    },
    recording: { schema: event(object({ status: constant('recording'), id: recordingId }, { is_private: since('1.3.1', boolean) })) },
    /** "restarting" for an ICE restart; `warning` when a media file of the recording is broken. */
    preparing: { schema: event(object({ status: oneOfValues('preparing', 'restarting'), id: recordingId }, { warning: string })) },
    playing: { schema: event(object({ status: constant('playing') })) },
    /** `id` only when the handle was recording or playing. */
    /** 1.3.1 adds `is_private` (0 or 1, an integer here) when it stopped a recording. */
    stopped: { schema: event(object({ status: constant('stopped') }, { id: recordingId, is_private: since('1.3.1', zeroOrOne) })) },
    paused: { schema: event(object({ status: constant('paused'), id: recordingId })) },
    resumed: { schema: event(object({ status: constant('resumed'), id: recordingId })) },
    /** pause/resume on a handle that is neither recording nor playing: an event without a result. */
    idle: { schema: pluginData(S, 'event') },
    /** The PeerConnection went away (also after `stop` without one): `result` is a plain string here. */
    done: { schema: pluginData(S, 'event', { result: constant('done') }), unsolicited: true, until: '1.3.0' },
    /** From 1.3.1 `done` is an object; `id` and `is_private` (0 or 1) when a recording was involved. */
    done_status: {
      schema: event(object({ status: constant('done') }, { id: recordingId, is_private: zeroOrOne })),
      unsolicited: true,
      since: '1.3.1',
    },
    slow_link: {
      schema: event(object({ status: constant('slow_link'), media: oneOfValues('audio', 'video'), uplink: oneOfValues(0, 1) }, { 'current-bitrate': nonNegative })),
      unsolicited: true,
    },
    error: { schema: pluginError(S) },
  },
};
