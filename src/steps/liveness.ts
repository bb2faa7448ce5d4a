import { formatDuration } from '../core/duration.js';
import type { JanusClient } from '../janus/client.js';
import { StepFailure, type StepContext } from './contract.js';

/** A probe never waits longer than this, whatever the step timeout, so a dead server is named soon. */
const PROBE_LIMIT_MS = 5000;

/**
 * The verdict on a request the server did not answer within the step's time limit. Whether the
 * server is alive decides whose fault it is: the client sends a `ping` (needs no secret, in
 * both APIs) on the same connection. Answered, with anything, the server is up and only this
 * reply is slower than the scenario allows: the scenario fails (exit 1). Not answered, or the
 * connection is gone: a server problem (exit 3). The ping appears in the transcript.
 */
export async function silenceVerdict(client: JanusClient, ctx: StepContext, what: string): Promise<StepFailure> {
  const probeMs = Math.min(ctx.stepTimeoutMs, PROBE_LIMIT_MS);
  const outcome = await client.request({ janus: 'ping', transaction: ctx.nextTransaction() }, {}, 'final', probeMs, ctx.signal);
  if (ctx.signal.aborted) return new StepFailure('infrastructure', 'interrupted');
  if ('exchange' in outcome) return new StepFailure('assertion', `${what}; the server is up (it answered a ping), the reply is slower than the step allows`, { slow: true });
  if ('fault' in outcome) return new StepFailure('infrastructure', `${what}, and then: ${outcome.fault.message}`);
  return new StepFailure('infrastructure', `${what}, and no answer to a ping within ${formatDuration(probeMs)} either: the server does not respond`);
}
