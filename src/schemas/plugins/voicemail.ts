import { constant, object, pluginData, pluginError, string } from '../shapes.js';
import type { JsonSchema, PluginSpec, Versioned } from '../types.js';

/**
 * VoiceMail (plugins/janus_voicemail.c, 1.1.2; the plugin was removed in 1.1.3, so everything
 * here holds until 1.1.2). It records up to 10 s of Opus into an .ogg/.opus file. Every request is
 * asynchronous (ack, then an event on the same transaction); unlike the other plugins the state is
 * a top-level `status`: `{voicemail: "event", status: "starting"|"started"|"updating"|"done"}`.
 * `record` opens the file and answers at once (with a JSEP answer when the message carried an
 * offer); `started` follows when the PeerConnection is up; `stop` (or the 10 s limit) answers
 * `done` and then ends the handle (Janus detaches it).
 */

const SHORT = 'voicemail';
const V: Versioned = { until: '1.1.2' };

function status(value: string, required: Record<string, JsonSchema> = {}): JsonSchema {
  return pluginData(SHORT, 'event', { status: constant(value), ...required });
}

function body(request: string): JsonSchema {
  return object({ request: constant(request) });
}

export const voicemail: PluginSpec = {
  package: 'janus.plugin.voicemail',
  short: SHORT,
  errors: {
    499: { name: 'UNKNOWN_ERROR', ...V },
    460: { name: 'NO_MESSAGE', ...V },
    461: { name: 'INVALID_JSON', ...V },
    462: { name: 'INVALID_REQUEST', ...V },
    463: { name: 'MISSING_ELEMENT', ...V },
    464: { name: 'INVALID_ELEMENT', ...V },
    465: { name: 'ALREADY_RECORDING', ...V },
    466: { name: 'IO_ERROR', ...V },
    467: { name: 'LIBOGG_ERROR', ...V },
    468: { name: 'INVALID_STATE', ...V },
  },
  requests: {
    /** With or without a JSEP offer: `starting` (or `started` if the PeerConnection is already up). */
    record: { ...V, body: body('record'), events: ['starting', 'started'] },
    /** Renegotiation of a running recording (needs `started`). */
    update: { ...V, body: body('update'), events: ['updating'] },
    /** Ends the recording (also without one) and then the handle. */
    stop: { ...V, body: body('stop'), events: ['done'] },
  },
  messages: {
    starting: { ...V, schema: status('starting') },
    /** The reply to `record` when media is already up, and the notification when it comes up. */
    started: { ...V, schema: status('started'), unsolicited: true },
    updating: { ...V, schema: status('updating') },
    /** `recording`: the file's URL, `<base>/janus-voicemail-<random id>.opus` (`base` from the config: `/voicemail/` on Debian, `/recordings/` without one). */
    done: { ...V, schema: status('done', { recording: string }), unsolicited: true },
    error: { ...V, schema: pluginError(SHORT) },
  },
};
