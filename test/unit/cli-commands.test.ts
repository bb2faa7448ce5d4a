import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { wantsColour } from '../../src/reporters/colour.js';
import { main } from '../../src/cli/commands.js';
import { runCli, scenarioDir, startCli } from '../support/cli.js';

/** The CLI in this process: what it prints and its exit code. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (s) => (stdout += `${s}\n`), err: (s) => (stderr += `${s}\n`) });
  return { code, stdout, stderr };
}

const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const PING = `name: ping answers pong
steps:
  - request: ping
    expect: { janus: pong }
`;

/** The command line people expect: version, help per command, suggestions, config files. No server needed. */
describe('CLI commands and options', function () {
  // Config files are read from the working folder: those cases run the CLI in a child process.
  this.timeout(300_000);

  it('--version prints the package version, also from the installed bin', async () => {
    const bin = await runCli(['--version']);
    assert.equal(bin.code, 0, bin.stderr);
    assert.equal(bin.stdout.trim(), VERSION);
    for (const flag of ['--version', '-V']) {
      const run = await cli([flag]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout.trim(), VERSION);
    }
  });

  it('run --help and validate --help show each command its own options; exit 0', async () => {
    const run = await cli(['run', '--help']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^usage: janus-scenarios run /);
    for (const option of ['--transport', '--url', '--admin-url', '--list', '--fail-on-skip', '--min-tests', '--color', '--no-color', '--config']) assert.match(run.stdout, new RegExp(`^ .*${option}\\b`, 'm'), option);
    const validate = await cli(['validate', '-h']);
    assert.equal(validate.code, 0, validate.stderr);
    assert.match(validate.stdout, /^usage: janus-scenarios validate /);
    assert.doesNotMatch(validate.stdout, /--transport/);
    const help = await cli(['help', 'init']);
    assert.match(help.stdout, /^usage: janus-scenarios init \[dir\]/);
  });

  it('--help and each command\'s help fit in 100 columns, and a long synopsis never runs into its description', async () => {
    const top = await cli(['--help']);
    assert.equal(top.code, 0, top.stderr);
    // A synopsis wider than its column puts the description on the next line.
    for (const synopsis of ['record [files|dirs|globs] --out FILE', 'compare [files|dirs|globs] --baseline FILE', 'capture --target URL --listen HOST:PORT --out DIR']) {
      assert.match(top.stdout, new RegExp(`^  ${synopsis.replace(/[[\]|]/g, '\\$&')}\n {32}\\w`, 'm'), synopsis);
    }
    for (const command of ['', 'run', 'coverage', 'merge-reports', 'record', 'compare', 'load', 'capture', 'validate', 'schema', 'init']) {
      const help = await cli(command ? [command, '--help'] : ['--help']);
      for (const line of help.stdout.split('\n')) assert.ok(line.length <= 100, `${command || 'janus-scenarios'} --help: ${line.length} characters: ${line}`);
    }
  });

  it('an input that finds no scenario says why: no such path, a folder with no YAML file, a pattern with no match; exit 2', async () => {
    const files = scenarioDir({ 'notes.txt': 'not a scenario' });
    try {
      const missing = files.path('nothere.yaml');
      const run = await cli(['run', missing, files.dir, `${files.dir}/*.yml`, '']);
      assert.equal(run.code, 2, run.stderr);
      assert.equal(run.stderr.split('\n')[0], `error: no scenario files found for "${missing}": no such file or folder; "${files.dir}": a folder with no .yaml or .yml file (node_modules and hidden folders and files are not searched); "${files.dir}/*.yml": a pattern that matches no file; "": an empty argument (an unset shell variable?)`);
      const validate = await cli(['validate', missing]);
      assert.equal(validate.code, 2, validate.stderr);
      assert.equal(validate.stderr.split('\n')[0], `error: no scenario files found for "${missing}": no such file or folder`);
    } finally {
      files.remove();
    }
  });

  it('--list against a server it cannot reach: the one-line reason on stderr, no run summary, no report file; exit 3', async () => {
    const files = scenarioDir({ 'ping.yaml': PING });
    try {
      const junit = files.path('junit.xml');
      const run = await runCli(['run', files.path('ping.yaml'), '--list', '--url', 'http://127.0.0.1:1/janus', '--reporter', 'spec', '--reporter', `junit:${junit}`]);
      assert.equal(run.code, 3, run.stdout + run.stderr);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /^error: cannot reach Janus at http:\/\/127\.0\.0\.1:1\/janus: HTTP GET http:\/\/127\.0\.0\.1:1\/janus\/info: connection refused\n$/);
      assert.equal(existsSync(junit), false, 'a listing writes no report');
    } finally {
      files.remove();
    }
  });

  it('a reader that closes the pipe early (schema | head): no EPIPE stack trace, the command ends with its own exit code', async () => {
    const files = scenarioDir({ 'ping.yaml': PING });
    try {
      for (const [args, code] of [[['schema'], 0], [['validate', files.path('ping.yaml')], 0], [['validate', files.path('none.yaml')], 2]] as const) {
        const cli = startCli([...args]);
        // The reading end goes before the child has started, so its first write meets a closed pipe.
        cli.child.stdout!.destroy();
        const run = await cli.done;
        assert.equal(run.code, code, `${args.join(' ')}: ${run.stderr}`);
        assert.doesNotMatch(run.stderr, /EPIPE|\n\s+at /, args.join(' '));
      }
    } finally {
      files.remove();
    }
  });

  it('an unknown option gets the closest one, in one line; exit 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['run', 'x.yaml', '--transprt', 'http'], /^error: unknown option --transprt for run; did you mean --transport\?$/m],
      [['run', 'x.yaml', '--admin-ulr=http://h'], /did you mean --admin-url\?/],
      [['validate', 'x.yaml', '--fragmnet'], /^error: unknown option --fragmnet for validate$/m],
      [['schema', '--fragmnet'], /did you mean --fragment\?/],
      [['run', 'x.yaml', '-Z'], /^error: unknown option -Z for run$/m],
      [['run', 'x.yaml', '--url'], /^error: --url needs a value \(URL\)$/m],
      [['run', 'x.yaml', '--bail=yes'], /^error: --bail takes no value$/m],
      [['--verison'], /did you mean --version\?/],
      [['valdate'], /did you mean validate\?/],
    ];
    for (const [args, expected] of cases) {
      const run = await cli(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, expected, args.join(' '));
      assert.doesNotMatch(run.stderr, /ERR_PARSE_ARGS|Unknown option '|To specify an option argument|\n\s+at /, args.join(' '));
    }
  });

  it('a usage error never repeats a secret of the command line, a URL\'s credentials or the environment\'s', async () => {
    const dir = scenarioDir({
      'ping.yaml': PING,
      'url-object.json': JSON.stringify({ url: { at: 'http://u:CfgPw7Lm3Kx9@127.0.0.1:1/janus' } }),
      'no-scheme.json': JSON.stringify({ url: 'u:CfgNs7Lm3Kx9@127.0.0.1:1' }),
    });
    const ping = dir.path('ping.yaml');
    const cases: Array<[string[], string]> = [
      [['run', ping, '--url', 'httpx://u:PwdVq7Lm3Kx9@127.0.0.1:1/janus'], 'PwdVq7Lm3Kx9'],
      [['run', ping, '--url', 'u:PwdVq7Lm3Kx9@127.0.0.1:1'], 'PwdVq7Lm3Kx9'],
      [['run', ping, '--url', 'http://127.0.0.1:1/janus', '--admin-url', 'u:AdmPw7Lm3Kx9@127.0.0.1:2'], 'AdmPw7Lm3Kx9'],
      [['run', ping, '--api-secret', 'ApiZk7Qm2Rt9Wn', '--timeout', 'ApiZk7Qm2Rt9Wn'], 'ApiZk7Qm2Rt9Wn'],
      [['run', ping, '--token=TokZr4Hn6Yc1Pq', '--jobs', 'TokZr4Hn6Yc1Pq'], 'TokZr4Hn6Yc1Pq'],
      [['run', ping, '--token', 'TokZr4Hn6Yc1Pq', '--tags', 'TokZr4Hn6Yc1Pq'], 'TokZr4Hn6Yc1Pq'],
      [['load', ping, '--admin-secret', 'AdmZk5Pq8Lx3Vb', '--users', 'AdmZk5Pq8Lx3Vb'], 'AdmZk5Pq8Lx3Vb'],
      [['run', ping, '--janus-config', 'admin_secret=Ab\nJcfgQz9Lm3Kx'], 'JcfgQz9Lm3Kx'],
      [['run', ping, '--janus-config', 'api_secret:JcfgQz9Lm3Kx'], 'JcfgQz9Lm3Kx'],
      [['run', ping, '--config', dir.path('url-object.json')], 'CfgPw7Lm3Kx9'],
      [['run', ping, '--config', dir.path('no-scheme.json')], 'CfgNs7Lm3Kx9'],
      [['run', ping, '--url', 'ws://127.0.0.1:1', '--jobs', 'EnvTk7Lm3Kx9'], 'EnvTk7Lm3Kx9'],
    ];
    process.env.JANUS_TOKEN = 'EnvTk7Lm3Kx9';
    try {
      for (const [args, secret] of cases) {
        const run = await cli(args);
        assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
        assert.match(run.stderr, /^(error: |no scenarios to run)/, args.join(' '));
        // The whole secret, and every piece of 4 characters or more.
        for (let i = 0; i + 4 <= secret.length; i++) assert.ok(!run.stderr.includes(secret.slice(i, i + 4)), `${args.join(' ')} shows ${secret.slice(i, i + 4)}: ${run.stderr}`);
      }
      // An argument with an @ that is no URL option's value is no URL: nothing of the message goes.
      const plain = await cli(['run', ping, '--reporter', 'junit:a@b.xml', '--grep', 'x@y', '--timeout', 'nope']);
      assert.match(plain.stderr, /^error: --timeout: expected a duration like 500ms, 2s or 1m .*; got "nope"$/m);
    } finally {
      delete process.env.JANUS_TOKEN;
      dir.remove();
    }
  });

  describe('config files', function () {
    const list = async (files: Record<string, string>, args: string[] = []) => {
      const dir = scenarioDir({ 'ping.yaml': PING, ...files });
      try {
        return await runCli(['run', '--list', ...args], { cwd: dir.dir });
      } finally {
        dir.remove();
      }
    };

    it('janus-scenarios.config.json gives files and transports; the command line wins', async () => {
      const config = { 'janus-scenarios.config.json': JSON.stringify({ files: ['ping.yaml'], transport: ['ws'] }) };
      const fromFile = await list(config);
      assert.equal(fromFile.code, 0, fromFile.stderr);
      assert.match(fromFile.stdout, /^ping\.yaml: ping answers pong \[ws\]$/m);
      assert.doesNotMatch(fromFile.stdout, /\[http\]/);
      const overridden = await list(config, ['-t', 'http']);
      assert.match(overridden.stdout, /\[http\]/);
      assert.doesNotMatch(overridden.stdout, /\[ws\]/);
    });

    it('reads YAML and JS config files and the "janus-scenarios" key of package.json', async () => {
      const variants: Array<Record<string, string>> = [
        { 'janus-scenarios.config.yaml': 'files: [ping.yaml]\ntransport: ws\n' },
        { 'janus-scenarios.config.mjs': 'export default { files: "ping.yaml", transport: ["ws"] };\n' },
        { 'package.json': JSON.stringify({ name: 'p', 'janus-scenarios': { files: ['ping.yaml'], transport: 'ws' } }) },
      ];
      for (const files of variants) {
        const run = await list(files);
        assert.equal(run.code, 0, `${Object.keys(files)[0]}: ${run.stderr}`);
        assert.match(run.stdout, /^ping\.yaml: ping answers pong \[ws\]$/m, Object.keys(files)[0]);
        assert.equal(run.stdout.match(/\[ws\]/g)?.length, 1, 'the config file is no scenario');
      }
    });

    it('a mistake in the config file is a usage error naming the file; exit 2', async () => {
      const cases: Array<[Record<string, string>, RegExp]> = [
        [{ 'janus-scenarios.config.json': '{"transprt": "ws"}' }, /^error: janus-scenarios\.config\.json: unknown option "transprt"; did you mean "transport"\?$/m],
        [{ 'janus-scenarios.config.json': '{"files": ["ping.yaml"], "admin-secret": "x"}' }, /cannot be set in a config file; give it on the command line or in the environment \(JANUS_ADMIN_SECRET\)/],
        [{ 'janus-scenarios.config.json': '{"files": ["ping.yaml"], "bail": "yes"}' }, /"bail" expects true or false/],
        [{ 'janus-scenarios.config.json': '{ nope' }, /^error: janus-scenarios\.config\.json:1:3: invalid JSON: expected a property name in double quotes, found "nope"$/m],
        // A value the option refuses names the file it came from.
        [{ 'janus-scenarios.config.json': '{"files": ["ping.yaml"], "timeout": 30}' }, /^error: --timeout: "30" would be 30 milliseconds: write 30s for seconds, or 30ms \(from janus-scenarios\.config\.json\)$/m],
        [{ 'janus-scenarios.config.json': '{"files": ["ping.yaml"], "step-timeout": "soon"}' }, /^error: --step-timeout: expected a duration like .* \(from janus-scenarios\.config\.json\)$/m],
      ];
      for (const [files, expected] of cases) {
        const run = await list(files);
        assert.equal(run.code, 2, run.stdout + run.stderr);
        assert.match(run.stderr, expected);
      }
    });
  });

  describe('colour', function () {
    const tty = { isTTY: true, hasColors: () => true };
    const pipe = { isTTY: false };
    it('follows --color/--no-color, then FORCE_COLOR, then the terminal', () => {
      assert.equal(wantsColour(pipe, {}, true), true);
      assert.equal(wantsColour(tty, {}, false), false);
      assert.equal(wantsColour(pipe, { FORCE_COLOR: '1' }), true);
      assert.equal(wantsColour(pipe, { FORCE_COLOR: '' }), true);
      assert.equal(wantsColour(tty, { FORCE_COLOR: '0' }), false);
      assert.equal(wantsColour(pipe, {}), false);
      assert.equal(wantsColour(tty, {}), true);
      assert.equal(wantsColour(tty, { NO_COLOR: '1' }), false);
      assert.equal(wantsColour(tty, { NO_COLOR: '' }), true, 'an empty NO_COLOR is no request (no-color.org)');
      assert.equal(wantsColour({ isTTY: true, hasColors: () => false }, {}), false);
    });
  });
});
