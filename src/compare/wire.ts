import type { HttpExchange } from '../protocol/messages.js';
import { frameOf, type WireFrame } from '../transports/wire.js';

/**
 * What the wire showed for one message received, as a baseline keeps it: besides the JSON
 * value, a client can depend on the HTTP status, on how WebSocket frames carry messages, and
 * on the text itself (a parser that expects one message per line breaks when Janus indents).
 */
export interface WireSummary {
  /** HTTP status of the response that carried it (a POST's reply, a long-poll, an `http:` step). */
  status?: number;
  /** WebSocket: the frame type. */
  frame?: 'text' | 'binary';
  /** WebSocket: one JSON object per frame, or an array of several in one frame. */
  container?: 'object' | 'array';
  /** Bytes after the JSON text (a trailing newline); absent when there are none. */
  trailing?: string;
  /** How the JSON text is laid out (Janus's `json` setting): indented, plain (one line, spaces after `:` and `,`) or compact. */
  json?: Serialisation;
}

export type Serialisation = 'indented' | 'plain' | 'compact';

/** What each aspect is called in a report. */
export const WIRE_ASPECTS: Record<keyof WireSummary, string> = {
  status: 'HTTP status',
  frame: 'WebSocket frame type',
  container: 'messages per WebSocket frame',
  trailing: 'bytes after the JSON',
  json: 'JSON serialisation',
};

// Derived once per frame (a long-poll body holds several messages), and only when asked.
const summaries = new WeakMap<WireFrame, WireSummary>();

/**
 * The wire summary of a message: from the frame its transport decoded it from, or the status of
 * an `http:` step's response. Undefined for what the client sent, or a message of unknown origin.
 */
export function wireSummary(message: unknown, http?: HttpExchange): WireSummary | undefined {
  const frame = frameOf(message);
  if (!frame) return http?.status !== undefined ? { status: http.status } : undefined;
  let summary = summaries.get(frame);
  if (!summary) {
    summary = summarise(frame);
    summaries.set(frame, summary);
  }
  return summary;
}

function summarise(frame: WireFrame): WireSummary {
  const { text } = frame;
  const end = text.trimEnd().length;
  const json = serialisation(text, end);
  const ws = frame.binary !== undefined;
  return {
    ...(frame.status !== undefined && { status: frame.status }),
    ...(ws && { frame: frame.binary ? 'binary' : 'text', container: text.trimStart().startsWith('[') ? 'array' : 'object' }),
    ...(end < text.length && { trailing: text.slice(end) }),
    ...(json && { json }),
  };
}

/**
 * How a JSON text is laid out, read outside strings: a line break inside it is `indented`;
 * otherwise the first `:` followed by a space is `plain`, without one `compact`. Janus writes
 * the whole text one way (jansson's JSON_INDENT(3), JSON_INDENT(0), JSON_COMPACT).
 */
export function serialisation(text: string, end = text.trimEnd().length): Serialisation | undefined {
  const start = text.length - text.trimStart().length;
  let inString = false;
  let separator: Serialisation | undefined;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x0a) return 'indented';
    else if (c === 0x3a && separator === undefined) separator = text.charCodeAt(i + 1) === 0x20 ? 'plain' : 'compact';
  }
  return separator;
}

/** The aspects in which two summaries differ; an aspect one side did not record is not compared. */
export function wireChanges(old: WireSummary, now: WireSummary): Array<{ aspect: keyof WireSummary; old?: unknown; new?: unknown }> {
  const out: Array<{ aspect: keyof WireSummary; old?: unknown; new?: unknown }> = [];
  for (const aspect of Object.keys(WIRE_ASPECTS) as Array<keyof WireSummary>) {
    // `trailing` is absent when there were no such bytes: compared whenever both recorded a layout.
    const recorded = aspect === 'trailing' ? old.json !== undefined && now.json !== undefined : old[aspect] !== undefined && now[aspect] !== undefined;
    if (recorded && old[aspect] !== now[aspect]) out.push({ aspect, ...(old[aspect] !== undefined && { old: old[aspect] }), ...(now[aspect] !== undefined && { new: now[aspect] }) });
  }
  return out;
}
