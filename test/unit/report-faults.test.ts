import assert from 'node:assert/strict';
import type { SuiteEvent } from '../../src/events/events.js';
import { Multiplexer } from '../../src/events/multiplexer.js';
import type { Reporter } from '../../src/events/reporter.js';
import { buildReport } from '../../src/report/builder.js';
import { Redactor } from '../../src/report/redact.js';
import { ConsoleReporter } from '../../src/reporters/console.js';
import { junitFormat } from '../../src/reporters/junit.js';
import { tapFormat } from '../../src/reporters/tap.js';
import { info, Sink } from '../support/events.js';

const REASON = 'cannot reach Janus at http://127.0.0.1:1/janus: HTTP GET http://127.0.0.1:1/janus/info: connection refused';
const A = info('scenarios/a.yaml', 'first');
const B = info('scenarios/a.yaml', 'second', 'ws');
const SKIP = info('scenarios/b.yaml', 'skipped', 'http', 'runs only on ws');

/** A run whose first contact with the server failed: nothing began, one fault, run:end 'fault'. */
function unreachableRun(options: { interrupted?: boolean } = {}): SuiteEvent[] {
  return [
    { type: 'run:begin', at: 1_000, tests: [A, B], transports: ['http', 'ws'], seed: 's' },
    { type: 'fault', at: 1_001, message: REASON },
    ...(options.interrupted ? [{ type: 'interrupt', at: 1_002, signal: 'SIGINT' } as const] : []),
    { type: 'run:end', at: 1_003, status: options.interrupted ? 'interrupted' : 'fault' },
  ];
}

async function play(reporters: Reporter[], events: SuiteEvent[]): Promise<void> {
  const multiplexer = new Multiplexer(reporters, (name, e) => assert.fail(`${name} failed: ${String(e)}`));
  for (const event of events) await multiplexer.emit(event);
}

/**
 * When the first contact with the server fails, every report says why: the tests that never
 * began are unfinished with the one-line reason (JUnit <error type="infrastructure">, TAP and
 * JSON `message`/`failure`, the console's count), never only "the run was stopped".
 */
describe('reports of a run whose server could not be reached', function () {
  it('JSON: each test that never began is unfinished with the reason as its failure, and the run lists its faults', function () {
    const report = buildReport(unreachableRun());
    assert.deepEqual(report.scenarios.map((s) => [s.title, s.status, s.failure?.kind, s.failure?.summary]), [
      ['first [http]', 'unfinished', 'infrastructure', REASON],
      ['second [ws]', 'unfinished', 'infrastructure', REASON],
    ]);
    assert.equal(report.scenarios[0]!.failure!.text, `not run: ${REASON}`);
    assert.deepEqual(report.faults, [REASON]);
    assert.deepEqual(report.totals, { passed: 0, failed: 0, skipped: 0, unfinished: 2 });
    assert.equal(report.interrupted, false);
  });

  it('JUnit: <error type="infrastructure"> with the reason; TAP: the reason as the message', function () {
    const report = buildReport(unreachableRun());
    const junit = junitFormat.render(report);
    assert.equal(junit.match(/<error type="infrastructure" message="cannot reach Janus at http:\/\/127\.0\.0\.1:1\/janus: HTTP GET http:\/\/127\.0\.0\.1:1\/janus\/info: connection refused">not run: cannot reach Janus/g)?.length, 2, junit);
    assert.doesNotMatch(junit, /type="unfinished"|stopped/);
    const tap = tapFormat.render(report);
    assert.match(tap, /^not ok 1 - scenarios\/a\.yaml: first \[http\]$/m);
    assert.equal(tap.match(/^ {2}message: "cannot reach Janus at .*: connection refused"$/gm)?.length, 2, tap);
    assert.doesNotMatch(tap, /stopped/);
  });

  it('the console gives the reason with the count of what did not run, and says nothing of a stopped run', async function () {
    const out = new Sink();
    await play([new ConsoleReporter({ redactor: new Redactor(), colour: false, out })], unreachableRun());
    assert.match(out.text, /0 passing/);
    assert.ok(out.text.includes(`  2 unfinished (not run: ${REASON})\n`), out.text);
    assert.doesNotMatch(out.text, /was stopped/);
  });

  it('a test skipped by the plan stays skipped; only what never began takes the reason', function () {
    const events: SuiteEvent[] = [
      { type: 'run:begin', at: 1_000, tests: [SKIP, A], transports: ['http'] },
      { type: 'test:end', at: 1_001, testId: SKIP.id, attempt: 1, result: { file: SKIP.file, name: SKIP.name, transport: 'http', status: 'skipped', skipReason: 'runs only on ws', startedAt: 1_001, durationMs: 0, cleanupFailures: [], transcript: [], saved: {}, destroyedSessions: [], sessionsLeft: [], schemaWarnings: [], secretValues: [] }, retrying: false },
      { type: 'fault', at: 1_002, message: 'cannot start Janus: it exited during startup' },
      { type: 'run:end', at: 1_003, status: 'fault' },
    ];
    const report = buildReport(events);
    assert.deepEqual(report.scenarios.map((s) => [s.title, s.status, s.failure?.summary]), [
      ['skipped [http]', 'skipped', undefined],
      ['first [http]', 'unfinished', 'cannot start Janus: it exited during startup'],
    ]);
  });

  it('after Ctrl-C, what never began is unfinished because the run was stopped, whatever fault came first', async function () {
    const report = buildReport(unreachableRun({ interrupted: true }));
    assert.deepEqual(report.scenarios.map((s) => [s.status, s.failure]), [['unfinished', undefined], ['unfinished', undefined]]);
    assert.match(junitFormat.render(report), /<error type="unfinished" message="unfinished: the run stopped before it started">/);
    const out = new Sink();
    await play([new ConsoleReporter({ redactor: new Redactor(), colour: false, out })], unreachableRun({ interrupted: true }));
    assert.match(out.text, /2 unfinished \(the run was stopped\)/);
  });
});
