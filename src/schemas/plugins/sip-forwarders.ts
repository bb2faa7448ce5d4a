import { constant, integer, object, oneOfValues, positiveId, string, arrayOf } from '../shapes.js';
import type { JsonSchema, PluginMessage, PluginRequest } from '../types.js';

/**
 * RTP forwarders of a call's media, the same requests and replies in the SIP and NoSIP plugins
 * (1.4.0, #3583): `rtp_forward` (streams of the user's or the peer's audio or video to a
 * host:port), `stop_rtp_forward` and `listforwarders`, answered in each plugin's `result` event.
 */
const SINCE = '1.4.0';

/** One forwarder as the replies describe it (janus_sip_rtp_forwarder_summary). */
const forwarder: JsonSchema = object(
  { stream_id: positiveId, host: string, port: integer, media: oneOfValues('audio', 'video') },
  { type: oneOfValues('audio', 'video', 'peer_audio', 'peer_video'), pt: integer, ssrc: integer, srtp: constant(true) },
);
const stream: JsonSchema = object(
  { type: oneOfValues('audio', 'video', 'peer_audio', 'peer_video'), host: string, port: positiveId },
  { host_family: oneOfValues('ipv4', 'ipv6'), ssrc: positiveId, pt: positiveId, srtp_suite: positiveId, srtp_crypto: string },
);

type ResultEvent = (name: string, required?: Record<string, JsonSchema>, optional?: Record<string, JsonSchema>) => JsonSchema;
type Body = (request: string, required?: Record<string, JsonSchema>, optional?: Record<string, JsonSchema>) => JsonSchema;

/** The forwarder requests and their replies, in the plugin's own envelope. */
export function forwarderCatalogue(event: ResultEvent, body: Body): { requests: Record<string, PluginRequest>; messages: Record<string, PluginMessage> } {
  return {
    requests: {
      rtp_forward: { since: SINCE, body: body('rtp_forward', { streams: arrayOf(stream) }), events: ['rtp_forward'] },
      stop_rtp_forward: { since: SINCE, body: body('stop_rtp_forward', { stream_id: positiveId }), events: ['stop_rtp_forward'] },
      listforwarders: { since: SINCE, body: body('listforwarders'), events: ['forwarders'] },
    },
    messages: {
      rtp_forward: { since: SINCE, schema: event('rtp_forward', {}, { forwarders: arrayOf(forwarder) }) },
      stop_rtp_forward: { since: SINCE, schema: event('stop_rtp_forward', { stream_id: positiveId }) },
      forwarders: { since: SINCE, schema: event('forwarders', { rtp_forwarders: arrayOf(forwarder) }) },
    },
  };
}
