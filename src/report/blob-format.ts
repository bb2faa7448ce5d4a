import { readFileSync } from 'node:fs';
import { toolVersion } from '../core/tool-version.js';
import type { LoadProblemsEvent, SuiteEvent } from '../events/events.js';
import { HANDLERS } from '../events/reporter.js';

/**
 * A blob: the event stream of one run (usually one shard of a CI matrix), for `merge-reports`.
 * JSON lines: first a header, then every event of the run in the order it happened, secrets
 * already redacted. A reader refuses what it does not know rather than guess: another format,
 * a newer version, a line that is no event.
 */
export const BLOB_FORMAT = 'janus-scenarios/blob';
export const BLOB_VERSION = 1;



export interface BlobHeader {
  format: typeof BLOB_FORMAT;
  version: typeof BLOB_VERSION;
  tool: { name: 'janus-scenarios'; version: string };
  /** This run's share of the plan (`--shard i/n`); absent for a whole run. */
  shard?: { index: number; total: number };
  /** The run's start, epoch ms. */
  startedAt: number;
}

/** A blob as read: where it came from, its header, and its events (the first is run:begin). */
export interface Blob {
  path: string;
  header: BlobHeader;
  events: SuiteEvent[];
}

export function blobText(header: BlobHeader, events: readonly SuiteEvent[]): string {
  return [header, ...events].map((line) => JSON.stringify(line)).join('\n') + '\n';
}

/** Reads and checks one blob file; a problem is one line naming the file (and line). */
export function readBlob(path: string): Blob | { problem: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { problem: `${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a blob file' : (e as Error).message}` };
  }
  return parseBlob(path, text);
}

export function parseBlob(path: string, text: string): Blob | { problem: string } {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const parsed: unknown[] = [];
  for (const [i, line] of lines.entries()) {
    try {
      parsed.push(JSON.parse(line));
    } catch {
      return { problem: `${path}:${i + 1}: not JSON: the file is not a blob, or it was cut short` };
    }
  }
  const header = headerProblem(parsed[0]);
  if (header) return { problem: `${path}:1: ${header}` };
  const events = parsed.slice(1);
  if (events.length === 0) return { problem: `${path}: a header and no run: the run that wrote it never began` };
  const loadFailed = loadProblemsOf(events[0]);
  if (loadFailed) return { problem: `${path}: the run that wrote it could not load its scenario files, nothing ran: ${loadFailed}` };
  for (const [i, event] of events.entries()) {
    const problem = eventProblem(event, i === 0);
    if (problem) return { problem: `${path}:${i + 2}: ${problem}` };
  }
  const ends = events.findIndex((e) => (e as SuiteEvent).type === 'run:end');
  if (ends !== -1 && ends !== events.length - 1) return { problem: `${path}:${ends + 2}: events follow run:end` };
  // A blob is written whole at the run's end, or at an interrupt: anything else was cut short.
  if (ends === -1 && !events.some((e) => (e as SuiteEvent).type === 'interrupt')) return { problem: `${path}: ends before its run did (no run:end): the file was cut short` };
  return { path, header: parsed[0] as BlobHeader, events: events as SuiteEvent[] };
}

/** A blob of a run whose files failed to load: its first problem and how many there are, in words. */
function loadProblemsOf(event: unknown): string | undefined {
  const e = event as Partial<LoadProblemsEvent> | null;
  if (typeof e !== 'object' || e === null || e.type !== 'load:problems') return undefined;
  const first = Array.isArray(e.problems) ? e.problems[0] : undefined;
  const said = first ? `${first.location ? `${first.location} ` : ''}${first.message}` : 'no problem named';
  return `${said}${typeof e.count === 'number' && e.count > 1 ? ` (and ${e.count - 1} more problem(s))` : ''}`;
}

function headerProblem(header: unknown): string | undefined {
  const h = header as Partial<BlobHeader> | undefined;
  if (typeof h !== 'object' || h === null || h.format !== BLOB_FORMAT) return `not a janus-scenarios blob (no "${BLOB_FORMAT}" header): write blobs with run --reporter blob`;
  if (h.version !== BLOB_VERSION) return `blob format version ${String(h.version)}, this janus-scenarios ${toolVersion()} reads version ${BLOB_VERSION}: merge with the version that wrote it`;
  if (typeof h.startedAt !== 'number') return 'the header has no run start';
  return undefined;
}

function eventProblem(event: unknown, first: boolean): string | undefined {
  const e = event as Partial<SuiteEvent> | null;
  if (typeof e !== 'object' || e === null || typeof e.type !== 'string' || !(e.type in HANDLERS)) return 'not an event of a run';
  if (typeof e.at !== 'number') return `a ${e.type} event without its time`;
  if (first !== (e.type === 'run:begin')) return first ? 'the first event is not run:begin' : 'a second run:begin';
  if (e.type === 'run:begin' && !Array.isArray(e.tests)) return 'run:begin without its tests';
  if ((e.type === 'test:begin' || e.type === 'test:end') && typeof e.testId !== 'string') return `a ${e.type} event without its test`;
  if (e.type === 'test:end' && (typeof e.result !== 'object' || e.result === null)) return 'test:end without its result';
  return undefined;
}
