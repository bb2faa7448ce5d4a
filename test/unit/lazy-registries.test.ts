import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseReporters, registeredReporters } from '../../src/cli/reporters.js';
import { UsageError } from '../../src/core/usage-error.js';
import type { Reporter } from '../../src/events/reporter.js';
import { Redactor } from '../../src/report/redact.js';
import { BUILTIN_REPORTERS, registerBuiltinReporters } from '../../src/reporters/builtin.js';
import type { ReportFormat } from '../../src/reporters/contract.js';
import { getReporter, loadReporter, registerLazyReporter, registerReporter } from '../../src/reporters/registry.js';
import { BUILTIN_TRANSPORT_TABLE, BUILTIN_TRANSPORTS, lazyTransport } from '../../src/transports/builtin.js';
import type { TransportDefinition } from '../../src/transports/contract.js';
import { getTransport, registerTransport, transportNames } from '../../src/transports/registry.js';
import { CLI } from '../support/cli.js';
import { Sink } from '../support/events.js';

/**
 * The registries of reporters and transports know every built-in by name (and what --help and
 * a misspelt name need) without loading its module: a run loads the reporters it chose and the
 * transports it connects over, no other. Which modules a process loaded is seen from a module
 * hook in a child process (it writes each module's URL) and, for the bundle, from its loader's
 * trace (JANUS_SCENARIOS_TRACE_MODULES: each source module's path when it first runs).
 */
const ROOT = new URL('../../../', import.meta.url);
const context = () => ({ redactor: new Redactor(), colour: false, out: new Sink() });
const names = (rs: Reporter[]) => rs.map((r) => (r as { name?: string }).name);

const HOOK = `import { writeSync } from 'node:fs';
export async function load(url, context, next) {
  const loaded = await next(url, context);
  if (url.startsWith('file:')) writeSync(2, 'LOADED ' + url + '\\n');
  return loaded;
}`;
// At exit, Node's own modules the process loaded (its moduleLoadList).
const REGISTER = `import { register } from 'node:module'; import { writeSync } from 'node:fs'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOK)}`)});
process.on('exit', () => { for (const m of process.moduleLoadList) if (m.startsWith('NativeModule ')) writeSync(2, 'BUILTIN ' + m.slice(13) + '\\n'); });`;

/** What a child process loaded: the source modules (dist/src/...) of every file, in the order of the `MARK` lines it printed, and Node's own modules. */
function loadedModules(args: string[], expectCode = 0): { phases: string[][]; builtins: string[]; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lazy-registries-'));
  try {
    const hook = join(dir, 'hook.mjs');
    writeFileSync(hook, REGISTER);
    const child = spawnSync(process.execPath, ['--import', hook, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', JANUS_SCENARIOS_TRACE_MODULES: '1' }, timeout: 50_000 });
    const stderr = child.stderr;
    assert.equal(child.status, expectCode, `exit code of node ${args.join(' ')}: ${stderr.slice(-500)}`);
    const phases: string[][] = [[]];
    const builtins: string[] = [];
    for (const line of stderr.split('\n')) {
      if (line.startsWith('MARK')) phases.push([]);
      else if (line.startsWith('BUILTIN ')) builtins.push(line.slice(8));
      else if (line.startsWith('module ')) phases.at(-1)!.push(line.slice(7));
      else if (line.startsWith('LOADED ')) {
        const own = /\/(dist\/.*)$/.exec(fileURLToPath(line.slice(7)))?.[1];
        if (own) phases.at(-1)!.push(own);
      }
    }
    return { phases, builtins, stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `body` (an ES module's text, with `src` the URL of dist/src/) in a child process with the hook; `MARK` lines split the phases. */
function inChild(body: string): string[][] {
  const script = `const src = ${JSON.stringify(new URL('dist/src/', ROOT).href)}; const mark = () => process.stderr.write('MARK\\n');\n${body}`;
  const { phases, stderr } = loadedModules(['--input-type=module', '-e', script], 0);
  assert.ok(phases.length > 1, `the child marked its phases: ${stderr.slice(-500)}`);
  return phases;
}

const has = (loaded: string[], file: string) => loaded.some((f) => f.endsWith(file));

describe('lazy registries', function () {
  this.timeout(60_000);

  describe('reporters', function () {
    before(() => registerBuiltinReporters());

    it('knows every built-in by name, description and default path before loading any', function () {
      assert.deepEqual(BUILTIN_REPORTERS.map((r) => r.name), ['console', 'spec', 'coverage', 'blob', 'junit', 'json', 'tap', 'html']);
      for (const r of BUILTIN_REPORTERS) {
        const registered = getReporter(r.name)!;
        assert.ok(registered.description && registered.description.length > 5, r.name);
        assert.equal(registered.defaultPath, r.defaultPath, r.name);
      }
    });

    it('a format is loaded when chosen, and its default path is the registry one', async function () {
      for (const r of BUILTIN_REPORTERS.filter((b) => b.defaultPath !== undefined && b.name !== 'blob')) {
        const loaded = await loadReporter(r.name);
        assert.equal(typeof loaded!.factory, 'function');
        const made = loaded!.factory({ ...context(), path: '-' }) as Reporter & { format?: ReportFormat; name: string };
        assert.equal(made.name, `${r.name}:-`);
        const defaultMade = loaded!.factory(context()) as Reporter & { name: string };
        assert.equal(defaultMade.name, `${r.name}:${r.defaultPath}`, `${r.name}: the format's own default path is the one the registry shows`);
      }
    });

    it('loads a lazily registered reporter only when chosen, and once', async function () {
      let loads = 0;
      registerLazyReporter('unit-lazy-counted', async () => {
        loads += 1;
        return () => ({ printsToStdout: () => true, name: 'counted' }) as Reporter;
      }, { description: 'counts its loads' });
      assert.equal(getReporter('unit-lazy-counted')!.factory, undefined);
      assert.deepEqual(names(await chooseReporters(['spec'], context())), ['console']);
      assert.equal(loads, 0, 'not chosen, not loaded');
      assert.deepEqual(names(await chooseReporters(['unit-lazy-counted'], context())), ['counted']);
      assert.deepEqual(names(await chooseReporters(['unit-lazy-counted'], context())), ['counted']);
      assert.equal(loads, 1);
      assert.equal(typeof getReporter('unit-lazy-counted')!.factory, 'function');
    });

    it('a reporter registered with a factory still works, and a name is still taken once', async function () {
      registerReporter('unit-eager', () => ({ name: 'eager' }) as Reporter);
      assert.deepEqual(names(await chooseReporters(['unit-eager'], context())), ['console', 'eager']);
      assert.throws(() => registerLazyReporter('html', async () => () => ({})), /a reporter named "html" is already registered/);
      assert.throws(() => registerReporter('unit-lazy-counted', () => ({})), /already registered/);
    });

    it('a misspelt name gets a suggestion, with the names there are', async function () {
      await assert.rejects(chooseReporters(['junti'], context()), (e: Error) => e instanceof UsageError && /unknown reporter "junti"; did you mean junit\?: use console, spec, .*html/.test(e.message));
      await assert.rejects(registeredReporters(['hmtl'], context()), (e: Error) => e instanceof UsageError && /unknown reporter "hmtl"; did you mean html\?/.test(e.message));
      await assert.rejects(chooseReporters(['zzzzzzzzzz'], context()), (e: Error) => !/did you mean/.test(e.message) && /unknown reporter "zzzzzzzzzz": use/.test(e.message));
      // With a path, the name before the colon is the misspelt part.
      await assert.rejects(chooseReporters(['junti:out/junit.xml'], context()), (e: Error) => e instanceof UsageError && /^unknown reporter "junti" in --reporter junti:out\/junit\.xml; did you mean junit\?: use /.test(e.message));
    });

    it('a module path is still a reporter (through the mocha bridge)', async function () {
      const dir = mkdtempSync(join(tmpdir(), 'lazy-reporter-'));
      try {
        const file = join(dir, 'my-reporter.cjs');
        writeFileSync(file, 'module.exports = function MyReporter(runner) { runner.on("end", () => {}); };\n');
        const [chosen] = await chooseReporters([file], context());
        assert.match(String((chosen as { name?: string }).name), /my-reporter/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('choosing the console loads no other reporter; choosing junit loads junit and not html', function () {
      const [before, spec, junit] = inChild(`
        const { chooseReporters } = await import(src + 'cli/reporters.js');
        const { Redactor } = await import(src + 'report/redact.js');
        const out = { write: () => true };
        mark();
        await chooseReporters(['spec'], { redactor: new Redactor(), colour: false, out });
        mark();
        await chooseReporters(['junit:-'], { redactor: new Redactor(), colour: false, out });
      `);
      for (const file of ['reporters/console.js', 'reporters/html/index.js', 'reporters/junit.js', 'reporters/tap.js', 'reporters/json.js', 'reporters/blob.js', 'reporters/coverage.js']) {
        assert.ok(!has(before!, `src/${file}`), `${file} is not loaded with the registry`);
      }
      assert.ok(has(spec!, 'src/reporters/console.js'), 'spec loads the console');
      for (const file of ['reporters/html/index.js', 'reporters/junit.js', 'compare/report.js', 'reporters/coverage.js', 'reporters/blob.js']) {
        assert.ok(!has(spec!, `src/${file}`), `spec does not load ${file}`);
      }
      assert.ok(has(junit!, 'src/reporters/junit.js'));
      assert.ok(!has(junit!, 'src/reporters/html/index.js'), 'junit does not load html');
    });
  });

  describe('transports', function () {
    it('knows all eight built-ins by name and scheme without loading one', function () {
      const [before, ws] = inChild(`
        const { transportNames, transportForScheme, getTransport } = await import(src + 'transports/registry.js');
        if (transportNames().join() !== 'http,https,ws,wss,mqtt,rabbitmq,unix,nanomsg') throw new Error(transportNames().join());
        if (transportForScheme('amqps').name !== 'rabbitmq' || transportForScheme('ipc').name !== 'nanomsg') throw new Error('schemes');
        if (getTransport('unix').managed.library !== 'pfunix' || getTransport('ws').connection.closeCodes !== true) throw new Error('traits');
        mark();
        await getTransport('ws').load();
      `);
      for (const t of ['http', 'ws', 'mqtt', 'rabbitmq', 'unix', 'nanomsg', 'shared-channel']) assert.ok(!has(before!, `src/transports/${t}.js`), `${t} not loaded by the registry`);
      assert.ok(has(ws!, 'src/transports/ws.js'));
      for (const t of ['http', 'mqtt', 'rabbitmq', 'unix', 'nanomsg']) assert.ok(!has(ws!, `src/transports/${t}.js`), `loading ws does not load ${t}`);
    });

    it("each built-in's traits are its module's", async function () {
      for (const [i, builtin] of BUILTIN_TRANSPORT_TABLE.entries()) {
        const real = await builtin.define();
        const lazy = BUILTIN_TRANSPORTS[i]!;
        assert.equal(lazy.name, real.name);
        assert.deepEqual(lazy.schemes, real.schemes, real.name);
        assert.equal(lazy.secure, real.secure, real.name);
        assert.deepEqual(lazy.connection, real.connection, real.name);
        assert.equal(lazy.managed?.library, real.managed?.library, real.name);
        assert.equal(lazy.managed?.flakyStart, real.managed?.flakyStart, real.name);
        assert.equal(lazy.managed === undefined, real.managed === undefined, real.name);
      }
    });

    it('loads a module once, and what it fails with is what connect and load fail with', async function () {
      let defines = 0;
      const failing = lazyTransport({
        name: 'unit-lazy-failing',
        schemes: ['unit-lazy'],
        secure: false,
        define: async () => {
          defines += 1;
          throw new Error('no such module');
        },
      });
      await assert.rejects(failing.load!(), /no such module/);
      await assert.rejects(failing.connect({ url: 'unit-lazy://x', api: 'janus', tls: {}, connectTimeoutMs: 10 }, { message() {}, fault() {}, sessionGone() {} }), /no such module/);
      assert.equal(defines, 1);
    });

    it('once its module is loaded, connect reaches the module within the call: the socket opens before the caller goes on', async function () {
      let opened = 0;
      const loaded = lazyTransport({
        name: 'unit-lazy-loaded',
        schemes: ['unit-lazy-loaded'],
        secure: false,
        define: async () => ({ name: 'unit-lazy-loaded', schemes: ['unit-lazy-loaded'], secure: false, connect: async () => { opened += 1; throw new Error('not here'); } }),
      });
      const options = { url: 'unit-lazy-loaded://x', api: 'janus' as const, tls: {}, connectTimeoutMs: 10 };
      const sink = { message() {}, fault() {}, sessionGone() {} };
      const first = loaded.connect(options, sink);
      assert.equal(opened, 0, 'the first connect waits for the module');
      await assert.rejects(first, /not here/);
      const second = loaded.connect(options, sink);
      assert.equal(opened, 2, 'a later connect opens at once');
      await assert.rejects(second, /not here/);
    });

    it('a transport a user registers still works beside the built-ins', function () {
      const mine: TransportDefinition = { name: 'unit-lazy-mine', schemes: ['unit-mine'], secure: false, connect: async () => { throw new Error('not here'); } };
      registerTransport(mine);
      assert.equal(getTransport('unit-lazy-mine'), mine);
      assert.deepEqual(transportNames().slice(0, 8), ['http', 'https', 'ws', 'wss', 'mqtt', 'rabbitmq', 'unix', 'nanomsg']);
      assert.throws(() => registerTransport({ ...mine, name: 'ws' }), /transport "ws" is already registered/);
    });
  });

  describe('the bundle', function () {
    it("holds the message catalogue as the schema modules' values: the same names, the same verdicts", async function () {
      const { schemaNames, validateSchema } = await import('../../src/schemas/catalogue.js');
      const bundled = (await import(new URL('dist/bundle/index.js', ROOT).href)) as { knownSchema(name: string): boolean; validateSchema(name: string, value: unknown): string[] | undefined };
      const names = schemaNames();
      assert.ok(names.length > 300 && names.includes('videoroom/joined') && names.includes('admin/success/handle_info'), `${names.length} names`);
      for (const name of names) assert.ok(bundled.knownSchema(name), name);
      assert.ok(!bundled.knownSchema('videoroom/no-such-message'));
      const joined = { videoroom: 'joined', room: 'not a number', id: 1, publishers: [] };
      const problems = validateSchema('videoroom/joined', joined);
      assert.ok(problems && problems.some((p) => p.includes('/room')), String(problems));
      assert.deepEqual(bundled.validateSchema('videoroom/joined', joined), problems);
      assert.equal(bundled.validateSchema('core/success/create', { janus: 'success', transaction: 't', data: { id: 1 } }), undefined);
    });

    it("checks the core API's messages with the build's validators, and loads ajv's compiler only for another schema", function () {
      const index = JSON.stringify(new URL('dist/bundle/index.js', ROOT).href);
      const script = `const { validateSchema } = await import(${index});
        const mark = () => process.stderr.write('MARK\\n');
        mark();
        if (validateSchema('core/success/create', { janus: 'success', transaction: 't', data: { id: 1 } }) !== undefined) throw new Error('a good create refused');
        if (validateSchema('core/success/create', { janus: 'success', transaction: 't', data: { id: 'x' } }) === undefined) throw new Error('a bad create passed');
        mark();
        validateSchema('videoroom/joined', { videoroom: 'joined', room: 1, id: 1, publishers: [] });`;
      const { phases, stderr } = loadedModules(['--input-type=module', '-e', script], 0);
      assert.equal(phases.length, 3, stderr.slice(-500));
      const ajv = (modules: string[]) => modules.some((m) => m.includes('node_modules/ajv/'));
      assert.ok(!ajv(phases[1]!), `a core message's check compiled nothing: ${phases[1]!.join(' ')}`);
      assert.ok(ajv(phases[2]!), `a plugin message's check loaded ajv's compiler: ${phases[2]!.join(' ')}`);
    });

    it("parses the plugins' schemas at the first plugin message, not to load and check a scenario that uses a plugin", function () {
      const dir = mkdtempSync(join(tmpdir(), 'lazy-plugins-'));
      try {
        const file = join(dir, 'echo.yaml');
        writeFileSync(file, 'name: echo\nrequires: { plugins: [janus.plugin.echotest] }\nsteps:\n  - request: create\n    expect: { janus: success }\n  - request: { janus: attach, plugin: janus.plugin.echotest }\n    expect: { janus: success }\n  - request: { janus: message, body: { audio: true } }\n    expect: { janus: ack }\n');
        const index = JSON.stringify(new URL('dist/bundle/index.js', ROOT).href);
        // Each JSON.parse of the plugins' schemas (the one text that holds echotest's package and its requests) shows as a module line.
        const script = `const parse = JSON.parse;
          JSON.parse = function (text, ...rest) { if (typeof text === 'string' && text.length > 50000 && text.includes('"package":"janus.plugin.echotest"')) process.stderr.write('module PLUGIN SCHEMAS PARSED\\n'); return parse.call(this, text, ...rest); };
          const { loadFiles, validateSchema } = await import(${index});
          const mark = () => process.stderr.write('MARK\\n');
          const loaded = loadFiles([${JSON.stringify(file)}]);
          if (loaded.scenarios.length !== 1 || loaded.diagnostics.length > 0) throw new Error(JSON.stringify(loaded.diagnostics));
          if (validateSchema('core/success/create', { janus: 'success', transaction: 't', data: { id: 1 } }) !== undefined) throw new Error('a good create refused');
          mark();
          validateSchema('echotest/result', { echotest: 'event', result: 'ok' });
          mark();
          validateSchema('videoroom/joined', { videoroom: 'joined', room: 1, id: 1, publishers: [] });`;
        const { phases, stderr } = loadedModules(['--input-type=module', '-e', script], 0);
        assert.equal(phases.length, 3, stderr.slice(-500));
        const parsed = (modules: string[]) => modules.filter((m) => m === 'PLUGIN SCHEMAS PARSED').length;
        assert.equal(parsed(phases[0]!), 0, 'loading and checking the scenario, and a core message, parsed no plugin schema');
        assert.equal(parsed(phases[1]!), 1, 'the first plugin message parsed them');
        assert.equal(parsed(phases[2]!), 0, 'once');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('its loader takes a code cache only with the bundle it was made from, by the id of the bundle\'s last line', function () {
      const dir = mkdtempSync(join(tmpdir(), 'lazy-loader-'));
      try {
        writeFileSync(join(dir, 'load-bundle.cjs'), readFileSync(new URL('dist/bundle/load-bundle.cjs', ROOT)));
        const bundle = (id: string) => `(function (exports) {'use strict';\nexports.entries = { answer: () => 42 };\n})\n${id}\n`;
        const run = (write: boolean) => {
          const env = { ...process.env, JANUS_SCENARIOS_TRACE_MODULES: '1', ...(write ? { JANUS_SCENARIOS_WRITE_CODE_CACHE: '1' } : {}) };
          const child = spawnSync(process.execPath, ['-e', `process.stdout.write(String(require('./load-bundle.cjs').entries.answer()))`], { cwd: dir, env, encoding: 'utf8', timeout: 30_000 });
          assert.equal(child.stdout, '42', `the bundle ran: ${child.stderr}`);
          return /^code cache (\w+)$/m.exec(child.stderr)?.[1];
        };
        writeFileSync(join(dir, 'bundle.cjs'), bundle(`//# bundle-id ${'a'.repeat(40)}`));
        assert.equal(run(true), 'none', 'no cache yet');
        assert.equal(run(false), 'taken', 'the cache the run before wrote');
        // Another build: the same length, so V8's own check (the source's length) would pass.
        writeFileSync(join(dir, 'bundle.cjs'), bundle(`//# bundle-id ${'b'.repeat(40)}`));
        assert.equal(run(false), 'none', "another bundle's cache is not used");
        writeFileSync(join(dir, 'bundle.cjs'), bundle(`//# bundle-id ${'a'.repeat(39)}`));
        assert.equal(run(false), 'none', 'no id, no cache');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('heads itself with the licence of every third-party package it holds', function () {
      const text = readFileSync(new URL('dist/bundle/bundle.cjs', ROOT), 'latin1');
      // The comments before the bundle's first line of code.
      const head = text.slice(0, text.indexOf('\nconst __bundleUrl'));
      for (const name of ['ajv', 'yaml', 'ws', 'tinyglobby', 'diff']) assert.match(head, new RegExp(`^ \\* ${name}@\\d+\\.\\d+\\.\\d+ \\((MIT|ISC|BSD-3-Clause)\\):$`, 'm'), `the licence of ${name}`);
      assert.match(head, /Permission is hereby granted/);
    });
  });

  describe('the command line', function () {
    it('a run over WebSocket loads the console and the ws transport, no other reporter or transport, and no HTTP or TLS client', function () {
      const dir = mkdtempSync(join(tmpdir(), 'lazy-cli-'));
      try {
        const file = join(dir, 'one.yaml');
        writeFileSync(file, 'name: one\nsteps:\n  - request: create\n    expect: { janus: success }\n');
        // Nothing listens on port 9: the run ends with the server problem (exit 3) after trying to connect.
        const { phases, builtins, stderr } = loadedModules([CLI, 'run', file, '--url', 'ws://127.0.0.1:9/'], 3);
        const loaded = phases.flat();
        assert.ok(has(loaded, 'src/cli/run-command.js') && has(loaded, 'src/transports/ws.js'), `the bundle names its modules: ${stderr.slice(-300)}`);
        assert.match(stderr, /^code cache taken$/m, 'V8 took the code cache the build wrote (made under the same flags, from the same bundle)');
        // Traced as a module of the bundle: not a file Node's loader resolves, reads and compiles.
        assert.ok(has(loaded, 'src/schemas/precompiled/index.cjs'), `the scenario file's validator comes from the bundle: ${loaded.filter((m) => m.includes('schemas/')).join(' ')}`);
        assert.ok(has(loaded, 'src/reporters/console.js'));
        for (const file of ['reporters/html/index.js', 'reporters/junit.js', 'reporters/tap.js', 'reporters/json.js', 'reporters/blob.js', 'reporters/coverage.js', 'compare/report.js', 'compare/diff.js', 'coverage/collector.js', 'media/process-host.js']) {
          assert.ok(!has(loaded, `src/${file}`), `a plain run does not load ${file}`);
        }
        for (const t of ['mqtt', 'rabbitmq', 'unix', 'nanomsg', 'shared-channel']) assert.ok(!has(loaded, `src/transports/${t}.js`), `a run over ws does not load ${t}`);
        assert.ok(builtins.includes('net') && builtins.includes('crypto'), `Node's modules are listed: ${builtins.join(' ')}`);
        // ws's own client handshake goes through node:http; the transport makes its own.
        for (const m of ['http', 'https', 'tls', 'zlib']) assert.ok(!builtins.includes(m), `a run over ws:// does not load node:${m}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
