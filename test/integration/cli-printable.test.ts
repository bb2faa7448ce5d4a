import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeOwnedFolder } from '../../src/managed/stale-folders.js';
import { FakeJanus } from '../support/fake-janus.js';
import { runCli, scenarioDir, tmpdirPerTest } from '../support/cli.js';

/**
 * Control characters from a scenario's name and from the server (ESC that starts a terminal
 * sequence, BEL, CR, a C1 CSI, a bidi override) are shown escaped by every reporter, never sent
 * raw to the terminal or into TAP and JUnit.
 */
describe('control characters in names and server text', function () {
  this.timeout(60_000);
  let fake: FakeJanus;
  // A YAML double-quoted string: \e is ESC, \a BEL, \r CR, \x9b the C1 CSI, \u202e a bidi override.
  const files = scenarioDir({
    'named.yaml': 'name: "evil \\e[2J\\e]0;title\\a name\\r\\x9b31m \\u202e"\nsteps:\n  - request: { janus: ping, note: "\\e[31mred\\x9b\\a" }\n    expect: { echo: { note: plain } }\n',
    'reflected.yaml': 'name: reflected\nsteps:\n  - request: { janus: reflect, note: "\\e[2J\\a\\x9b1m" }\n',
  });
  before(async () => {
    fake = await FakeJanus.start();
    fake.onHttpRequest = (req, f) => (f.behaviour = req.body.includes('"reflect"') ? 'reflect' : 'ok');
  });
  after(async () => {
    await fake.close();
    files.remove();
  });

  const RAW = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E]/;
  for (const reporters of [['-R', 'spec'], ['-R', 'dot'], ['-R', 'list'], ['-R', 'tap:-'], ['-R', 'junit:-'], ['-R', 'json:-']]) {
    it(`${reporters[1]}: printed escaped, never raw`, async () => {
      const run = await runCli(['run', files.dir, '--url', fake.httpUrl, ...reporters]);
      assert.ok(run.code === 1 || run.code === 3, run.stdout + run.stderr);
      // mocha's list reporter moves to the line's start with a CR of its own; ours are escaped.
      const printed = reporters[1] === 'list' ? (run.stdout + run.stderr).replace(/ \r {2}/g, ' ') : run.stdout + run.stderr;
      const raw = RAW.exec(printed);
      assert.equal(raw, null, `raw U+${raw?.[0].charCodeAt(0).toString(16)} in:\n${printed.slice(Math.max(0, (raw?.index ?? 0) - 100), (raw?.index ?? 0) + 100)}`);
      assert.match(printed, /\\u001b/i);
      if (!reporters[1]!.startsWith('json')) assert.match(printed, /name\\+u000d/);
    });
  }
});

describe('managed Janus temp folders', function () {
  const tmp = tmpdirPerTest();

  it('are readable by their owner only', () => {
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp.dir();
    try {
      const dir = makeOwnedFolder();
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      assert.ok(existsSync(join(dir, 'owner.json')), 'it names its owner, for the sweep');
      rmSync(dir, { recursive: true });
    } finally {
      process.env.TMPDIR = saved;
    }
  });

  for (const command of [['validate'], ['run', '--url', 'http://127.0.0.1:1/janus', '--step-timeout', '1s']]) {
    it(`a dead run's folder is removed by \`${command[0]}${command[1] ? ` ${command[1]}` : ''}\`, a live one's is kept`, async () => {
      const stale = join(tmp.dir(), 'janus-scenarios-stale1');
      mkdirSync(stale);
      writeFileSync(join(stale, 'owner.json'), JSON.stringify({ pid: 999_999_999, started: '1' }));
      writeFileSync(join(stale, 'janus.jcfg'), 'admin_secret = "left behind"');
      const live = join(tmp.dir(), 'janus-scenarios-live1');
      mkdirSync(live);
      const myStart = readFileSync('/proc/self/stat', 'utf8');
      writeFileSync(join(live, 'owner.json'), JSON.stringify({ pid: process.pid, started: myStart.slice(myStart.lastIndexOf(')') + 2).split(' ')[19] }));
      const scenario = scenarioDir({ 'a.yaml': 'name: a\nsteps:\n  - request: { janus: ping }\n' });
      try {
        const [verb, ...rest] = command;
        await runCli([verb!, scenario.dir, ...rest], { env: tmp.env() });
        assert.equal(existsSync(stale), false, 'the dead run\'s folder is gone');
        assert.equal(existsSync(live), true, 'the live owner\'s folder is kept');
      } finally {
        scenario.remove();
        rmSync(live, { recursive: true, force: true });
      }
    });
  }
});
