import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import * as lib from '../../src/index.js';

/**
 * Registrations made in a fresh copy of the library (a worker thread has its own modules), so
 * that "the first loadFiles" is the first and what is registered stays out of other tests, which
 * list the built-in names. Each file is loaded before and after the registration it needs.
 */
export interface Loaded {
  diagnostics: string[];
  steps: string[];
}

export interface Probes {
  duplicates: Array<string | undefined>;
  stepKind: { builtin: Loaded; before: Loaded; after: Loaded; wrongType: Loaded; unknownKey: Loaded };
  transport: { before: Loaded; after: Loaded; names: string[] };
  operator: { before: Loaded; after: Loaded };
  brokenSchema: string | undefined;
}

export const scenarioWith = (step: string): string => `name: uses ${step.split(':')[0]}\nsteps:\n  - ${step}\n`;
const REQUIRES_LATE = 'name: late transport\nrequires: { transports: [late] }\nsteps:\n  - sleep: 1ms\n';
const USES_EVEN = 'name: late operator\nsteps:\n  - request: { janus: info }\n    expect: { janus: { $even: 2 } }\n';

/** `probe: { n: <integer> }`, compiled to a step of kind "probe". */
const probeKind: lib.StepKind = {
  key: 'probe',
  summary: 'a step kind registered by a test',
  schema: {
    type: 'object',
    required: ['probe'],
    additionalProperties: false,
    properties: { probe: { type: 'object', required: ['n'], additionalProperties: false, properties: { n: { type: 'integer' } } } },
  },
  compile: (raw, cc) => ({ kind: 'probe', span: cc.span(), title: `probe ${String((raw.probe as { n: number }).n)}`, client: cc.client({}), execute: async () => {} }),
};
const lateTransport: lib.TransportDefinition = { name: 'late', schemes: ['late'], secure: false, connect: () => Promise.reject(new Error('not used')) };
const evenOperator: lib.OperatorDefinition = { name: '$even', summary: 'an even number', compile: () => () => {} };

function probe(dir: string): Probes {
  let n = 0;
  const load = (text: string): Loaded => {
    const file = join(dir, `scenario-${n++}.yaml`);
    writeFileSync(file, text);
    const r = lib.loadFiles([file], { cwd: dir });
    return { diagnostics: r.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`), steps: r.scenarios.flatMap((s) => s.steps.map((st) => st.kind)) };
  };
  const errorOf = (register: () => void): string | undefined => {
    try {
      register();
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  };

  const builtin = load(scenarioWith('sleep: 1ms'));
  const stepBefore = load(scenarioWith('probe: { n: 1 }'));
  const transportBefore = load(REQUIRES_LATE);
  const operatorBefore = load(USES_EVEN);

  // One registration at a time, each followed by its loads: a change to one registry must not
  // hide that another's was ignored (a new transport used to recompile every validator).
  const takenBuiltin = errorOf(() => lib.registerStepKind({ ...probeKind, key: 'sleep' }));
  lib.registerStepKind(probeKind);
  const stepKind = {
    builtin,
    before: stepBefore,
    after: load(scenarioWith('probe: { n: 1 }')),
    wrongType: load(scenarioWith('probe: { n: one }')),
    unknownKey: load(scenarioWith('probe: { n: 1, m: 2 }')),
  };
  lib.registerTransport(lateTransport);
  const transport = { before: transportBefore, after: load(REQUIRES_LATE), names: lib.transportNames() };
  lib.registerOperator(evenOperator);
  const operator = { before: operatorBefore, after: load(USES_EVEN) };
  const duplicates = [takenBuiltin, errorOf(() => lib.registerStepKind(probeKind)), errorOf(() => lib.registerTransport(lateTransport)), errorOf(() => lib.registerOperator(evenOperator))];
  // Last: a kind whose schema ajv refuses is named when a step of it is first checked.
  lib.registerStepKind({ ...probeKind, key: 'broken', schema: { type: 'object', properties: { broken: { type: 'nonsense' } } } });
  const brokenSchema = errorOf(() => load(scenarioWith('broken: 1')));
  return { duplicates, stepKind, transport, operator, brokenSchema };
}

/** Runs the probes in a worker thread and resolves with what they found. */
export function runRegistryProbes(): Promise<Probes> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { registryProbes: true } });
    worker.once('message', (m: { probes?: Probes; thrown?: string }) => (m.thrown ? reject(new Error(m.thrown)) : resolve(m.probes!)));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the probes' worker exited (${code}) without a result`)));
  });
}

if (parentPort && (workerData as { registryProbes?: boolean } | undefined)?.registryProbes) {
  const dir = mkdtempSync(join(tmpdir(), 'jstest-registry-'));
  try {
    parentPort.postMessage({ probes: probe(dir) });
  } catch (e) {
    parentPort.postMessage({ thrown: (e as Error).stack ?? String(e) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
