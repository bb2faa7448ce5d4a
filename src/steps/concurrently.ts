import { commonProperties } from './common.js';
import { StepFailure, type CompiledStep, type InFlight, type StepContext, type StepFailureDetails, type StepKind } from './contract.js';

/** The kinds that send one request and can leave its reply for later: what `concurrently:` may hold. */
const CONCURRENT_KINDS = ['request', 'admin', 'raw'] as const;

/**
 * `concurrently:` puts several requests on the wire, in the order written, before any reply is
 * awaited (as janus.js sends `detach` and `destroy`, as janode runs requests), then checks each
 * reply against its own step's `expect`, correlated by transaction as always.
 */
export const concurrentlyStep: StepKind = {
  key: 'concurrently',
  summary: 'send several requests without waiting for their replies, then check each reply against its own expect',
  nestedSteps: { key: 'concurrently', kinds: CONCURRENT_KINDS },
  schema: {
    type: 'object',
    required: ['concurrently'],
    additionalProperties: false,
    properties: {
      concurrently: {
        type: 'array',
        minItems: 2,
        // Each item is checked against its own kind's schema (request, admin or raw) at load time.
        items: { type: 'object' },
        description: 'request, admin or raw steps, sent in this order without waiting; each reply is then matched against its own step\'s expect, and what they save is usable after this step',
      },
      ...commonProperties,
      client: { ...commonProperties.client, description: 'the client the inner steps act as, unless one names its own (default: the first in `clients`)' },
    },
  },
  compile(raw, cc) {
    const client = cc.client(raw);
    const raws = raw.concurrently as unknown[];
    raws.forEach((inner, i) => {
      for (const key of ['janus', 'known_bug'] as const) {
        if (Object.hasOwn(inner as object, key)) cc.error(['concurrently', i, key], `\`${key}:\` goes on the concurrently step, not on a step inside it: the requests are sent together or not at all`);
      }
    });
    const inner = cc.steps(raws, ['concurrently'], client);
    const title = (raw.name as string | undefined) ?? `${client} sends ${inner.map(describe).join(', ')} at once`;
    return {
      kind: 'concurrently',
      span: cc.span(),
      title,
      client,
      inner,
      execute: (ctx) => runConcurrently(inner, ctx),
    };
  },
};

function describe(step: CompiledStep): string {
  return step.title.startsWith(`${step.client} `) ? step.title.slice(step.client.length + 1) : step.title;
}

/**
 * Sends every request (each step's own client connects first if it has to), then finishes them
 * in the order written. A request that could not be sent does not stop the others: the ones on
 * the wire are always finished, so their sessions and handles are known to cleanup.
 */
async function runConcurrently(inner: readonly CompiledStep[], ctx: StepContext): Promise<void> {
  const failures: Array<{ step: CompiledStep; error: unknown }> = [];
  const sent: Array<{ step: CompiledStep; inFlight: InFlight }> = [];
  for (const step of inner) {
    try {
      sent.push({ step, inFlight: await step.send!(ctx) });
    } catch (error) {
      failures.push({ step, error });
    }
  }
  for (const { step, inFlight } of sent) {
    try {
      await inFlight.finish();
    } catch (error) {
      failures.push({ step, error });
    }
  }
  if (failures.length === 0) return;
  // A server problem outranks a mismatch (it is the verdict: exit 3); then the order written.
  const rank = (f: { step: CompiledStep; error: unknown }): number => (isServerProblem(f.error) ? 0 : 1);
  failures.sort((a, b) => rank(a) - rank(b) || inner.indexOf(a.step) - inner.indexOf(b.step));
  throw innerFailure(failures);
}

function isServerProblem(error: unknown): boolean {
  return !(error instanceof StepFailure) || error.kind === 'infrastructure';
}

/** The first inner failure, at its own step's position, saying how many others failed too. */
function innerFailure(failures: Array<{ step: CompiledStep; error: unknown }>): StepFailure {
  const [first, ...rest] = failures;
  const { step, error } = first!;
  const cause = error instanceof StepFailure ? error : new StepFailure('infrastructure', `internal error: ${(error as Error)?.message ?? String(error)}`);
  const others = rest.map((f) => `${f.step.title} (line ${f.step.span.line}): ${f.error instanceof StepFailure ? f.error.summary : String(f.error)}`);
  const summary = others.length === 0 ? cause.summary : `${cause.summary}; also failed: ${others.join('; ')}`;
  // Going on after a mismatch is only safe when every failed request did get its reply.
  const continuable = failures.every((f) => f.error instanceof StepFailure && f.error.details.continuable === true);
  const details: StepFailureDetails = { ...cause.details, span: step.span, stepTitle: step.title, continuable };
  // A reply too slow, or the scenario's own mistake, in any of them is never a bug showing: a
  // \`known_bug\` mark must not take the step for it because another request failed first.
  const inner = failures.map((f) => (f.error instanceof StepFailure ? f.error.details : {}));
  if (inner.some((d) => d.slow === true)) details.slow = true;
  if (inner.some((d) => d.ownMistake === true)) details.ownMistake = true;
  return new StepFailure(cause.kind, summary, details);
}
