import assert from 'node:assert/strict';
import { echotestJanus } from '../support/echotest-janus.js';
import { runCli, scenarioDir } from '../support/cli.js';
import { FakeJanus, useFakeJanus } from '../support/fake-janus.js';
import { loadFiles } from '../../src/compile/load-files.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { knownSchema } from '../../src/schemas/catalogue.js';
import { FAILING_CASES, failingCaseFile } from '../support/failing-cases.js';

/** Alice makes a session with an EchoTest handle and closes her connection (`then`: what she does next); bob sends her handle a message. */
function aliceClosed(then: string): string {
  return `requires: { janus: { reclaim_session_timeout: 10 } }
clients: [alice, bob]
steps:
  - { request: create, client: alice }
  - { request: { janus: attach, plugin: janus.plugin.echotest }, client: alice }
  - { close: true, client: alice }
${then}  - client: bob
    request: { janus: message, session_id: "\${alice.session}", handle_id: "\${alice.handle}", body: { audio: true } }
    expect: { janus: ack }
`;
}

/**
 * Verdicts that were wrong: each scenario here has a known verdict, and the run's exit code and
 * failure text must say exactly that, over both transports.
 */
describe('verdicts against a running Janus', function () {
  const { urls: janusUrls } = echotestJanus();

  const files = scenarioDir({
    'ack-forms.yaml': `name: ends at the ack whatever form the pattern takes
steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.echotest }
  - request: { janus: message, body: { audio: true } }
    expect: { $exact: { janus: ack, session_id: "\${session}", transaction: "\${transaction}", hint: $string } }
  - wait: { janus: event, plugindata: { data: { result: ok } } }
  - request: { janus: message, body: { audio: true } }
    expect: { janus: { $oneOf: [ack] } }
  - wait: { janus: event }
  - request: { janus: message, body: { audio: true } }
    expect: { $oneOf: [{ janus: ack }, { janus: success }] }
  - wait: { janus: event }
`,
    'raw-strict.yaml': `name: a raw request's own event passes strict mode
steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.echotest }
  - raw: '{"janus":"message","body":{"audio":true},"transaction":"raw-echo-1","session_id":\${session},"handle_id":\${handle}}'
    at: handle
    expect: { janus: event, transaction: raw-echo-1, plugindata: { data: { echotest: event, result: ok } } }
  - raw: '{"janus":"create","transaction":"raw-create"}'
    expect: { janus: success, transaction: raw-create }
`,
    'unset-placeholder.yaml': `name: a placeholder with no value while a wait looks at arriving messages
clients: [main, other]
steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.echotest }
  - request: { janus: message, body: { audio: true } }
    expect: { janus: ack }
  - wait: { janus: event, session_id: "\${other.session}" }
    within: 20s
`,
    'order-later-message.yaml': `name: an order pattern a later message matches too
steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.echotest }
    save: { ta: transaction }
  - request: { janus: message, body: { audio: true } }
    expect: { janus: event }
  - order:
      - { janus: success, transaction: "\${ta}" }
      - { janus: event }
  - request: { janus: message, body: { video: true } }
    expect: { janus: ack }
  - wait: { janus: event, transaction: "\${transaction}" }
`,
    'one-transaction.yaml': `name: two requests in flight under one transaction
steps:
  - concurrently:
      - request: { janus: info, transaction: same }
        expect: { janus: server_info }
      - request: { janus: ping, transaction: same }
        expect: { janus: pong }
`,
    'closed-no-event.yaml': `name: no_event on a client whose connection is closed
${aliceClosed('')}  - client: alice
    no_event: {}
    for: 300ms
`,
    'reopened-no-event.yaml': `name: no_event on a reopened client that has not claimed its session, while bob makes it an event
${aliceClosed('  - { reopen: true, client: alice }\n')}  - client: alice
    no_event: { janus: event }
    for: 1s
`,
    'reopened-wait.yaml': `name: a wait on a reopened client that has not claimed its session
${aliceClosed('  - { reopen: true, client: alice }\n')}  - client: alice
    wait: { janus: event }
    within: 1s
`,
    'claimed-no-event.yaml': `name: no_event on a reopened client once it claimed its session
requires: { janus: { reclaim_session_timeout: 10 } }
steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.echotest }
  - close: true
  - reopen: true
  - request: { janus: claim, session_id: "\${session}" }
    at: root
  - no_event: { janus: event }
    for: 300ms
  - request: { janus: message, body: { audio: true } }
    expect: { janus: ack }
  - wait: { janus: event, transaction: "\${transaction}" }
`,
    'reused-transaction.yaml': `name: a transaction reused after its request ended at the ack
steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.echotest }
    as: a
  - request: { janus: attach, plugin: janus.plugin.echotest }
    as: b
  - request: { janus: message, body: { audio: true }, transaction: t1 }
    handle: a
    expect: { janus: ack }
  - request: { janus: message, body: {}, transaction: t1 }
    handle: b
`,
    'reused-transaction-same-handle.yaml': `name: a transaction reused on the same handle after its request ended at the ack
steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.echotest }
  - request: { janus: message, body: { audio: true }, transaction: t1 }
    expect: { janus: ack }
  - request: { janus: message, body: {}, transaction: t1 }
`,
    'reused-transaction-answered.yaml': `name: a transaction reused on the same handle gets its own event, the earlier one's goes to the mailbox
steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.echotest }
  - request: { janus: message, body: { audio: true }, transaction: t1 }
    expect: { janus: ack }
  - request: { janus: message, body: { video: true }, transaction: t1 }
    expect: { janus: event, plugindata: { data: { result: ok } } }
  - wait: { janus: event, transaction: t1 }
    within: 2s
  - no_event: { transaction: t1 }
    for: 0ms
`,
    'slow-reply.yaml': `name: a reply slower than the step allows
steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.echotest }
  - request: { janus: message, body: { audio: true } }
    expect: { janus: event }
    timeout: 1ms
`,
  });
  after(() => files.remove());

  it('a request step ends at the ack for $exact, $oneOf and whole-message $oneOf ack patterns', async function () {
    const run = await runCli(['run', files.path('ack-forms.yaml'), ...janusUrls(), '--transport', 'http,ws']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /2 passing/);
  });

  it('the event answering a raw request passes strict schema checks, and a raw create is cleaned up', async function () {
    const run = await runCli(['run', files.path('raw-strict.yaml'), ...janusUrls(), '--transport', 'http,ws', '--schema', 'strict']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /2 passing/);
  });

  for (const jobs of ['1', '2']) {
    it(`a placeholder with no value in a wait fails that scenario at the step's position (--jobs ${jobs}, http and ws)`, async function () {
      const run = await runCli(['run', files.path('unset-placeholder.yaml'), ...janusUrls(), '--transport', 'http,ws', '--jobs', jobs]);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.doesNotMatch(run.stdout, /server problem/);
      assert.equal(run.stdout.match(/unset-placeholder\.yaml:8:\d+/g)?.length, 2, run.stdout);
      assert.equal(run.stdout.match(/\$\{other\.session\} has no value/g)?.length, 2, run.stdout);
      for (const transport of ['http', 'ws']) {
        const listed = run.stdout.match(new RegExp(`✖ \\d+\\) a placeholder with no value while a wait looks at arriving messages \\[${transport}\\]`, 'g'));
        assert.equal(listed?.length, 1, `listed once over ${transport}: ${run.stdout}`);
      }
      assert.match(run.stdout, /2 failing/);
    });
  }

  it('a request under the transaction of one still in flight fails its step (exit 1), and the run ends', async function () {
    // Before, the second took the first's place and the first never ended: the run hung, even past Ctrl-C.
    const run = await runCli(['run', files.path('one-transaction.yaml'), ...janusUrls(), '--transport', 'http,ws', '--timeout', '10s']);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.equal(run.stdout.match(/another request sent with transaction "same" still waits for its reply/g)?.length, 2, run.stdout);
    assert.equal(run.stdout.match(/one-transaction\.yaml:6:9/g)?.length, 2, run.stdout);
  });

  it('an order pattern that a message after the step matches too fails at the order step, over both transports', async function () {
    // It passed on both: the second event came after the step, which saw one.
    const run = await runCli(['run', files.path('order-later-message.yaml'), ...janusUrls(), '--transport', 'http,ws']);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.equal(run.stdout.match(/pattern 2 \(line 10\) matches 2 messages main received \(#\d+, #\d+\) by the end of the steps/g)?.length, 2, run.stdout);
    assert.equal(run.stdout.match(/order-later-message\.yaml:8:5/g)?.length, 2, run.stdout);
  });

  it("a request reusing the transaction of one that ended at its ack fails on its own plugin refusal, over both transports", async function () {
    // Over http it passed: the long-poll brought handle a's event after the POST's ack, and handle b's request took it.
    const run = await runCli(['run', files.path('reused-transaction.yaml'), ...janusUrls(), '--transport', 'http,ws']);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.equal(run.stdout.match(/main message got a plugin error: 413 \(ECHOTEST_INVALID_ELEMENT\)/g)?.length, 2, run.stdout);
    assert.equal(run.stdout.match(/reused-transaction\.yaml:11:5/g)?.length, 2, run.stdout);
  });

  it('a request reusing on the same handle the transaction of one that ended at its ack gets its own event, over both transports', async function () {
    // Over http it passed: the earlier message's event, still queued when the second was acked, was taken for its answer.
    const run = await runCli(['run', files.path('reused-transaction-same-handle.yaml'), files.path('reused-transaction-answered.yaml'), ...janusUrls(), '--transport', 'http,ws']);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.equal(run.stdout.match(/main message got a plugin error: 413 \(ECHOTEST_INVALID_ELEMENT\)/g)?.length, 2, run.stdout);
    assert.equal(run.stdout.match(/reused-transaction-same-handle\.yaml:7:5/g)?.length, 2, run.stdout);
    assert.match(run.stdout, /2 passing/);
    assert.match(run.stdout, /2 failing/);
  });

  it('a no_event on a closed connection fails instead of passing having seen nothing', async function () {
    const run = await runCli(['run', files.path('closed-no-event.yaml'), '--transport', 'http,ws']);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.equal(run.stdout.match(/client alice's connection is closed by the client: no message could reach it/g)?.length, 2, run.stdout);
    assert.match(run.stdout, /2 failing/);
  });

  it('a no_event on a reopened client fails while a session it kept cannot send it events (not claimed), and passes once claimed', async function () {
    // It passed: over ws Janus drops the events of a session bound to no connection, over http the poll the close cut took the event.
    const run = await runCli(['run', files.path('reopened-no-event.yaml'), files.path('claimed-no-event.yaml'), '--transport', 'http,ws']);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.equal(run.stdout.match(/no event of session \d+ could reach client alice: the connection was reopened and the session not claimed since/g)?.length, 1, run.stdout);
    assert.equal(run.stdout.match(/no event of session \d+ could reach client alice: a close cut its HTTP long-poll/g)?.length, 1, run.stdout);
    assert.equal(run.stdout.match(/reopened-no-event\.yaml:12:5/g)?.length, 2, run.stdout);
    assert.match(run.stdout, /2 passing/);
    assert.match(run.stdout, /2 failing/);
  });

  it('a wait on a reopened client that has not claimed its session says why no event could come', async function () {
    // Over ws it said only "none arrived".
    const run = await runCli(['run', files.path('reopened-wait.yaml'), '--transport', 'http,ws']);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /none arrived\); no event of session \d+ could reach client alice: the connection was reopened and the session not claimed since/);
    assert.match(run.stdout, /none arrived\); over HTTP, a close cut the long-poll of session \d+/);
  });

  it('every scenario built to fail fails, over http and ws, at its step and saying why', async function () {
    this.timeout(240_000);
    const cases = scenarioDir(Object.fromEntries(FAILING_CASES.map((c, i) => [`case-${String(i).padStart(2, '0')}.yaml`, failingCaseFile(c).text])));
    try {
      const run = await runCli(['run', cases.dir, ...janusUrls(), '--transport', 'http,ws', '--jobs', '2', '--reporter', 'json:-']);
      assert.equal(run.code, 1, run.stderr);
      const reported = (JSON.parse(run.stdout) as { scenarios: Array<{ name: string; transport: string; status: string; failure?: { summary: string; location?: string; mismatches?: unknown[] } }> }).scenarios;
      assert.equal(reported.length, FAILING_CASES.length * 2);
      const wrong: string[] = [];
      FAILING_CASES.forEach((c, i) => {
        const { line } = failingCaseFile(c);
        for (const transport of ['http', 'ws']) {
          const s = reported.find((r) => r.name === c.title && r.transport === transport);
          const where = `case-${String(i).padStart(2, '0')}.yaml:${line}:`;
          if (s?.status !== 'failed') wrong.push(`${c.title} [${transport}]: ${s?.status ?? 'not run'} (a false pass)`);
          else if (!s.failure!.location?.includes(where)) wrong.push(`${c.title} [${transport}]: failed at ${s.failure!.location}, not ${where}: ${s.failure!.summary}`);
          else if (!c.why.test(s.failure!.summary)) wrong.push(`${c.title} [${transport}]: "${s.failure!.summary}" does not say ${c.why}`);
          // A message that did not match says where and what was expected.
          else if (/did not match|the closest one is shown/.test(s.failure!.summary) && !s.failure!.mismatches?.length) wrong.push(`${c.title} [${transport}]: no mismatch named`);
        }
      });
      assert.deepEqual(wrong, []);
    } finally {
      cases.remove();
    }
  });

  it('a reply slower than the scenario\'s own timeout is that scenario\'s failure, not a server problem', async function () {
    const run = await runCli(['run', files.path('slow-reply.yaml'), ...janusUrls(), '--transport', 'http,ws']);
    // Janus may answer within 1 ms (a pass), or ack within it (over HTTP the ack is the POST's
    // reply) and send the event later; what it must never be is a server problem.
    assert.notEqual(run.code, 3, run.stdout + run.stderr);
    assert.doesNotMatch(run.stdout, /server problem/);
    if (run.code === 1) assert.match(run.stdout, /within 1ms; the server is up|got an ack for message \(transaction \w+\) but no final reply or event within 1ms/);
  });
});

/**
 * Silence from a fake server, which unlike Janus can ignore one request and answer the next:
 * a request not answered in time on a server that still answers a ping is the scenario's
 * failure (exit 1); a server that answers nothing at all is a server problem (exit 3).
 */
describe('verdicts on silence', function () {
  let fake: FakeJanus;
  let silent = false;
  const files = scenarioDir({
    'ignored.yaml': `name: one request is never answered
steps:
  - request: { janus: ignore-me }
    timeout: 300ms
`,
    'http-ignored.yaml': `name: one HTTP request is never answered
requires: { transports: [http] }
steps:
  - http: { method: POST, body: { janus: ignore-me, transaction: x } }
    timeout: 300ms
`,
    'dead.yaml': `name: the server stops answering
steps:
  - request: { janus: go-silent }
`,
  });

  before(async () => {
    fake = await FakeJanus.start();
    const decide = (text: string, f: FakeJanus): void => {
      if (text.includes('go-silent')) silent = true;
      f.behaviour = silent || text.includes('ignore-me') ? 'hang' : 'ok';
    };
    fake.onHttpRequest = (req, f) => decide(req.body, f);
    fake.onWsFrame = (frame, f) => decide(frame, f);
  });
  beforeEach(() => (silent = false));
  after(async () => {
    await fake.close();
    files.remove();
  });

  it('an http step not answered in time on a live server fails the scenario (exit 1)', async function () {
    const run = await runCli(['run', files.path('http-ignored.yaml'), '--url', fake.httpUrl, '--step-timeout', '2s']);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /HTTP POST http:\/\/127\.0\.0\.1:\d+\/janus: no response within 300ms; the server is up/);
  });

  for (const transport of ['http', 'ws']) {
    it(`over ${transport}: an unanswered request on a live server fails the scenario (exit 1)`, async function () {
      const url = transport === 'http' ? fake.httpUrl : fake.wsUrl;
      const run = await runCli(['run', files.path('ignored.yaml'), '--url', url, '--step-timeout', '2s']);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stdout, /no reply to ignore-me \(transaction \S+\) within 300ms; the server is up \(it answered a ping\)/);
      assert.match(run.stdout, /ignored\.yaml:3:\d+/);
      assert.doesNotMatch(run.stdout, /server problem/);
    });

    it(`over ${transport}: a server that answers nothing at all is a server problem (exit 3)`, async function () {
      const url = transport === 'http' ? fake.httpUrl : fake.wsUrl;
      const run = await runCli(['run', files.path('dead.yaml'), '--url', url, '--step-timeout', '500ms']);
      assert.equal(run.code, 3, run.stdout + run.stderr);
      assert.match(run.stdout, /server problem: no reply to go-silent \(transaction \S+\) within 500ms, and no answer to a ping within 500ms either/);
    });
  }
});

/** The library's runScenario, in process, against the fake: verdicts that need no real Janus. */
describe('verdicts of runScenario (library)', function () {
  const files = scenarioDir({
    'variable.yaml': `name: a variable whose placeholder has no value
variables:
  sid: "\${session}"
steps:
  - request: info
`,
    'schema.yaml': `name: $schema without a validator given
steps:
  - request: info
    expect: { $schema: core/success/create }
`,
    'handle.yaml': `name: a named handle whose attach failed selects nothing
steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.nope }
    as: h
    expect: { janus: success, echo: $present }
  - wait: { janus: $string }
    handle: h
    within: 5s
`,
  });
  const fakeJanus = useFakeJanus(files);

  async function run(file: string) {
    const loaded = loadFiles([files.path(file)], { knownSchema });
    assert.deepEqual(loaded.diagnostics, []);
    return runScenario(loaded.scenarios[0]!, { transport: 'http', url: fakeJanus().httpUrl, tls: {}, secrets: {} }, { seed: 's', stepTimeoutMs: 2000, scenarioTimeoutMs: 10_000 });
  }

  it('a variable that cannot be resolved fails at its own position', async function () {
    const result = await run('variable.yaml');
    assert.equal(result.status, 'failed');
    assert.equal(result.failure?.kind, 'assertion');
    assert.match(result.failure!.summary, /\$\{session\} has no value/);
    assert.equal(result.failure?.span?.line, 3);
  });

  it('$schema checks against the catalogue when the caller gives no validator', async function () {
    const result = await run('schema.yaml');
    assert.equal(result.status, 'failed', JSON.stringify(result.failure));
    assert.match(result.failure!.mismatches![0]!.expected, /valid against schema core\/success\/create/);
  });

  it('a wait on a named handle that was never bound fails, instead of taking messages without a sender', async function () {
    // The fake answers the attach with a success that has no id, so `as: h` binds nothing; then a
    // message without a sender arrives by long-poll.
    fakeJanus().pollReplies.push(JSON.stringify({ janus: 'timeout', session_id: 4242 }));
    const result = await run('handle.yaml');
    assert.equal(result.status, 'failed', JSON.stringify(result.failure));
    assert.match(result.failure!.summary, /client main has no handle named "h"/);
  });
});
