import type { Environment } from '../core/environment.js';
import { CUT_MARK } from '../core/clip.js';

/** What a report shows instead of a secret. */
export const REDACTED = '[redacted]';

/**
 * Replaces secret values wherever they appear: inside any string, in every form a secret takes
 * on its way to a report (see `encodingsOf`), and whole values equal to a secret (a saved
 * numeric id marked secret). Secrets are learnt as the run goes; redaction is by value, so a
 * deliberately wrong secret a scenario sends is still shown. Credentials in URLs
 * (`user:password@`, `?apisecret=`, `?token=`) are redacted whatever their value.
 *
 * Texts are redacted whole, before anything cuts them to a length: a cut through a secret
 * would leave a prefix no full-value search finds. As a second line of defence, a piece of a
 * secret that ends at a cut marker ("...", "…", as a cut someone else made leaves it) is
 * redacted too.
 */
export class Redactor {
  private readonly secrets = new Set<string>();
  private pattern?: RegExp;

  constructor(values: Iterable<string | undefined> = []) {
    this.add(values);
  }

  add(values: Iterable<string | undefined>): this {
    for (const v of values) {
      if (v === undefined || v === '' || v === REDACTED || this.secrets.has(v)) continue;
      this.secrets.add(v);
      this.pattern = undefined;
    }
    return this;
  }

  get size(): number {
    return this.secrets.size;
  }

  text(s: string): string {
    const withoutUrlSecrets = redactUrls(s);
    if (this.secrets.size === 0) return withoutUrlSecrets;
    this.pattern ??= compile(this.secrets);
    return withoutUrlSecrets.replace(this.pattern, REDACTED);
  }

  /**
   * The text with each secret (and a URL's user-info) replaced by as many `*`: for source lines
   * shown under a caret, whose columns must stay where they were.
   */
  masked(s: string): string {
    const stars = (m: string): string => '*'.repeat(m.length);
    const withoutUserInfo = s.replace(URL_USERINFO, (_m, scheme: string, info: string) => `${scheme}${stars(info)}@`);
    if (this.secrets.size === 0) return withoutUserInfo;
    this.pattern ??= compile(this.secrets);
    return withoutUserInfo.replace(this.pattern, stars);
  }

  /** A redacted deep copy of plain data (objects, arrays, strings, numbers). */
  value<T>(v: T): T {
    return this.walk(v) as T;
  }

  private walk(v: unknown): unknown {
    if (typeof v === 'string') return this.secrets.has(v) ? REDACTED : this.text(v);
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

/** Where a cut leaves its mark: our own (CUT_MARK in src/core/clip.ts) and the ellipsis character. */
const CUT_MARKERS = [CUT_MARK, '…'];

/**
 * The forms a secret is searched in. Chosen from where a value travels before a report shows
 * it: as is; JSON-escaped once and twice (transcripts print messages as JSON, JSON inside a
 * JSON string); URL-encoded (a query string, form bodies with `+` for spaces, either hex case);
 * HTML/XML-escaped (JUnit and HTML); base64 and base64url at each of the three alignments a
 * value can have inside a longer encoded text (HTTP Basic credentials, tokens carried encoded).
 */
export function encodingsOf(secret: string): string[] {
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
  for (const encoded of base64Forms(secret)) forms.add(encoded);
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

/** Longest first, so a secret that contains another is replaced whole. */
function compile(secrets: Set<string>): RegExp {
  const forms = new Set<string>();
  for (const s of secrets) for (const f of encodingsOf(s)) forms.add(f);
  const whole = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
  // A cut may close a quote before its mark (V8's JSON.parse errors quote `"<xxxapiSEC"...`),
  // or open one after it.
  const before = CUT_MARKERS.map((m) => `["']?${escapeRegExp(m)}`).join('|');
  const after = CUT_MARKERS.map((m) => `${escapeRegExp(m)}["']?`).join('|');
  const pieces: string[] = [];
  for (const s of secrets) {
    for (const f of new Set([s, JSON.stringify(s).slice(1, -1)])) {
      for (let n = f.length - 1; n >= 1; n--) {
        pieces.push(`${escapeRegExp(f.slice(0, n))}(?=${before})`);
        pieces.push(`(?<=${after})${escapeRegExp(f.slice(f.length - n))}`);
      }
    }
  }
  return new RegExp([...whole, ...pieces].join('|'), 'g');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The run's secrets the environment gives (as the CLI reads them), for reporters under plain mocha. */
export function environmentSecrets(env: Environment): string[] {
  return [env.JANUS_API_SECRET, env.JANUS_TOKEN, env.JANUS_ADMIN_SECRET].filter((v): v is string => !!v);
}

/** The credentials a URL carries (user, password, secret query values), to redact wherever they appear. */
export function urlSecrets(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  const found = [parsed.username, parsed.password].map((v) => safeDecode(v));
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
