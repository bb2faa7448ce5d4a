import { boolean, integer, object, oneOfValues, pluginData, pluginError, string } from '../shapes.js';
import type { PluginSpec } from '../types.js';

/** EchoTest (plugins/janus_echotest.c): one asynchronous, request-less message. */
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
        data: boolean,
        bitrate: { type: 'integer', minimum: 0 },
        record: boolean,
        filename: string,
        substream: { type: 'integer', minimum: 0, maximum: 2 },
        temporal: { type: 'integer', minimum: 0, maximum: 2 },
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
    result: { schema: pluginData('echotest', 'event', { result: oneOfValues('ok') }) },
    done: { schema: pluginData('echotest', 'event', { result: oneOfValues('done') }), unsolicited: true },
    simulcast: { schema: pluginData('echotest', 'event', { videocodec: string }, { substream: integer, temporal: integer }), unsolicited: true },
    slow_link: { schema: pluginData('echotest', 'event', { event: oneOfValues('slow_link'), media: oneOfValues('audio', 'video') }, { 'current-bitrate': integer }), unsolicited: true },
    error: { schema: pluginError('echotest') },
  },
};
