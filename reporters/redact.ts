import type { Environment } from '../src/core/environment.js';

/** What a report shows instead of a secret. */
export const REDACTED = '[redacted]';

/**
 * Replaces secret values wherever they appear: inside any string (also in their JSON-escaped
 * form, as transcripts print messages as JSON), and whole values equal to a secret (a saved
 * numeric id marked secret). Secrets are learnt as the run goes; redaction is by value, so a
 * deliberately wrong secret a scenario sends is still shown.
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
    if (this.secrets.size === 0) return s;
    this.pattern ??= compile(this.secrets);
    return s.replace(this.pattern, REDACTED);
  }

  /** A redacted deep copy of plain data (objects, arrays, strings, numbers). */
  value<T>(v: T): T {
    if (this.secrets.size === 0) return v;
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

/** Longest first, so a secret that contains another is replaced whole. */
function compile(secrets: Set<string>): RegExp {
  const forms = new Set<string>();
  for (const s of secrets) {
    forms.add(s);
    forms.add(JSON.stringify(s).slice(1, -1));
    forms.add(JSON.stringify(JSON.stringify(s).slice(1, -1)).slice(1, -1));
  }
  const sorted = [...forms].sort((a, b) => b.length - a.length);
  return new RegExp(sorted.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
}

/** The run's secrets the environment gives (as the CLI reads them), for reporters under plain mocha. */
export function environmentSecrets(env: Environment): string[] {
  return [env.JANUS_API_SECRET, env.JANUS_TOKEN, env.JANUS_ADMIN_SECRET].filter((v): v is string => !!v);
}
