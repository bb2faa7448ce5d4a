import { boolean, constant, object, oneOfValues, string } from '../shapes.js';
import type { JsonSchema, VersionedSchema } from '../types.js';
import { handleId, sessionId, transaction } from './common.js';
import { opaqueId, plugindata } from './replies.js';

/**
 * Asynchronous messages (janus.c janus_plugin_push_event / watchdog, ice.c notifications), by
 * their `janus` value. Handle events carry `session_id`, `sender` (the handle id) and, only with
 * opaqueid_in_api = true and a handle attached with one, `opaque_id`.
 */
function handleEvent(type: string, required: Record<string, JsonSchema> = {}, optional: Record<string, JsonSchema> = {}): JsonSchema {
  return object({ janus: constant(type), session_id: sessionId, sender: handleId, ...required }, { opaque_id: opaqueId, ...optional });
}

/** The jsep Janus attaches to a plugin event: the plugin's SDP merged with Janus' ICE/DTLS data. */
const eventJsep: JsonSchema = object(
  { type: oneOfValues('offer', 'answer'), sdp: string },
  /** Only when the PeerConnection is end-to-end encrypted. */
  { e2ee: constant(true) },
);

/** Reasons janus_ice_webrtc_hangup is called with (1.1.2 through 1.4.1). */
const HANGUP_REASONS = [
  'Janus API',
  'Admin API',
  'Close PC',
  'Detach',
  'DTLS alert',
  'DTLS timeout',
  'DTLS error',
  'DTLS-SRTP stack error',
  'ICE failed',
  'Gathering error',
  'ICE gathering error',
];

export const events: Record<string, VersionedSchema> = {
  /**
   * A plugin event; `transaction` is the one of the message it answers, absent for notifications.
   * plugindata.data is checked by the plugin specs.
   */
  event: { schema: handleEvent('event', { plugindata }, { transaction, jsep: eventJsep }) },
  /** The DTLS handshake completed: the PeerConnection is up. */
  webrtcup: { schema: handleEvent('webrtcup') },
  /**
   * Janus started (receiving: true) or stopped (false) receiving a medium; `substream` only for
   * simulcast, `seconds` (= no_media_timer) only when receiving is false and no_media_timer > 1.
   */
  media: {
    schema: handleEvent(
      'media',
      { mid: string, type: oneOfValues('audio', 'video'), receiving: boolean },
      { substream: { type: 'integer', minimum: 0, maximum: 2 }, seconds: { type: 'integer', minimum: 2 } },
    ),
  },
  /** Packet loss over slowlink_threshold (disabled by default); `uplink` from Janus' point of view. */
  slowlink: {
    schema: handleEvent('slowlink', { mid: string, media: oneOfValues('audio', 'video'), uplink: boolean, lost: { type: 'integer', minimum: 0 } }),
  },
  /** The PeerConnection went away; janus_ice_webrtc_hangup only notifies when it has a reason. */
  hangup: { schema: handleEvent('hangup', { reason: oneOfValues(...HANGUP_REASONS) }) },
  /** The handle is gone (detach, Admin detach_handle, or the plugin ended it). */
  detached: { schema: handleEvent('detached') },
  /** The session expired: only the session id. */
  timeout: { schema: object({ janus: constant('timeout'), session_id: sessionId }) },
  /**
   * A local candidate (full_trickle only) or the end of candidates. sdpMid is the handle's
   * pc_mid, which is still unset for candidates gathered before the offer was processed: then
   * json_string(NULL) adds nothing (ice.c, janus_ice_notify_trickle), seen in real traffic.
   */
  trickle: {
    schema: handleEvent('trickle', {
      candidate: {
        oneOf: [
          object({ sdpMLineIndex: constant(0), candidate: { type: 'string', pattern: '^candidate:' } }, { sdpMid: string }),
          object({ completed: constant(true) }),
        ],
      },
    }),
  },
  /** HTTP long poll with nothing to deliver for 30 s. */
  keepalive: { schema: object({ janus: constant('keepalive') }) },
  /** ICE failed after having connected (consent freshness). */
  'ice-failed': { schema: handleEvent('ice-failed'), since: '1.2.0' },
};
