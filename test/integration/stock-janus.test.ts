import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pickFreePorts } from '../../src/managed/ports.js';
import { eventually } from '../support/admin.js';
import { runCli } from '../support/cli.js';

const STOCK = '/etc/janus';

/**
 * The shipped suite against Janus as Debian configures it (/etc/janus: every plugin with its
 * sample configuration, the Admin API off), only its two ports moved to free ones: what a
 * server lacks is skipped with the reason, the rest passes, exit 0.
 */
describe('the shipped suite against a stock Debian Janus (--url, no Admin API)', function () {
  this.timeout(300_000);
  let dir: string;
  let janus: ChildProcess | undefined;
  let urls: string[];

  before(async function () {
    if (!existsSync(join(STOCK, 'janus.jcfg'))) assert.fail(`${STOCK} is missing: apt-get install -y janus`);
    dir = mkdtempSync(join(tmpdir(), 'jstest-stock-'));
    cpSync(STOCK, dir, { recursive: true });
    const [http, ws] = await pickFreePorts(2);
    rewrite(join(dir, 'janus.transport.http.jcfg'), /^(\s*)port = 8088\b/m, `$1port = ${http}`);
    rewrite(join(dir, 'janus.transport.websockets.jcfg'), /^(\s*)ws_port = 8188\b/m, `$1ws_port = ${ws}`);
    const log = openSync(join(dir, 'janus.log'), 'w');
    janus = spawn('janus', ['-F', dir, '-C', join(dir, 'janus.jcfg')], { cwd: dir, stdio: ['ignore', log, log] });
    urls = ['--url', `http://127.0.0.1:${http}/janus`, '--url', `ws://127.0.0.1:${ws}`];
    const up = await eventually(async () => (await fetch(`http://127.0.0.1:${http}/janus/info`).catch(() => undefined))?.ok === true, 30_000, 200);
    assert.ok(up, `the stock Janus did not come up:\n${readFileSync(join(dir, 'janus.log'), 'utf8').slice(-2000)}`);
  });

  after(async () => {
    // A Janus that died on its own (a signal leaves exitCode null) has nothing left to stop.
    if (janus && janus.exitCode === null && janus.signalCode === null) {
      const exited = new Promise((resolve) => janus!.once('exit', resolve));
      janus.kill('SIGTERM');
      const timer = setTimeout(() => janus!.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('core, admin and plugin scenarios: passes and skips with reasons, no failure; exit 0', async () => {
    const run = await runCli(['run', 'scenarios/core', 'scenarios/admin', 'scenarios/plugins', ...urls, '--jobs', '4', '--reporter', 'dot', '--reporter', `junit:${join(dir, 'junit.xml')}`]);
    assert.equal(run.code, 0, `${run.stdout.slice(-6000)}${run.stderr}${janusDeath()}`);
    assert.doesNotMatch(run.stdout, /failing/);
    const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
    assert.match(junit, /<skipped message="needs the Admin API: give --admin-url"/);
    assert.doesNotMatch(junit, /<error|<failure|unfinished/);
  });

  /** If the Janus this test started died during the run: how, and its last words (the runner only sees refused connections). */
  function janusDeath(): string {
    if (!janus || (janus.exitCode === null && janus.signalCode === null)) return '';
    return `\nthe stock Janus died (${janus.signalCode ?? `exit ${janus.exitCode}`}); its log ends:\n${readFileSync(join(dir, 'janus.log'), 'utf8').slice(-3000)}`;
  }
});

function rewrite(file: string, pattern: RegExp, replacement: string): void {
  const text = readFileSync(file, 'utf8');
  assert.match(text, pattern, `${file} is not the stock configuration`);
  writeFileSync(file, text.replace(pattern, replacement));
}
