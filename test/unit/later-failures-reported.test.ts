import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SuiteEvent } from '../../src/events/events.js';
import { Multiplexer } from '../../src/events/multiplexer.js';
import { buildReport } from '../../src/report/builder.js';
import type { RunReport } from '../../src/report/model.js';
import { Redactor } from '../../src/report/redact.js';
import { ConsoleReporter } from '../../src/reporters/console.js';
import { FileReporter } from '../../src/reporters/file.js';
import { scenarioBody } from '../../src/reporters/html/client/scenario.js';
import { htmlFormat } from '../../src/reporters/html/index.js';
import { jsonFormat } from '../../src/reporters/json.js';
import { junitFormat } from '../../src/reporters/junit.js';
import { tapFormat } from '../../src/reporters/tap.js';
import { FILE_A, info, result, RUN_SECRET, secretPieces, Sink } from '../support/events.js';

/*
 * A scenario that failed more than once (continueOnMismatch: later steps failed too; a cleanup
 * step failed): every reporter names each failure, where and why, not only the first.
 */
const TEST = info(FILE_A, 'fails three times');
const span = (line: number) => ({ file: FILE_A, line, col: 5, width: 1 });
const LATER_WHERE = 'scenarios/a.yaml:7:5';
const LATER_WHY = `the reply to ping did not match (later ${RUN_SECRET})`;
const LATER_FIELD = 'echo.note: expected "four", got "five"';
const CLEANUP_WHERE = 'scenarios/a.yaml:12:5';
const CLEANUP_WHY = 'no reply to destroy the room';

function events(): SuiteEvent[] {
  const failed = result(TEST, {
    status: 'failed', startedAt: 1_000, durationMs: 30,
    failure: { kind: 'assertion', summary: 'the reply to create did not match', span: span(3), stepTitle: 'create', continuable: true },
    laterFailures: [{ kind: 'assertion', summary: LATER_WHY, span: span(7), stepTitle: 'ping', expected: { echo: { note: 'four' } }, actual: { echo: { note: 'five' } }, mismatches: [{ at: 'echo.note', expected: '"four"', actual: 'five' }], continuable: true }],
    cleanupFailures: [{ kind: 'timeout', summary: CLEANUP_WHY, span: span(12), stepTitle: 'destroy' }],
  });
  return [
    { type: 'run:begin', at: 1_000, tests: [TEST], transports: ['http'] },
    { type: 'test:begin', at: 1_000, testId: TEST.id, attempt: 1 },
    { type: 'test:end', at: 1_030, testId: TEST.id, attempt: 1, result: failed, retrying: false },
    { type: 'run:end', at: 1_040, status: 'failed' },
  ];
}

/** Both failures after the first, where and why; no secret. */
function assertNamesEveryFailure(name: string, text: string): void {
  const later = text.indexOf(LATER_WHERE);
  assert.ok(later >= 0, `${name} does not say where the later failure was:\n${text}`);
  for (const why of [LATER_WHY.replace(RUN_SECRET, '[redacted]'), LATER_FIELD, CLEANUP_WHERE, CLEANUP_WHY]) {
    assert.ok(text.includes(why), `${name} does not show "${why}":\n${text}`);
  }
  for (const piece of secretPieces()) assert.ok(!text.includes(piece), `${name} shows a piece of a secret: ${piece}`);
}

async function play(reporters: ConstructorParameters<typeof Multiplexer>[0]): Promise<void> {
  const multiplexer = new Multiplexer(reporters, (n, e) => assert.fail(`${n} failed: ${String(e)}`));
  for (const event of events()) await multiplexer.emit(event);
}

describe('failures after the first, in every reporter', function () {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'jstest-later-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the console prints each, with where and why', async function () {
    const out = new Sink();
    await play([new ConsoleReporter({ redactor: new Redactor([RUN_SECRET]), colour: false, out })]);
    assertNamesEveryFailure('the console', out.text);
    assert.ok(out.text.indexOf(LATER_WHERE) < out.text.indexOf(CLEANUP_WHERE), 'in the order they happened');
    assert.match(out.text, /then: failed: the reply to ping did not match \(later \[redacted\]\) at scenarios\/a\.yaml:7:5 \(step: ping\)/);
    assert.match(out.text, /during cleanup: timeout: no reply to destroy the room at scenarios\/a\.yaml:12:5 \(step: destroy\)/);
  });

  it('JUnit, TAP, JSON and HTML carry each: the JSON as failures of their own, every text the same way', async function () {
    const paths = { junit: join(dir, 'r.xml'), json: join(dir, 'r.json'), tap: join(dir, 'r.tap'), html: join(dir, 'r.html') };
    await play([junitFormat, jsonFormat, tapFormat, htmlFormat].map((f) => new FileReporter(f, paths[f.name as keyof typeof paths], { redactor: new Redactor([RUN_SECRET]), out: new Sink() })));
    for (const [name, path] of Object.entries(paths)) assertNamesEveryFailure(name, readFileSync(path, 'utf8').replaceAll('&quot;', '"').replaceAll('\\"', '"'));
    const scenario = (JSON.parse(readFileSync(paths.json, 'utf8')) as RunReport).scenarios[0]!;
    assert.deepEqual(scenario.laterFailures?.map((f) => [f.location, f.summary, f.mismatchLines]), [[LATER_WHERE, LATER_WHY.replace(RUN_SECRET, '[redacted]'), [LATER_FIELD]]]);
    // One way of describing a failure after the first: the first failure's text lists them as their own texts say.
    const first = scenario.failure!.text;
    for (const f of [...scenario.laterFailures!, ...scenario.cleanupFailures]) assert.ok(first.includes(f.text.split('\n')[0]!), `${first}\nlacks\n${f.text}`);
  });

  it('the HTML page shows each in a box of its own', function () {
    const report = buildReport(events(), { redactor: new Redactor([RUN_SECRET]) });
    const body = withFakeDocument(() => scenarioBody(report.scenarios[0]!)) as unknown as FakeElement;
    const boxes = body.all((e) => e.attrs.class?.startsWith('failure ') === true).map((e) => e.textContent);
    assert.equal(boxes.length, 3, boxes.join('\n'));
    assert.match(boxes[1]!, /^Then · assertion.*did not match.*scenarios\/a\.yaml:7:5/);
    assert.match(boxes[2]!, /^During cleanup · timeout.*no reply to destroy the room.*scenarios\/a\.yaml:12:5/);
  });
});

/** Just enough of a DOM for the report's client code to build elements a test can read. */
class FakeElement {
  readonly attrs: Record<string, string> = {};
  readonly children: Array<FakeElement | string> = [];
  constructor(readonly tag: string) {}
  setAttribute(name: string, value: string): void {
    this.attrs[name] = value;
  }
  append(...children: Array<FakeElement | string>): void {
    this.children.push(...children);
  }
  get textContent(): string {
    return this.children.map((c) => (typeof c === 'string' ? c : c.textContent)).join('');
  }
  all(match: (e: FakeElement) => boolean): FakeElement[] {
    const below = this.children.flatMap((c) => (typeof c === 'string' ? [] : c.all(match)));
    return match(this) ? [this, ...below] : below;
  }
}

function withFakeDocument<T>(build: () => T): T {
  const g = globalThis as { document?: unknown };
  const before = g.document;
  g.document = { createElement: (tag: string) => new FakeElement(tag) };
  try {
    return build();
  } finally {
    g.document = before;
  }
}
