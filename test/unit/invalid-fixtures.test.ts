import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LoadJob, WorkerMessage } from '../support/load-in-worker.js';
import { CLI } from '../support/cli.js';

/**
 * The invalid-file corpus: every file in test/fixtures/invalid/ (hand-written) and
 * test/fixtures/invalid/generated/ (scripts/write-invalid-fixtures.mjs) is broken, and its
 * leading comment lines say what the loader must report:
 *
 *   # expect: <line>:<col> <substring>               the problem is in this file
 *   # expect: <file-suffix>:<line>:<col> <substring>  the problem is in another file (a fragment)
 *   # position: line                                 only the line is checked (parser-chosen column)
 *   # not: <substring>                               the output must not contain this
 *   # problems: <n>                                  how many problems are reported
 *
 * (A file that cannot carry a header, UTF-16 or binary, has it in <name>.expect.) Special
 * files (named pipes, devices, symbolic link loops, huge, include bombs) are made here at run
 * time. All of them are loaded in-process, in one worker thread with a heap limit and a
 * watchdog, so a file that hangs or floods memory fails the test by name. One CLI smoke test
 * checks exit code 2, the position and the absence of a stack trace end to end.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURES = join(ROOT, 'test/fixtures/invalid');
const WORKER = fileURLToPath(new URL('../support/load-in-worker.js', import.meta.url));
const HEAP_LIMIT_MB = 256;
const WATCHDOG_MS = 120_000;

interface Expectation {
  file?: string;
  line: number;
  col?: number;
  text: string;
}

interface Fixture {
  name: string;
  expect: Expectation[];
  not: string[];
  problems?: number;
  job: LoadJob;
}

const EXPECT = /^# expect: (?:(\S+?):)?(\d+):(\d+) (.+)$/;

function headerOf(path: string): string[] {
  if (existsSync(`${path}.expect`)) return readFileSync(`${path}.expect`, 'utf8').split('\n').filter(Boolean).map((l) => `# expect: ${l}`);
  const lines: string[] = [];
  for (const line of readFileSync(path, 'latin1').split(/\r\n|\r|\n/)) {
    if (!line.startsWith('#')) break;
    lines.push(line);
  }
  return lines;
}

function fixture(name: string, path: string, header: string[], cwd = ROOT): Fixture {
  const f: Fixture = { name, expect: [], not: [], job: { name, files: [path], cwd } };
  const lineOnly = header.includes('# position: line');
  for (const line of header) {
    const e = EXPECT.exec(line);
    if (e) f.expect.push({ file: e[1], line: Number(e[2]), col: lineOnly ? undefined : Number(e[3]), text: e[4]! });
    const not = /^# not: (.+)$/.exec(line);
    if (not) f.not.push(not[1]!);
    const problems = /^# problems: (\d+)$/.exec(line);
    if (problems) f.problems = Number(problems[1]);
  }
  return f;
}

const corpus: Fixture[] = [];
for (const folder of ['', 'generated']) {
  for (const n of readdirSync(join(FIXTURES, folder)).filter((x) => /\.ya?ml$/.test(x)).sort()) {
    const path = join(FIXTURES, folder, n);
    corpus.push(fixture(join(folder, n), path, headerOf(path)));
  }
}

/** Files no repository can hold, made in a temp folder: name -> [what to make, expected header]. */
function specialFixtures(dir: string): Fixture[] {
  const at = (name: string, header: string[]): Fixture => fixture(`special/${name}`, join(dir, name), header, dir);
  const write = (name: string, text: string | Buffer): void => {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  };
  const include = (target: string) => `name: includes ${target}\nsteps:\n  - request: ping\n  - include: ${target}\n`;
  execFileSync('mkfifo', [join(dir, 'pipe.yaml'), join(dir, 'pipe.fragment.yaml')]);
  write('include-pipe.yaml', include('pipe.fragment.yaml'));
  symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
  symlinkSync('/dev/urandom', join(dir, 'urandom.fragment.yaml'));
  write('include-urandom.yaml', include('urandom.fragment.yaml'));
  symlinkSync('loop.yaml', join(dir, 'loop.yaml'));
  symlinkSync('loop-b.fragment.yaml', join(dir, 'loop-a.fragment.yaml'));
  symlinkSync('loop-a.fragment.yaml', join(dir, 'loop-b.fragment.yaml'));
  write('include-loop.yaml', include('loop-a.fragment.yaml'));
  mkdirSync(join(dir, 'folder.fragment.yaml'));
  write('include-folder.yaml', include('folder.fragment.yaml'));
  // An include cycle through a symbolic link to the fragment's own folder.
  write('cyc/a.fragment.yaml', 'steps:\n  - request: ping\n  - include: link/a.fragment.yaml\n');
  symlinkSync('.', join(dir, 'cyc/link'));
  write('include-cycle-symlinked-folder.yaml', include('cyc/a.fragment.yaml'));
  // Fan-out: each fragment includes the next ten times, 10^7 steps if expanded.
  for (let i = 0; i < 7; i++) {
    const next = i === 6 ? '  - request: ping\n' : `  - include: f${i + 1}.fragment.yaml\n`.repeat(10);
    write(`fan/f${i}.fragment.yaml`, `steps:\n${next}`);
  }
  write('include-fan-out.yaml', include('fan/f0.fragment.yaml'));
  // Nesting: a chain of 40 fragments.
  for (let i = 0; i < 40; i++) write(`chain/c${i}.fragment.yaml`, `steps:\n  - include: c${i + 1}.fragment.yaml\n`);
  write('chain/c40.fragment.yaml', 'steps:\n  - request: ping\n');
  write('include-deep-chain.yaml', include('chain/c0.fragment.yaml'));
  write('huge.yaml', `name: huge\nsteps:\n${'  - request: ping\n'.repeat(600_000)}`);
  write('many-problems.yaml', `name: many\nsteps:\n${'  - request: ping\n    expct: { janus: pong }\n'.repeat(5_000)}`);
  write('binary-garbage.yaml', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
  return [
    at('pipe.yaml', ['# expect: pipe.yaml:1:1 a named pipe']),
    at('include-pipe.yaml', ['# expect: include-pipe.yaml:4:14 a named pipe']),
    at('zero.yaml', ['# expect: zero.yaml:1:1 a character device']),
    at('include-urandom.yaml', ['# expect: include-urandom.yaml:4:14 a character device']),
    at('loop.yaml', ['# expect: loop.yaml:1:1 symbolic link loop']),
    at('include-loop.yaml', ['# expect: include-loop.yaml:4:14 symbolic link loop']),
    at('include-folder.yaml', ['# expect: include-folder.yaml:4:14 a folder']),
    at('include-cycle-symlinked-folder.yaml', ['# expect: cyc/a.fragment.yaml:3:14 include cycle']),
    at('include-fan-out.yaml', ['# expect: fan/f4.fragment.yaml:4:14 more than 10000 steps']),
    at('include-deep-chain.yaml', ['# expect: chain/c31.fragment.yaml:2:14 nest more than 32 deep']),
    at('huge.yaml', ['# expect: huge.yaml:1:1 limited to 256 KB']),
    at('many-problems.yaml', ['# expect: many-problems.yaml:4:5 unknown key "expct"', '# problems: 5000']),
    at('binary-garbage.yaml', ['# expect: binary-garbage.yaml:1:2 not valid UTF-8']),
  ];
}

/** Runs every job in one worker; a hang or an out-of-memory death is pinned on the job it hit. */
function loadAll(jobs: LoadJob[]): Promise<{ results: Map<string, Extract<WorkerMessage, { type: 'result' }>>; died?: string }> {
  return new Promise((resolve) => {
    const results = new Map<string, Extract<WorkerMessage, { type: 'result' }>>();
    let current = '';
    const worker = new Worker(WORKER, { workerData: { jobs }, resourceLimits: { maxOldGenerationSizeMb: HEAP_LIMIT_MB }, stderr: true, stdout: true });
    const watchdog = setTimeout(() => {
      void worker.terminate();
      resolve({ results, died: `${current} still loading after ${WATCHDOG_MS / 1000}s` });
    }, WATCHDOG_MS);
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'start') current = m.name;
      else results.set(m.name, m);
    });
    worker.on('error', (e) => {
      clearTimeout(watchdog);
      resolve({ results, died: `${current}: the loader thread died: ${e.message}` });
    });
    worker.on('exit', () => {
      clearTimeout(watchdog);
      resolve({ results });
    });
  });
}

function check(f: Fixture, r: Extract<WorkerMessage, { type: 'result' }> | undefined, died: string | undefined): void {
  assert.ok(r, died ? `no result: ${died}` : 'no result');
  assert.equal(r.thrown, undefined, `the loader threw instead of reporting:\n${r.thrown}`);
  assert.ok(r.diagnostics.length > 0, 'the broken file loaded without a problem');
  assert.equal(r.scenarios, 0, 'a broken file yielded a scenario');
  assert.ok(r.heapMb < HEAP_LIMIT_MB, `heap ${r.heapMb.toFixed(0)} MB`);
  const told = (d: (typeof r.diagnostics)[number]) => `${d.file}:${d.line}:${d.col} ${d.message}${d.hint ? ` (${d.hint})` : ''}`;
  for (const e of f.expect) {
    const file = e.file ?? relative(f.job.cwd, f.job.files[0]!);
    const found = r.diagnostics.find((d) => d.file.endsWith(file) && d.line === e.line && (e.col === undefined || d.col === e.col) && `${d.message} ${d.hint ?? ''}`.includes(e.text));
    assert.ok(found, `expected a problem at ${file}:${e.line}:${e.col ?? '*'} mentioning ${JSON.stringify(e.text)}; got:\n${r.diagnostics.slice(0, 5).map(told).join('\n')}`);
  }
  if (f.problems !== undefined) assert.equal(r.diagnostics.length, f.problems, `problems reported:\n${r.diagnostics.slice(0, 5).map(told).join('\n')}`);
  for (const text of f.not) assert.ok(!r.rendered.includes(text), `the output should not mention ${JSON.stringify(text)}`);
  // What is printed: bounded, escaped, no stack trace.
  assert.doesNotMatch(r.rendered, /^ {4}at /m, 'a stack trace in the output');
  assert.doesNotMatch(r.rendered, /\s{2}at .*\.js:\d+/, 'a stack frame in the output');
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(r.rendered, /[\x00-\x08\x0b-\x1f\x7f-\x9f]/, 'raw control characters in the output');
  const longest = Math.max(...r.rendered.split('\n').map((l) => l.length));
  assert.ok(longest <= 500, `an output line of ${longest} characters`);
  assert.ok(r.rendered.length <= 20_000, `${r.rendered.length} characters of output`);
  assert.match(r.rendered, new RegExp(`${r.diagnostics.length} problems? in scenario files; nothing was run$`));
}

describe('invalid scenario files (loaded in-process, in a worker with a heap limit)', function () {
  this.timeout(WATCHDOG_MS + 30_000);
  let dir: string;
  let special: Fixture[] = [];
  let outcome: Awaited<ReturnType<typeof loadAll>>;
  const specialNames = ['pipe.yaml', 'include-pipe.yaml', 'zero.yaml', 'include-urandom.yaml', 'loop.yaml', 'include-loop.yaml', 'include-folder.yaml', 'include-cycle-symlinked-folder.yaml', 'include-fan-out.yaml', 'include-deep-chain.yaml', 'huge.yaml', 'many-problems.yaml', 'binary-garbage.yaml'];

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), 'janus-scenarios-invalid-'));
    special = specialFixtures(dir);
    assert.deepEqual(special.map((f) => f.name.slice('special/'.length)), specialNames);
    outcome = await loadAll([...corpus, ...special].map((f) => f.job));
  });
  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it('has at least 150 broken files, each with an expected position', function () {
    assert.ok(corpus.length + specialNames.length >= 150, `only ${corpus.length + specialNames.length} fixtures`);
    assert.deepEqual(corpus.filter((f) => f.expect.length === 0).map((f) => f.name), [], 'fixtures without "# expect:"');
  });

  for (const f of corpus) {
    it(`${f.name}: ${f.expect[0] ? `${f.expect[0].line}:${f.expect[0].col ?? '*'} ${f.expect[0].text}` : ''}`, function () {
      check(f, outcome.results.get(f.name), outcome.died);
    });
  }
  for (const name of specialNames) {
    it(`special/${name}`, function () {
      const f = special.find((s) => s.name === `special/${name}`)!;
      check(f, outcome.results.get(f.name), outcome.died);
    });
  }

  it('shows the first problems of a file and counts the rest', function () {
    const r = outcome.results.get('special/many-problems.yaml')!;
    assert.match(r.rendered, /\.\.\. and 4990 more problems in many-problems\.yaml/);
    assert.equal(r.rendered.match(/^error: /gm)?.length, 10);
  });

  it('cuts a long line around the caret', function () {
    const r = outcome.results.get('generated/long-line.yaml')!;
    const quoted = r.rendered.split('\n').find((l) => /^\d+ \| /.test(l))!;
    assert.ok(quoted.length < 300 && quoted.includes('…') && quoted.includes('${nope}'), quoted);
  });

  it('the CLI: exit 2, file:line:col and no stack trace, before any network I/O', async function () {
    const path = 'test/fixtures/invalid/generated/yaml-alias-bomb.yaml';
    for (const args of [['validate', path], ['run', path, '--url', 'http://127.0.0.1:9']]) {
      const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        execFile(process.execPath, [CLI, ...args], { cwd: ROOT, timeout: 30_000 }, (error, _out, err) => resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stderr: err }));
      });
      assert.equal(code, 2, stderr);
      assert.match(stderr, /--> test\/fixtures\/invalid\/generated\/yaml-alias-bomb\.yaml:5:10\n/);
      assert.doesNotMatch(stderr, /^ {4}at |internal error/m);
    }
  });
});
