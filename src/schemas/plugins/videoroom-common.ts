import { integer, oneOfValues } from '../shapes.js';
import type { JsonSchema } from '../types.js';

/**
 * Building blocks shared by the VideoRoom request and message schemas (plugins/janus_videoroom.c,
 * Janus 1.1.2). Room and participant ids are integers (the plugin's default; with
 * `string_ids = true` in janus.plugin.videoroom.jcfg they would be strings, which the catalogue
 * does not describe).
 */

/** An id Janus sends back: rooms and participants picked at random are 1..2^53, chosen ones are > 0. */
export const id = { type: 'integer', minimum: 1 } as const;
/** An id in a request: Janus only checks "positive integer" (>= 0); 0 means "pick one at random" in create/join. */
export const requestId = { type: 'integer', minimum: 0 } as const;
/** private_id: a random non-zero 32-bit integer. */
export const privateId = { type: 'integer', minimum: 1, maximum: 4294967295 } as const;
/** Janus' JANUS_JSON_PARAM_POSITIVE integers are >= 0. */
export const nonNegative = { type: 'integer', minimum: 0 } as const;
/** A simulcast substream / temporal layer or SVC layer index, range-checked by the plugin. */
export const layer = { type: 'integer', minimum: 0, maximum: 2 } as const;
/** A plain (possibly negative) integer: simulcast/SVC state starts at -1. */
export const anyInteger = integer;

export const AUDIO_CODECS = ['opus', 'multiopus', 'red', 'pcmu', 'pcma', 'g722', 'isac32', 'isac16', 'l16-48', 'l16'] as const;
export const VIDEO_CODECS = ['vp8', 'vp9', 'h264', 'av1', 'h265'] as const;

export const mediaType = oneOfValues('audio', 'video', 'data');
export const audioCodec = oneOfValues(...AUDIO_CODECS);
export const videoCodec = oneOfValues(...VIDEO_CODECS);
/** A stream's `codec`: audio or video codec name, depending on the stream type. */
export const anyCodec = oneOfValues(...AUDIO_CODECS, ...VIDEO_CODECS);
export const trueOnly = { const: true } as const;

/** A case-insensitive regex source for a word (Janus compares names with strcasecmp). */
export function ci(word: string): string {
  return [...word].map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))).join('');
}

/** A string equal to one of `words`, ignoring case. */
export function caseInsensitive(...words: string[]): JsonSchema {
  return { type: 'string', pattern: `^(?:${words.map(ci).join('|')})$` };
}

/** A comma-separated list of names (create's audiocodec/videocodec), ignoring case. */
export function nameList(names: readonly string[]): JsonSchema {
  const one = `(?:${[...names].sort((a, b) => b.length - a.length).map(ci).join('|')})`;
  return { type: 'string', pattern: `^${one}(?:,${one})*$` };
}

/** A codec list as Janus reports it (list: "opus,pcmu"), lower case, joined by commas. */
export function reportedCodecList(names: readonly string[]): JsonSchema {
  const one = `(?:${[...names, 'none'].sort((a, b) => b.length - a.length).join('|')})`;
  return { type: 'string', pattern: `^${one}(?:,${one})*$` };
}
