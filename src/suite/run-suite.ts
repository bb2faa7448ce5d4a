import type { RunEnd, SuiteEvent, TestEnd } from '../events/events.js';
import { Multiplexer } from '../events/multiplexer.js';
import type { Reporter } from '../events/reporter.js';
import type { Plan, PlannedTest, StartedPlan } from '../plan/contract.js';
import type { RunEvent, ScenarioResult } from '../run/events.js';
import { notRunResult } from '../run/not-run.js';
import { JobPool } from '../run/pool.js';
import { randomSeed } from '../run/seeded.js';
import { Escapes } from './escapes.js';

export interface SuiteOptions {
  /** Who hears the run's events: one reporter, or several behind a multiplexer (one that throws is dropped). */
  reporter?: Reporter | readonly Reporter[];
  /** Tests run at once (default 1). */
  jobs?: number;
  /** After the first failure no test starts, and those running stop (they are reported unfinished). */
  bail?: boolean;
  /** A failed test runs again up to this many times (default 0). */
  retries?: number;
  /** Ctrl-C: running tests stop (cleaning up), no new one starts. Its reason names the signal. */
  signal?: AbortSignal;
  /** Transaction ids and random values repeat with the same seed (default: a random one). */
  seed?: string;
}

/** What the run came to; the same facts the events carried, for callers that want no reporter. */
export interface SuiteOutcome {
  status: RunEnd['status'];
  seed: string;
  /** The last attempt of every test that ran or was skipped, in plan order. */
  results: ScenarioResult[];
  /** Errors no test could take, one line each. */
  faults: string[];
  janusVersion?: string;
}

/**
 * Runs a planned suite: starts its servers, runs its tests in a pool of `jobs` (retries,
 * bail, Ctrl-C), charges errors that escape every catch to the test they came from, and tells
 * the reporters everything as one stream of events, from `run:begin` to `run:end`.
 */
export async function runSuite(plan: Plan, options: SuiteOptions = {}): Promise<SuiteOutcome> {
  const run = new SuiteRun(plan, options);
  await run.execute();
  return run.outcome();
}

class SuiteRun {
  private readonly seed: string;
  private readonly signal: AbortSignal;
  private readonly reporter: Multiplexer;
  private readonly escapes = new Escapes<PlannedTest>();
  private readonly results = new Map<PlannedTest, ScenarioResult>();
  private readonly faults: string[] = [];
  private janusVersion?: string;
  private pool?: JobPool<void>;
  private stopped = false;
  /** --bail: the tests still running stop, as on Ctrl-C. */
  private readonly halt = new AbortController();
  private status: RunEnd['status'] = 'passed';

  constructor(private readonly plan: Plan, private readonly options: SuiteOptions) {
    this.seed = options.seed ?? randomSeed();
    this.signal = options.signal ?? new AbortController().signal;
    const reporters = options.reporter === undefined ? [] : Array.isArray(options.reporter) ? options.reporter : [options.reporter as Reporter];
    this.reporter = reporters.length === 1 && reporters[0] instanceof Multiplexer ? reporters[0] : new Multiplexer(reporters);
  }

  async execute(): Promise<void> {
    const { plan } = this;
    this.emit({ type: 'run:begin', at: Date.now(), tests: plan.tests.map((t) => t.info), transports: plan.transports, seed: this.seed, ...(plan.shard && { shard: plan.shard }) });
    const onAbort = (): void => this.interrupt();
    this.signal.addEventListener('abort', onAbort, { once: true });
    try {
      if (plan.fault) this.fault(plan.fault);
      else if (!this.signal.aborted) {
        // Known before anything starts: skips end at once, whatever happens to the run later.
        for (const test of plan.tests) if (test.info.skipReason) this.end(test, 1, notRunResult(test.info, { skipReason: test.info.skipReason }), false);
        await this.runOnTargets();
      }
    } finally {
      this.signal.removeEventListener('abort', onAbort);
    }
    if (this.signal.aborted) this.interrupt();
    this.status = this.verdict();
    await this.reporter.emit({ type: 'run:end', at: Date.now(), status: this.status, ...(this.janusVersion && { janusVersion: this.janusVersion }) });
  }

  outcome(): SuiteOutcome {
    const results = this.plan.tests.flatMap((t) => this.results.get(t) ?? []);
    return { status: this.status, seed: this.seed, results, faults: [...this.faults], ...(this.janusVersion && { janusVersion: this.janusVersion }) };
  }

  /** Starts the servers, runs every test, stops the servers; what goes wrong on the way is a fault. */
  private async runOnTargets(): Promise<void> {
    let started: StartedPlan;
    try {
      started = await this.plan.start();
    } catch (e) {
      return this.fault(oneLine(e));
    }
    try {
      this.janusVersion = this.plan.tests.map((t) => started.target(t)?.serverVersion).find((v) => v !== undefined);
      if (!this.signal.aborted) await this.runTests(started);
    } finally {
      await started.close().catch((e: unknown) => this.fault(`cannot stop what the run started: ${oneLine(e)}`));
    }
  }

  private async runTests(started: StartedPlan): Promise<void> {
    const runnable = this.plan.tests.filter((t) => !t.info.skipReason);
    this.pool = new JobPool(runnable.map((test) => () => this.runTest(test, started)), Math.max(1, this.options.jobs ?? 1));
    const uninstall = this.escapes.install();
    try {
      this.pool.start();
      await this.pool.settled();
      // A rejection nobody handled is reported once the current microtasks are done: one turn
      // of the event loop lets those of the last tests reach the catch-all before it goes.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      uninstall();
    }
    for (const line of this.escapes.unowned) this.fault(line);
  }

  /** Every attempt of one test: `test:begin`, its steps and messages, `test:end`. */
  private async runTest(test: PlannedTest, started: StartedPlan): Promise<void> {
    const retries = this.options.retries ?? 0;
    for (let attempt = 1; !this.stopped; attempt++) {
      this.emit({ type: 'test:begin', at: Date.now(), testId: test.info.id, attempt });
      const result = await this.attempt(test, started);
      const retrying = result.status === 'failed' && attempt <= retries && !this.stopped && result.failure?.kind !== 'interrupted';
      this.end(test, attempt, result, retrying, started.target(test)?.serverVersion);
      if (!retrying) return;
      this.escapes.retrying(test);
    }
  }

  private async attempt(test: PlannedTest, started: StartedPlan): Promise<ScenarioResult> {
    const onEvent = (event: RunEvent): void => this.relay(test.info.id, event);
    const outcome = await this.escapes
      .run(test, (stop) => started.run(test, { seed: this.seed, signal: AbortSignal.any([this.signal, this.halt.signal, stop]), onEvent }))
      .catch((e: unknown) => notRunResult(test.info, { failure: { kind: 'infrastructure', summary: `internal error: ${oneLine(e)}`, span: test.scenario.span } }));
    return this.escapes.verdict(test, outcome);
  }

  private end(test: PlannedTest, attempt: number, result: ScenarioResult, retrying: boolean, serverVersion?: string): void {
    const event: TestEnd = { type: 'test:end', at: Date.now(), testId: test.info.id, attempt, result, retrying, ...(serverVersion && { serverVersion }) };
    this.emit(event);
    if (retrying) return;
    this.results.set(test, result);
    if (result.status === 'failed' && this.options.bail && !this.stopped) {
      this.stop();
      this.halt.abort();
    }
  }

  /** The engine's events of one test, as the suite's. */
  private relay(testId: string, event: RunEvent): void {
    const at = Date.now();
    if (event.type === 'step:start') this.emit({ type: 'step:begin', at, testId, title: event.title, span: event.span });
    else if (event.type === 'step:end') this.emit({ type: 'step:end', at, testId, title: event.title, span: event.span, status: event.status, durationMs: event.durationMs });
    else if (event.type === 'message') {
      const { type: _type, route, transport: _transport, ...entry } = event;
      this.emit({ type: 'message', at: event.at, testId, entry, ...(route && { route }) });
    }
  }

  private interrupt(): void {
    if (this.stopped && this.status === 'interrupted') return;
    this.status = 'interrupted';
    const reason: unknown = this.signal.reason;
    this.emit({ type: 'interrupt', at: Date.now(), signal: typeof reason === 'string' ? reason : 'SIGINT' });
    this.stop();
  }

  /** No further test or attempt starts; running ones finish (Ctrl-C has stopped them already). */
  private stop(): void {
    this.stopped = true;
    void this.pool?.stop();
  }

  private fault(message: string): void {
    this.faults.push(message);
    this.emit({ type: 'fault', at: Date.now(), message });
  }

  private verdict(): RunEnd['status'] {
    const results = [...this.results.values()];
    if (this.signal.aborted) return 'interrupted';
    if (this.faults.length > 0 || results.some((r) => r.failure?.kind === 'infrastructure')) return 'fault';
    return results.some((r) => r.status === 'failed') ? 'failed' : 'passed';
  }

  private emit(event: SuiteEvent): void {
    void this.reporter.emit(event);
  }
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 500);
}
