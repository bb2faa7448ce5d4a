import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SuiteEvent } from '../../src/events/events.js';
import { Multiplexer } from '../../src/events/multiplexer.js';
import { Redactor } from '../../src/report/redact.js';
import { BlobReporter } from '../../src/reporters/blob.js';
import { FileReporter } from '../../src/reporters/file.js';
import { jsonFormat } from '../../src/reporters/json.js';
import { junitFormat } from '../../src/reporters/junit.js';
import { tapFormat } from '../../src/reporters/tap.js';
import { FileWriteError, writeFileAtomically } from '../../src/reporters/write.js';
import { reporterFailures } from '../../src/cli/reporters.js';
import { writeOutput } from '../../src/cli/record-command.js';
import { info, Sink } from '../support/events.js';

const A = info('scenarios/a.yaml', 'first');

/** A run of one test that passes. */
function passingRun(): SuiteEvent[] {
  return [
    { type: 'run:begin', at: 1_000, tests: [A], transports: ['http'], seed: 's' },
    { type: 'test:begin', at: 1_001, testId: A.id, attempt: 1 },
    { type: 'test:end', at: 1_002, testId: A.id, attempt: 1, result: { file: A.file, name: A.name, transport: 'http', status: 'passed', startedAt: 1_001, durationMs: 1, cleanupFailures: [], transcript: [], saved: {}, destroyedSessions: [], sessionsLeft: [], schemaWarnings: [], secretValues: [] }, retrying: false },
    { type: 'run:end', at: 1_003, status: 'passed' },
  ];
}

/**
 * A report file that cannot be written (its path is a folder, a part of its path is a file)
 * leaves no `.partial-<pid>` file behind, says why in words, and fails the run (exit 3).
 */
describe('report files that cannot be written', function () {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jstest-unwritable-'));
    mkdirSync(join(dir, 'adir'));
    writeFileSync(join(dir, 'afile'), 'x');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const partials = (): string[] => readdirSync(dir).filter((f) => f.includes('.partial-'));

  it('a path that is a folder: no partial file is left, the error says so in words', function () {
    assert.throws(() => writeFileAtomically(join(dir, 'adir'), 'text'), (e: unknown) => {
      assert.ok(e instanceof FileWriteError);
      assert.equal(e.message, `EISDIR: cannot write ${join(dir, 'adir')}: it is a folder, not a file`);
      return true;
    });
    assert.deepEqual(partials(), []);
    // mkdir says EEXIST for a file where a folder of the path should be; open says ENOTDIR.
    assert.throws(() => writeFileAtomically(join(dir, 'afile', 'x.json'), 'text'), /(EEXIST: cannot write .*x\.json: a file stands where a folder is needed|ENOTDIR: cannot write .*x\.json: a part of its path is a file, not a folder)$/);
    writeFileAtomically(join(dir, 'new', 'ok.json'), 'text');
    assert.equal(readFileSync(join(dir, 'new', 'ok.json'), 'utf8'), 'text');
  });

  it('junit, json, tap and blob reporters into a folder: each named once, nothing partial left, the others written', async function () {
    const errors: string[] = [];
    const failures = reporterFailures((line) => errors.push(line));
    const context = { redactor: new Redactor(), out: new Sink() };
    const reporters = [
      new FileReporter(junitFormat, join(dir, 'adir'), context),
      new FileReporter(tapFormat, join(dir, 'adir'), context),
      new BlobReporter({ path: join(dir, 'adir') }),
      new FileReporter(jsonFormat, join(dir, 'ok.json'), context),
    ];
    const multiplexer = new Multiplexer(reporters, failures.onError);
    for (const event of passingRun()) await multiplexer.emit(event);
    assert.equal(errors.length, 3, errors.join('\n'));
    for (const line of errors) assert.match(line, /^error: the reporter \S+ failed and was stopped: --reporter (junit|tap|blob):\S+adir: EISDIR: cannot write \S+adir: it is a folder, not a file$/);
    assert.deepEqual(partials(), []);
    assert.equal(JSON.parse(readFileSync(join(dir, 'ok.json'), 'utf8')).format, 'janus-scenarios/report@1');
  });

  it('a reporter that failed fails the run: exit 3 for a run that passed or failed; 130 stays', function () {
    const quiet = reporterFailures(() => {});
    assert.deepEqual([0, 1, 3, 130].map(quiet.verdict), [0, 1, 3, 130]);
    const failed = reporterFailures(() => {});
    failed.onError('junit:x', new Error('EISDIR'));
    assert.deepEqual([0, 1, 3, 130].map(failed.verdict), [3, 3, 3, 130]);
  });

  it("record's --out and compare's --report-*: one line in words, no partial file, false", function () {
    const lines: string[] = [];
    const io = { out: () => {}, err: (line: string) => lines.push(line) };
    assert.equal(writeOutput(join(dir, 'adir'), 'text', io), false);
    assert.deepEqual(lines, [`error: cannot write ${join(dir, 'adir')}: it is a folder, not a file`]);
    assert.deepEqual(partials(), []);
    assert.equal(writeOutput(join(dir, 'baseline.json'), 'text', io), true);
  });
});
