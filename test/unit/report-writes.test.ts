import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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
import { FileWriteError, writeFileAtomically, writeOutput } from '../../src/reporters/write.js';
import { reporterFailures } from '../../src/cli/reporters.js';
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

/**
 * A rename puts a new file where the old one was: right for a report file, wrong for what is not
 * one. A named pipe, a device (as root, a rename over /dev/null would put a file in its place) and
 * a symbolic link stay what they are; the report is written into them, or into what the link names.
 */
describe('report paths that are no regular file', function () {
  let dir: string;
  let reader: ChildProcess | undefined;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'jstest-targets-'))));
  afterEach(() => {
    reader?.kill();
    reader = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('a named pipe with a reader is written into and stays a pipe', async function () {
    const fifo = join(dir, 'report.xml');
    const text = '<testsuites/>\n';
    execFileSync('mkfifo', [fifo]);
    // Opened for reading and writing, the pipe does not wait for a writer: the reader says when it holds it.
    const script = `const fs = require('node:fs'); const fd = fs.openSync(process.argv[1], 'r+'); console.log('ready'); let got = ''; const b = Buffer.alloc(4096); while (got.length < ${text.length}) got += b.toString('utf8', 0, fs.readSync(fd, b)); process.stdout.write(got);`;
    reader = spawn(process.execPath, ['-e', script, fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
    let read = '';
    const ready = new Promise<void>((resolve) => reader!.stdout!.on('data', (chunk: Buffer) => {
      read += chunk.toString('utf8');
      if (read.startsWith('ready\n')) resolve();
    }));
    const done = new Promise((resolve) => reader!.on('close', resolve));
    await ready;
    writeFileAtomically(fifo, text);
    assert.ok(lstatSync(fifo).isFIFO(), 'the named pipe was replaced by a file');
    await done;
    assert.equal(read, `ready\n${text}`);
  });

  it('a named pipe nobody reads: refused in words, at once, still a pipe', function () {
    const fifo = join(dir, 'nobody.xml');
    execFileSync('mkfifo', [fifo]);
    assert.throws(() => writeFileAtomically(fifo, 'text'), (e: unknown) => e instanceof FileWriteError && e.message === `ENXIO: cannot write ${fifo}: a named pipe that nothing reads`);
    assert.ok(lstatSync(fifo).isFIFO());
  });

  it('a symbolic link stays a link; the file it names gets the report, whole', function () {
    writeFileSync(join(dir, 'real.json'), 'old');
    symlinkSync('real.json', join(dir, 'link.json'));
    writeFileAtomically(join(dir, 'link.json'), 'new');
    assert.ok(lstatSync(join(dir, 'link.json')).isSymbolicLink(), 'the link was replaced by a file');
    assert.equal(readFileSync(join(dir, 'real.json'), 'utf8'), 'new');
    assert.deepEqual(readdirSync(dir).sort(), ['link.json', 'real.json']);
  });

  // Through a link of our own: should the writer replace what is at the path, it replaces the link, never /dev/null.
  it('a character device is written into: a link to /dev/null stays a link to it', function () {
    symlinkSync('/dev/null', join(dir, 'discard.xml'));
    writeFileAtomically(join(dir, 'discard.xml'), 'text');
    assert.ok(lstatSync(join(dir, 'discard.xml')).isSymbolicLink(), 'the link was replaced by a file');
    assert.ok(lstatSync('/dev/null').isCharacterDevice());
    assert.deepEqual(readdirSync(dir), ['discard.xml']);
  });
});
