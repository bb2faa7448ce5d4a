/**
 * Volatile values and the symbols that stand for them. Two runs of the same suite never send
 * the same session ids, transactions or timestamps; comparing them as they are would report
 * nothing but noise. Two kinds of rules:
 *
 * - **identities** (session and handle ids, transactions, random room and participant ids,
 *   UUIDs, any integer of 10 digits or more — Janus's random ids): each distinct value becomes a
 *   symbol (`$1`, `$2`, ... in order of first appearance within a test). The same id seen twice is
 *   the same symbol, so "the event names the handle just attached" is still compared, and a
 *   value that becomes a different symbol is a difference.
 * - **masks** (timestamps, ports, version strings, commit hash, compile time, library versions,
 *   SDP origin lines, fingerprints, ICE credentials, SSRCs, SRTP keys, measurements): replaced by a
 *   placeholder that says what was there (`<time>`, `<port>`, `<version>`, `<measured>`, ...);
 *   their value is never compared.
 *
 * Small literal numbers (a room id the scenario chose, a bitrate, an extension id) are neither:
 * they are compared as they are.
 */
// token: a stored token names itself (Admin `list_tokens` lists every test's).
const IDENTITY_KEYS = /^(transaction|session_id|handle_id|sender|private_id|id|feed|feed_id|room|publisher_id|call_id|participant_id|token)$/;
const TIME_KEY = /(^|[-_])(time|timestamp|ts|uptime|date|started|created|activity|last-activity|lastActivity|elapsed|duration|gathered|connected|age_ms|[a-z]+_ms)$/i;
// port, rtcp_port, port_2 (a mountpoint's simulcast ports), port2, rtcpport, videoport-2: drawn from a range at run time.
const PORT_KEY = /(^|[-_])port(_?\d+)?$|^(audio|video|data)?(rtcp)?port(-?\d+)?$/i;
/**
 * Measurements: what the server counted or measured while media flowed (lost packets, audio
 * levels, jitter, round-trip times, byte and packet counts, link qualities; not a bitrate, which
 * is a setting) and how many connections a transport holds (every client of the server at that
 * moment, other tests' included). Two runs of the same server never measure the same, so any value but zero is
 * `<measured>`; zero stays, as "nothing measured" (a link quality that starts at 0 on one version
 * and at 100 on another is still a difference).
 */
const MEASUREMENT_KEY = /^(lost|lost-by-remote|lost_by_remote|jitter|jitter-local|jitter-remote|rtt|rtt-values|bytes|bytes_lastsec|packets|nacks|retransmissions|(in|out)-(media-)?link-quality|audio-level-dBov|audio-level-dBov-avg|audio_level|connections)$/i;
/**
 * Admin `handle_info` `loop-running`: whether the handle's own thread has started its loop yet.
 * The core starts it when the handle is attached, and a query right after the attach races it.
 */
const RACE_KEY = /^loop-running$/;
// server-name: a managed Janus is named after the process that started it.
const VERSION_KEY = /^(version|version_string|commit-hash|compile-time|dependencies|server-name)$/;
const SECRETISH_KEY = /^(fingerprint|ice-ufrag|ice-pwd|ufrag|pwd|ssrc|ssrc-[a-z]+|cname)$/i;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
// In text, 8 digits or more: Janus's 53-bit ids, and the random 32-bit numbers it puts in names
// (`janus-text2pcap-664365222.pcap`), which have fewer than 8 digits once in 400 draws.
const LONG_NUMBER = /(?<!\d|\d\.)\d{8,17}(?!\d|\.\d)/g;
// A shorter number in text is an id only when the test has bound it already (a room id 1234 in "No such room (1234)").
const SHORT_NUMBER = /(?<!\d|\d\.)\d{3,9}(?!\d|\.\d)/g;
/** Shorter string ids are too likely to be words: only these are looked for in text. */
const MIN_TEXT_STRING_ID = 6;
// An ICE candidate, in SDP, a trickle or handle_info: foundation component transport priority address port.
const CANDIDATE = /^((?:candidate:)?\S+ \d+ (?:udp|tcp|UDP|TCP) \d+ \S+ )\d+( typ .*)$/;
const HOST_PORT = /((?:\d{1,3}\.){3}\d{1,3}|localhost|\[[0-9a-f:]+\]):\d{2,5}\b/gi;

/** One test's symbol table: the same raw value always gets the same symbol. */
export class Symbols {
  private readonly table = new Map<string, string>();

  /**
   * @param seen ids the test has seen anywhere (`seenIds()` of a first pass over the whole test):
   * a list element naming one is the test's own even when it comes before the message that
   * binds it (a participant list on another connection, ahead of that participant's own reply).
   */
  constructor(private readonly seen: ReadonlySet<string> = new Set()) {}

  /** The ids bound so far, for a second pass (see the constructor). */
  seenIds(): Set<string> {
    return new Set(this.table.keys());
  }

  private readonly counters = new Map<string, number>();

  /** String ids bound so far (not transactions), to find them in text. */
  private readonly stringIds = new Map<string, string>();

  /**
   * The symbol of a value: named after the field it was first seen in and counted per field
   * (`$session_id1`, `$transaction3`), so that a new volatile field in one version does not
   * renumber every symbol after it.
   */
  symbol(value: string | number, field: string): string {
    const key = `${typeof value}:${value}`;
    let s = this.table.get(key);
    if (!s) {
      const name = field.replace(/[^A-Za-z0-9_]/g, '_') || 'id';
      const n = (this.counters.get(name) ?? 0) + 1;
      this.counters.set(name, n);
      s = `$${name}${n}`;
      this.table.set(key, s);
      if (typeof value === 'string' && field !== 'transaction' && field !== 'uuid' && value.length >= MIN_TEXT_STRING_ID) this.stringIds.set(value, s);
    }
    return s;
  }

  /** A message (or any JSON value) with its volatile values bound or masked. */
  normalize(value: unknown, key = ''): unknown {
    if (VERSION_KEY.test(key)) return maskTree(value, '<version>');
    if (TIME_KEY.test(key) && value !== null && typeof value !== 'object' && typeof value !== 'boolean') return '<time>';
    if (PORT_KEY.test(key) && typeof value === 'number') return '<port>';
    if (MEASUREMENT_KEY.test(key)) return measured(value);
    if (RACE_KEY.test(key) && typeof value === 'boolean') return '<race>';
    if (SECRETISH_KEY.test(key) && (typeof value === 'string' || typeof value === 'number')) return `<${key.toLowerCase()}>`;
    if (Array.isArray(value)) return this.isIdList(value, key) ? this.idSet(value as Array<string | number>) : this.ownElements(value).map((v) => this.normalize(v, key));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, this.normalize(v, k)]));
    }
    if (typeof value === 'number') return this.isIdentity(value, key) ? this.symbol(value, key) : value;
    if (typeof value === 'string') return IDENTITY_KEYS.test(key) && value !== '' ? this.symbol(value, key) : this.text(value, key);
    return value;
  }

  /**
   * Random ids: under an identity key, or of 10 digits or more (Janus's 53-bit random ids), or
   * under any `*_id` key from 65536 up (the plugins' random 32-bit ids, such as a SIP master_id or
   * an RTP forwarder's stream_id, are on either side of 10 digits; an extension id is small).
   */
  private isIdentity(value: number, key: string): boolean {
    if (IDENTITY_KEYS.test(key)) return true;
    if (!Number.isInteger(value)) return false;
    return Math.abs(value) >= 1e9 || (/_id$/.test(key) && Math.abs(value) >= 65536);
  }

  /**
   * A list of ids (Admin `list_sessions`, `list_handles`): in no order the server guarantees, and
   * naming whatever else runs on the server at the time. Compared as the set of the ids this
   * test has already seen, sorted; ids it never saw are not its own and are left out.
   */
  private isIdList(value: unknown[], key: string): boolean {
    return value.length > 0 && value.every((v) => (typeof v === 'number' && this.isIdentity(v, key)) || (typeof v === 'string' && IDENTITY_KEYS.test(key)));
  }

  /**
   * A list of things with an identity (rooms, participants, mountpoints: objects with an `id`,
   * `room`, `feed` ... field) lists whatever the server holds, other tests' rooms included when
   * tests run at once: only the elements whose identity this test sees elsewhere are its own.
   */
  private ownElements(value: unknown[]): unknown[] {
    const identity = (v: unknown): string | number | undefined => {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
      const entry = Object.entries(v as Record<string, unknown>).find(([k, x]) => IDENTITY_KEYS.test(k) && k !== 'transaction' && (typeof x === 'number' || typeof x === 'string'));
      return entry?.[1] as string | number | undefined;
    };
    if (!value.some((v) => identity(v) !== undefined)) return value;
    return value.filter((v) => {
      const id = identity(v);
      return id === undefined || this.table.has(`${typeof id}:${id}`) || this.seen.has(`${typeof id}:${id}`);
    });
  }

  private idSet(value: Array<string | number>): string[] {
    return [...new Set(value.map((v) => this.table.get(`${typeof v}:${v}`)).filter((s): s is string => s !== undefined))].sort();
  }

  /**
   * Text: SDP lines, ids and UUIDs inside it (an error reason naming a session), host:port. Ids
   * the test has already bound, short ones too ("No such room (1234)"), become their symbol.
   */
  text(value: string, field = 'text'): string {
    const isSdp = /^v=0\r?\n/.test(value);
    const text = (isSdp ? normalizeSdp(value) : value.replace(CANDIDATE, '$1<port>$2'))
      .replace(UUID, (u) => this.symbol(u.toLowerCase(), 'uuid'))
      .replace(LONG_NUMBER, (n) => this.symbol(Number(n), field))
      .replace(HOST_PORT, (_m, host: string) => `${host}:<port>`);
    // An SDP's numbers are payload types, clock rates, bitrates: not ids.
    if (isSdp) return text;
    return this.withStringIds(text.replace(SHORT_NUMBER, (n) => this.table.get(`number:${Number(n)}`) ?? this.table.get(`string:${n}`) ?? n));
  }

  private withStringIds(text: string): string {
    let out = text;
    for (const [id, symbol] of this.stringIds) if (out.includes(id)) out = out.split(id).join(symbol);
    return out;
  }
}

/** What a measurement other than zero becomes. */
export const MEASURED = '<measured>';

/** A measurement (or a tree of them, per transport or per medium): numbers but zero are `<measured>`. */
function measured(value: unknown): unknown {
  if (typeof value === 'number') return value === 0 ? 0 : MEASURED;
  if (Array.isArray(value)) return value.map(measured);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, measured(v)]));
  return value;
}

/** Every leaf of a tree replaced by the placeholder; the tree's shape (keys, types of containers) is kept. */
function maskTree(value: unknown, placeholder: string): unknown {
  if (Array.isArray(value)) return value.map((v) => maskTree(v, placeholder));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, maskTree(v, placeholder)]));
  return placeholder;
}

const SDP_RULES: Array<[RegExp, string]> = [
  [/^o=.*$/, 'o=<origin>'],
  [/^a=fingerprint:(\S+) .*$/, 'a=fingerprint:$1 <fingerprint>'],
  [/^a=ice-(ufrag|pwd):.*$/, 'a=ice-$1:<$1>'],
  [/^a=candidate:.*$/, 'a=candidate:<candidate>'],
  [/^a=(ssrc|ssrc-group):.*$/, 'a=$1:<ssrc>'],
  [/^a=msid:.*$/, 'a=msid:<msid>'],
  // SDES-SRTP keys (a plain RTP peer's SDP): drawn anew for every offer.
  [/^a=crypto:(\d+ \S+) inline:.*$/, 'a=crypto:$1 inline:<key>'],
  [/^a=rtcp:\d+/, 'a=rtcp:<port>'],
  [/^m=(\w+) \d+/, 'm=$1 <port>'],
  [/^c=IN IP([46]) \S+$/, 'c=IN IP$1 <address>'],
];

/** An SDP with the lines every run draws anew masked; the media sections, codecs and directions stay. */
export function normalizeSdp(sdp: string): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  return sdp
    .split(eol)
    .map((line) => SDP_RULES.reduce((l, [pattern, replacement]) => (pattern.test(l) ? l.replace(pattern, replacement) : l), line))
    .join(eol);
}

/** Whether a value (after normalize) is a symbol or a placeholder. */
export function isVolatile(value: unknown): boolean {
  return typeof value === 'string' && (/^\$[A-Za-z0-9_]*\d$/.test(value) || /^<[a-z-]+>$/.test(value));
}
