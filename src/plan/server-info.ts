import { formatDuration } from '../core/duration.js';
import { describeUncorrelated, JanusClient } from '../janus/client.js';
import { redactUrls } from '../report/redact.js';
import type { TlsOptions } from '../transports/contract.js';
import { getTransport } from '../transports/registry.js';

export const DEFAULT_FIRST_CONTACT_MS = 5000;

/** The server could not be reached or started: one line, exit 3. */
export class InfrastructureError extends Error {}

/** The caller's signal (Ctrl-C, SIGTERM) ended the first contact: nothing ran, exit 130. */
export class ContactInterrupted extends Error {}

/**
 * The first contact with a server: connect and `info`, each within the step time limit.
 * `signal` ends it at once (ContactInterrupted), its connection closed.
 */
export async function serverInfo(transportName: string, url: string, tls: TlsOptions, timeoutMs: number, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const transport = getTransport(transportName)!;
  // Credentials in the URL (user:password@, ?apisecret=) never reach a message.
  const shown = redactUrls(url);
  const interrupted = () => new ContactInterrupted(`the first contact with Janus at ${shown} was interrupted`);
  if (signal?.aborted) throw interrupted();
  let client: JanusClient;
  try {
    client = await JanusClient.connect(transport, { url, api: 'janus', tls, connectTimeoutMs: timeoutMs, ...(signal && { signal }) }, { api: 'janus', nextTransaction: () => 'preflight', pollAuth: {} });
  } catch (e) {
    if (signal?.aborted) throw interrupted();
    throw new InfrastructureError(`cannot reach Janus at ${shown}: ${(e as Error).message}`);
  }
  const outcome = await client.request({ janus: 'info', transaction: 'preflight-info' }, {}, 'final', timeoutMs, signal);
  // Closed before anything else: a Unix datagram client's socket folder goes with it.
  await client.close(() => ({}), 0);
  if (signal?.aborted) throw interrupted();
  if ('fault' in outcome) throw new InfrastructureError(`Janus at ${shown}: ${outcome.fault.message}`);
  if ('timedOut' in outcome) {
    const why = outcome.uncorrelated ? `; ${describeUncorrelated(outcome.uncorrelated)}: ${replyJson(outcome.uncorrelated)}` : '';
    throw new InfrastructureError(`Janus at ${shown} did not answer info within ${formatDuration(timeoutMs)}${why}`);
  }
  if (outcome.exchange.reply.janus !== 'server_info') throw new InfrastructureError(`Janus at ${shown} answered info with ${replyJson(outcome.exchange.reply)}`);
  return outcome.exchange.reply;
}

/** A server's reply in a one-line error, whole: the caller redacts the line, then cuts it. */
function replyJson(message: unknown): string {
  return JSON.stringify(message);
}

