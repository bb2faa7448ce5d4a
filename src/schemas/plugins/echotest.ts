import { since } from '../field-versions.js';
import { boolean, integer, object, oneOfValues, pluginData, pluginError, string } from '../shapes.js';
import type { PluginSpec } from '../types.js';

/**
 * EchoTest (plugins/janus_echotest.c): one asynchronous, request-less message. Janus only reads
 * the fields below (a `data` flag, for one, is ignored); a body with none of audio, video,
 * bitrate, record, substream, temporal, fallback, videocodec, videoprofile, opusred, min_delay,
 * max_delay and no JSEP is a 413 ("no supported attributes found").
 */
const VIDEO_CODEC = oneOfValues('none', 'vp8', 'vp9', 'h264', 'av1', 'h265');

export const echotest: PluginSpec = {
  package: 'janus.plugin.echotest',
  short: 'echotest',
  errors: {
    411: { name: 'NO_MESSAGE' },
    412: { name: 'INVALID_JSON' },
    413: { name: 'INVALID_ELEMENT' },
    414: { name: 'INVALID_SDP' },
  },
  requests: {
    '': {
      body: object({}, {
        audio: boolean,
        video: boolean,
        bitrate: { type: 'integer', minimum: 0 },
        /** Recording starts with the media; `filename` alone is not a supported attribute. */
        record: boolean,
        filename: string,
        /** 0-2; 413 "Invalid value" above 2, "Invalid element type" below 0. */
        substream: { type: 'integer', minimum: 0, maximum: 2 },
        temporal: { type: 'integer', minimum: 0, maximum: 2 },
        /** SVC targets (1.1.4, #3174), 0-2 like substream and temporal. */
        svc: since('1.1.4', boolean),
        spatial_layer: since('1.1.4', { type: 'integer', minimum: 0, maximum: 2 }),
        temporal_layer: since('1.1.4', { type: 'integer', minimum: 0, maximum: 2 }),
        fallback: { type: 'integer', minimum: 0 },
        audiocodec: string,
        videocodec: string,
        videoprofile: string,
        opusred: boolean,
        min_delay: integer,
        max_delay: integer,
      }),
      events: ['result'],
    },
  },
  messages: {
    /** The answer to every accepted message; with Janus' SDP answer when the message carried an offer. */
    result: { schema: pluginData('echotest', 'event', { result: oneOfValues('ok') }) },
    /** hangup_media: after a `hangup` (also without a PeerConnection); after a `detach` only sometimes (a race with destroy_session). */
    done: { schema: pluginData('echotest', 'event', { result: oneOfValues('done') }), unsolicited: true },
    /** Simulcast layer changes (media only): either substream or temporal. */
    simulcast: {
      schema: pluginData('echotest', 'event', { videocodec: VIDEO_CODEC }, { substream: integer, temporal: integer, tot_temporal_layers: since('1.3.2', integer) }),
      unsolicited: true,
    },
    /** SVC layer changes (media only, 1.1.4); the totals come with the video-layers-allocation extension (1.3.2). */
    svc: {
      schema: pluginData('echotest', 'event', { videocodec: VIDEO_CODEC, spatial_layer: integer, temporal_layer: integer }, { tot_spatial_layers: since('1.3.2', integer), tot_temporal_layers: since('1.3.2', integer) }),
      unsolicited: true,
      since: '1.1.4',
    },
    slow_link: { schema: pluginData('echotest', 'event', { event: oneOfValues('slow_link'), media: oneOfValues('audio', 'video') }, { 'current-bitrate': integer }), unsolicited: true },
    error: { schema: pluginError('echotest') },
  },
};
