import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFiles } from '../../src/compile/load-files.js';
import type { CompiledScenario } from '../../src/compile/scenario.js';
import type { RunEvent } from '../../src/run/events.js';
import { runScenario, type RunOptions } from '../../src/run/run-scenario.js';
import type { StepKind } from '../../src/steps/contract.js';
import { getStepKind, registerStepKind } from '../../src/steps/registry.js';
import type { TransportDefinition } from '../../src/transports/contract.js';
import { TransportFault } from '../../src/transports/contract.js';
import { getTransport, registerTransport } from '../../src/transports/registry.js';
import { answeringTransport, scriptedTransport } from '../support/answering-transport.js';

/**
 * How a run sets itself up: the first step's connection opens while the run prepares (not when
 * that step starts), a connection that fails there is still that step's failure, and the
 * steps' signal of one run never reaches another run aborted or with someone listening on it.
 */

const ANSWERING = 'set-up-answering';
const REFUSING = 'set-up-refusing';
const LATE_FAULT = 'set-up-late-fault';
const TRACKING = 'set-up-tracking';

/** What happened, in order: the transport's connects and the run's events. */
const happened: string[] = [];

function logged(definition: TransportDefinition): TransportDefinition {
  return { ...definition, connect: (options, sink) => (happened.push(`connect ${definition.name}`), definition.connect(options, sink)) };
}

/** Answers as ANSWERING does, and reports a fault once more after its close (a transport that does so). */
function lateFault(): TransportDefinition {
  const inner = answeringTransport(LATE_FAULT, 'later');
  return {
    ...inner,
    async connect(options, sink) {
      const connection = await inner.connect(options, sink);
      return { ...connection, close: async () => void setImmediate(() => sink.fault(new TransportFault(`${LATE_FAULT}: late`))) };
    },
  };
}

/** Answers every request with a session's success, and logs when the client asks for a session's events (HTTP's long-poll). */
function tracking(): TransportDefinition {
  const inner = scriptedTransport(TRACKING, (request) => [{ janus: request.janus === 'keepalive' ? 'ack' : 'success', transaction: request.transaction, data: { id: 7 } }]);
  return {
    ...inner,
    async connect(options, sink) {
      const connection = await inner.connect(options, sink);
      return { ...connection, track: (sessionId: number) => void happened.push(`track ${sessionId}`), untrack: () => true };
    },
  };
}

/** Answers as ANSWERING does; its connection's close ends only when the test calls `closer.now`. */
const SLOW_CLOSE = 'set-up-slow-close';
const closer: { now?: () => void } = {};
function slowClose(): TransportDefinition {
  const inner = answeringTransport(SLOW_CLOSE, 'later');
  return {
    ...inner,
    async connect(options, sink) {
      const connection = await inner.connect(options, sink);
      const close = () => {
        happened.push('close begun');
        return new Promise<void>((resolve) => (closer.now = () => (happened.push('closed'), resolve())));
      };
      return { ...connection, close };
    },
  };
}

const refusing: TransportDefinition = {
  name: REFUSING,
  schemes: [REFUSING],
  secure: false,
  connect: () => Promise.reject(new TransportFault(`${REFUSING}: connection refused`)),
};

/** `signal-probe: keep|drop`: records the steps' signal; `keep` leaves a listener on it. */
const signals: AbortSignal[] = [];
const signalProbe: StepKind = {
  key: 'signal-probe',
  summary: 'records the steps signal (tests)',
  schema: { type: 'object', required: ['signal-probe'], properties: { 'signal-probe': { enum: ['keep', 'drop'] } }, additionalProperties: false },
  compile(raw, cc) {
    return {
      kind: 'signal-probe',
      span: cc.span(),
      title: `signal-probe ${String(raw['signal-probe'])}`,
      client: cc.client({}),
      async execute(ctx) {
        signals.push(ctx.signal);
        if (raw['signal-probe'] === 'keep') ctx.signal.addEventListener('abort', () => undefined);
      },
    };
  },
};

describe('how a run sets itself up', function () {
  this.timeout(20_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'janus-scenarios-set-up-'));
    if (!getTransport(ANSWERING)) registerTransport(logged(answeringTransport(ANSWERING, 'later')));
    if (!getTransport(REFUSING)) registerTransport(logged(refusing));
    if (!getTransport(LATE_FAULT)) registerTransport(lateFault());
    if (!getTransport(TRACKING)) registerTransport(tracking());
    if (!getTransport(SLOW_CLOSE)) registerTransport(slowClose());
    if (!getStepKind('signal-probe')) registerStepKind(signalProbe);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    happened.length = 0;
    signals.length = 0;
  });

  function scenario(name: string, text: string): CompiledScenario {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, text);
    const loaded = loadFiles([file], { cwd: dir });
    assert.deepEqual(loaded.diagnostics, []);
    return loaded.scenarios[0]!;
  }

  const options = (extra: Partial<RunOptions> = {}): RunOptions => ({
    seed: 's',
    stepTimeoutMs: 5000,
    scenarioTimeoutMs: 60_000,
    onEvent: (e: RunEvent) => void (e.type === 'scenario:start' || e.type === 'step:start' ? happened.push(e.type) : undefined),
    ...extra,
  });
  const target = (transport: string) => ({ transport, url: `${transport}://x`, tls: {}, secrets: {} });

  it("opens the first step's connection before the run starts its steps", async () => {
    const s = scenario('ahead', 'name: ahead\nsteps:\n  - request: create\n  - request: destroy\n');
    const result = await runScenario(s, target(ANSWERING), options());
    assert.equal(result.status, 'passed', result.failure?.summary);
    assert.deepEqual(happened, [`connect ${ANSWERING}`, 'scenario:start', 'step:start', 'step:start']);
  });

  it('leaves alone a first step that does not talk to Janus, or that its versions may skip', async () => {
    const later = scenario('later', 'name: later\nsteps:\n  - sleep: 0s\n  - request: create\n');
    assert.equal((await runScenario(later, target(ANSWERING), options())).status, 'passed');
    assert.deepEqual(happened, ['scenario:start', 'step:start', 'step:start', `connect ${ANSWERING}`]);
    happened.length = 0;
    const gated = scenario('gated', 'name: gated\nsteps:\n  - request: create\n    janus: ">=99.0.0"\n  - sleep: 0s\n');
    const result = await runScenario(gated, { ...target(ANSWERING), serverVersion: '1.1.2' }, options());
    // Only the sleep ran: checked nothing, so skipped, and nothing was opened for the create.
    assert.equal(result.status, 'skipped', result.failure?.summary);
    assert.deepEqual(happened, ['scenario:start', 'step:start']);
  });

  it("makes a connection that fails ahead the first step's failure, a server problem", async () => {
    const s = scenario('refused', 'name: refused\nsteps:\n  - request: create\n    name: first create\n  - request: destroy\n');
    const result = await runScenario(s, target(REFUSING), options());
    assert.equal(result.status, 'failed');
    assert.equal(result.failure?.kind, 'infrastructure');
    assert.equal(result.failure?.stepTitle, 'first create');
    assert.match(result.failure?.summary ?? '', /connection refused/);
  });

  it('opens nothing ahead for a run stopped before it began', async () => {
    const s = scenario('stopped', 'name: stopped\nsteps:\n  - request: create\n');
    const result = await runScenario(s, target(ANSWERING), options({ signal: AbortSignal.abort() }));
    assert.equal(result.failure?.kind, 'interrupted');
    assert.deepEqual(happened.slice(0, 2), ['scenario:start', 'step:start']);
  });

  it("never hands a run the steps' signal of an earlier run that was aborted, or that someone still listens on", async () => {
    const probe = (mode: string) => scenario(`probe-${mode}`, `name: probe ${mode}\nsteps:\n  - signal-probe: ${mode}\n`);
    const run = async (mode: string, extra: Partial<RunOptions> = {}) => runScenario(probe(mode), target(ANSWERING), options(extra));
    await run('drop');
    await run('drop');
    assert.equal(signals[1], signals[0], 'an unused signal serves the next run');
    await run('keep');
    await run('drop');
    assert.notEqual(signals[3], signals[2], 'a signal with a listener left is not reused');
    const stop = new AbortController();
    const stopped = run('drop', { signal: stop.signal, onEvent: (e) => void (e.type === 'step:start' && stop.abort()) });
    await stopped;
    assert.equal(signals[4]!.aborted, true);
    await run('drop');
    assert.notEqual(signals[5], signals[4]);
    assert.equal(signals[5]!.aborted, false);
  });

  it("never lets a run's transport, faulting after its close, end the steps of the run that took over its signal", async () => {
    const s = scenario('late', 'name: late\nsteps:\n  - signal-probe: drop\n  - request: create\n  - request: destroy\n');
    const first = await runScenario(s, target(LATE_FAULT), options());
    assert.equal(first.status, 'passed', first.failure?.summary);
    const second = await runScenario(s, target(ANSWERING), options());
    assert.equal(signals[1], signals[0], 'the second run took over the first run\'s signal');
    assert.equal(second.status, 'passed', second.failure?.summary);
  });

  it('receives the events of a client whose steps read them from its first session on, not from the first such step', async () => {
    // Over HTTP an event Janus queued stays there until a long-poll takes it: a client that began
    // polling at `no_event: ... for: 0` passed it with the event waiting in Janus.
    const reads = scenario('reads', 'name: reads\nsteps:\n  - request: create\n  - request: keepalive\n    expect: { janus: ack }\n  - no_event: { janus: event }\n    for: 0ms\n');
    const result = await runScenario(reads, target(TRACKING), options());
    assert.equal(result.status, 'passed', result.failure?.summary);
    assert.deepEqual(happened.slice(0, 4), ['scenario:start', 'step:start', 'track 7', 'step:start']);
  });

  it('asks for no events for a client whose steps never read them', async () => {
    const ignores = scenario('ignores', 'name: ignores\nsteps:\n  - request: create\n  - request: keepalive\n    expect: { janus: ack }\n');
    const result = await runScenario(ignores, target(TRACKING), options());
    assert.equal(result.status, 'passed', result.failure?.summary);
    assert.deepEqual(happened.filter((h) => h.startsWith('track')), []);
  });

  it('returns, and reports its end, only once every connection it opened has closed', async () => {
    const s = scenario('slow-close', 'name: slow close\nsteps:\n  - request: create\n  - request: destroy\n');
    closer.now = undefined;
    let returned = false;
    const onEvent = (e: RunEvent): void => void (e.type === 'scenario:end' && happened.push('scenario:end'));
    const run = runScenario(s, target(SLOW_CLOSE), options({ onEvent })).then((r) => ((returned = true), r));
    // Bounded in turns of the event loop: the close begins once the steps are over.
    for (let turn = 0; turn < 1000 && !closer.now; turn++) await new Promise((resolve) => setImmediate(resolve));
    assert.ok(closer.now, "the connection's close began");
    for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(returned, false, 'the run waits for the close');
    (closer.now as unknown as () => void)();
    const result = await run;
    assert.equal(result.status, 'passed', result.failure?.summary);
    assert.deepEqual(happened, ['close begun', 'closed', 'scenario:end']);
  });

  it("ends every run going on under the caller's signal when it fires, and no run that ended before", async () => {
    const stop = new AbortController();
    const sleeper = scenario('sleeper', 'name: sleeper\nsteps:\n  - sleep: 30s\n');
    const quick = scenario('quick', 'name: quick\nsteps:\n  - request: create\n');
    const done = await runScenario(quick, target(ANSWERING), options({ signal: stop.signal }));
    let started = 0;
    const onEvent = (e: RunEvent): void => void (e.type === 'step:start' && ++started === 2 && stop.abort());
    const both = await Promise.all([1, 2].map(() => runScenario(sleeper, target(ANSWERING), options({ signal: stop.signal, onEvent }))));
    assert.equal(done.status, 'passed');
    assert.deepEqual(both.map((r) => r.failure?.kind), ['interrupted', 'interrupted']);
    const after = await runScenario(quick, target(ANSWERING), options({ signal: stop.signal }));
    assert.equal(after.failure?.kind, 'interrupted', 'a run that starts after the signal fired stops at its first step');
  });
});
