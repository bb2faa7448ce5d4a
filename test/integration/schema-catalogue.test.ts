import assert from 'node:assert/strict';
import { managedTargets, type Targets } from '../../src/cli/targets.js';
import type { CompiledScenario } from '../../src/compile/scenario.js';
import { collectFiles } from '../../src/load/collect.js';
import { loadFiles } from '../../src/load/load.js';
import { ExclusiveLock } from '../../src/run/exclusive.js';
import { JobPool } from '../../src/run/pool.js';
import { runScenario } from '../../src/run/run-scenario.js';
import type { ScenarioResult } from '../../src/run/events.js';
import { knownSchema, schemaEntry, schemaNames, validateSchema, violationsOf } from '../../src/schemas/catalogue.js';
import { errorCodeByName, errorNames } from '../../src/schemas/error-names.js';
import { holdsFor } from '../../src/schemas/versions.js';
import { registerBuiltinTransports } from '../../src/transports/builtin.js';
import { brokenCopies } from '../support/broken-copies.js';

/**
 * The catalogue against real traffic: the shipped scenarios run on a managed Janus 1.1.2 in
 * strict mode, every message they exchange is recorded by the checker with the schema it
 * passed, and then every schema must have met a real message, and broken copies of those real
 * messages must fail at the right pointer.
 */
const TRANSPORTS = ['http', 'ws'];

/** Messages the shipped scenarios (signalling, and media from the peers of scenarios/media) cannot make Janus 1.1.2 send, and why. */
const NEEDS_MORE_THAN_SIGNALLING: Record<string, string> = {
  'core/event/keepalive': 'an idle HTTP long-poll for 30 s; the HTTP transport drops it',
  'core/event/ice-failed': 'Janus 1.2.0 and later',
  'videoroom/spatial_layer': 'needs VP9-SVC or AV1-SVC frames with layer descriptors; the peer sends VP8',
  'videoroom/temporal_layer': 'needs VP9-SVC or AV1-SVC frames with layer descriptors; the peer sends VP8',
  'audiobridge/announcement_started': 'needs an Opus file on the server; Janus ships none',
  'audiobridge/announcement_stopped': 'needs an Opus file on the server; Janus ships none',
  'admin/success/query_eventhandler': 'needs an event handler loaded; the managed Janus loads none',
  'admin/success/query_logger': 'needs a logger plugin loaded; the managed Janus loads none',
  'admin/success/test_stun': 'needs a reachable STUN server',
  'sip/accepted': 'needs a SIP peer in a call',
  'sip/accepting': 'needs a SIP peer in a call',
  'sip/updating': 'needs a SIP peer in a call',
  'sip/updated': 'needs a SIP peer in a call',
  'sip/declining': 'needs a SIP peer in a call',
  'sip/transferring': 'needs a SIP peer in a call',
  'sip/holding': 'needs a SIP peer in a call',
  'sip/resuming': 'needs a SIP peer in a call',
  'sip/hangingup': 'needs a SIP peer in a call',
  'sip/recordingupdated': 'needs a SIP peer in a call',
  'sip/infosent': 'needs a SIP peer in a call',
  'sip/dtmfsent': 'needs a SIP peer in a call',
  'sip/notify': 'needs a SIP peer in a call',
  'sip/proceeding': 'needs a SIP peer in a call',
  'sip/ringing': 'needs a SIP peer in a call',
  'sip/progress': 'needs a SIP peer in a call',
  'sip/call_accepted': 'needs a SIP peer in a call',
  'sip/incomingcall': 'needs a SIP peer in a call',
  'sip/updatingcall': 'needs a SIP peer in a call',
  'sip/missed_call': 'needs a SIP peer in a call',
  'sip/transfer': 'needs a SIP peer in a call',
  'sip/info': 'needs a SIP peer in a call',
  'sip/message': 'needs a SIP peer in a call',
  'sip/registered_by_registrar': 'needs a SIP registrar or notifier',
  'sip/unregistered': 'needs a SIP registrar or notifier',
  'sip/subscribe_succeeded': 'needs a SIP registrar or notifier',
};

describe('schema catalogue against real Janus 1.1.2 traffic', function () {
  this.timeout(300_000);
  const samples = new Map<string, unknown[]>();
  const results: ScenarioResult[] = [];
  let targets: Targets | undefined;
  // Scenarios with requires.exclusive run alone on their Janus, as the CLI runs them.
  const locks = new Map<string, ExclusiveLock>();

  before(async function () {
    registerBuiltinTransports();
    const { files } = await collectFiles(['scenarios'], { fragments: false });
    const loaded = loadFiles(files, { knownSchema, errorCodes: { code: errorCodeByName, names: errorNames } });
    assert.deepEqual(loaded.diagnostics, []);
    targets = await managedTargets(loaded.scenarios, { transports: TRANSPORTS, secrets: {}, tls: {} });
    const runs: Array<() => Promise<ScenarioResult | undefined>> = [];
    for (const scenario of loaded.scenarios) for (const transport of TRANSPORTS) runs.push(() => run(scenario, transport));
    const pool = new JobPool(runs, 4);
    pool.start();
    for (let i = 0; i < runs.length; i++) {
      const r = await pool.result(i);
      if (r) results.push(r);
    }
  });
  after(() => targets?.close());

  async function run(scenario: CompiledScenario, transport: string): Promise<ScenarioResult | undefined> {
    if (scenario.requires.transports && !scenario.requires.transports.includes(transport)) return undefined;
    const target = targets!.targetFor(scenario, transport);
    if ('skip' in target) return undefined;
    const key = JSON.stringify([scenario.requires.janus, scenario.requires.media]);
    if (!locks.has(key)) locks.set(key, new ExclusiveLock());
    return locks.get(key)!.run(scenario.requires.exclusive, () => runScenario(scenario, target, {
      seed: 'catalogue',
      stepTimeoutMs: 5000,
      scenarioTimeoutMs: 60_000,
      schemaMode: 'strict',
      validateSchema,
      onSchemaValid: (schema, value) => {
        const list = samples.get(schema) ?? [];
        if (list.length < 5) list.push(structuredClone(value));
        samples.set(schema, list);
      },
    }));
  }

  it('every shipped scenario passes in strict mode, with no schema violation and no warning', function () {
    const failed = results.filter((r) => r.status !== 'passed').map((r) => `${r.file} [${r.transport}]: ${r.failure?.summary}`);
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
