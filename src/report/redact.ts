import type { Environment } from '../core/environment.js';
import { cutPieces } from './cut-pieces.js';
import { SharedRuns } from './shared-runs.js';
import { mergeSpans, replaceSpans, type Span } from './spans.js';

/** What a report shows instead of a secret. */
export const REDACTED = '[redacted]';

/**
 * Replaces secret values wherever they appear: inside any string, in every form a secret takes
 * on its way to a report (see `encodingsOf`), and whole values equal to a secret (a saved
 * numeric id marked secret). Secrets are learnt as the run goes; redaction is by value, so a
 * deliberately wrong secret a scenario sends is still shown. Credentials in URLs
 * (`user:password@`, `?apisecret=`, `?token=`) are redacted whatever their value.
 *
 * A piece of a secret is redacted too: any run of at least FRAGMENT_LENGTH characters that also
 * occurs inside a secret (in one of its textual forms), as a whole (a prefix a scenario sent, a
 * token a server cut short in an error text, a middle part). A shorter piece counts as a piece
 * only next to a cut marker ("...", "…", as a cut leaves it). Texts are redacted whole, before
 * anything cuts them to a length, so our own cuts never split a secret.
 */
export class Redactor {
  private readonly secrets = new Set<string>();
  private search?: SecretSearch;

  constructor(values: Iterable<string | undefined> = []) {
    this.add(values);
  }

  add(values: Iterable<string | undefined>): this {
    for (const v of values) {
      if (v === undefined || v === '' || v === REDACTED || this.secrets.has(v)) continue;
      this.secrets.add(v);
      this.search = undefined;
    }
    return this;
  }

  get size(): number {
    return this.secrets.size;
  }

  text(s: string): string {
    const withoutUrlSecrets = redactUrls(s);
    if (this.secrets.size === 0) return withoutUrlSecrets;
    return this.replaceSecrets(withoutUrlSecrets, () => REDACTED);
  }

  /**
   * For a text that goes out in pieces (the writes to a stream), where what may go now ends: the
   * tail after it could still join what comes next into a secret or a piece of one, so it waits
   * for that (or for the end). The tail is the longest run at the end that occurs in a form of a
   * secret, moved back to the start of any secret or piece it cuts through. All of `s` when no
   * secret is known: URL credentials are redacted in each piece as it goes.
   */
  safeUpTo(s: string): number {
    if (this.secrets.size === 0) return s.length;
    this.search ??= new SecretSearch(this.secrets);
    const open = this.search.openTail(s);
    if (open === 0) return s.length;
    let cut = s.length - open;
    for (const span of this.search.spans(s)) if (span.start < cut && cut < span.end) cut = span.start;
    // Never half a surrogate pair on either side.
    return cut > 0 && /[\uD800-\uDBFF]/.test(s[cut - 1]!) ? cut - 1 : cut;
  }

  /**
   * The text with each secret (and a URL's user-info) replaced by as many `*`: for source lines
   * shown under a caret, whose columns must stay where they were.
   */
  masked(s: string): string {
    const stars = (m: string): string => '*'.repeat(m.length);
    const withoutUserInfo = s.replace(URL_USERINFO, (_m, scheme: string, info: string) => `${scheme}${stars(info)}@`);
    if (this.secrets.size === 0) return withoutUserInfo;
    return this.replaceSecrets(withoutUserInfo, stars);
  }

  /**
   * Every search marks spans of the text and all of them go at once: a run that holds a whole
   * short secret and more of a long one is replaced as one, not leaving the long one's rest
   * (under FRAGMENT_LENGTH, so not found again) behind.
   */
  private replaceSecrets(s: string, replacement: (found: string) => string): string {
    this.search ??= new SecretSearch(this.secrets);
    return replaceSpans(s, this.search.spans(s), replacement);
  }

  /** A redacted deep copy of plain data (objects, arrays, strings, numbers). */
  value<T>(v: T): T {
    return this.walk(v) as T;
  }

  private walk(v: unknown): unknown {
    if (typeof v === 'string') return this.secrets.has(v) ? REDACTED : this.text(v);
    // A number is a secret only whole: times, durations and ids must stay numbers.
    if (typeof v === 'number' || typeof v === 'bigint') return this.secrets.has(String(v)) ? REDACTED : v;
    if (Array.isArray(v)) return v.map((x) => this.walk(x));
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [this.text(k), this.walk(x)]));
    return v;
  }
}

/** Query parameters whose values are credentials, in any URL: Janus's own and the usual ones. */
const SECRET_QUERY_KEYS = ['apisecret', 'admin_secret', 'token', 'access_token', 'secret', 'password', 'pass', 'pwd', 'key', 'auth'];
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@"'<>]*)@/gi;
const SECRET_QUERY = new RegExp(`([?&](?:${SECRET_QUERY_KEYS.join('|')})=)[^&#\\s"'<>]*`, 'gi');

/** `http://user:pass@host/x?apisecret=s&maxev=1` -> `http://[redacted]@host/x?apisecret=[redacted]&maxev=1`. */
export function redactUrls(text: string): string {
  return text.replace(URL_USERINFO, `$1${REDACTED}@`).replace(SECRET_QUERY, `$1${REDACTED}`);
}

/**
 * The shortest piece of a secret redacted wherever it appears, without a cut mark beside it.
 * Eight characters of a secret (a token, a generated admin secret of 24 hex digits, Janus'
 * default "janusrocks") do not occur in ordinary report text by chance; fewer begin to match
 * words every report holds ("janus", "session", "success") and garble it. A shorter piece is
 * shown: it is the price of reports that stay readable.
 */
export const FRAGMENT_LENGTH = 8;

/**
 * What pieces are searched in: each secret of FRAGMENT_LENGTH characters or more, in the forms
 * a piece keeps as a piece (as is, JSON-, URL- and HTML-escaped). Shorter secrets are searched
 * whole only: every piece of them would be shorter than the threshold. Base64 is left out: its
 * characters mix neighbouring bytes, and a window of it covers fewer characters of the secret.
 */
function fragmentSources(secrets: Iterable<string>): string[] {
  const forms = new Set<string>();
  for (const s of secrets) if (s.length >= FRAGMENT_LENGTH) for (const f of textForms(s)) forms.add(f);
  return [...forms];
}

/**
 * The forms a secret is searched in. Chosen from where a value travels before a report shows
 * it: as is; JSON-escaped once and twice (transcripts print messages as JSON, JSON inside a
 * JSON string); URL-encoded (a query string, form bodies with `+` for spaces, either hex case);
 * HTML/XML-escaped (JUnit and HTML); base64 and base64url at each of the three alignments a
 * value can have inside a longer encoded text (HTTP Basic credentials, tokens carried encoded).
 */
export function encodingsOf(secret: string): string[] {
  return [...new Set([...textForms(secret), ...base64Forms(secret)])];
}

/** The forms of `encodingsOf` that keep the secret's characters in order, one for one or escaped. */
function textForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const json = JSON.stringify(secret).slice(1, -1);
  forms.add(json);
  forms.add(JSON.stringify(json).slice(1, -1));
  const url = encodeURIComponent(secret);
  forms.add(url);
  forms.add(url.replace(/%20/g, '+'));
  forms.add(url.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()));
  forms.add(secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'));
  forms.add(secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;'));
  return [...forms];
}

/**
 * The base64 characters that depend on the secret's bytes alone, for each alignment (0, 1 or 2
 * bytes before it in the encoded data). Too short a secret gives too short a run to search for.
 */
function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  if (bytes.length < 6) return [];
  const out: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const encoded = padded.toString('base64').replace(/=+$/, '');
    // The leading characters mix in the padding bytes; trailing ones may mix in what follows.
    const first = Math.ceil((offset * 8) / 6);
    const last = Math.floor(((offset + bytes.length) * 8) / 6);
    const run = encoded.slice(first, last);
    if (run.length >= 6) out.push(run, run.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

/**
 * What is searched for a set of secrets: whole values in every form (`encodingsOf`), pieces of
 * FRAGMENT_LENGTH or more (`fragmentSources`), and shorter pieces beside a cut mark.
 */
class SecretSearch {
  private readonly forms: string[];
  private readonly longestForm: number;
  private readonly whole: RegExp;
  private readonly fragments: SharedRuns;
  private readonly cutForms: { short: string[]; long: string[] };

  constructor(secrets: Set<string>) {
    const forms = new Set<string>();
    for (const s of secrets) for (const f of encodingsOf(s)) forms.add(f);
    // Longest first, so a secret that contains another is found whole.
    this.forms = [...forms].sort((a, b) => b.length - a.length);
    this.longestForm = this.forms[0]?.length ?? 0;
    this.whole = new RegExp(this.forms.map(escapeRegExp).join('|'), 'g');
    this.fragments = new SharedRuns(fragmentSources(secrets), FRAGMENT_LENGTH);
    const cutForms = (keep: (s: string) => boolean): string[] => [...new Set([...secrets].filter(keep).flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]))];
    this.cutForms = { short: cutForms((s) => s.length < FRAGMENT_LENGTH), long: cutForms((s) => s.length >= FRAGMENT_LENGTH) };
  }

  /**
   * How many characters at the end of the text occur in a form of a secret: the start of a
   * secret or a piece that the text after them may complete. A run that is not in a form has no
   * longer run ending where it ends in a form either, so the search stops at the first one.
   */
  openTail(text: string): number {
    let open = 0;
    while (open < Math.min(text.length, this.longestForm) && this.forms.some((f) => f.includes(text.slice(text.length - open - 1)))) open++;
    return open;
  }

  /** Where the text shows a secret or a piece of one, in order and apart. */
  spans(text: string): Span[] {
    const whole = Array.from(text.matchAll(this.whole), (m) => ({ start: m.index, end: m.index + m[0].length }));
    // A piece of a long secret beside a cut mark is a fragment already from FRAGMENT_LENGTH on.
    const cut = [...cutPieces(text, this.cutForms.short, Infinity), ...cutPieces(text, this.cutForms.long, FRAGMENT_LENGTH - 1)];
    return mergeSpans(text, [...whole, ...this.fragments.spans(text), ...cut]);
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The run's secrets the environment gives (as the CLI reads them), for reporters under plain mocha. */
export function environmentSecrets(env: Environment): string[] {
  return [env.JANUS_API_SECRET, env.JANUS_TOKEN, env.JANUS_ADMIN_SECRET].filter((v): v is string => !!v);
}

/**
 * The credentials a URL carries (its password, secret query values), to redact wherever they
 * appear. A user name beside a password says who logs in: searched for in every text, a short
 * one (`u`) would mark harmless words; it is redacted in URLs, with the rest of the user-info.
 * Alone, a user name is the credential (a token given as the user name), and is searched for.
 */
export function urlSecrets(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  const found = [parsed.password === '' ? parsed.username : parsed.password].map((v) => safeDecode(v));
  for (const [key, value] of parsed.searchParams) if (SECRET_QUERY_KEYS.includes(key.toLowerCase())) found.push(value);
  return found.filter((v) => v.length > 0);
}

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
