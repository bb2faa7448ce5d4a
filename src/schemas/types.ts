/**
 * The shape of the Janus API catalogue: JSON Schemas (draft 2020-12) for every request, reply
 * and event of the core API, the Admin API and each bundled plugin. Schemas are plain objects
 * composed in TypeScript (spread, helper functions), not with allOf/$ref, so that strict mode
 * can forbid unknown fields by adding `additionalProperties: false` to every object schema that
 * lists `properties` and does not say otherwise.
 */
export type JsonSchema = Record<string, unknown>;

/** The Janus versions a schema holds for, inclusive, as "1.1.2"; absent means unbounded. */
export interface Versioned {
  since?: string;
  until?: string;
}

/** A schema with its version range. */
export interface VersionedSchema extends Versioned {
  schema: JsonSchema;
}

/** The core Janus API. Keys are verbs (create, attach, ...) and event types (webrtcup, ...). */
export interface CoreSpec {
  /** Request envelopes by verb. */
  requests: Record<string, VersionedSchema>;
  /** The `success` reply by the verb that asked for it (message: the envelope only). */
  success: Record<string, VersionedSchema>;
  /** Replies that do not depend on the verb: ack, error, server_info, pong. */
  replies: Record<string, VersionedSchema>;
  /** Asynchronous messages by their `janus` value: event (envelope), webrtcup, media, ... */
  events: Record<string, VersionedSchema>;
}

/** The Admin API: requests and their `success` replies by verb; `error` is shared with core. */
export interface AdminSpec {
  requests: Record<string, VersionedSchema>;
  success: Record<string, VersionedSchema>;
}

/** One request of a plugin, by the value of `body.request` ('' for plugins without one). */
export interface PluginRequest extends Versioned {
  /** Schema of the message `body`. */
  body: JsonSchema;
  /** Synchronous: names (in `messages`) of the `plugindata.data` of the `success` reply. */
  replies?: string[];
  /** Asynchronous: names (in `messages`) of the `plugindata.data` of events carrying this transaction. */
  events?: string[];
}

/** A shape of `plugindata.data`. */
export interface PluginMessage extends VersionedSchema {
  /** May arrive without a transaction (notifications to other participants, ...). */
  unsolicited?: boolean;
}

export interface PluginSpec {
  /** Package name, as in attach: janus.plugin.videoroom. */
  package: string;
  /** The key naming the message kind in plugindata.data ("videoroom": "joined"), and the prefix of error names. */
  short: string;
  /**
   * The Admin API's message_plugin runs the plugin's synchronous requests, so its `response` has
   * the shapes of their replies. Absent where the admin hook does something else (EchoTest echoes).
   */
  adminMessages?: boolean;
  /** Plugin error codes by number: 426 → "NO_SUCH_ROOM" (known to scenarios as VIDEOROOM_NO_SUCH_ROOM). */
  errors: Record<number, Versioned & { name: string }>;
  requests: Record<string, PluginRequest>;
  /** Every shape of plugindata.data by name; an `error` message is required. */
  messages: Record<string, PluginMessage>;
}
