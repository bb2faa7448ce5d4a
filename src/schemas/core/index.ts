import type { CoreSpec } from '../types.js';
import { events } from './events.js';
import { replies, success } from './replies.js';
import { requests } from './requests.js';

/**
 * The core Janus API of Janus 1.1.2 (src/janus.c, src/ice.c): request envelopes by verb, the
 * `success` reply by verb, the verb-independent replies (ack, error, server_info, pong) and the
 * asynchronous messages. Plugin payloads (message bodies, plugindata.data) are checked by the
 * plugin specs.
 */
export const core: CoreSpec = { requests, success, replies, events };
