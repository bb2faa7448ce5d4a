import { UsageError } from '../core/usage-error.js';
import { REDACTED, redactUrls } from '../report/redact.js';
import type { TransportDefinition } from '../transports/contract.js';
import { getTransport, transportForScheme, transportNames } from '../transports/registry.js';

/**
 * The transport serving a URL's scheme (amqp:// is rabbitmq's). A URL no transport serves is a
 * usage error naming the option and the schemes there are; one with no scheme at all
 * (`localhost:8088`, `127.0.0.1:8188`: a host and port, the common slip) says how to write it,
 * rather than reading the host as an unknown transport.
 */
export function urlTransport(option: string, url: string): TransportDefinition {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  const transport = scheme === undefined ? undefined : transportForScheme(scheme);
  if (transport) return transport;
  // The refusal repeats the URL: its credentials stay out, also where no scheme marks them (`user:pass@host`).
  const shown = scheme === undefined ? url.replace(/^[^/?#\s]*@/, `${REDACTED}@`) : redactUrls(url);
  const served = `schemes served: ${transportNames().flatMap((name) => getTransport(name)?.schemes ?? []).map((s) => `${s}://`).join(', ')}`;
  if (scheme === undefined) {
    const path = option === '--admin-url' ? 'admin' : 'janus';
    throw new UsageError(`${option} ${shown}: the URL has no scheme; write it whole, as http://${shown}/${path} or ws://${shown} (${served})`);
  }
  throw new UsageError(`${option} ${shown}: no transport serves the scheme "${scheme}" (${served})`);
}
