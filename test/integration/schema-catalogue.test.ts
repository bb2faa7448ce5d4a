import assert from 'node:assert/strict';
import { instanceKey, managedTargets, type ManagedTargets as Targets } from '../../src/cli/targets.js';
import type { CompiledScenario } from '../../src/compile/scenario.js';
import { collectFiles } from '../../src/load/collect.js';
import { loadFiles } from '../../src/compile/load-files.js';
import { ExclusiveLock } from '../../src/run/exclusive.js';
import { JobPool } from '../../src/run/pool.js';
import { runScenario, type RunTarget } from '../../src/run/run-scenario.js';
import type { ScenarioResult } from '../../src/run/events.js';
import { knownSchema, schemaEntry, schemaNames, validateSchema, violationsOf } from '../../src/schemas/catalogue.js';
import { errorCodeByName, errorNames } from '../../src/schemas/error-names.js';
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
  const targets: Targets[] = [];
  let peers: Peers | undefined;
  // Scenarios with requires.exclusive run alone on their Janus, as the CLI runs them.
  const locks = new Map<string, ExclusiveLock>();

  before(async function () {
    registerBuiltinTransports();
    peers = await startPeers();
    const env = { ...process.env, ...peers.env };
    let idlePoll: Promise<unknown[]> | undefined;
    const runs: Array<() => Promise<ScenarioResult | undefined>> = [];
    // The scenarios that need peers get Janus instances of their own, as when they are run on
    // their own: a SIP stack the plugin starts while several others are being torn down can
    // miss the plugin's 2 s limit on a loaded machine ("Two seconds passed and still no NUA").
    for (const dir of ['scenarios', 'test/scenarios']) {
      const { files } = await collectFiles([dir], { fragments: false });
      const loaded = loadFiles(files, { knownSchema, errorCodes: { code: errorCodeByName, names: errorNames }, env });
      assert.deepEqual(loaded.diagnostics, []);
      const suite = await managedTargets(loaded.scenarios, { transports: TRANSPORTS, secrets: {}, tls: {} });
      targets.push(suite);
      // The HTTP transport hides the `keepalive` an idle long-poll ends with; poll by hand meanwhile.
      const plain = loaded.scenarios.find((s) => Object.keys(s.requires.janus).length === 0);
      if (dir === 'scenarios' && plain) idlePoll = idleLongPoll((suite.targetFor(plain, 'http') as RunTarget).url);
      for (const scenario of loaded.scenarios) for (const transport of TRANSPORTS) runs.push(() => run(suite, dir, scenario, transport, env));
    }
    const pool = new JobPool(runs, 4);
    pool.start();
    for (let i = 0; i < runs.length; i++) {
      const r = await pool.result(i);
      if (r) results.push(r);
    }
    for (const message of (await idlePoll) ?? []) record('core/event/keepalive', message);
  });

  function record(schema: string, value: unknown): void {
    const list = samples.get(schema) ?? [];
    if (list.length < 5) list.push(structuredClone(value));
    samples.set(schema, list);
  }
  after(async () => {
    await Promise.all(targets.map((t) => t.close()));
    await peers?.stop();
  });

  async function run(suite: Targets, dir: string, scenario: CompiledScenario, transport: string, env: NodeJS.ProcessEnv): Promise<ScenarioResult | undefined> {
    if (scenario.requires.transports && !scenario.requires.transports.includes(transport)) return undefined;
    const target = suite.targetFor(scenario, transport);
    if ('skip' in target) return undefined;
    const key = `${dir} ${instanceKey(scenario)}`;
    if (!locks.has(key)) locks.set(key, new ExclusiveLock());
    return locks.get(key)!.run(scenario.requires.exclusive, () => runScenario(scenario, target, {
      seed: 'catalogue',
      stepTimeoutMs: 15_000, // generous: a loaded CI machine is slow, and a passing run never waits for it
      scenarioTimeoutMs: 60_000,
      schemaMode: 'strict',
      env,
      validateSchema,
      onSchemaValid: record,
    }));
  }

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
