import assert from 'node:assert/strict';
import { loadFiles } from '../../src/compile/load-files.js';
import { runScenario, type RunOptions } from '../../src/run/run-scenario.js';
import type { ScenarioResult } from '../../src/run/events.js';
import { scenarioDir } from '../support/cli.js';
import { useFakeJanus } from '../support/fake-janus.js';

/**
 * The path from a reply to the next request carries only what that request needs: a request
 * written out is made while the step before it waits, and a reply's books (transcript, schema
 * checks, sessions) are kept once the next request is on the wire. Neither may show: what goes
 * on the wire, the transcript's order, which step a message's schema violation fails, and
 * whether a request after a failed step is sent must all be as if each were done in its turn.
 */
describe('from a reply to the next request', function () {
  this.timeout(20_000);
  const files = scenarioDir({
    'flow.yaml': `name: a flow of requests written out
keepalive: false
steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.echotest }
  - request: { janus: message, body: { audio: true } }
  - request: { janus: info, session_id: null }
    at: session
  - request: detach
`,
    'stops.yaml': `name: a mismatch stops the steps
keepalive: false
steps:
  - request: create
    expect: { janus: error }
  - request: { janus: attach, plugin: janus.plugin.echotest }
`,
  });
  const fakeJanus = useFakeJanus(files);

  const run = async (file: string, transport: 'http' | 'ws', options: Partial<RunOptions> = {}): Promise<ScenarioResult> => {
    const loaded = loadFiles([files.path(file)]);
    assert.deepEqual(loaded.diagnostics, []);
    const fake = fakeJanus();
    const url = transport === 'http' ? fake.httpUrl : fake.httpUrl.replace(/^http/, 'ws');
    return runScenario(loaded.scenarios[0]!, { transport, url, tls: {}, secrets: { apisecret: 'sekrit' } }, { seed: 's', stepTimeoutMs: 2000, scenarioTimeoutMs: 10_000, ...options });
  };
  /** The requests the fake received since `from`, as JSON texts. */
  const sentSince = (from: { requests: number; frames: number }, transport: 'http' | 'ws'): string[] => {
    const fake = fakeJanus();
    return transport === 'http' ? fake.requests.slice(from.requests).filter((r) => r.method === 'POST').map((r) => r.body) : fake.frames.slice(from.frames);
  };
  const mark = () => ({ requests: fakeJanus().requests.length, frames: fakeJanus().frames.length });

  for (const transport of ['http', 'ws'] as const) {
    it(`${transport}: each request on the wire is its transcript's, secrets and transaction in, in the order sent; replies in the transcript between them`, async () => {
      fakeJanus().behaviour = 'ok';
      const from = mark();
      const result = await run('flow.yaml', transport);
      assert.equal(result.status, 'passed', result.failure?.summary);
      const steps = result.transcript.slice(0, result.stepMessages);
      assert.deepEqual(steps.map((e) => e.direction), ['out', 'in', 'out', 'in', 'out', 'in', 'out', 'in', 'out', 'in']);
      const out = steps.filter((e) => e.direction === 'out').map((e) => e.message as Record<string, unknown>);
      const wire = sentSince(from, transport).slice(0, 5).map((text) => JSON.parse(text) as Record<string, unknown>);
      // Over WebSocket the route's ids are in the body; over HTTP in the path.
      const withoutIds = (m: Record<string, unknown>) => Object.fromEntries(Object.entries(m).filter(([k]) => k !== 'session_id' && k !== 'handle_id'));
      assert.deepEqual(wire.map(withoutIds), out.map(withoutIds));
      assert.deepEqual(out.map((m) => m.janus), ['create', 'attach', 'message', 'info', 'detach']);
      assert.ok(out.every((m) => m.apisecret === 'sekrit' && typeof m.transaction === 'string'), JSON.stringify(out));
      assert.equal(new Set(out.map((m) => m.transaction)).size, 5, 'a transaction each');
      // The explicit null leaves session_id out of the body, though the request goes to the session.
      assert.equal('session_id' in wire[3]!, false, JSON.stringify(wire[3]));
      // Every reply answers the request before it.
      for (let i = 0; i < steps.length; i += 2) assert.equal((steps[i + 1]!.message as { transaction?: unknown }).transaction, out[i / 2]!.transaction);
    });

    it(`${transport}: the same seed sends the same transactions, run after run`, async () => {
      fakeJanus().behaviour = 'ok';
      const transactions = async () => (await run('flow.yaml', transport)).transcript.filter((e) => e.direction === 'out').map((e) => (e.message as { transaction?: unknown }).transaction);
      assert.deepEqual(await transactions(), await transactions());
    });

    it(`${transport}: the request after a step that failed is never sent, though it was made while that step waited`, async () => {
      fakeJanus().behaviour = 'ok';
      const from = mark();
      const result = await run('stops.yaml', transport);
      assert.equal(result.status, 'failed');
      assert.equal(result.failure?.span?.line, 4, result.failure?.summary);
      const verbs = sentSince(from, transport).map((text) => (JSON.parse(text) as { janus?: unknown }).janus);
      assert.equal(verbs.includes('attach'), false, verbs.join(', '));
      assert.equal(result.transcript.some((e) => e.direction === 'out' && (e.message as { janus?: unknown }).janus === 'attach'), false);
    });

    it(`${transport}: going on after the mismatch (record, compare), the request made meanwhile goes as written`, async () => {
      fakeJanus().behaviour = 'ok';
      const from = mark();
      const result = await run('stops.yaml', transport, { continueOnMismatch: true });
      assert.equal(result.status, 'failed');
      const wire = sentSince(from, transport).map((text) => JSON.parse(text) as Record<string, unknown>);
      const attach = wire.find((m) => m.janus === 'attach');
      assert.ok(attach && attach.plugin === 'janus.plugin.echotest' && attach.apisecret === 'sekrit', JSON.stringify(wire));
      assert.equal(result.transcript.filter((e) => e.direction === 'in').length >= 2, true);
    });

    it(`${transport}: a reply's schema violation fails the step it answered, though its books were kept during the next`, async () => {
      // The fake's replies carry a field Janus never sends (`echo`): in strict mode, the first one
      // the catalogue refuses is the attach's success (a create's may carry more).
      fakeJanus().behaviour = 'ok';
      const result = await run('flow.yaml', transport, { schemaMode: 'strict' });
      assert.equal(result.status, 'failed');
      assert.equal(result.failure?.span?.line, 5, `${result.failure?.stepTitle}: ${result.failure?.summary}`);
      assert.match(result.failure?.summary ?? '', /success\/attach: \/echo/);
    });
  }
});
