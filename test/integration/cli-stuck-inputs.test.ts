import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { runCli, scenarioDir, startCli, tmpdirPerTest, type CliRun } from '../support/cli.js';

const STACK = /\n\s+at |internal error|node:internal/;

/** Runs the CLI; one still going after `deadlineMs` is killed, so a hang is a failed assertion, not a stuck suite. */
async function cliWithin(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv }, deadlineMs = 30_000): Promise<CliRun> {
  const { child, done } = startCli(args, options);
  const deadline = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
  try {
    return await done;
  } finally {
    clearTimeout(deadline);
  }
}

/** One line that says `wanted`, and nothing of a crash. */
function assertOneLine(run: CliRun, code: number, wanted: string): void {
  const said = run.stderr + run.stdout;
  assert.equal(run.signal, null, `killed (it hung): ${said}`);
  assert.equal(run.code, code, said);
  assert.ok(said.includes(wanted), `expected "${wanted}" in: ${said}`);
  assert.doesNotMatch(said, STACK);
}

/**
 * Inputs the command line loads or writes that could stop it dead or silently: modules (config,
 * --transport-module, --reporter) whose top-level await never settles (Node then ended the
 * command with exit 0, nothing run, nothing said), that throw or export no reporter, a transport
 * whose load() throws; folders that cannot be made (Node's recursive mkdir loops for ever under
 * /proc: init and a report path hung); report files that cannot be written, or would overwrite
 * what the command reads, said before the run rather than after its minutes. Each is one line and an exit code, before the server is
 * contacted where the input is read before the run.
 */
describe('CLI: modules that never load, folders that cannot be made', function () {
  this.timeout(120_000);
  const tmp = tmpdirPerTest();
  const files = scenarioDir({
    'ping.yaml': 'name: pings\nsteps:\n  - request: { janus: ping }\n',
    'stuck.mjs': 'await new Promise(() => {});\nexport default {};\n',
    'stuck-reporter.mjs': 'await new Promise(() => {});\nexport default class {};\n',
    'throws-reporter.mjs': 'throw new Error("reporter boom");\n',
    'number-reporter.mjs': 'export default 42;\n',
    'no-default.mjs': 'export const timeout = "5s";\n',
    'load-throws.mjs': 'export default { name: "pigeon", schemes: ["pigeon"], secure: false, connect() { return Promise.reject(new Error("unused")); }, load() { throw new Error("load boom"); } };\n',
    'a-file': 'not a folder\n',
  });
  after(() => files.remove());
  const ping = files.path('ping.yaml');

  /** A loopback listener that counts connections: the commands below must not reach it. */
  let listener: Server;
  let connections = 0;
  let url = '';
  before(async () => {
    listener = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(listener.address() as { port: number }).port}`;
  });
  after(() => listener.close());

  it('a config, transport or reporter module whose top-level await never settles: exit 2 naming it, nothing run, the server never contacted', async function () {
    const configDir = files.path('stuck-config');
    mkdirSync(configDir);
    writeFileSync(`${configDir}/janus-scenarios.config.mjs`, 'await new Promise(() => {});\nexport default {};\n');
    const cases: Array<[string[], string | undefined, string]> = [
      [['run', ping, '--url', url, '-t', 'ws'], configDir, 'error: janus-scenarios.config.mjs: the module never finished loading'],
      [['run', ping, '--url', url, '-t', 'ws', '--transport-module', files.path('stuck.mjs')], undefined, `error: --transport-module ${files.path('stuck.mjs')}: the module never finished loading`],
      [['run', ping, '--url', url, '-t', 'ws', '--reporter', './stuck-reporter.mjs'], files.dir, 'error: --reporter ./stuck-reporter.mjs: the module never finished loading'],
    ];
    for (const [args, cwd, wanted] of cases) {
      const run = await cliWithin(args, { ...(cwd && { cwd }), env: tmp.env() });
      assertOneLine(run, 2, wanted);
    }
    assert.equal(connections, 0, 'the server was contacted');
  });

  it('a reporter module that throws or exports no class, a config module with no default export: exit 2 in one line, before the server is contacted', async function () {
    const noDefault = await runCli(['run', ping, '--url', url, '-t', 'ws', '--config', files.path('no-default.mjs')], { env: tmp.env() });
    assertOneLine(noDefault, 2, 'the module has no default export');
    const throws = await runCli(['run', ping, '--url', url, '-t', 'ws', '--reporter', './throws-reporter.mjs'], { cwd: files.dir, env: tmp.env() });
    assertOneLine(throws, 2, 'error: --reporter ./throws-reporter.mjs: cannot load it: reporter boom');
    const number = await runCli(['run', ping, '--url', url, '-t', 'ws', '--reporter', './number-reporter.mjs'], { cwd: files.dir, env: tmp.env() });
    assertOneLine(number, 2, 'error: --reporter ./number-reporter.mjs: the module exports no reporter class');
    assert.equal(connections, 0, 'the server was contacted');
  });

  it('a report the run could not write (a folder, under a file) or that would overwrite the baseline: exit 2 before the run, the baseline kept', async function () {
    const baseline = files.path('baseline.json');
    const baselineText = '{"format":"janus-scenarios-baseline","version":2,"tests":[],"inventory":{}}\n';
    writeFileSync(baseline, baselineText);
    const cases: Array<[string[], string]> = [
      [['run', ping, '--url', url, '-t', 'ws', '--reporter', `html:${files.dir}`], `error: --reporter ${files.dir}: cannot be written: it is a folder, not a file`],
      [['run', ping, '--url', url, '-t', 'ws', '--reporter', `junit:${files.path('a-file/j.xml')}`], 'cannot be written: a part of its path is a file, not a folder'],
      [['record', ping, '--url', url, '-t', 'ws', '--out', files.dir], `error: --out ${files.dir}: cannot be written: it is a folder, not a file`],
      [['load', ping, '--url', url, '--report-html', files.dir], `error: --report-html ${files.dir}: cannot be written`],
      [['compare', ping, '--url', url, '-t', 'ws', '--baseline', baseline, '--report-json', baseline], `error: --report-json ${baseline} is the file --baseline ${baseline} names: it would be overwritten`],
    ];
    for (const [args, wanted] of cases) assertOneLine(await runCli(args, { env: tmp.env() }), 2, wanted);
    assert.equal(connections, 0, 'the server was contacted');
    assert.equal(readFileSync(baseline, 'utf8'), baselineText);
  });

  it("a transport module's load() that throws instead of rejecting: its one line, exit 3, no crash", async function () {
    const run = await runCli(['run', ping, '--url', `pigeon://127.0.0.1:1`, '-t', 'pigeon', '--transport-module', files.path('load-throws.mjs')], { env: tmp.env() });
    assertOneLine(run, 3, 'load boom');
  });

  it('init, capture --out and a report path where no folder can be made (under /proc, under a file): one line, never a hang', async function () {
    const underFile = files.path('a-file/sub');
    assertOneLine(await cliWithin(['init', '/proc/janus-scenarios-no/x'], { env: tmp.env() }), 2, 'cannot write /proc/janus-scenarios-no/x/');
    assertOneLine(await cliWithin(['init', underFile], { env: tmp.env() }), 2, 'a part of its path is a file, not a folder');
    assertOneLine(await cliWithin(['capture', '--target', url, '--listen', '127.0.0.1:0', '--out', underFile, '--duration', '1s'], { env: tmp.env() }), 2, `--out ${underFile}: a part of its path is a file, not a folder`);
    assertOneLine(await cliWithin(['capture', '--target', url, '--listen', '127.0.0.1:0', '--out', files.path('a-file'), '--duration', '1s'], { env: tmp.env() }), 2, 'it is a file, not a folder');
    // The report is written after the run (the server is contacted, and refused): then it cannot be, in words.
    const report = await cliWithin(['run', ping, '--url', url, '-t', 'ws', '--reporter', 'json:/proc/janus-scenarios-no/r.json'], { env: tmp.env() });
    assertOneLine(report, 3, 'cannot write /proc/janus-scenarios-no/r.json: no such file or folder');
  });
});
