import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { loadFiles } from '../../src/compile/load-files.js';
import { createPatternCompiler } from '../../src/match/compile-pattern.js';
import type { Mismatch } from '../../src/match/contract.js';
import { mismatchLines } from '../../src/report/failure-text.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { knownSchema } from '../../src/schemas/catalogue.js';
import { CATALOGUE_ERROR_CODES, errorCodeByName } from '../../src/schemas/error-names.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JanusMessage } from '../../src/protocol/messages.js';
import type { ScenarioResult } from '../../src/run/events.js';
import { getTransport, registerBuiltinTransports, registerTransport } from '../../src/transports/registry.js';
import { scriptedTransport } from '../support/answering-transport.js';
import { scenarioDir } from '../support/cli.js';
import { FakeJanus } from '../support/fake-janus.js';

/**
 * Audit FP1 and WF3: an error name stands for a code of its own family only. Core names at
 * `error.code`, plugin names at `error_code`, and a plugin's name only for that plugin's messages:
 * the numbers overlap (core 458 SESSION_NOT_FOUND is Streaming's 458 STREAMING_CANT_SWITCH).
 * And `code` is an error code only directly inside `error`. Every case here passed before the fix.
 */

interface Compiled {
  errors: Array<{ at: string; message: string; hint?: string }>;
  mismatches(actual: unknown, serverVersion?: string): Mismatch[];
}

function compile(pattern: unknown): Compiled {
  const errors: Compiled['errors'] = [];
  const compiler = createPatternCompiler(() => undefined, (path, message, hint) => errors.push({ at: path.join('.'), message, hint }), () => false, CATALOGUE_ERROR_CODES);
  const matcher = compiler.compile(pattern, ['expect'], false);
  return {
    errors,
    mismatches(actual, serverVersion) {
      const out: Mismatch[] = [];
      matcher(actual, '', { resolve: (t) => t({ lookup: () => undefined }), validateSchema: () => undefined, serverVersion }, out);
      return out;
    },
  };
}

/** The mismatches of a pattern that must compile without errors. */
function mismatches(pattern: unknown, actual: unknown, serverVersion?: string): Mismatch[] {
  const compiled = compile(pattern);
  assert.deepEqual(compiled.errors, [], JSON.stringify(pattern));
  return compiled.mismatches(actual, serverVersion);
}

const code = (name: string): number => {
  const c = errorCodeByName(name);
  assert.ok(c !== undefined, name);
  return c;
};

const coreError = (name: string) => ({ janus: 'error', error: { code: code(name), reason: 'x' } });
const pluginError = (plugin: string, name: string) => ({ janus: 'event', plugindata: { plugin, data: { error_code: code(name), error: 'x' } } });
const ECHOTEST = 'janus.plugin.echotest';
const RECORDPLAY = 'janus.plugin.recordplay';

describe('error names only stand for codes of their own family (audit FP1, WF3)', function () {
  it('the numbers do overlap, so only the family tells the names apart', function () {
    assert.equal(code('STREAMING_CANT_SWITCH'), code('SESSION_NOT_FOUND'));
    assert.equal(code('VOICEMAIL_NO_MESSAGE'), code('PLUGIN_NOT_FOUND'));
    assert.equal(code('RECORDPLAY_INVALID_REQUEST'), code('ECHOTEST_INVALID_ELEMENT'));
  });

  it("a plugin's name under error.code is a load error naming its plugin, with the core name of that number", function () {
    // r05: STREAMING_CANT_SWITCH passed against core 458 SESSION_NOT_FOUND.
    const r05 = compile({ janus: 'error', error: { code: 'STREAMING_CANT_SWITCH' } });
    assert.equal(r05.errors.length, 1, 'STREAMING_CANT_SWITCH under error.code loads');
    assert.equal(r05.errors[0]!.at, 'expect.error.code');
    assert.match(r05.errors[0]!.message, /STREAMING_CANT_SWITCH is an error of janus\.plugin\.streaming.*core names/);
    assert.match(r05.errors[0]!.hint ?? '', /core error 458 is SESSION_NOT_FOUND/);
    // r17: VOICEMAIL_NO_MESSAGE passed against core 460 PLUGIN_NOT_FOUND.
    const r17 = compile({ janus: 'error', error: { code: 'VOICEMAIL_NO_MESSAGE' } });
    assert.equal(r17.errors.length, 1, 'VOICEMAIL_NO_MESSAGE under error.code loads');
    assert.match(r17.errors[0]!.message, /VOICEMAIL_NO_MESSAGE is an error of janus\.plugin\.voicemail/);
    assert.match(r17.errors[0]!.hint ?? '', /PLUGIN_NOT_FOUND/);
    // Inside operators too.
    assert.equal(compile({ error: { code: { $not: 'STREAMING_CANT_SWITCH' } } }).errors.length, 1);
    assert.equal(compile({ error: { code: { $oneOf: ['SESSION_NOT_FOUND', 'STREAMING_CANT_SWITCH'] } } }).errors.length, 1);
    assert.equal(compile({ error: { $oneOf: [{ code: 'VOICEMAIL_NO_MESSAGE' }] } }).errors.length, 1);
  });

  it('a core name under error_code is a load error', function () {
    const compiled = compile({ janus: 'event', plugindata: { data: { error_code: 'SESSION_NOT_FOUND' } } });
    assert.equal(compiled.errors.length, 1, 'SESSION_NOT_FOUND under error_code loads');
    assert.equal(compiled.errors[0]!.at, 'expect.plugindata.data.error_code');
    assert.match(compiled.errors[0]!.message, /SESSION_NOT_FOUND is a core error.*error_code takes the plugin's names/);
    assert.equal(compile({ plugindata: { data: { error_code: { $not: 'PLUGIN_NOT_FOUND' } } } }).errors.length, 1);
  });

  it('a name of another plugin than the one the plugindata names is a load error', function () {
    // r04: RECORDPLAY_INVALID_REQUEST passed against EchoTest's 413 ECHOTEST_INVALID_ELEMENT.
    const r04 = compile({ janus: 'event', plugindata: { plugin: ECHOTEST, data: { error_code: 'RECORDPLAY_INVALID_REQUEST' } } });
    assert.equal(r04.errors.length, 1, 'a recordplay name beside plugin: janus.plugin.echotest loads');
    assert.match(r04.errors[0]!.message, /RECORDPLAY_INVALID_REQUEST is an error of janus\.plugin\.recordplay, but this plugindata is from janus\.plugin\.echotest/);
    assert.match(r04.errors[0]!.hint ?? '', /413 is ECHOTEST_INVALID_ELEMENT/);
    // Through $exact, $janus and $oneOf inside data.
    assert.equal(compile({ plugindata: { plugin: ECHOTEST, data: { $exact: { echotest: 'event', error_code: 'RECORDPLAY_INVALID_REQUEST' } } } }).errors.length, 1);
    assert.equal(compile({ plugindata: { plugin: ECHOTEST, data: { $janus: { '>=1.0.0': { error_code: 'RECORDPLAY_INVALID_REQUEST' } } } } }).errors.length, 1);
    assert.equal(compile({ plugindata: { plugin: ECHOTEST, data: { error_code: { $oneOf: ['ECHOTEST_INVALID_ELEMENT', 'RECORDPLAY_INVALID_REQUEST'] } } } }).errors.length, 1);
    // A plugin given by a placeholder or an operator is checked when the message comes instead.
    assert.deepEqual(compile({ plugindata: { plugin: '${p}', data: { error_code: 'RECORDPLAY_INVALID_REQUEST' } } }).errors, []);
    assert.deepEqual(compile({ plugindata: { plugin: { $oneOf: [ECHOTEST, RECORDPLAY] }, data: { error_code: 'RECORDPLAY_INVALID_REQUEST' } } }).errors, []);
  });

  it("at run time a plugin's name checks the message's plugin as well as the number", function () {
    const pattern = { janus: 'event', plugindata: { data: { error_code: 'RECORDPLAY_INVALID_REQUEST' } } };
    const found = mismatches(pattern, pluginError(ECHOTEST, 'ECHOTEST_INVALID_ELEMENT'));
    assert.equal(found.length, 1, "RECORDPLAY_INVALID_REQUEST matched EchoTest's 413");
    assert.equal(found[0]!.at, 'plugindata.data.error_code');
    assert.equal(found[0]!.actual, 413);
    assert.match(found[0]!.expected, /413 \(RECORDPLAY_INVALID_REQUEST, a janus\.plugin\.recordplay code; this message is from janus\.plugin\.echotest\)/);
    assert.deepEqual(mismatches(pattern, pluginError(RECORDPLAY, 'RECORDPLAY_INVALID_REQUEST')), []);
    // Another number of the right plugin: the plain mismatch.
    const other = mismatches(pattern, pluginError(RECORDPLAY, 'RECORDPLAY_INVALID_ELEMENT'));
    assert.deepEqual(other.map((m) => m.expected), ['413 (RECORDPLAY_INVALID_REQUEST, a janus.plugin.recordplay code)']);
    // Inside operators, $exact and $janus, and a plugindata inside something else.
    assert.deepEqual(mismatches({ plugindata: { data: { error_code: { $not: 'RECORDPLAY_INVALID_REQUEST' } } } }, pluginError(ECHOTEST, 'ECHOTEST_INVALID_ELEMENT')), [], "EchoTest's 413 is not RecordPlay's");
    assert.equal(mismatches({ plugindata: { data: { error_code: { $not: 'RECORDPLAY_INVALID_REQUEST' } } } }, pluginError(RECORDPLAY, 'RECORDPLAY_INVALID_REQUEST')).length, 1);
    assert.equal(mismatches({ plugindata: { data: { error_code: { $oneOf: ['RECORDPLAY_INVALID_REQUEST', 0] } } } }, pluginError(ECHOTEST, 'ECHOTEST_INVALID_ELEMENT')).length, 1);
    assert.deepEqual(mismatches({ plugindata: { data: { error_code: { $oneOf: ['RECORDPLAY_INVALID_REQUEST', 'ECHOTEST_INVALID_ELEMENT'] } } } }, pluginError(ECHOTEST, 'ECHOTEST_INVALID_ELEMENT')), []);
    assert.equal(mismatches({ plugindata: { data: { $exact: { error_code: 'RECORDPLAY_INVALID_REQUEST', error: 'x' } } } }, pluginError(ECHOTEST, 'ECHOTEST_INVALID_ELEMENT')).length, 1);
    assert.equal(mismatches({ plugindata: { data: { $janus: { '>=1.0.0': { error_code: 'RECORDPLAY_INVALID_REQUEST' } } } } }, pluginError(ECHOTEST, 'ECHOTEST_INVALID_ELEMENT'), '1.3.0').length, 1);
    assert.equal(mismatches({ plugindata: { $oneOf: [{ data: { error_code: 'RECORDPLAY_INVALID_REQUEST' } }] } }, pluginError(ECHOTEST, 'ECHOTEST_INVALID_ELEMENT')).length, 1);
    assert.equal(mismatches({ echo: { plugindata: { data: { error_code: 'RECORDPLAY_INVALID_REQUEST' } } } }, { echo: pluginError(ECHOTEST, 'ECHOTEST_INVALID_ELEMENT') }).length, 1);
    // One compiled pattern, messages of both plugins one after the other.
    const compiled = compile(pattern);
    for (let i = 0; i < 2; i++) {
      assert.equal(compiled.mismatches(pluginError(ECHOTEST, 'ECHOTEST_INVALID_ELEMENT')).length, 1);
      assert.deepEqual(compiled.mismatches(pluginError(RECORDPLAY, 'RECORDPLAY_INVALID_REQUEST')), []);
    }
  });

  it('the right names, and numbers anywhere, still pass', function () {
    assert.deepEqual(mismatches({ janus: 'error', error: { code: 'SESSION_NOT_FOUND' } }, coreError('SESSION_NOT_FOUND')), []);
    assert.equal(mismatches({ janus: 'error', error: { code: 'SESSION_NOT_FOUND' } }, coreError('HANDLE_NOT_FOUND')).length, 1);
    assert.deepEqual(mismatches({ plugindata: { plugin: ECHOTEST, data: { error_code: 'ECHOTEST_INVALID_ELEMENT' } } }, pluginError(ECHOTEST, 'ECHOTEST_INVALID_ELEMENT')), []);
    assert.deepEqual(mismatches({ plugindata: { data: { error_code: 'ECHOTEST_INVALID_ELEMENT' } } }, pluginError(ECHOTEST, 'ECHOTEST_INVALID_ELEMENT')), []);
    assert.deepEqual(mismatches({ plugindata: { data: { $exact: { error_code: 'ECHOTEST_INVALID_ELEMENT', error: 'x' } } } }, pluginError(ECHOTEST, 'ECHOTEST_INVALID_ELEMENT')), []);
    // Names inside $not, $oneOf and $janus at error.code still stand for their numbers.
    assert.equal(mismatches({ error: { code: { $not: 'SESSION_NOT_FOUND' } } }, coreError('SESSION_NOT_FOUND')).length, 1);
    assert.deepEqual(mismatches({ error: { code: { $not: 'SESSION_NOT_FOUND' } } }, coreError('HANDLE_NOT_FOUND')), []);
    assert.deepEqual(mismatches({ error: { code: { $oneOf: ['HANDLE_NOT_FOUND', 'SESSION_NOT_FOUND'] } } }, coreError('SESSION_NOT_FOUND')), []);
    assert.deepEqual(mismatches({ error: { $oneOf: [{ code: 'HANDLE_NOT_FOUND' }, { code: 'SESSION_NOT_FOUND' }] } }, coreError('SESSION_NOT_FOUND')), []);
    assert.deepEqual(mismatches({ error: { code: { $janus: { '>=1.0.0': 'SESSION_NOT_FOUND' } } } }, coreError('SESSION_NOT_FOUND'), '1.3.0'), []);
    assert.equal(mismatches({ error: { code: { $janus: { '>=1.0.0': 'SESSION_NOT_FOUND' } } } }, coreError('HANDLE_NOT_FOUND'), '1.3.0').length, 1);
    // Numbers are numbers: the plugin is not checked.
    assert.deepEqual(mismatches({ error: { code: 458 } }, coreError('SESSION_NOT_FOUND')), []);
    assert.deepEqual(mismatches({ plugindata: { data: { error_code: 413 } } }, pluginError(ECHOTEST, 'ECHOTEST_INVALID_ELEMENT')), []);
    // error_code outside plugindata (the Admin API's message_plugin response): a plugin name, by its number.
    assert.deepEqual(mismatches({ response: { error_code: 'VIDEOROOM_NO_SUCH_ROOM' } }, { response: { error_code: code('VIDEOROOM_NO_SUCH_ROOM') } }), []);
  });

  it('code is an error code only directly inside error: elsewhere a string is a string (WF3)', function () {
    assert.deepEqual(mismatches({ janus: 'success', dependencies: { code: 'US' } }, { janus: 'success', dependencies: { code: 'US' } }), []);
    assert.equal(mismatches({ dependencies: { code: 'US' } }, { dependencies: { code: 'UK' } }).length, 1);
    assert.deepEqual(mismatches({ by: 'client', code: 'SESSION_NOT_FOUND' }, { by: 'client', code: 'SESSION_NOT_FOUND' }), []);
    assert.equal(mismatches({ code: 'SESSION_NOT_FOUND' }, { code: code('SESSION_NOT_FOUND') }).length, 1, 'a top-level code is no error code');
    assert.deepEqual(mismatches({ error: { details: { code: 'US' } } }, { error: { details: { code: 'US' } } }), []);
    assert.deepEqual(mismatches({ error: [{ code: 'US' }] }, { error: [{ code: 'US' }] }), []);
    // Directly inside error, an upper-case string is still an error name.
    const inError = compile({ error: { code: 'US' } });
    assert.equal(inError.errors.length, 1);
    assert.match(inError.errors[0]!.message, /unknown error name US/);
  });

  describe('through loading and running', function () {
    let fake: FakeJanus;
    const files = scenarioDir({
      'r05.yaml': `name: r05 streaming's 458 name against core 458
steps:
  - request: { janus: keepalive, session_id: 1 }
    expect: { janus: error, error: { code: STREAMING_CANT_SWITCH } }
`,
      'r04.yaml': `name: r04 recordplay 413 name against echotest's 413
steps:
  - request: { janus: message, body: {} }
    expect: { janus: event, plugindata: { plugin: janus.plugin.echotest, data: { error_code: RECORDPLAY_INVALID_REQUEST } } }
`,
      'r17.yaml': `name: r17 voicemail name for a core error
steps:
  - request: { janus: attach, plugin: janus.plugin.nope, session_id: 1 }
    expect: { janus: error, error: { code: VOICEMAIL_NO_MESSAGE } }
`,
      'l33.yaml': `name: l33 a code that is no error code
steps:
  - request: { janus: ping, dependencies: { code: US } }
    expect: { janus: success, echo: { dependencies: { code: "US" } } }
`,
      // The fake answers { janus: success, echo: <the request> }: the plugindata comes back as sent.
      'other-plugin.yaml': `name: a recordplay name against echotest's 413, the pattern naming no plugin
steps:
  - request: { janus: ping, plugindata: { plugin: janus.plugin.echotest, data: { error_code: 413 } } }
    expect: { echo: { plugindata: { data: { error_code: RECORDPLAY_INVALID_REQUEST } } } }
  - request: { janus: ping, note: after }
`,
      'same-plugin.yaml': `name: a recordplay name against recordplay's 413
steps:
  - request: { janus: ping, plugindata: { plugin: janus.plugin.recordplay, data: { error_code: 413 } } }
    expect: { echo: { plugindata: { data: { error_code: RECORDPLAY_INVALID_REQUEST } } } }
`,
    });
    before(async () => {
      fake = await FakeJanus.start();
      registerBuiltinTransports();
    });
    after(async () => {
      await fake.close();
      files.remove();
    });

    const load = (file: string) => loadFiles([files.path(file)], { knownSchema });
    const run = async (file: string) => {
      const loaded = load(file);
      assert.deepEqual(loaded.diagnostics, []);
      return runScenario(loaded.scenarios[0]!, { transport: 'http', url: fake.httpUrl, tls: {}, secrets: {} }, { seed: 's', stepTimeoutMs: 2000, scenarioTimeoutMs: 20_000, schemaMode: 'off' });
    };

    it('the three reproductions of the audit do not load', function () {
      for (const [file, plugin] of [['r05.yaml', 'janus.plugin.streaming'], ['r04.yaml', 'janus.plugin.recordplay'], ['r17.yaml', 'janus.plugin.voicemail']] as const) {
        const { diagnostics } = load(file);
        assert.equal(diagnostics.length, 1, `${file} loads`);
        assert.ok(diagnostics[0]!.message.includes(plugin), `${file}: ${diagnostics[0]!.message}`);
      }
    });

    it('a string under a code outside error loads and compares as a string', async function () {
      const result = await run('l33.yaml');
      assert.equal(result.status, 'passed', JSON.stringify(result.failure));
    });

    it("a plugin's name fails on the same number from another plugin, the failure naming both", async function () {
      const result = await run('other-plugin.yaml');
      assert.equal(result.status, 'failed');
      const lines = mismatchLines(result.failure!);
      assert.equal(lines.length, 1, lines.join('\n'));
      assert.match(lines[0]!, /^echo\.plugindata\.data\.error_code: expected 413 \(RECORDPLAY_INVALID_REQUEST, a janus\.plugin\.recordplay code; this message is from janus\.plugin\.echotest\), got 413/);
      assert.equal((await run('same-plugin.yaml')).status, 'passed');
    });
  });

  /**
   * An Admin API reply does not say who answered: the `response` of a message_plugin is from the
   * plugin its request named (of a query_logger, from the logger). A plugin's name there matched
   * any module's number: RECORDPLAY_INVALID_REQUEST passed on EchoTest's 413, a TEXTROOM name on
   * a logger's 411.
   */
  describe("an Admin API response, from the module its request named", function () {
    const TRANSPORT = 'admin-answering';
    // message_plugin answers with its request, as EchoTest's admin hook does; a logger refuses any query.
    const answer = (r: JanusMessage): JanusMessage => {
      if (r.janus === 'message_plugin') return { janus: 'success', transaction: r.transaction, response: r.request };
      if (r.janus === 'query_logger') return { janus: 'success', transaction: r.transaction, response: { error_code: 411, error: "Unknown request 'tweak'" } };
      return { janus: 'success', transaction: r.transaction, data: { id: 5 } };
    };
    const files = scenarioDir({});
    let server: http.Server;
    let adminUrl: string;
    before(async () => {
      if (!getTransport(TRANSPORT)) registerTransport(scriptedTransport(TRANSPORT, (r) => [answer(r)]));
      registerBuiltinTransports();
      // The Admin API over HTTP, for http steps with `api: admin`.
      server = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer(JSON.parse(body) as JanusMessage))));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      adminUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin`;
    });
    after(async () => {
      files.remove();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    let n = 0;
    async function run(steps: string, transport = TRANSPORT, head = ''): Promise<ScenarioResult> {
      const name = `admin-${n++}.yaml`;
      writeFileSync(files.path(name), `name: ${name}\n${head}steps:\n${steps}`);
      const loaded = loadFiles([files.path(name)], { knownSchema });
      assert.deepEqual(loaded.diagnostics, []);
      const target = transport === TRANSPORT
        ? { transport, url: `${transport}://x`, admin: { transport, url: `${transport}://x` }, tls: {}, secrets: {} }
        : { transport: 'http', url: 'http://127.0.0.1:1/janus', admin: { transport: 'http', url: adminUrl }, tls: {}, secrets: {} };
      return runScenario(loaded.scenarios[0]!, target, { seed: 's', stepTimeoutMs: 2000, scenarioTimeoutMs: 10_000, schemaMode: 'off' });
    }
    const echoing = (expect: string) => `  - admin: { janus: message_plugin, plugin: janus.plugin.echotest, request: { error_code: 413, error: x } }\n    expect: ${expect}\n`;

    it("fails a plugin's name on the same number from the plugin the request asked, the failure naming both", async function () {
      const result = await run(echoing('{ janus: success, response: { error_code: RECORDPLAY_INVALID_REQUEST } }'));
      assert.equal(result.status, 'failed');
      const lines = mismatchLines(result.failure!);
      assert.equal(lines.length, 1, lines.join('\n'));
      assert.match(lines[0]!, /^response\.error_code: expected 413 \(RECORDPLAY_INVALID_REQUEST, a janus\.plugin\.recordplay code; this message is from janus\.plugin\.echotest\), got 413/);
    });

    it('fails so inside operators, in concurrently, and in an http step to the Admin API', async function () {
      for (const expect of ['{ response: { error_code: { $oneOf: [RECORDPLAY_INVALID_REQUEST, 999] } } }', '{ response: { $exact: { error_code: RECORDPLAY_INVALID_REQUEST, error: x } } }', '{ $oneOf: [{ response: { error_code: RECORDPLAY_INVALID_REQUEST } }] }']) {
        assert.equal((await run(echoing(expect))).status, 'failed', expect);
      }
      const together = await run(`  - concurrently:\n      - request: ping\n${echoing('{ response: { error_code: RECORDPLAY_INVALID_REQUEST } }').replace(/^ {2}/gm, '      ')}`);
      assert.equal(together.status, 'failed');
      const viaHttp = await run('  - http: { api: admin, method: POST, body: { janus: message_plugin, plugin: janus.plugin.echotest, transaction: h1, admin_secret: s, request: { error_code: 413, error: x } } }\n    expect: { status: 200, body: { response: { error_code: RECORDPLAY_INVALID_REQUEST } } }\n', 'http', 'requires: { transports: [http] }\n');
      assert.equal(viaHttp.status, 'failed', JSON.stringify(viaHttp.failure));
      assert.match(mismatchLines(viaHttp.failure!)[0]!, /this message is from janus\.plugin\.echotest/);
    });

    it("fails a plugin's name on a logger's code: a logger's answer is no plugin's", async function () {
      const result = await run('  - admin: { janus: query_logger, logger: janus.logger.jsonlog, request: { request: tweak } }\n    expect: { response: { error_code: TEXTROOM_NO_MESSAGE } }\n');
      assert.equal(result.status, 'failed');
      assert.match(mismatchLines(result.failure!)[0]!, /this message is from janus\.logger\.jsonlog/);
    });

    it("passes the plugin's own name and a number, and names the refusal by the plugin asked", async function () {
      assert.equal((await run(echoing('{ response: { error_code: ECHOTEST_INVALID_ELEMENT } }'))).status, 'passed');
      assert.equal((await run(echoing('{ response: { error_code: 413 } }'))).status, 'passed');
      const viaHttp = await run('  - http: { api: admin, method: POST, body: { janus: message_plugin, plugin: janus.plugin.echotest, transaction: h1, admin_secret: s, request: { error_code: 413, error: x } } }\n    expect: { status: 200, body: { response: { error_code: ECHOTEST_INVALID_ELEMENT } } }\n', 'http', 'requires: { transports: [http] }\n');
      assert.equal(viaHttp.status, 'passed', JSON.stringify(viaHttp.failure));
      const refused = await run('  - admin: { janus: message_plugin, plugin: janus.plugin.echotest, request: { error_code: 413, error: x } }\n');
      assert.equal(refused.failure?.summary, 'admin message_plugin got a plugin error: 413 (ECHOTEST_INVALID_ELEMENT): x');
    });
  });
});
