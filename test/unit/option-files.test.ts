import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/commands.js';
import { readBaseline } from '../../src/compare/baseline.js';
import { loadProjectConfig } from '../../src/cli/config.js';
import { OPTION_FILE_LIMITS, optionFileProblem, readOptionFile } from '../../src/load/option-file.js';
import { parseRunArgs, RUN_OPTIONS, UsageError } from '../../src/cli/options.js';
import { loadTransportModules } from '../../src/cli/transport-modules.js';
import { loadSettings } from '../../src/load-test/options.js';

/** The CLI in this process: what it prints and its exit code. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (s) => (stdout += `${s}\n`), err: (s) => (stderr += `${s}\n`) });
  return { code, stdout, stderr };
}

/** The UsageError `run` throws, or a failure when it throws nothing or something else. */
async function usageError(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (e) {
    assert.ok(e instanceof UsageError, `not a usage error: ${(e as Error)?.stack ?? String(e)}`);
    assert.doesNotMatch(e.message, /\n/, 'one line');
    return e.message;
  }
  assert.fail('no usage error');
}

/** A real certificate (self-signed, EC P-256, valid to 2126): --ca reads only what holds one. */
const CERTIFICATE = [
  '-----BEGIN CERTIFICATE-----',
  'MIIBlTCCATugAwIBAgIUPO9w4rCEnGYxFb9gDkPm8iRFAdswCgYIKoZIzj0EAwIw',
  'HzEdMBsGA1UEAwwUamFudXMtc2NlbmFyaW9zLXRlc3QwIBcNMjYxMjA2MTk0NzA4',
  'WhgPMjEyNjExMTIxOTQ3MDhaMB8xHTAbBgNVBAMMFGphbnVzLXNjZW5hcmlvcy10',
  'ZXN0MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEaAF+P0yRS6+zlqzHNnRlxv72',
  'X8yex+fqmyJpn7YORfEpoBEfNTBMLvqglNrhChMw5Xc7/jxKcbIAmJpwjJwBg6NT',
  'MFEwHQYDVR0OBBYEFKD8wdr2fL7jFr5qZiaFQOS9AXvuMB8GA1UdIwQYMBaAFKD8',
  'wdr2fL7jFr5qZiaFQOS9AXvuMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwID',
  'SAAwRQIhAOKQ8FXo6scxNo2Oa70T5z31b2UmzwPxj5kMR1GR3vtCAiAraJyx1aKA',
  '1E2XGGy1w8a5J5eaY3b/uCkDT6IHoLPiWA==',
  '-----END CERTIFICATE-----',
].join('\n');

/**
 * The files options name (--config, --ca, --transport-module, --baseline) are read as scenario
 * files are: a named pipe, a device or a folder is refused in words before a byte is read (a pipe
 * would hang the command, /dev/zero fill its memory), and so is a file larger than the option's
 * limit. A config module whose values throw is a usage error naming it, not a crash.
 */
describe('files named by options', function () {
  let dir: string;
  let fifo: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'jstest-optfiles-'));
    fifo = join(dir, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    mkdirSync(join(dir, 'folder.json'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string | Buffer): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  describe('the reader', function () {
    it('refuses a named pipe, a device, a folder and a missing file, in words, without reading them', function () {
      for (const read of [(p: string) => optionFileProblem(p, OPTION_FILE_LIMITS.config), (p: string) => { const r = readOptionFile(p, OPTION_FILE_LIMITS.config); return 'problem' in r ? r.problem : undefined; }]) {
        assert.equal(read(fifo), 'not a regular file (a named pipe)');
        assert.equal(read('/dev/zero'), 'not a regular file (a character device)');
        assert.equal(read(join(dir, 'folder.json')), 'not a regular file (a folder)');
        assert.equal(read(join(dir, 'nope.json')), 'no such file');
      }
    });

    it('refuses a file over the limit, reads one within it (UTF-8, BOM dropped, LF line ends)', function () {
      const big = file('big.json', 'x'.repeat(3000));
      assert.equal(optionFileProblem(big, 2048), 'the file is 3 KB; at most 2 KB is read');
      assert.deepEqual(readOptionFile(big, 2048), { problem: 'the file is 3 KB; at most 2 KB is read' });
      assert.deepEqual(readOptionFile(big, 4096), { text: 'x'.repeat(3000) });
      assert.deepEqual(readOptionFile(file('bom.json', '\ufeff{"a":1}\r\n'), 4096), { text: '{"a":1}\n' });
      assert.equal(optionFileProblem(big, 4096), undefined);
    });

    it('says where a byte is not UTF-8', function () {
      const latin1 = file('latin1.yaml', Buffer.from('url: x\nname: caf\xe9 au lait\n', 'latin1'));
      const read = readOptionFile(latin1, 4096);
      assert.ok('problem' in read);
      assert.match(read.problem, /^line 2, column 10: byte 0xE9 is not valid UTF-8/);
    });
  });

  describe('--config', function () {
    it('a named pipe, a device or a folder is refused, named as given', async function () {
      // The folder first: a command without the check would hang on the pipe, or fill its memory from /dev/zero.
      assert.equal(await usageError(() => loadProjectConfig(dir, 'folder.json', RUN_OPTIONS)), '--config folder.json: not a regular file (a folder)');
      assert.equal(await usageError(() => loadProjectConfig(dir, 'nope.mjs', RUN_OPTIONS)), '--config nope.mjs: no such file');
      assert.equal(await usageError(() => loadProjectConfig(dir, fifo, RUN_OPTIONS)), `--config ${fifo}: not a regular file (a named pipe)`);
      assert.equal(await usageError(() => loadProjectConfig(dir, '/dev/zero', RUN_OPTIONS)), '--config /dev/zero: not a regular file (a character device)');
    });

    it('a module whose values throw when read is a usage error naming the file and the first line, not a crash', async function () {
      file('getter.mjs', 'export default { get url() { throw new Error("boom\\nsecond line") } };\n');
      assert.equal(await usageError(() => loadProjectConfig(dir, 'getter.mjs', RUN_OPTIONS)), 'getter.mjs: boom');
      file('proxy.mjs', 'export default new Proxy({}, { ownKeys() { throw new TypeError("no keys here") } });\n');
      assert.equal(await usageError(() => loadProjectConfig(dir, 'proxy.mjs', RUN_OPTIONS)), 'proxy.mjs: no keys here');
      file('nested.mjs', 'export default { "reporter-option": { get output() { throw "a string" } } };\n');
      assert.equal(await usageError(() => loadProjectConfig(dir, 'nested.mjs', RUN_OPTIONS)), 'nested.mjs: a string');
      file('at-import.mjs', 'throw new Error("boom at load");\n');
      assert.equal(await usageError(() => loadProjectConfig(dir, 'at-import.mjs', RUN_OPTIONS)), 'at-import.mjs: boom at load');
    });

    it('YAML is refused in the scenario loader\'s words, with the line and column', async function () {
      const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]', ''].join('\n');
      file('bomb.yaml', bomb);
      const message = await usageError(() => loadProjectConfig(dir, 'bomb.yaml', RUN_OPTIONS));
      assert.match(message, /^bomb\.yaml:\d+:\d+: invalid YAML: aliases expand to too many nodes/);
      assert.doesNotMatch(message, /Excessive alias count|resource exhaustion/);
    });

    it('JSON with a syntax error is refused with the line and column, in words (not V8\'s offset)', async function () {
      file('bad.json', '{ "transport": ["ws"],\n}\n');
      assert.equal(await usageError(() => loadProjectConfig(dir, 'bad.json', RUN_OPTIONS)), 'bad.json:2:1: invalid JSON: expected another property after the comma (JSON allows no trailing comma), found "}"');
      const project = mkdtempSync(join(dir, 'project-'));
      writeFileSync(join(project, 'package.json'), '{\n  "name": "x"\n  "janus-scenarios": {}\n}\n');
      assert.equal(await usageError(() => loadProjectConfig(project, undefined, RUN_OPTIONS)), 'package.json:3:3: invalid JSON: expected "," or "}" after the property value, found a string');
    });

    it('a package.json that is not an object is no config, not a crash', async function () {
      const project = mkdtempSync(join(dir, 'project-'));
      writeFileSync(join(project, 'package.json'), 'null\n');
      assert.deepEqual(await loadProjectConfig(project, undefined, RUN_OPTIONS), { values: {} });
    });
  });

  it('--ca: a device, a named pipe or a folder is refused before any connection', async function () {
    assert.equal(await usageError(() => parseRunArgs(['x.yaml', '--ca', dir], {})), `--ca ${dir}: not a regular file (a folder)`);
    assert.equal(await usageError(() => parseRunArgs(['x.yaml', '--ca', '/dev/zero'], {})), '--ca /dev/zero: not a regular file (a character device)');
    assert.equal(await usageError(() => parseRunArgs(['x.yaml', '--ca', fifo], {})), `--ca ${fifo}: not a regular file (a named pipe)`);
    const pem = file('ca.pem', `${CERTIFICATE}\n`);
    assert.deepEqual(parseRunArgs(['x.yaml', '--ca', pem], {}).tls.ca, [`${CERTIFICATE}\n`]);
  });

  it('--ca that holds no certificate (a key, a typo, an empty file) or a broken one is refused: Node would take it without a word', async function () {
    const key = file('key.pem', '-----BEGIN PRIVATE KEY-----\nMIGHAgEA\n-----END PRIVATE KEY-----\n');
    assert.equal(await usageError(() => parseRunArgs(['x.yaml', '--ca', key], {})), `--ca ${key}: holds no PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)`);
    const empty = file('empty.pem', '');
    assert.equal(await usageError(() => parseRunArgs(['x.yaml', '--ca', empty], {})), `--ca ${empty}: holds no PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)`);
    const broken = file('broken.pem', `${CERTIFICATE}\n-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n`);
    assert.match(await usageError(() => parseRunArgs(['x.yaml', '--ca', broken], {})), new RegExp(`^--ca ${broken}: certificate 2 of 2 cannot be read \\(`));
    assert.match(await usageError(() => loadSettings({ ca: [broken] }, ['x.yaml'], {})), /certificate 2 of 2 cannot be read/);
  });

  it('load --ca: read as run reads it (a folder, a device or a named pipe refused, in the same words)', async function () {
    const settings = (ca: string) => loadSettings({ ca: [ca] }, ['x.yaml'], {});
    assert.equal(await usageError(() => settings(dir)), `--ca ${dir}: not a regular file (a folder)`);
    assert.equal(await usageError(() => settings('/dev/zero')), '--ca /dev/zero: not a regular file (a character device)');
    assert.equal(await usageError(() => settings(fifo)), `--ca ${fifo}: not a regular file (a named pipe)`);
    assert.equal(await usageError(() => settings(join(dir, 'nope.pem'))), `--ca ${join(dir, 'nope.pem')}: no such file`);
    const pem = file('load-ca.pem', `${CERTIFICATE.replaceAll('\n', '\r\n')}\r\n`);
    assert.deepEqual(settings(pem).tls.ca, [`${CERTIFICATE}\n`]);
  });

  it('--transport-module: a device, a named pipe or a folder is refused, never imported', async function () {
    assert.equal(await usageError(() => loadTransportModules(['folder.json'], dir)), '--transport-module folder.json: cannot load it: not a regular file (a folder)');
    assert.equal(await usageError(() => loadTransportModules(['nope.mjs'], dir)), '--transport-module nope.mjs: cannot load it: no such file');
    assert.equal(await usageError(() => loadTransportModules(['/dev/zero'])), '--transport-module /dev/zero: cannot load it: not a regular file (a character device)');
    assert.equal(await usageError(() => loadTransportModules([fifo])), `--transport-module ${fifo}: cannot load it: not a regular file (a named pipe)`);
  });

  it('compare --baseline: a device, a named pipe, a folder or a missing file is said in words, exit 2, before any server', async function () {
    const cases: Array<[string, string]> = [
      [join(dir, 'folder.json'), 'not a regular file (a folder)'],
      [join(dir, 'nope.json'), 'no such file (a baseline is written by janus-scenarios record [files] --out FILE, on the Janus to compare against)'],
      ['/dev/zero', 'not a regular file (a character device)'],
      [fifo, 'not a regular file (a named pipe)'],
    ];
    const scenario = file('ping.yaml', 'name: ping\nsteps:\n  - request: ping\n');
    for (const [baseline, why] of cases) {
      // Port 9 (discard) is never asked: the baseline is refused first.
      const run = await cli(['compare', scenario, '--baseline', baseline, '--url', 'http://127.0.0.1:9/janus']);
      assert.equal(run.code, 2, run.stderr);
      assert.equal(run.stderr, `error: cannot read baseline ${baseline}: ${why}\n`);
    }
    // One cut short says where, as a config file's mistake does.
    const cut = file('cut.json', '{"format": "janus-scenarios-baseline",\n "tests": [');
    const run = await cli(['compare', scenario, '--baseline', cut, '--url', 'http://127.0.0.1:9/janus']);
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stderr, `error: ${cut}:2:12: not JSON: expected a value (a string in double quotes, a number, true, false, null, { or [), found the end of the file\n`);
  });

  it('record and compare refuse --bail (a baseline needs every scenario to its end), exit 2 before any server', async function () {
    const scenario = file('bail.yaml', 'name: bail\nsteps:\n  - request: ping\n');
    const baseline = file('bail-baseline.json', JSON.stringify({ format: 'janus-scenarios-baseline', version: 2, tool: { name: 'janus-scenarios', version: '0' }, recordedAt: '', inventory: {}, tests: [] }));
    for (const command of [['record', '--out', join(dir, 'bail-out.json')], ['compare', '--baseline', baseline]]) {
      const run = await cli([command[0]!, scenario, ...command.slice(1), '--bail', '--url', 'http://127.0.0.1:9/janus']);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, new RegExp(`^error: ${command[0]} runs every scenario to its end: --bail is for run$`, 'm'));
    }
  });

  it('compare --baseline whose tests, steps, messages or inventory are of another shape: which one, before the run (a crash after it, or nothing compared)', function () {
    const message = { client: 'main', api: 'janus', direction: 'out', message: { janus: 'ping' } };
    const test = { id: 's.yaml#p[ws]', file: 's.yaml', name: 'p', transport: 'ws', status: 'passed', steps: [{ title: 'main ping', at: 's.yaml:3', messages: [message] }] };
    const baseline = (over: Record<string, unknown>) => ({ format: 'janus-scenarios-baseline', version: 2, tool: { name: 'janus-scenarios', version: '0' }, recordedAt: '', inventory: { ws: { info: {} } }, tests: [test], ...over });
    const said = (over: Record<string, unknown>) => {
      const path = file('shape.json', JSON.stringify(baseline(over)));
      const read = readBaseline(path);
      return 'problem' in read ? read.problem.slice(path.length + 2) : 'read';
    };
    const again = ' (edited by hand, or not written by record? record it again)';
    assert.equal(said({}), 'read');
    assert.equal(said({ version: 1 }), 'read');
    assert.equal(said({ tests: [{ ...test, steps: 'x' }] }), `tests[0].steps should be a list, not "x"${again}`);
    assert.equal(said({ tests: [5] }), `tests[0] should be an object, not 5${again}`);
    assert.equal(said({ tests: [{ ...test, status: 'ok' }] }), `tests[0].status should be "passed" or "failed" or "skipped", not "ok"${again}`);
    assert.equal(said({ tests: [{ ...test, steps: [{ title: 't', at: 'a', messages: [{ ...message, direction: 'up' }] }] }] }), `tests[0].steps[0].messages[0].direction should be "out" or "in", not "up"${again}`);
    assert.equal(said({ inventory: { ws: 5 } }), `inventory.ws should be an object, not 5${again}`);
    assert.equal(said({ unstable: 'x' }), `unstable should be a list, not "x"${again}`);
  });
});

/** A --url that names a scheme but is no URL is a usage error (exit 2), not a server that cannot be reached (exit 3). */
describe('malformed --url and --admin-url', function () {
  it('each is a usage error with a one-line reason, credentials and query left out', async function () {
    const cases: Array<[string[], string]> = [
      [['--url', 'http://'], '--url http://: invalid URL: no host after "//"'],
      [['--url', 'ws://[::1'], '--url ws://[::1: invalid URL: the [ of an IPv6 address is not closed with ]'],
      [['--url', 'http://u:Pw0rd9@127.0.0.1:18998:99/janus?apisecret=S3cr3t'], '--url http://127.0.0.1:18998:99/janus: invalid URL: the port "18998:99" is not a number from 0 to 65535'],
      [['--url', 'wss://127.0.0.1:99999'], '--url wss://127.0.0.1:99999: invalid URL: the port 99999 is above 65535'],
      [['--url', 'http://127.0.0.1:8088/janus', '--admin-url', 'http://exa mple:7088/admin'], '--admin-url http://exa mple:7088/admin: invalid URL: not a valid URL'],
      [['--url', 'http:'], '--url http:: invalid URL: not a valid URL'],
    ];
    for (const [args, expected] of cases) {
      const message = await usageError(() => parseRunArgs(['x.yaml', ...args], {}));
      assert.equal(message, expected);
      assert.doesNotMatch(message, /Pw0rd9|S3cr3t/);
    }
  });

  it('URLs of every transport still pass, and text with no scheme is left to the plan', function () {
    for (const url of ['http://127.0.0.1:8088/janus', 'wss://[::1]:8989', 'unix:///run/janus/api.sock?type=dgram', 'mqtt://h:1883?to_janus=a', 'amqp://user:pass@host:5672/vhost', 'ipc:///tmp/x', 'tcp://h:5555', 'notaurl', '']) {
      assert.deepEqual(parseRunArgs(['x.yaml', '--url', url, '--admin-url', url], {}).urls, [url]);
    }
  });
});
