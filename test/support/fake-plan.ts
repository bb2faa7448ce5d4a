import type { CompiledScenario } from '../../src/compile/scenario.js';
import type { SuiteEvent } from '../../src/events/events.js';
import type { Reporter } from '../../src/events/reporter.js';
import { HANDLERS } from '../../src/events/reporter.js';
import type { Attempt, Plan, PlannedTest } from '../../src/plan/contract.js';
import type { ScenarioResult } from '../../src/run/events.js';

/** A stub scenario: what each attempt does (`n` counts attempts from 1). */
export interface StubTest {
  name: string;
  skip?: string;
  run?: (attempt: Attempt, n: number) => Promise<ScenarioResult>;
}

/** A plan of stub scenarios on http that needs no server; `started` counts calls to start. */
export function fakePlan(stubs: StubTest[], fault?: string): Plan & { started: number } {
  const attempts = new Map<string, number>();
  const tests: PlannedTest[] = stubs.map((s) => ({
    info: { id: `${s.name}.yaml#${s.name}[http]`, file: `${s.name}.yaml`, name: s.name, transport: 'http', title: `${s.name} [http]`, tags: [], ...(s.skip && { skipReason: s.skip }) },
    scenario: { file: `${s.name}.yaml`, name: s.name, span: { file: `${s.name}.yaml`, line: 1, col: 1, width: 1 } } as unknown as CompiledScenario,
  }));
  const plan = {
    tests,
    transports: ['http'],
    ...(fault && { fault }),
    started: 0,
    async start() {
      plan.started++;
      return {
        run(test: PlannedTest, attempt: Attempt) {
          const stub = stubs.find((s) => s.name === test.info.name)!;
          const n = (attempts.get(stub.name) ?? 0) + 1;
          attempts.set(stub.name, n);
          return stub.run ? stub.run(attempt, n) : Promise.resolve(result(stub.name));
        },
        target: (test: PlannedTest) => ({ transport: 'http', url: `http://stub/${test.info.name}`, tls: {}, secrets: {}, serverVersion: '1.1.2' }),
        close: async () => {},
      };
    },
  };
  return plan;
}

export function result(name: string, failed = false, kind: 'assertion' | 'interrupted' = 'interrupted'): ScenarioResult {
  return {
    file: `${name}.yaml`, name, transport: 'http', status: failed ? 'failed' : 'passed', startedAt: 0, durationMs: 0,
    failure: failed ? { kind, summary: kind, span: { file: `${name}.yaml`, line: 5, col: 5, width: 1 }, stepTitle: 'wait' } : undefined,
    cleanupFailures: [], sessionsLeft: [], transcript: [], saved: {}, destroyedSessions: [], schemaWarnings: [], secretValues: [],
  };
}

/** A reporter that keeps every event it hears, through the method its type calls. */
export function recorder(): Reporter & { events: SuiteEvent[] } {
  const events: SuiteEvent[] = [];
  const reporter: Reporter & { events: SuiteEvent[] } = { events };
  for (const method of Object.values(HANDLERS)) (reporter as unknown as Record<string, (e: SuiteEvent) => void>)[method] = (e) => void events.push(e);
  return reporter;
}

/** Events as short lines: type, then test name and attempt where there are. */
export function lines(events: SuiteEvent[]): string[] {
  return events.map((e) => {
    const name = 'testId' in e && e.testId ? ` ${e.testId.split('#')[0]!.replace('.yaml', '')}` : '';
    if (e.type === 'test:end') return `test:end${name} ${e.attempt} ${e.result.status}${e.retrying ? ' retrying' : ''}`;
    if (e.type === 'test:begin') return `test:begin${name} ${e.attempt}`;
    if (e.type === 'run:end') return `run:end ${e.status}`;
    if (e.type === 'fault') return `fault ${e.message}`;
    if (e.type === 'interrupt') return `interrupt ${e.signal}`;
    return `${e.type}${name}`;
  });
}
