import assert from 'node:assert/strict';
import { loadSuite } from '../../src/compile/load-suite.js';
import type { Plan } from '../../src/plan/contract.js';
import { planSuite } from '../../src/plan/plan.js';
import type { ScenarioResult } from '../../src/run/events.js';
import { runSuite } from '../../src/suite/run-suite.js';
import { schemaEntry, schemaNames, violationsOf } from '../../src/schemas/catalogue.js';
import { holdsFor } from '../../src/schemas/versions.js';
import { registerBuiltinTransports } from '../../src/transports/registry.js';
import { brokenCopies } from '../support/broken-copies.js';
import { type Peers, startPeers } from '../support/peers.js';

/**
 * The catalogue against real traffic: the shipped scenarios, and those under test/scenarios
 * that need a SIP peer or a STUN server (test/support/peers.ts starts them), run on a managed
 * Janus 1.1.2 in strict mode, every message they exchange is recorded by the checker with the
 * schema it passed, and then every schema must have met a real message, and broken copies of
 * those real messages must fail at the right pointer.
 */
const TRANSPORTS = ['http', 'ws'];

/** Messages the scenarios here (signalling, media peers, SIP and STUN peers) cannot make Janus 1.1.2 send, and why. */
const NEEDS_MORE_THAN_SIGNALLING: Record<string, string> = {
  'core/event/ice-failed': 'Janus 1.2.0 and later',
};

describe('schema catalogue against real Janus 1.1.2 traffic', function () {
  this.timeout(300_000);
  const samples = new Map<string, unknown[]>();
  const results: ScenarioResult[] = [];
  let peers: Peers | undefined;

  before(async function () {
    registerBuiltinTransports();
    peers = await startPeers();
    const env = { ...process.env, ...peers.env };
    // The scenarios that need peers get Janus instances of their own, as when they are run on
    // their own: a SIP stack the plugin starts while several others are being torn down can
    // miss the plugin's 2 s limit on a loaded machine ("Two seconds passed and still no NUA").
    for (const dir of ['scenarios', 'test/scenarios']) {
      const loaded = await loadSuite([dir], { env });
      assert.deepEqual(loaded.diagnostics, []);
      const plan = await planSuite(loaded.scenarios, {
        transports: TRANSPORTS,
        stepTimeoutMs: 15_000, // generous: a loaded CI machine is slow, and a passing run never waits for it
        scenarioTimeoutMs: 60_000,
        schemaMode: 'strict',
        env,
        onSchemaValid: record,
      });
      if (dir === 'scenarios') withIdleLongPoll(plan);
      const outcome = await runSuite(plan, { jobs: 4, seed: 'catalogue' });
      assert.deepEqual(outcome.faults, []);
      results.push(...outcome.results.filter((r) => r.status !== 'skipped'));
    }
  });

  function record(schema: string, value: unknown): void {
    const list = samples.get(schema) ?? [];
    if (list.length < 5) list.push(structuredClone(value));
    samples.set(schema, list);
  }

  /**
   * The HTTP transport hides the `keepalive` an idle long-poll ends with: one is long-polled by
   * hand on the Janus of a scenario without settings, which stays up until the poll ends.
   */
  function withIdleLongPoll(plan: Plan): void {
    const plain = plan.tests.find((t) => t.info.transport === 'http' && !t.info.skipReason && Object.keys(t.scenario.requires.janus).length === 0)!;
    const start = plan.start.bind(plan);
    plan.start = async () => {
      const started = await start();
      const poll = idleLongPoll(started.target(plain)!.url).catch(() => []);
      return {
        ...started,
        close: async () => {
          for (const message of await poll) record('core/event/keepalive', message);
          await started.close();
        },
      };
    };
  }

  after(async () => {
    await peers?.stop();
  });

  it('every shipped scenario passes in strict mode, with no schema violation and no warning', function () {
    const failed = results
      .filter((r) => r.status !== 'passed')
      .map((r) => `${r.file} [${r.transport}]: ${r.failure?.summary}; got ${JSON.stringify(r.failure?.actual)?.slice(0, 600)}`);
    assert.deepEqual(failed, []);
    assert.deepEqual([...new Set(results.flatMap((r) => r.schemaWarnings))], []);
  });

  it('every schema that holds for 1.1.2 met at least one real message', function () {
    const unmet = schemaNames().filter((n) => holdsFor(schemaEntry(n)!, '1.1.2') && !samples.has(n) && !(n in NEEDS_MORE_THAN_SIGNALLING));
    assert.deepEqual(unmet, [], `schemas no scenario exercised:\n${unmet.join('\n')}`);
  });

  it('broken copies of the real messages fail at the pointer that was broken', function () {
    const wrong: string[] = [];
    let tried = 0;
    for (const [name, values] of samples) {
      const schema = schemaEntry(name)!.schema;
      for (const broken of brokenCopies(schema, values[0])) {
        tried++;
        const found = violationsOf(name, broken.value, true);
        if (!found.some((v) => v.pointer === broken.pointer)) wrong.push(`${name}: ${broken.what} at ${broken.pointer} gave ${JSON.stringify(found.map((v) => v.pointer))}`);
      }
    }
    assert.ok(tried > samples.size, `only ${tried} broken copies tried`);
    assert.deepEqual(wrong, []);
  });
});

/**
 * A session nobody sends anything to, long-polled once: after 30 s Janus answers `keepalive`.
 * Only messages that pass the schema are returned (the test then finds the schema met).
 */
async function idleLongPoll(url: string): Promise<unknown[]> {
  const post = async (path: string, body: object) => (await fetch(`${url}${path}`, { method: 'POST', body: JSON.stringify(body) })).json() as Promise<{ data?: { id?: number } }>;
  const created = await post('', { janus: 'create', transaction: 'idle-create' });
  const session = created.data!.id!;
  try {
    const message: unknown = await (await fetch(`${url}/${session}?rid=${Date.now()}`)).json();
    return violationsOf('core/event/keepalive', message, true).length === 0 ? [message] : [];
  } finally {
    await post(`/${session}`, { janus: 'destroy', transaction: 'idle-destroy' });
  }
}
