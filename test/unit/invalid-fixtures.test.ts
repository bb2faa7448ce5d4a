import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

/**
 * Every file in test/fixtures/invalid/*.yaml is a broken scenario with one problem. Its leading
 * comment lines say what the CLI must report:
 *
 *   # expect: <line>:<col> <substring>               the problem is in this file
 *   # expect: <file-suffix>:<line>:<col> <substring>  the problem is in another file (a fragment)
 *   # not: <substring>                               stderr must not contain this
 *   # problems: <n>                                  how many problems are reported (default 1)
 *
 * Several `# expect:` lines may be given (e.g. the message and its did-you-mean hint). Each
 * fixture is run through the real CLI, `validate` and `run --url` at an unused port, which must
 * both stop with exit code 2 before any network I/O. A new fixture needs no code here.
 */

const ROOT = new URL('../../../', import.meta.url);
const FIXTURES = new URL('../../../test/fixtures/invalid/', import.meta.url);
const CLI = fileURLToPath(new URL('dist/src/cli/main.js', ROOT));
const UNUSED_URL = 'http://127.0.0.1:9';

interface Expectation {
  /** Display-path suffix of the file the problem is in. */
  file: string;
  line: number;
  col: number;
  text: string;
}

interface Fixture {
  name: string;
  /** Path relative to the repository root, as given to the CLI. */
  path: string;
  expect: Expectation[];
  not: string[];
  problems: number;
}

interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const EXPECT = /^# expect: (?:(\S+?):)?(\d+):(\d+) (.+)$/;

function readFixture(name: string): Fixture {
  const text = readFileSync(new URL(name, FIXTURES), 'utf8');
  const fixture: Fixture = { name, path: `test/fixtures/invalid/${name}`, expect: [], not: [], problems: 1 };
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith('#')) break;
    const expect = EXPECT.exec(line);
    if (expect) {
      fixture.expect.push({ file: expect[1] ?? name, line: Number(expect[2]), col: Number(expect[3]), text: expect[4]! });
      continue;
    }
    const not = /^# not: (.+)$/.exec(line);
    if (not) fixture.not.push(not[1]!);
    const problems = /^# problems: (\d+)$/.exec(line);
    if (problems) fixture.problems = Number(problems[1]);
  }
  return fixture;
}

const names = readdirSync(FIXTURES)
  .filter((n) => /\.ya?ml$/.test(n))
  .sort();
const fixtures = names.map(readFixture);

/** The CLI, without the variables some fixtures rely on being unset. */
function cli(args: string[]): Promise<CliResult> {
  const env = { ...process.env };
  delete env.NOPE_NOT_SET_X;
  delete env.NODE_OPTIONS;
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: fileURLToPath(ROOT), env, timeout: 30_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      const e = error as (NodeJS.ErrnoException & { code?: number | string; signal?: NodeJS.Signals }) | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr });
    });
  });
}

/** Runs at most `limit` CLI processes at once; every fixture's runs start in `before`. */
function limiter(limit: number) {
  let active = 0;
  const queue: Array<() => void> = [];
  const next = (): void => {
    if (active >= limit) return;
    const job = queue.shift();
    if (!job) return;
    active++;
    job();
  };
  return <T>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push(() => {
        task()
          .then(resolve, reject)
          .finally(() => {
            active--;
            next();
          });
      });
      next();
    });
}

function fixtureSourceLine(expect: Expectation, fixture: Fixture): string | undefined {
  const file = expect.file === fixture.name ? fixture.name : expect.file;
  try {
    return readFileSync(new URL(file, FIXTURES), 'utf8').split(/\r?\n/)[expect.line - 1];
  } catch {
    return undefined;
  }
}

function check(fixture: Fixture, command: string, result: CliResult): void {
  const where = `${command} ${fixture.path}\n--- stderr ---\n${result.stderr}--- stdout ---\n${result.stdout}`;
  assert.equal(result.signal, null, `killed by ${result.signal}: ${where}`);
  assert.notEqual(result.code, 3, `exit code 3: the CLI tried to reach the server before reporting the problem: ${where}`);
  assert.equal(result.code, 2, `exit code should be 2 (invalid scenario file): ${where}`);
  assert.doesNotMatch(result.stderr, /^ {4}at /m, `stack trace in stderr: ${where}`);
  assert.doesNotMatch(result.stderr, /internal error/, `internal error: ${where}`);

  const lines = result.stderr.split('\n');
  for (const e of fixture.expect) {
    const location = `${e.file}:${e.line}:${e.col}`;
    const at = lines.findIndex((l) => {
      const m = /^ {2}--> (.*)$/.exec(l);
      return m !== null && (m[1] === location || m[1]!.endsWith(`/${location}`));
    });
    assert.ok(at >= 0, `expected a problem at ${location} (${JSON.stringify(e.text)}): ${where}`);

    // The diagnostic: its `error:` line above, down to the blank line that ends it.
    let start = at;
    while (start > 0 && !lines[start]!.startsWith('error: ')) start--;
    let end = at;
    while (end < lines.length && lines[end] !== '') end++;
    const block = lines.slice(start, end).join('\n');
    assert.ok(lines[start]!.startsWith('error: '), `no "error:" line above ${location}: ${where}`);
    // What the reader is told: the message and its hints (not the location or the quoted line).
    const told = [lines[start]!, ...lines.slice(at, end).filter((l) => l.startsWith('  = '))].join('\n');
    assert.ok(told.includes(e.text), `the problem at ${location} should mention ${JSON.stringify(e.text)}; got:\n${block}\n\n${where}`);

    // The offending line and a caret under the column.
    const source = new RegExp(`^${e.line} \\| (.*)$`).exec(lines[at + 2] ?? '');
    const caret = /^( *) \| ( *)(\^+)$/.exec(lines[at + 3] ?? '');
    assert.ok(source && caret, `expected the source line ${e.line} and a caret line under ${location}; got:\n${block}\n\n${where}`);
    const raw = fixtureSourceLine(e, fixture);
    if (raw !== undefined) {
      assert.equal(source[1], raw.replace(/\t/g, '    '), `the quoted line should be line ${e.line} of ${e.file}`);
      assert.equal(caret[2]!.length, raw.slice(0, e.col - 1).replace(/\t/g, '    ').length, `the caret should be under column ${e.col}:\n${block}`);
    }
  }
  for (const text of fixture.not) {
    assert.ok(!result.stderr.includes(text), `stderr should not mention ${JSON.stringify(text)}: ${where}`);
  }
  const n = fixture.problems;
  assert.ok(
    result.stderr.includes(`${n} problem${n === 1 ? '' : 's'} in scenario files; nothing was run`),
    `expected exactly ${n} problem${n === 1 ? '' : 's'} to be reported: ${where}`,
  );
}

describe('invalid scenario fixtures (CLI, before any network I/O)', function () {
  this.timeout(120_000);
  const results = new Map<string, Promise<[CliResult, CliResult]>>();

  before(function () {
    const run = limiter(Math.max(2, Math.min(8, availableParallelism())));
    for (const f of fixtures) {
      results.set(f.name, Promise.all([run(() => cli(['validate', f.path])), run(() => cli(['run', f.path, '--url', UNUSED_URL]))]));
    }
  });

  it('has fixtures, each with an "# expect: <line>:<col> <message>" header', function () {
    assert.ok(fixtures.length >= 30, `only ${fixtures.length} fixtures in ${fileURLToPath(FIXTURES)}`);
    const bare = fixtures.filter((f) => f.expect.length === 0).map((f) => f.name);
    assert.deepEqual(bare, [], 'fixtures without a valid "# expect:" line');
  });

  for (const fixture of fixtures) {
    it(`${fixture.name}${fixture.expect[0] ? `: ${fixture.expect[0].line}:${fixture.expect[0].col} ${fixture.expect[0].text}` : ''}`, async function () {
      assert.ok(fixture.expect.length > 0, `${fixture.name} has no "# expect:" line`);
      const [validate, run] = await results.get(fixture.name)!;
      check(fixture, 'validate', validate);
      check(fixture, 'run --url', run);
    });
  }
});
