import { CORE_ERROR_NAMES } from '../protocol/errors.js';
import { schemaNames } from '../schemas/catalogue.js';
import { bundledPlugins } from '../schemas/plugins/index.js';
import { holdsFor } from '../schemas/versions.js';
import type { CoverageCollector } from './collector.js';

/**
 * Core error codes no client request can make Janus 1.1.2 return: unused codes, internal failures
 * (490), and codes that need a race with Janus's own teardown. 462 comes only from a plugin that
 * returns no result or reports "Shutting down"/"No session associated with this handle", and 463
 * and 471 only from a handle whose plugin session or PeerConnection is already being freed
 * (janus.c, v1.1.2, the `message`, `detach` and `hangup` branches).
 */
const NOT_CLIENT_TRIGGERABLE = new Set([452, 461, 462, 463, 466, 471, 490]);

/**
 * The coverage report: request verbs × plugins × transports, and the error codes covered, as
 * plain text tables a conformance claim can quote. Denominators come from the catalogue.
 */
export function renderCoverage(c: CoverageCollector, transports: string[], version = '1.1.2'): string {
  const out: string[] = [];
  const row = (label: string, seen: Set<string> | undefined) => `  ${label.padEnd(34)} ${transports.map((t) => (seen?.has(t) ? '✔' : '·').padEnd(t.length + 1)).join('')}`;
  const header = (title: string) => out.push('', title, `  ${''.padEnd(34)} ${transports.map((t) => `${t} `).join('')}`);
  const summary = (label: string, all: string[], covered: (k: string) => boolean) => {
    const n = all.filter(covered).length;
    out.push(`  ${label}: ${n} of ${all.length} (${all.length ? Math.round((100 * n) / all.length) : 100}%)`);
    const missing = all.filter((k) => !covered(k));
    if (missing.length > 0) out.push(`    not exercised: ${missing.join(', ')}`);
  };

  const coreVerbs = verbsOf('core/request/');
  header('Janus API requests');
  for (const v of coreVerbs) out.push(row(v, c.requests.get(`janus ${v}`)));
  summary('core verbs', coreVerbs, (v) => c.requests.has(`janus ${v}`));

  const adminVerbs = verbsOf('admin/request/');
  header('Admin API requests');
  for (const v of adminVerbs) out.push(row(v, c.requests.get(`admin ${v}`)));
  summary('admin verbs', adminVerbs, (v) => c.requests.has(`admin ${v}`));

  const coreCodes = Object.keys(CORE_ERROR_NAMES).map(Number).filter((code) => !NOT_CLIENT_TRIGGERABLE.has(code));
  header('Core error codes a client can trigger');
  for (const code of coreCodes) out.push(row(`${code} ${CORE_ERROR_NAMES[code]}`, c.errors.get(`core ${code}`)));
  summary('core error codes', coreCodes.map(String), (code) => c.errors.has(`core ${code}`));

  for (const spec of bundledPlugins()) {
    const requests = Object.entries(spec.requests).filter(([, r]) => holdsFor(r, version)).map(([name]) => name);
    if (requests.length === 0) continue;
    header(`${spec.package} requests`);
    for (const r of requests) out.push(row(r || '(message)', c.requests.get(`${spec.package} ${r}`)));
    summary('signalling requests', requests.map((r) => r || '(message)'), (r) => c.requests.has(`${spec.package} ${r === '(message)' ? '' : r}`));
    const codes = Object.entries(spec.errors).filter(([, e]) => holdsFor(e, version));
    const covered = codes.filter(([code]) => c.errors.has(`${spec.package} ${code}`)).map(([code, e]) => `${code} ${e.name}`);
    out.push(`  error codes: ${covered.length} of ${codes.length}${covered.length ? ` (${covered.join(', ')})` : ''}`);
  }
  return out.join('\n');
}

function verbsOf(prefix: string): string[] {
  return schemaNames().filter((n) => n.startsWith(prefix)).map((n) => n.slice(prefix.length));
}
