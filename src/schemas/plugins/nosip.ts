import { since } from '../field-versions.js';
import { boolean, constant, object, oneOfValues, pluginData, pluginError, string } from '../shapes.js';
import type { JsonSchema, PluginSpec } from '../types.js';
import { forwarderCatalogue } from './sip-forwarders.js';

/**
 * NoSIP (plugins/janus_nosip.c, 1.1.2): converts between the WebRTC JSEP of the handle and a
 * barebone plain-RTP SDP for a "legacy" peer, leaving the signalling to the application. Every
 * request is asynchronous (ack, then an event on the same transaction):
 * `{nosip: "event", result: {event: ...}}`. `generate` takes the handle's JSEP (offer or answer)
 * and returns the barebone SDP in the result; `process` takes the peer's barebone SDP in the body
 * and returns the matching JSEP for the WebRTC side in the envelope's `jsep`.
 */

const SHORT = 'nosip';

function event(name: string, required: Record<string, JsonSchema> = {}, optional: Record<string, JsonSchema> = {}): JsonSchema {
  return pluginData(SHORT, 'event', { result: object({ event: constant(name), ...required }, optional) });
}

function body(request: string, required: Record<string, JsonSchema> = {}, optional: Record<string, JsonSchema> = {}): JsonSchema {
  return object({ request: constant(request), ...required }, optional);
}

const sdpType = oneOfValues('offer', 'answer');
/** The handle's UUID in the plugin (1.4.0, #3607). */
const uniqueId = since('1.4.0', string);
const srtp = oneOfValues('sdes_optional', 'sdes_mandatory');
const srtpProfile = oneOfValues('AES_CM_128_HMAC_SHA1_32', 'AES_CM_128_HMAC_SHA1_80', 'AEAD_AES_128_GCM', 'AEAD_AES_256_GCM');

const forwarding = forwarderCatalogue(event, body);

export const nosip: PluginSpec = {
  package: 'janus.plugin.nosip',
  short: SHORT,
  errors: {
    499: { name: 'UNKNOWN_ERROR' },
    440: { name: 'NO_MESSAGE' },
    441: { name: 'INVALID_JSON' },
    442: { name: 'INVALID_REQUEST' },
    443: { name: 'MISSING_ELEMENT' },
    444: { name: 'INVALID_ELEMENT' },
    445: { name: 'WRONG_STATE' },
    446: { name: 'MISSING_SDP' },
    447: { name: 'INVALID_SDP' },
    448: { name: 'IO_ERROR' },
    449: { name: 'RECORDING_ERROR' },
    450: { name: 'TOO_STRICT' },
    451: { name: 'NO_SUCH_STREAM', since: '1.4.0' },
  },
  requests: {
    /** Needs a JSEP (offer or answer) on the message; `info` is an opaque context string. */
    generate: {
      body: body('generate', {}, { info: string, srtp, srtp_profile: srtpProfile, update: boolean }),
      events: ['generated'],
    },
    /** The peer's barebone SDP; the reply carries the JSEP for the WebRTC side. */
    process: {
      body: body('process', { type: sdpType, sdp: string }, { info: string, srtp, srtp_profile: srtpProfile, update: boolean }),
      events: ['processed'],
    },
    /** Closes the PeerConnection; always answers `hangingup`, even without one. */
    hangup: { body: body('hangup'), events: ['hangingup'] },
    recording: {
      body: body('recording', { action: oneOfValues('start', 'stop') }, {
        audio: boolean,
        video: boolean,
        peer_audio: boolean,
        peer_video: boolean,
        filename: string,
      }),
      events: ['recordingupdated'],
    },
    /** A PLI to the WebRTC user and/or the legacy peer (1.3.1+), with or without media. */
    keyframe: { since: '1.3.1', body: body('keyframe', {}, { user: boolean, peer: boolean }), events: ['keyframesent'] },
    /** Unlike SIP's, rtp_forward needs no session state. */
    ...forwarding.requests,
  },
  messages: {
    /** The barebone SDP (plain RTP on the plugin's ports at its local IP); `update: true` for a renegotiation. */
    generated: { schema: event('generated', { type: sdpType, sdp: string }, { update: constant(true), unique_id: uniqueId }) },
    /** `srtp` when the peer's SDP offered (or mandated, RTP/SAVP) SDES-SRTP; `update: true` for a renegotiation. */
    processed: { schema: event('processed', {}, { srtp, update: constant(true), unique_id: uniqueId }) },
    hangingup: { schema: event('hangingup') },
    recordingupdated: { schema: event('recordingupdated') },
    keyframesent: { since: '1.3.1', schema: event('keyframesent') },
    ...forwarding.messages,
    error: { schema: pluginError(SHORT) },
  },
};
