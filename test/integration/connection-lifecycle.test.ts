import assert from 'node:assert/strict';
import { runCli, scenarioDir } from '../support/cli.js';
import { echotestJanus } from '../support/echotest-janus.js';
import { useFakeJanus } from '../support/fake-janus.js';

interface Reported {
  status: string;
  transport: string;
  failure?: { kind: string; summary: string; location?: string };
  warnings: string[];
  saved: Record<string, unknown>;
  messages: Array<{ client: string; direction: string; message: unknown; connection?: { event: string; by?: string; code?: number; reason?: string } }>;
}

function scenariosOf(stdout: string): Reported[] {
  return (JSON.parse(stdout) as { scenarios: Reported[] }).scenarios;
}

const janusOf = (m: Reported['messages'][number]): { janus?: string; session_id?: number; error?: { code?: number } } => (typeof m.message === 'object' && m.message !== null ? m.message : {}) as never;

/** Steps up to a message sent on a reopened connection whose session was never claimed. */
const REOPENED_UNCLAIMED = `steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.echotest }
  - close: true
  - reopen: true
  - request: { janus: message, body: { audio: true } }
`;

/**
 * Closing and reopening a client's connection against a real Janus: scenarios built to pass and
 * to fail, and every session gone afterwards (the suite checks through the Admin API after each test).
 */
describe('connection lifecycle against Janus', function () {
  this.timeout(90_000);
  const janus = echotestJanus();
  const files = scenarioDir({
    'wrong-code.yaml': `name: expects another close code than was sent
requires: { transports: [ws] }
steps:
  - request: create
  - close: { code: 4000, reason: done }
  - closed: { code: 4001 }
`,
    'closed-handle.yaml': `name: uses a handle on a closed connection
steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.echotest }
  - close: true
  - request: { janus: message, body: { audio: true } }
`,
    'never-claimed.yaml': `name: reopens and never claims; cleanup still destroys the session
steps:
  - request: create
    save: { sid: data.id }
  - close: true
  - reopen: true
  - request: info
`,
    'closed-forever.yaml': `name: closes and never reopens; cleanup connects again to destroy the session
steps:
  - request: create
    save: { sid: data.id }
  - request: { janus: attach, plugin: janus.plugin.echotest }
  - close: true
`,
    'keepalives-missing.yaml': `name: asserts keepalives a 20s period cannot have sent
keepalive: 20s
steps:
  - request: create
  - keepalives: { at_least: 1 }
    within: 300ms
`,
    'keepalives-per-client.yaml': `name: one client's keepalives, not the other's
keepalive: false
clients: [{ name: fast, keepalive: 200ms }, slow]
steps:
  - { request: create, client: fast }
  - { request: create, client: slow }
  - keepalives: { at_least: 3 }
    client: fast
    within: 10s
`,
    'open-reopen.yaml': `name: reopens a connection that is open
steps:
  - request: create
  - reopen: true
`,
    'reopened-event.yaml': `name: reopens without a claim; a request answered by an event gets it over HTTP
${REOPENED_UNCLAIMED}    expect: { janus: event, plugindata: { data: { result: ok } } }
`,
    'cut-poll.yaml': `name: reads events, closes (cutting the long-poll), reopens and waits for an event
requires: { transports: [http] }
${REOPENED_UNCLAIMED}    expect: { janus: ack }
  - wait: { janus: event, plugindata: { data: { result: ok } } }
    within: 1s
`,
    'second-claims.yaml': `name: a second client claims; the claimer destroys the session once
clients: [first, second]
steps:
  - { request: create, client: first, save: { sid: data.id } }
  - request: { janus: claim, session_id: "\${sid}" }
    client: second
`,
  });
  after(() => files.remove());

  const run = async (file: string, transports: string, extra: string[] = []) => {
    const result = await runCli(['run', files.path(file), '-t', transports, '--reporter', 'json:-', ...janus.urls(), ...extra]);
    return { ...result, scenarios: scenariosOf(result.stdout) };
  };

  it('fails (exit 1) when the close code is not the one expected, naming both, at the step', async () => {
    const { code, scenarios, stderr } = await run('wrong-code.yaml', 'ws');
    assert.equal(code, 1, stderr);
    const [s] = scenarios;
    assert.equal(s!.failure?.kind, 'assertion');
    assert.match(s!.failure!.summary, /closed by the client \(code 4000, done\), not as expected/);
    assert.match(s!.failure!.location ?? '', /wrong-code\.yaml:6:5$/);
    const close = s!.messages.find((m) => m.connection);
    assert.deepEqual(close?.connection, { event: 'closed', by: 'client', code: 4000, reason: 'done' });
  });

  for (const transport of ['http', 'ws']) {
    it(`over ${transport}: a request on a closed connection fails the scenario (exit 1), and cleanup destroys the session`, async () => {
      const { code, scenarios, stderr } = await run('closed-handle.yaml', transport);
      assert.equal(code, 1, stderr);
      const [s] = scenarios;
      assert.equal(s!.failure?.kind, 'assertion');
      assert.match(s!.failure!.summary, /client main: the connection is closed \(closed by the client\): a `reopen` step opens a new one/);
      assert.match(s!.failure!.location ?? '', /closed-handle\.yaml:6:5$/);
      assert.deepEqual(s!.warnings, []);
    });

    it(`over ${transport}: a session left unclaimed after a reopen, or on a connection never reopened, is destroyed by cleanup`, async () => {
      for (const file of ['never-claimed.yaml', 'closed-forever.yaml']) {
        const { code, scenarios, stderr } = await run(file, transport);
        assert.equal(code, 0, stderr + JSON.stringify(scenarios[0]?.failure));
        const [s] = scenarios;
        const sid = s!.saved.sid as number;
        const destroys = s!.messages.filter((m) => janusOf(m).janus === 'destroy');
        assert.deepEqual(destroys.map((m) => janusOf(m).session_id ?? sid), [sid], `${file}: one destroy of the session`);
        assert.deepEqual(s!.warnings, [], file);
        assert.deepEqual(await janus.sessions(), [], `${file} left a session`);
      }
    });

    it(`over ${transport}: a claim by a second client moves the session's cleanup to it: one destroy, no 458`, async () => {
      const { code, scenarios, stderr } = await run('second-claims.yaml', transport);
      assert.equal(code, 0, stderr);
      const [s] = scenarios;
      const destroys = s!.messages.filter((m) => janusOf(m).janus === 'destroy');
      assert.deepEqual(destroys.map((m) => m.client), ['second']);
      assert.equal(s!.messages.filter((m) => janusOf(m).error?.code === 458).length, 0);
    });
  }

  // Janus 1.1.2 gives an HTTP session's events to any long-poll naming it: a reopened client gets
  // them without a claim. Over WebSocket a session is its connection's (here destroyed with it).
  it('over http: a reopened client gets its session\'s events without a claim; over ws it does not', async () => {
    const http = await run('reopened-event.yaml', 'http');
    assert.equal(http.code, 0, http.stderr + JSON.stringify(http.scenarios[0]?.failure));
    const ws = await run('reopened-event.yaml', 'ws');
    assert.equal(ws.code, 1, ws.stderr);
    assert.match(ws.scenarios[0]!.failure!.summary, /the reply to main message did not match/);
  });

  it('over http: a wait for an event a cut long-poll took says so', async () => {
    const { code, scenarios, stderr } = await run('cut-poll.yaml', 'http');
    assert.equal(code, 1, stderr);
    assert.match(scenarios[0]!.failure!.summary, /^no message matching the pattern arrived within 1s \(none arrived\); over HTTP, a close cut the long-poll of session \d+: Janus holds a cut poll up to 30 s \(1\.1\.2\) and gives it the session's events, which are lost/);
    assert.match(scenarios[0]!.failure!.location ?? '', /cut-poll\.yaml:10:5$/);
  });

  it('fails (exit 1) when the keepalives asserted were not sent, saying how many were', async () => {
    const { code, scenarios, stderr } = await run('keepalives-missing.yaml', 'http');
    assert.equal(code, 1, stderr);
    assert.match(scenarios[0]!.failure!.summary, /client main had 0 automatic keepalives acked after 300ms \(0 sent\), expected at least 1/);
    assert.match(scenarios[0]!.failure!.location ?? '', /keepalives-missing\.yaml:5:5$/);
  });

  it('counts a client\'s own keepalives, each acked, over http and ws', async () => {
    const { code, scenarios, stderr } = await run('keepalives-per-client.yaml', 'http,ws');
    assert.equal(code, 0, stderr + JSON.stringify(scenarios.map((s) => s.failure)));
    for (const s of scenarios) {
      const sent = s.messages.filter((m) => m.direction === 'out' && janusOf(m).janus === 'keepalive');
      assert.ok(sent.length >= 3, `${s.transport}: ${sent.length} keepalives`);
      assert.deepEqual([...new Set(sent.map((m) => m.client))], ['fast'], 'the slow client sends none');
    }
  });

  it('fails (exit 1) on a reopen of a connection that is open', async () => {
    const { code, scenarios, stderr } = await run('open-reopen.yaml', 'ws');
    assert.equal(code, 1, stderr);
    assert.match(scenarios[0]!.failure!.summary, /only a closed connection can be reopened/);
  });
});

/** A server that closes the WebSocket itself: the close code is observable, and expected or not decides the verdict. */
describe('a connection the server closes', function () {
  this.timeout(30_000);
  const files = scenarioDir({
    'server-close.yaml': `name: the server closes with 4321
requires: { transports: [ws] }
steps:
  - request: { janus: ping, note: close-me }
  - closed: { by: server, code: 4321, reason: bye }
    within: 5s
`,
    'server-close-wrong.yaml': `name: expects 4000, the server closes with 4321
requires: { transports: [ws] }
steps:
  - request: { janus: ping, note: close-me }
  - closed: { by: server, code: 4000 }
    within: 5s
`,
    'server-close-unexpected.yaml': `name: no closed step, the server closes
requires: { transports: [ws] }
steps:
  - request: { janus: ping, note: close-me }
  - sleep: 10s
`,
  });
  const fake = useFakeJanus(files);
  beforeEach(() => {
    fake().behaviour = 'ok';
    fake().onWsFrame = (frame, f) => {
      if (frame.includes('close-me')) setImmediate(() => f.closeWebSockets(4321, 'bye'));
    };
  });

  const run = async (file: string) => {
    const result = await runCli(['run', files.path(file), '--url', fake().wsUrl, '--schema', 'off', '--reporter', 'json:-']);
    return { ...result, scenarios: scenariosOf(result.stdout) };
  };

  it('passes when the scenario expects the close, and the transcript shows it with its code', async () => {
    const { code, scenarios, stderr } = await run('server-close.yaml');
    assert.equal(code, 0, stderr + JSON.stringify(scenarios[0]?.failure));
    const close = scenarios[0]!.messages.find((m) => m.connection);
    assert.deepEqual(close?.connection, { event: 'closed', by: 'server', code: 4321, reason: 'bye' });
    assert.equal(close?.direction, 'in');
  });

  it('fails (exit 1) when the code is not the one expected', async () => {
    const { code, scenarios, stderr } = await run('server-close-wrong.yaml');
    assert.equal(code, 1, stderr);
    assert.match(scenarios[0]!.failure!.summary, /closed by the server \(code 4321, bye\), not as expected/);
  });

  it('is a server problem (exit 3) naming the code when no step expects it', async () => {
    const { code, scenarios, stderr } = await run('server-close-unexpected.yaml');
    assert.equal(code, 3, stderr);
    assert.match(scenarios[0]!.failure!.summary, /connection closed by server \(code 4321, bye\)/);
    assert.ok(scenarios[0]!.messages.some((m) => m.connection?.code === 4321), 'the close is in the transcript');
  });
});
