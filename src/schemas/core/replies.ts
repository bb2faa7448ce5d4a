import { anyObject, constant, object, string } from '../shapes.js';
import type { JsonSchema, VersionedSchema } from '../types.js';
import { errorReply, handleId, pongReply, serverInfo, sessionId, transaction } from './common.js';

/** `{janus: "success", session_id, transaction}`: destroy, detach, hangup, claim. */
const plainSuccess: JsonSchema = object({ janus: constant('success'), session_id: sessionId, transaction });

/**
 * `plugindata` of a plugin's success or event: the package name and its data, which the
 * plugin specs check (`data` is any object here).
 */
export const plugindata: JsonSchema = object({ plugin: string, data: anyObject });

/** Only with opaqueid_in_api = true, and only for handles attached with an opaque_id. */
export const opaqueId = string;

/** The `success` reply by the verb that asked for it. */
export const success: Record<string, VersionedSchema> = {
  /** No session_id: the new session's id is data.id. */
  create: { schema: object({ janus: constant('success'), transaction, data: object({ id: sessionId }) }) },
  attach: { schema: object({ janus: constant('success'), session_id: sessionId, transaction, data: object({ id: handleId }) }) },
  destroy: { schema: plainSuccess },
  detach: { schema: plainSuccess },
  hangup: { schema: plainSuccess },
  claim: { schema: plainSuccess },
  /**
   * A plugin's synchronous answer to a message. Plugin errors of synchronous requests arrive in
   * here too (plugindata.data.error_code), never as janus "error".
   */
  message: {
    schema: object(
      { janus: constant('success'), session_id: sessionId, transaction, sender: handleId, plugindata },
      { opaque_id: opaqueId },
    ),
  },
};

/** Replies that do not depend on the verb. */
export const replies: Record<string, VersionedSchema> = {
  /**
   * keepalive, trickle, and an asynchronous message; `hint` only when the plugin gives one with
   * JANUS_PLUGIN_OK_WAIT (EchoTest: "I'm taking my time!").
   */
  ack: { schema: object({ janus: constant('ack'), session_id: sessionId, transaction }, { hint: string }) },
  error: { schema: errorReply },
  server_info: { schema: serverInfo },
  pong: { schema: pongReply },
};
