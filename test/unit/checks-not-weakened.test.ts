import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { loadFiles } from '../../src/compile/load-files.js';
import { loadSuite } from '../../src/compile/load-suite.js';
import type { JanusMessage } from '../../src/protocol/messages.js';
import type { ScenarioResult } from '../../src/run/events.js';
import { runScenario, type RunTarget } from '../../src/run/run-scenario.js';
import type { TransportDefinition } from '../../src/transports/contract.js';
import { getTransport, registerBuiltinTransports, registerTransport } from '../../src/transports/registry.js';
import { answeringTransport } from '../support/answering-transport.js';
import { scenarioDir } from '../support/cli.js';

/**
 * Keys that read as checks must check something. An `expect` (of a request, admin, raw or http
 * step) never makes a step weaker than leaving it out: what the pattern does not name keeps the
 * check a step makes without one (no Janus error reply; for http, no error status either). And
 * keys that would be silently ignored (`exact` without `expect`, `as:` off an attach, `handle:`
 * on a request that addresses no handle, an empty pattern) do not load.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RUN = { seed: 's', stepTimeoutMs: 2000, scenarioTimeoutMs: 10_000 };

/** Loads one scenario from its text (steps under `steps:`) and gives its diagnostics as `line:col message`. */
function problems(files: Writable, name: string, steps: string, head = ''): string[] {
  const file = files.path(`${name}.yaml`);
  files.write(`${name}.yaml`, `name: ${name}\n${head}steps:\n${steps}`);
  return loadFiles([file]).diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`);
}

describe('an expect that leaves `janus` out still fails on an error reply', function () {
  const files = writable();
  const TRANSPORT = 'refusing';
  const target: RunTarget = { transport: TRANSPORT, url: `${TRANSPORT}://x`, admin: { transport: TRANSPORT, url: `${TRANSPORT}://x` }, tls: {}, secrets: {} };
  before(() => {
    if (!getTransport(TRANSPORT)) registerTransport(errorTransport(TRANSPORT));
  });
  after(() => files.remove());

  async function run(name: string, steps: string): Promise<ScenarioResult> {
    assert.deepEqual(problems(files, name, steps), []);
    return runScenario(loadFiles([files.path(`${name}.yaml`)]).scenarios[0]!, target, RUN);
  }

  // Each passed before: the pattern held and nothing looked at the type of the reply.
  const weakened: Array<[string, string]> = [
    ['a request', '  - request: info\n    expect: { transaction: "${transaction}" }\n'],
    ['an admin request', '  - admin: list_sessions\n    expect: { transaction: "${transaction}" }\n'],
    ['a raw payload', '  - raw: \'{"janus":"info","transaction":"t1"}\'\n    expect: { transaction: t1 }\n'],
    ['a pattern with $any in a field other than janus', '  - request: info\n    expect: { session_id: $any }\n'],
    ['a request sent with others (concurrently)', '  - concurrently:\n      - request: ping\n      - request: info\n        expect: { transaction: "${transaction}" }\n'],
    ['a whole-message $oneOf none of whose alternatives names janus or error', '  - request: info\n    expect: { $oneOf: [{ transaction: "${transaction}" }, { session_id: 5 }] }\n'],
    ['a whole-message $janus whose patterns name neither', '  - request: info\n    expect: { $janus: { ">=0.1.0": { transaction: "${transaction}" } } }\n'],
    ['a $oneOf inside $exact, with another operator beside it', '  - request: info\n    expect: { $exact: { $oneOf: [{ transaction: "${transaction}" }] }, $oneOf: [{ transaction: $string }] }\n'],
    // A type (a marker, `$type`) checks no key below it: an error reply is an object too.
    ['a whole-message $type', '  - request: info\n    expect: { $type: object }\n'],
    ['a whole-message $oneOf of markers', '  - request: info\n    expect: { $oneOf: [$object, $null] }\n'],
    ['a whole-message $exact of $any', '  - request: info\n    expect: { $exact: $any }\n'],
    // An alternative that says nothing of errors lets none through, though another names janus.
    ['a whole-message $oneOf whose matching alternative leaves janus out', '  - request: info\n    expect: { $oneOf: [{ janus: success }, { transaction: "${transaction}" }] }\n'],
    ['a whole-message $oneOf with $any beside an alternative naming janus', '  - request: info\n    expect: { $oneOf: [{ janus: success }, $any] }\n'],
  ];
  for (const [what, steps] of weakened) {
    it(`${what}: fails with the error, as without expect`, async function () {
      const result = await run(`weak-${weakened.findIndex(([w]) => w === what)}`, steps);
      assert.equal(result.status, 'failed');
      assert.match(result.failure!.summary, / got an error reply: 458 SESSION_NOT_FOUND: No such session 1$/);
    });
  }

  it('the failure reads as the one without expect', async function () {
    const without = await run('without', '  - request: info\n');
    const leaving = await run('leaving', '  - request: info\n    expect: { transaction: "${transaction}" }\n');
    assert.equal(leaving.failure!.summary, without.failure!.summary);
    assert.equal(leaving.failure!.summary, 'main info got an error reply: 458 SESSION_NOT_FOUND: No such session 1');
  });

  // A pattern that speaks of the type (or of the error itself) decides for itself.
  const deciding: Array<[string, string]> = [
    ['names janus: error', '{ janus: error, error: { code: SESSION_NOT_FOUND } }'],
    ['names janus with $any', '{ janus: $any }'],
    ['names janus with an operator', '{ janus: { $oneOf: [error, success] } }'],
    ['is a whole-message operator', '{ $oneOf: [{ janus: success }, { janus: error }] }'],
    ['is a whole-message $oneOf with one alternative naming error', '{ $oneOf: [{ transaction: nope }, { error: { code: 458 } }] }'],
    ['is a whole-message $not', '{ $not: { janus: success } }'],
    ['names the error field', '{ error: { code: 458 } }'],
  ];
  for (const [what, pattern] of deciding) {
    it(`a pattern that ${what} passes on the error it admits`, async function () {
      const result = await run(`decides-${deciding.findIndex(([w]) => w === what)}`, `  - request: info\n    expect: ${pattern}\n`);
      assert.equal(result.status, 'passed', result.failure?.summary);
    });
  }

  // A placeholder standing for a whole sub-pattern is matched as the value it holds, known only
  // in the run: a saved error reply names janus and error, a saved text names neither.
  const saved = 'variables:\n  refused: { janus: error, transaction: t1, error: { code: 458, reason: "No such session 1" } }\n  text: t1\n';
  for (const [what, pattern] of [['$exact', '{ $exact: "${refused}" }'], ['$oneOf', '{ $oneOf: ["${refused}", { janus: success }] }']]) {
    it(`a ${what} of a placeholder holding an error reply expects that error reply`, async function () {
      const name = `saved-${what.slice(1)}`;
      assert.deepEqual(problems(files, name, `  - raw: '{"janus":"info","transaction":"t1"}'\n    expect: ${pattern}\n`, saved), []);
      const result = await runScenario(loadFiles([files.path(`${name}.yaml`)]).scenarios[0]!, target, RUN);
      assert.equal(result.status, 'passed', result.failure?.summary);
    });
  }
  it('a $oneOf of a placeholder holding no janus or error still fails on the error reply', async function () {
    assert.deepEqual(problems(files, 'saved-text', `  - raw: '{"janus":"info","transaction":"t1"}'\n    expect: { $oneOf: ["\${text}", { transaction: t1 }] }\n`, saved), []);
    const result = await runScenario(loadFiles([files.path('saved-text.yaml')]).scenarios[0]!, target, RUN);
    assert.equal(result.status, 'failed');
    assert.match(result.failure!.summary, / got an error reply: 458 SESSION_NOT_FOUND: No such session 1$/);
  });

  it('a whole-message $janus is read for the server\'s version: another version\'s pattern naming janus does not decide for this one', async function () {
    const steps = '  - request: info\n    expect: { $janus: { ">=1.3.0": { janus: error }, "<1.3.0": { transaction: "${transaction}" } } }\n';
    assert.deepEqual(problems(files, 'per-version', steps), []);
    const scenario = loadFiles([files.path('per-version.yaml')]).scenarios[0]!;
    // On 1.1.2 the pattern names neither janus nor error: the error fails it, as without expect.
    const old = await runScenario(scenario, { ...target, serverVersion: '1.1.2' }, RUN);
    assert.equal(old.status, 'failed');
    assert.match(old.failure!.summary, / got an error reply: 458 SESSION_NOT_FOUND: No such session 1$/);
    // On 1.3.0 its pattern expects the error.
    assert.equal((await runScenario(scenario, { ...target, serverVersion: '1.3.0' }, RUN)).status, 'passed');
  });

  it('a run that goes on after mismatches has what the refused reply could save', async function () {
    const steps = '  - request: info\n    expect: { transaction: "${transaction}" }\n    save: { code: error.code }\n  - request: { janus: ping, note: "${code}" }\n';
    assert.deepEqual(problems(files, 'goes-on', steps), []);
    const result = await runScenario(loadFiles([files.path('goes-on.yaml')]).scenarios[0]!, target, { ...RUN, continueOnMismatch: true });
    assert.match(result.failure!.summary, /got an error reply: 458/);
    assert.equal(result.failure!.continuable, true);
    assert.equal(result.laterFailures, undefined, 'the ping had ${code}');
    const ping = result.transcript.find((t) => t.direction === 'out' && (t.message as JanusMessage).janus === 'ping');
    assert.equal((ping?.message as JanusMessage).note, 458);
  });

  it('a pattern without janus still passes on a reply that is not an error', async function () {
    const result = await run('success', '  - request: ping\n    expect: { transaction: "${transaction}" }\n');
    assert.equal(result.status, 'passed', result.failure?.summary);
  });
});

describe('keys that would check nothing, or be ignored, do not load', function () {
  const files = writable();
  after(() => files.remove());
  const at = (lines: string[], line: number, message: RegExp): void => {
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.ok(lines[0]!.startsWith(`${line}:`), lines[0]);
    assert.match(lines[0]!, message);
  };

  describe('an empty expect', function () {
    for (const kind of ['request: info', 'admin: list_sessions', 'raw: "x"']) {
      it(`on ${kind.split(':')[0]}`, function () {
        at(problems(files, `empty-${kind.split(':')[0]}`, `  - ${kind}\n    expect: {}\n`), 4, /an empty pattern checks nothing: leave `expect` out \(any reply but an error\) or name a field/);
      });
    }
    it('on http', function () {
      const lines = problems(files, 'empty-http', '  - http: { path: /info }\n    expect: {}\n', 'requires: { transports: [http] }\n');
      at(lines, 5, /an empty pattern checks nothing: leave `expect` out \(any response but an HTTP error status, a Janus error or a plugin's refusal\)/);
    });
    it('a pattern naming a field loads', function () {
      assert.deepEqual(problems(files, 'named', '  - request: info\n    expect: { janus: server_info }\n'), []);
    });
  });

  describe('exact: true without expect', function () {
    for (const kind of ['request: info', 'admin: list_sessions', 'raw: "x"']) {
      it(`on ${kind.split(':')[0]}`, function () {
        at(problems(files, `exact-${kind.split(':')[0]}`, `  - ${kind}\n    exact: true\n`), 4, /`exact: true` without `expect` checks nothing/);
      });
    }
    it('on http', function () {
      at(problems(files, 'exact-http', '  - http: { path: /info }\n    exact: true\n', 'requires: { transports: [http] }\n'), 5, /`exact: true` without `expect`/);
    });
    it('with expect, or as false, it loads', function () {
      assert.deepEqual(problems(files, 'exact-ok', '  - request: info\n    exact: true\n    expect: { janus: server_info }\n  - request: info\n    exact: false\n'), []);
    });
  });

  describe('as: on a request that is not an attach', function () {
    it('on info: the error at the key, not a run-time "no handle" later', function () {
      const lines = problems(files, 'as-info', '  - request: create\n  - request: info\n    as: foo\n  - request: { janus: message, body: {} }\n    handle: foo\n');
      at(lines, 5, /`as:` names the handle an attach creates, and this request is `info`/);
      assert.match(lines[0]!, /^5:9 /, 'at the value of `as`');
    });
    it('on a message written as a map', function () {
      at(problems(files, 'as-message', '  - request: { janus: message, body: {} }\n    as: foo\n'), 4, /this request is `message`/);
    });
    it('on attach, in any case, or on a verb known only at run time, it loads', function () {
      const steps = '  - request: create\n  - request: { janus: attach, plugin: janus.plugin.echotest }\n    as: a\n  - request: { janus: ATTACH, plugin: janus.plugin.echotest }\n    as: b\n  - request: { janus: "${verb}", plugin: janus.plugin.echotest }\n    as: c\n';
      assert.deepEqual(problems(files, 'as-ok', steps, 'variables: { verb: attach }\n'), []);
    });
  });

  describe('handle: where no handle is addressed', function () {
    const named = '  - request: create\n  - request: { janus: attach, plugin: janus.plugin.echotest }\n    as: e\n';
    const refused: Array<[string, string, RegExp]> = [
      ['a root-level verb', '  - request: info\n    handle: e\n', /`handle: e` would be ignored: request info is sent at root level/],
      ['create', '  - request: create\n    handle: e\n', /request create is sent at root level/],
      ['a session-level verb', '  - request: keepalive\n    handle: e\n', /request keepalive is sent at session level/],
      ['claim written as a map', '  - request: { janus: claim }\n    handle: e\n', /request claim is sent at session level/],
      ['a verb Janus does not know (sent at the root)', '  - request: { janus: bogus }\n    handle: e\n    expect: { janus: error }\n', /request bogus is sent at root level/],
      ['a handle-level verb sent elsewhere by at:', '  - request: { janus: message, body: {} }\n    handle: e\n    at: session\n', /`at: session` sends the request at session level/],
      ['a raw payload without at: handle', '  - raw: "x"\n    handle: e\n', /a raw payload is sent at root level/],
      ['a global admin verb', '  - admin: list_sessions\n    handle: e\n', /admin list_sessions is sent at root level/],
      ['a session-level admin verb', '  - admin: list_handles\n    handle: e\n', /admin list_handles is sent at session level/],
    ];
    for (const [what, step, message] of refused) {
      it(`on ${what}`, function () {
        const lines = problems(files, `handle-${refused.findIndex(([w]) => w === what)}`, named + step);
        at(lines, 7, message);
        assert.match(lines[0]!, /give `at: handle` to send it to that handle, or leave `handle` out/);
      });
    }
    it('on a handle-level verb, with at: handle, or on a verb known at run time only, it loads', function () {
      const steps = `${named}  - request: { janus: message, body: {} }\n    handle: e\n  - request: keepalive\n    at: handle\n    handle: e\n  - raw: "x"\n    at: handle\n    handle: e\n  - admin: handle_info\n    handle: e\n  - request: "\${verb}"\n    handle: e\n`;
      assert.deepEqual(problems(files, 'handle-ok', steps, 'variables: { verb: hangup }\n'), []);
    });
    it('an unknown handle name on a handle-level request is still reported as such', function () {
      at(problems(files, 'handle-unknown', '  - request: hangup\n    handle: nope\n'), 4, /no handle named "nope" for client main/);
    });
  });

  describe('handle: on a wait or no_event for a timeout, which names no handle', function () {
    const named = '  - request: create\n  - request: { janus: attach, plugin: janus.plugin.echotest }\n    as: e\n';
    it('a no_event: it would pass having seen none', function () {
      at(problems(files, 'timeout-no-event', `${named}  - no_event: { janus: timeout }\n    handle: e\n    for: 1s\n`), 7, /^7:13 `handle: e` keeps only messages from that handle, and a `timeout` event comes from the session, with no sender/);
    });
    it('a wait: it could only time out', function () {
      at(problems(files, 'timeout-wait', `${named}  - wait: { janus: timeout }\n    handle: e\n`), 7, /a `timeout` event comes from the session/);
    });
    it('without handle, or for events a handle sends, it loads', function () {
      assert.deepEqual(problems(files, 'timeout-ok', `${named}  - no_event: { janus: timeout }\n    for: 1ms\n  - no_event: { janus: hangup }\n    handle: e\n    for: 1ms\n`), []);
    });
  });

  describe('a wait, no_event or order of a client that has sent no request', function () {
    it('a wait first: it could only time out', function () {
      at(problems(files, 'wait-first', '  - wait: { janus: event }\n  - request: create\n'), 3, /^3:5 wait: client main has sent no request before this step, so it has no session and no events: nothing can arrive/);
    });
    it('a no_event first: it would pass having checked nothing', function () {
      at(problems(files, 'no-event-first', '  - no_event: {}\n    for: 1s\n'), 3, /no_event: client main has sent no request .*: it would pass having checked nothing/);
    });
    it('a second client that waits before its own first request, although the first client sent one', function () {
      at(problems(files, 'bob-waits', '  - request: create\n  - client: bob\n    wait: { janus: event }\n', 'clients: [main, bob]\n'), 5, /wait: client bob has sent no request/);
    });
    it('after a request of that client, one sent in a concurrently step too, it loads', function () {
      const steps = '  - concurrently:\n      - { request: create, client: bob }\n      - request: info\n  - client: bob\n    no_event: {}\n    for: 1s\n  - wait: { janus: server_info }\n';
      assert.deepEqual(problems(files, 'events-ok', steps, 'clients: [main, bob]\n'), []);
    });
  });

  it('every shipped scenario and fragment still loads', async function () {
    this.timeout(60_000);
    const loaded = await loadSuite(['scenarios'], { fragments: true, cwd: ROOT });
    assert.ok(loaded.files.length > 100, `${loaded.files.length} files`);
    assert.deepEqual(loaded.diagnostics.map((d) => `${d.span.file}:${d.span.line}:${d.span.col} ${d.message}`), []);
  });
});

describe('an http step without expect fails on an error', function () {
  const files = writable();
  let server: http.Server;
  let url = '';
  before(async () => {
    registerBuiltinTransports();
    server = await answeringServer();
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/janus`;
  });
  after(async () => {
    files.remove();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function run(name: string, steps: string): Promise<ScenarioResult> {
    assert.deepEqual(problems(files, name, steps, 'requires: { transports: [http] }\n'), []);
    return runScenario(loadFiles([files.path(`${name}.yaml`)]).scenarios[0]!, { transport: 'http', url, tls: {}, secrets: {} }, RUN);
  }

  // Each passed before: an http step without expect was sent, not checked.
  it('a 404 fails, naming the status', async function () {
    const result = await run('h404', '  - http: { path: /missing }\n');
    assert.equal(result.status, 'failed');
    assert.equal(result.failure!.summary, 'HTTP GET /missing got HTTP status 404');
  });
  it('a Janus error in the body fails, naming the error', async function () {
    const result = await run('herror', '  - http: { method: POST, body: { janus: bogus, transaction: h1 } }\n');
    assert.equal(result.status, 'failed');
    assert.equal(result.failure!.summary, 'HTTP POST got an error reply: 457 INVALID_REQUEST_PATH: Unhandled request \'bogus\' at this path');
  });
  it("a plugin's refusal in the body fails a step without expect, naming the error; in cleanup, or decided by an expect, it does not", async function () {
    const post = "  - http: { method: POST, path: /4242/1, body: { janus: message, transaction: h2, body: { request: destroy, room: 1234 } } }\n";
    const result = await run('hplugin', post);
    assert.equal(result.status, 'failed');
    assert.equal(result.failure!.summary, 'HTTP POST /4242/1 got a plugin error: 426 (VIDEOROOM_NO_SUCH_ROOM): No such room (1234)');
    assert.equal((await run('hplugincleanup', `  - http: { path: /info }\ncleanup:\n${post}`)).status, 'passed');
    assert.equal((await run('hpluginexpect', `${post}    expect: { body: { plugindata: { data: { error_code: 426 } } } }\n`)).status, 'passed');
    // An expect that leaves the refusal out keeps the check: it passed before.
    const leaving = await run('hpluginleaving', `${post}    expect: { status: 200, body: { janus: success, plugindata: { plugin: janus.plugin.videoroom } } }\n`);
    assert.equal(leaving.failure?.summary, 'HTTP POST /4242/1 got a plugin error: 426 (VIDEOROOM_NO_SUCH_ROOM): No such room (1234)');
  });
  it('an expect that leaves the status out fails on a 404', async function () {
    const result = await run('hheaders', '  - http: { path: /missing }\n    expect: { headers: { content-type: $any } }\n');
    assert.match(result.failure?.summary ?? 'passed', /got HTTP status 404$/);
  });
  it('an expect whose body is only a type fails on a Janus error body: the type names no key of it', async function () {
    // Each passed before: a marker or $type read as naming `janus`.
    for (const body of ['$any', '$object', '$present', '{ $type: object }']) {
      const result = await run(`htype-${body.replace(/\W/g, '')}`, `  - http: { method: POST, body: { janus: bogus } }\n    expect: { status: 200, body: ${body} }\n`);
      assert.match(result.failure?.summary ?? 'passed', /got an error reply: 457 INVALID_REQUEST_PATH/, body);
    }
  });
  it("a plugin's refusal in a long-poll's array fails a step whose expect leaves it out of the elements", async function () {
    // Each passed before: only a body that was one message was looked at.
    const poll = '  - http: { path: "/4242?maxev=5" }\n';
    for (const expect of ['', '    expect: { status: 200, body: { $contains: [{ janus: event, transaction: h-msg }] } }\n', '    expect: { body: { $length: 1 } }\n', '    expect: { body: [{ janus: event }] }\n']) {
      const result = await run(`hpoll-${expect.replace(/\W/g, '')}`, `${poll}${expect}`);
      assert.equal(result.failure?.summary, 'HTTP GET /4242?maxev=5 got a plugin error: 413 (ECHOTEST_INVALID_ELEMENT): Message error: no supported attributes found', expect);
    }
    for (const expect of ['    expect: { body: { $contains: [{ plugindata: { data: { error_code: 413 } } }] } }\n', '    expect: { body: [{ plugindata: { data: { error: $string } } }] }\n']) {
      const result = await run(`hpollnamed-${expect.replace(/\W/g, '')}`, `${poll}${expect}`);
      assert.equal(result.status, 'passed', `${expect}: ${result.failure?.summary}`);
    }
  });
  it('an expect that names only the status fails on a Janus error body', async function () {
    const result = await run('hstatus', '  - http: { method: POST, body: { janus: bogus } }\n    expect: { status: 200 }\n');
    assert.match(result.failure?.summary ?? 'passed', /got an error reply: 457 INVALID_REQUEST_PATH/);
  });

  // The status alternative matches, and says nothing of errors: it lets none through.
  it('a $oneOf whose matching alternative names only the status fails on a Janus error body', async function () {
    const result = await run('hone', '  - http: { method: POST, body: { janus: bogus } }\n    expect: { $oneOf: [{ body: { janus: success } }, { status: 200 }] }\n');
    assert.match(result.failure?.summary ?? 'passed', /got an error reply: 457 INVALID_REQUEST_PATH/);
  });

  it('a run that goes on after mismatches has what the refused response could save', async function () {
    const steps = '  - http: { path: /missing }\n    save: { got: status }\n  - http: { path: "/info?after=${got}" }\n';
    assert.deepEqual(problems(files, 'hgoes-on', steps, 'requires: { transports: [http] }\n'), []);
    const result = await runScenario(loadFiles([files.path('hgoes-on.yaml')]).scenarios[0]!, { transport: 'http', url, tls: {}, secrets: {} }, { ...RUN, continueOnMismatch: true });
    assert.match(result.failure!.summary, /got HTTP status 404$/);
    assert.equal(result.laterFailures, undefined, 'the second step had ${got}');
  });

  const passing: Array<[string, string]> = [
    ['no expect, a success', '  - http: { path: /info }\n'],
    ['an expected 404', '  - http: { path: /missing }\n    expect: { status: 404 }\n'],
    ['an expected Janus error', '  - http: { method: POST, body: { janus: bogus } }\n    expect: { status: 200, body: { janus: error } }\n'],
    ['an expected error code', '  - http: { method: POST, body: { janus: bogus } }\n    expect: { body: { error: { code: 457 } } }\n'],
    ['a body pattern that is an operator', '  - http: { method: POST, body: { janus: bogus } }\n    expect: { body: { $not: { janus: success } } }\n'],
  ];
  for (const [what, steps] of passing) {
    it(`still passes: ${what}`, async function () {
      const result = await run(`hok-${passing.findIndex(([w]) => w === what)}`, steps);
      assert.equal(result.status, 'passed', result.failure?.summary);
    });
  }
});

describe('the title of an http step', function () {
  const files = writable();
  after(() => files.remove());
  const title = (http: string): string => {
    files.write('t.yaml', `name: t\nrequires: { transports: [http] }\nsteps:\n  - http: ${http}\n`);
    return loadFiles([files.path('t.yaml')]).scenarios[0]!.steps[0]!.title;
  };
  it('has no trailing space without a path', function () {
    assert.equal(title('{ method: POST }'), 'HTTP POST');
    assert.equal(title('{ api: admin }'), 'HTTP GET admin');
  });
  it('names the path when there is one', function () {
    assert.equal(title('{ path: /info }'), 'HTTP GET /info');
    assert.equal(title('{ api: admin, method: POST, path: "?x=1" }'), 'HTTP POST admin ?x=1');
  });
});

/** A scenario folder whose files are written by the tests. */
type Writable = ReturnType<typeof scenarioDir> & { write: (name: string, text: string) => void };

function writable(): Writable {
  const dir = scenarioDir({});
  return { ...dir, write: (name, text) => writeFileSync(dir.path(name), text) };
}

/**
 * A transport to a server that has no session: `ping` gets an answer, any other request the 458
 * Janus gives for a session it does not know. For the check of replies, not of addressing.
 */
function errorTransport(name: string): TransportDefinition {
  const inner = answeringTransport(name, 'later');
  return {
    ...inner,
    async connect(options, sink) {
      const pings = new Set<unknown>();
      const refuse = (m: JanusMessage): JanusMessage => (pings.has(m.transaction) ? m : { janus: 'error', transaction: m.transaction, error: { code: 458, reason: 'No such session 1' } });
      const connection = await inner.connect(options, { ...sink, message: (m: JanusMessage) => sink.message(refuse(m)) });
      return {
        ...connection,
        send(payload, route, signal) {
          const request = (typeof payload === 'string' ? JSON.parse(payload) : payload) as JanusMessage;
          if (request.janus === 'ping') pings.add(request.transaction);
          return connection.send(payload, route, signal);
        },
      };
    },
  };
}

/** Janus's HTTP API, as far as these steps go: GET /info, a 404 for other GETs, a 457 for any POST but create. */
async function answeringServer(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const json = (value: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (req.method === 'GET') {
        if (req.url?.split('?')[0]!.endsWith('/info')) json({ janus: 'server_info', name: 'Fake', version_string: '1.1.2' });
        // A long-poll with maxev: an array, here of one EchoTest event refusing its message.
        else if (req.url === '/janus/4242?maxev=5') json([{ janus: 'event', session_id: 4242, sender: 1, transaction: 'h-msg', plugindata: { plugin: 'janus.plugin.echotest', data: { echotest: 'event', error_code: 413, error: 'Message error: no supported attributes found' } } }]);
        else res.writeHead(404).end();
        return;
      }
      const request = (body ? JSON.parse(body) : {}) as JanusMessage;
      if (request.janus === 'create') json({ janus: 'success', transaction: request.transaction, data: { id: 4242 } });
      // A plugin that refuses a synchronous request answers in the POST's body, under plugindata.
      else if (request.janus === 'message') json({ janus: 'success', transaction: request.transaction, plugindata: { plugin: 'janus.plugin.videoroom', data: { videoroom: 'event', error_code: 426, error: 'No such room (1234)' } } });
      else json({ janus: 'error', transaction: request.transaction, error: { code: 457, reason: `Unhandled request '${String(request.janus)}' at this path` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
