import assert from 'node:assert/strict';
import { describeRange, parseVersionRange, satisfies } from '../../src/core/version-range.js';
import { loadFiles } from '../../src/compile/load-files.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { knownSchema, schemaEntry, violationsOf } from '../../src/schemas/catalogue.js';
import { holdsFor } from '../../src/schemas/versions.js';
import { scenarioDir } from '../support/cli.js';
import { useFakeJanus } from '../support/fake-janus.js';
import { getTransport, registerTransport } from '../../src/transports/registry.js';
import type { JanusMessage } from '../../src/protocol/messages.js';

/** The fake answers every request `{janus: success, echo: <request>}`: `echo` passes, `pong` fails. */
const PASSES = '{ echo: { janus: ping } }';
const FAILS = '{ janus: pong }';
/** Steps whose last reads a value that only a step for other versions saves. */
const UNSAVED = `steps:
  - request: ping
    janus: ">=9.0.0"
    save: { x: echo.janus }
  - request: ping
    expect: { echo: { janus: "\${x}" } }
`;

describe('Janus version ranges', function () {
  it('parse comparators, alternatives and bare versions', function () {
    const r = (text: string) => {
      const parsed = parseVersionRange(text);
      assert.ok('range' in parsed, text);
      return parsed.range;
    };
    assert.equal(satisfies(r('>=1.3.2'), '1.3.2'), true);
    assert.equal(satisfies(r('>=1.3.2'), '1.3.1'), false);
    assert.equal(satisfies(r('<1.3.2'), '1.1.2'), true);
    assert.equal(satisfies(r('<1.3.2'), '1.3.2'), false);
    assert.equal(satisfies(r('>=1.2.2 <1.4'), '1.4.0'), false);
    assert.equal(satisfies(r('>=1.2.2 <1.4'), '1.3.3'), true);
    assert.equal(satisfies(r('1.1.2'), '1.1.2'), true);
    assert.equal(satisfies(r('1.1.2'), '1.1.20'), false);
    assert.equal(satisfies(r('<1.2 || >=1.4.1'), '1.3.0'), false);
    assert.equal(satisfies(r('<1.2 || >=1.4.1'), '1.4.1'), true);
    assert.equal(describeRange(r('>=1.3.2')), '1.3.2+');
    assert.equal(describeRange(r('<1.3.2')), '<1.3.2');
  });

  it('refuse what is not a range, and ranges no version is in', function () {
    for (const bad of ['~1.3', '>= 1.3', 'banana', '>=1.3.2 ||', '1.2.3.4', '']) assert.ok('problem' in parseVersionRange(bad), bad);
    assert.match((parseVersionRange('>=1.4 <1.3') as { problem: string }).problem, /matches no version/);
    assert.match((parseVersionRange('>1.3.2 <=1.3.2') as { problem: string }).problem, /matches no version/);
  });
});

describe('version-dependent scenarios', function () {
  const files = scenarioDir({
    'steps.yaml': `name: a step per version
steps:
  - request: ping
    janus: ">=1.3.2"
    expect: ${PASSES}
  - request: ping
    janus: "<1.3.2"
    expect: ${FAILS}
`,
    'pattern.yaml': `name: a pattern per version
steps:
  - request: ping
    expect: { echo: { janus: { $janus: { ">=1.3.2": ping, "<1.3.2": pong } } } }
`,
    'bug-shows.yaml': `name: a known bug that shows
steps:
  - request: ping
    expect: ${FAILS}
    known_bug: { what: the reply is wrong, janus: ">=1.3.3 <=1.4.1", link: "https://example.org/bug/1" }
  - request: ping
    expect: ${FAILS}
`,
    'bug-gone.yaml': `name: a known bug that is gone
steps:
  - request: ping
    expect: ${PASSES}
    known_bug: { what: the reply is wrong, janus: ">=1.3.3 <=1.4.1" }
`,
    'scenario-bug.yaml': `name: a known bug of the whole scenario
known_bug: { what: the second reply is wrong, janus: "1.4.1" }
steps:
  - request: ping
    expect: ${PASSES}
  - request: ping
    expect: ${FAILS}
`,
    'scenario-bug-cleanup-fails.yaml': `name: a known bug of the scenario whose steps pass and cleanup fails
known_bug: { what: the reply is wrong, janus: "1.4.1" }
steps:
  - request: ping
    expect: ${PASSES}
cleanup:
  - request: ping
    expect: ${FAILS}
`,
    'http-uncovered.yaml': `name: an http step whose $janus says nothing for the server
requires: { transports: [http] }
steps:
  - http: { method: POST, body: { janus: ping, transaction: h1 } }
    expect: { status: 200, body: { janus: { $not: { $janus: { ">=1.3.0": nope } } } } }
`,
    'bad-range.yaml': `name: bad ranges
steps:
  - request: ping
    janus: "~1.3"
  - request: ping
    janus: ">=1.4 <1.3"
  - request: ping
    expect: { janus: { $janus: { "1.x": pong } } }
`,
    'bad-bug.yaml': `name: a known bug without what
known_bug: { janus: ">=1.3.3" }
steps:
  - request: ping
`,
    'bug-on-include.yaml': `name: a known bug on an include
steps:
  - include: f.fragment.yaml
    known_bug: { what: x, janus: ">=1.3.3" }
`,
    'bug-in-cleanup.yaml': `name: a known bug on a cleanup step
steps:
  - request: ping
cleanup:
  - request: ping
    expect: ${PASSES}
    known_bug: { what: made up, janus: "1.4.1" }
`,
    'never-runs.yaml': `name: an include whose range leaves its step no version, and marks on versions their steps never run on
steps:
  - request: ping
  - include: old.fragment.yaml
    janus: ">=1.3.0"
  - request: ping
    janus: ">=1.3.0"
    known_bug: { what: made up, janus: "1.1.2 || <1.2.0" }
  - include: marked.fragment.yaml
    janus: ">=1.3.0"
  - include: marked.fragment.yaml
    janus: "<1.3.0 || >=1.4.0"
`,
    'shadowed.yaml': `name: $janus cases an earlier range covers, beside cases it does not
steps:
  - request: ping
    expect: { echo: { janus: { $janus: { ">=1.0.0": ping, ">=1.3.0": nope } } } }
  - request: ping
    expect: { echo: { janus: { $janus: { "<1.3.0 || >=1.4.0": ping, ">=1.3.0 <1.4.0": nope, "1.3.3": nope } } } }
  - request: ping
    expect: { echo: { janus: { $janus: { "1.1.2": ping, "<1.1.2 || >1.1.2": ping } } } }
`,
    'old.fragment.yaml': `steps:
  - request: ping
    janus: "<1.3.0"
`,
    'marked.fragment.yaml': `steps:
  - request: ping
    known_bug: { what: made up, janus: "<1.3.0" }
`,
    'f.fragment.yaml': `steps:
  - request: ping
`,
    'slow.yaml': `name: a reply slower than the step
steps:
  - request: create
    timeout: 100ms
    known_bug: { what: made up, janus: "1.4.1" }
`,
    'bug-own-mistake.yaml': `name: a known bug mark over a scenario's own mistake
steps:
  - concurrently:
      - request: { janus: ping, transaction: same }
      - request: { janus: ping, transaction: same }
    known_bug: { what: made up, janus: "1.4.1" }
`,
    'scenario-bug-own-mistake.yaml': `name: a known bug of the scenario over its own mistake
known_bug: { what: made up, janus: "1.4.1" }
steps:
  - concurrently:
      - request: { janus: ping, transaction: same }
      - request: { janus: ping, transaction: same }
`,
    // A marked step the scenario itself made impossible: none of these failures is the server's word.
    'own-unsaved.yaml': `name: a marked step reads a value saved only on other versions
${UNSAVED}    known_bug: { what: made up, janus: "1.4.1" }
`,
    'own-no-session.yaml': `name: a marked step needs a session the client has not
steps:
  - request: keepalive
    known_bug: { what: made up, janus: "1.4.1" }
`,
    'own-version-gap.yaml': `name: a marked step whose $janus says nothing for the server
steps:
  - request: ping
    expect: { echo: { janus: { $janus: { ">=9.0.0": ping } } } }
    known_bug: { what: made up, janus: "1.4.1" }
`,
    'own-wait-version-gap.yaml': `name: a marked wait whose $janus says nothing for the server
steps:
  - request: create
  - wait: { janus: { $janus: { ">=9.0.0": event } } }
    within: 200ms
    known_bug: { what: made up, janus: "1.4.1" }
`,
    'own-wait-closed.yaml': `name: a marked wait on a connection the scenario closed
steps:
  - request: create
  - close: true
  - wait: { janus: event }
    within: 200ms
    known_bug: { what: made up, janus: "1.4.1" }
`,
    'own-reopen-open.yaml': `name: a marked reopen of a connection that is open
steps:
  - request: create
  - reopen: true
    known_bug: { what: made up, janus: "1.4.1" }
`,
    'own-concurrently.yaml': `name: a marked concurrently whose first request mismatches and second is impossible
steps:
  - concurrently:
      - request: ping
        expect: ${FAILS}
      - request: keepalive
    known_bug: { what: made up, janus: "1.4.1" }
`,
    'own-scenario.yaml': `name: a marked scenario reading a value it never saved
known_bug: { what: made up, janus: "1.4.1" }
${UNSAVED}`,
    'gated-away.yaml': `name: every step for other versions
steps:
  - request: ping
    janus: ">=9.0.0"
    expect: ${FAILS}
`,
    'gated-to-sleep.yaml': `name: every step but a sleep for other versions
steps:
  - sleep: 1ms
  - request: ping
    janus: ">=9.0.0"
    expect: ${FAILS}
  - sleep: 0
`,
  });
  const fakeJanus = useFakeJanus(files);

  const load = (file: string) => loadFiles([files.path(file)], { knownSchema });
  async function run(file: string, serverVersion: string | undefined) {
    const loaded = load(file);
    assert.deepEqual(loaded.diagnostics, []);
    return runScenario(loaded.scenarios[0]!, { transport: 'http', url: fakeJanus().httpUrl, tls: {}, secrets: {}, serverVersion }, { seed: 's', stepTimeoutMs: 2000, scenarioTimeoutMs: 10_000 });
  }

  it('a step runs only on the versions it names', async function () {
    assert.equal((await run('steps.yaml', '1.4.1')).status, 'passed');
    const old = await run('steps.yaml', '1.1.2');
    assert.equal(old.status, 'failed', 'the <1.3.2 step runs on 1.1.2 and its pattern fails');
    assert.equal(old.failure?.span?.line, 6);
    assert.match(old.failure!.stepTitle!, /expects Janus <1\.3\.2 behaviour/);
  });

  it('a step with a range fails, saying why, when the server version is unknown', async function () {
    const result = await run('steps.yaml', undefined);
    assert.equal(result.status, 'failed');
    assert.match(result.failure!.summary, /version is unknown/);
  });

  it('a version_string that is no version is an unknown version: the step fails, it is not skipped (nor its pattern guessed)', async function () {
    for (const garbage of ['garbage', 'v1.3.0', '']) {
      const result = await run('steps.yaml', garbage);
      assert.equal(result.status, 'failed', garbage);
      assert.match(result.failure!.summary, /is not a version\), and this step expects Janus >=1\.3\.2/);
      assert.equal((await run('pattern.yaml', garbage)).status, 'failed', `$janus on ${garbage}`);
    }
    assert.equal((await run('steps.yaml', '1.4.0-dev')).status, 'passed', 'a suffix after the numbers is allowed');
  });

  it('a scenario whose every step is for other versions is skipped, saying so, not passed', async function () {
    const result = await run('gated-away.yaml', '1.1.2');
    assert.equal(result.status, 'skipped');
    assert.equal(result.skipReason, 'no step applies to Janus 1.1.2');
    assert.equal((await run('steps.yaml', '1.4.1')).skipReason, undefined, 'one step ran: no skip');
  });

  it('a scenario whose versioned steps all went, leaving only sleeps, is skipped too: it checked nothing', async function () {
    const result = await run('gated-to-sleep.yaml', '1.1.2');
    assert.equal(result.status, 'skipped', 'the sleeps alone passed');
    assert.equal(result.skipReason, 'no step but sleep applies to Janus 1.1.2');
  });

  it('$janus picks the pattern of the version, and says which in a mismatch', async function () {
    assert.equal((await run('pattern.yaml', '1.3.3')).status, 'passed');
    const old = await run('pattern.yaml', '1.3.1');
    assert.equal(old.status, 'failed');
    assert.match(old.failure!.mismatches![0]!.expected, /"pong" \(expects Janus <1\.3\.2 behaviour\)/);
    const unknown = await run('pattern.yaml', undefined);
    assert.equal(unknown.status, 'failed');
  });

  it('a known bug that shows is a known issue: not passed, not failed, the rest not run', async function () {
    const result = await run('bug-shows.yaml', '1.4.1');
    assert.equal(result.status, 'skipped');
    assert.equal(result.failure, undefined);
    assert.equal(result.knownIssue?.outcome, 'present');
    assert.equal(result.knownIssue?.link, 'https://example.org/bug/1');
    assert.match(result.skipReason!, /^known issue of Janus >=1\.3\.3 <=1\.4\.1: the reply is wrong/);
    assert.equal(result.transcript.filter((t) => t.direction === 'out' && (t.message as { janus?: string }).janus === 'ping').length, 1);
  });

  it('a known bug of other versions changes nothing: the failure is a failure', async function () {
    const result = await run('bug-shows.yaml', '1.1.2');
    assert.equal(result.status, 'failed');
    assert.equal(result.knownIssue, undefined);
  });

  it('a known bug never takes a reply slower than the step allows for the bug: a timeout stays a failure', async function () {
    // Answers a ping (the server is up), never a create.
    if (!getTransport('slow-create')) {
      registerTransport({
        name: 'slow-create',
        schemes: ['slow-create'],
        secure: false,
        async connect(_options, sink) {
          return {
            send(payload) {
              const m = payload as JanusMessage;
              if (m.janus === 'ping') setImmediate(() => sink.message({ janus: 'pong', transaction: m.transaction }));
              return Promise.resolve(undefined);
            },
            async close() {},
          };
        },
      });
    }
    const loaded = load('slow.yaml');
    const result = await runScenario(loaded.scenarios[0]!, { transport: 'slow-create', url: 'slow-create://x', tls: {}, secrets: {}, serverVersion: '1.4.1' }, { seed: 's', stepTimeoutMs: 2000, scenarioTimeoutMs: 10_000 });
    assert.equal(result.status, 'failed');
    assert.equal(result.knownIssue, undefined);
    assert.match(result.failure!.summary, /no reply to create .*within 100ms; the server is up \(it answered a ping\), the reply is slower than the step allows/);
  });

  it('a known bug mark never takes the scenario\'s own mistake for the bug (a request under a transaction still in use)', async function () {
    for (const file of ['bug-own-mistake.yaml', 'scenario-bug-own-mistake.yaml']) {
      const result = await run(file, '1.4.1');
      assert.equal(result.status, 'failed', `${file}: ${result.skipReason}`);
      assert.equal(result.knownIssue, undefined, file);
      assert.match(result.failure!.summary, /another request sent with transaction "same" still waits for its reply/, file);
    }
  });

  it('a known bug mark never takes for the bug a step the scenario made impossible: a value never saved, no session, a $janus without the version, a wait on its closed connection', async function () {
    const cases: Array<[string, RegExp]> = [
      ['own-unsaved.yaml', /\$\{x\} has no value/],
      ['own-no-session.yaml', /client main has no session yet/],
      ['own-version-gap.yaml', /did not match; the pattern says nothing for this server: \$janus expects a value for Janus >=9\.0\.0; none covers 1\.4\.1/],
      ['own-wait-version-gap.yaml', /the pattern says nothing for this server/],
      ['own-wait-closed.yaml', /no message matching the pattern arrived within 200ms \(none arrived\); client main's connection is closed by the client/],
      ['own-reopen-open.yaml', /connection is open: only a closed connection can be reopened/],
      ['own-concurrently.yaml', /did not match.*also failed: main keepalive \(line 6\): client main has no session yet/],
      ['own-scenario.yaml', /\$\{x\} has no value/],
    ];
    const wrong: string[] = [];
    for (const [file, why] of cases) {
      const result = await run(file, '1.4.1');
      if (result.status !== 'failed' || result.knownIssue !== undefined) wrong.push(`${file}: ${result.status} (${result.skipReason ?? result.failure?.summary})`);
      else if (!why.test(result.failure!.summary)) wrong.push(`${file}: "${result.failure!.summary}" does not say ${why}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('a known bug that no longer shows fails: fixed in this version, remove the mark', async function () {
    const result = await run('bug-gone.yaml', '1.4.1');
    assert.equal(result.status, 'failed');
    assert.equal(result.knownIssue?.outcome, 'fixed');
    assert.match(result.failure!.summary, /did not show on Janus 1\.4\.1: fixed in this version, remove the mark/);
    assert.equal((await run('bug-gone.yaml', '1.1.2')).status, 'passed');
  });

  it('a known bug of the scenario: its failure is a known issue, its pass a failure', async function () {
    const shows = await run('scenario-bug.yaml', '1.4.1');
    assert.equal(shows.status, 'skipped');
    assert.equal(shows.knownIssue?.outcome, 'present');
    assert.equal((await run('scenario-bug.yaml', '1.3.3')).status, 'failed');
  });

  it('a known bug of the scenario is judged by its steps: a failed cleanup step neither shows it nor hides that it is gone', async function () {
    const gone = await run('scenario-bug-cleanup-fails.yaml', '1.4.1');
    assert.equal(gone.status, 'failed');
    assert.equal(gone.knownIssue?.outcome, 'fixed');
    assert.match(gone.failure!.summary, /did not show on Janus 1\.4\.1/);
    assert.equal(gone.cleanupFailures.length, 1, 'the cleanup failure is still reported');
    // On other versions the cleanup failure is the scenario's failure, as without a mark.
    const other = await run('scenario-bug-cleanup-fails.yaml', '1.1.2');
    assert.equal(other.status, 'failed');
    assert.equal(other.knownIssue, undefined);
  });

  it('an http step whose $janus has no pattern for the server fails, though a $not turned its mismatch into a match', async function () {
    const uncovered = await run('http-uncovered.yaml', '1.1.2');
    assert.equal(uncovered.status, 'failed');
    assert.match(uncovered.failure!.summary, /says nothing for this server: \$janus expects a value for Janus >=1\.3\.0; none covers 1\.1\.2/);
    assert.equal((await run('http-uncovered.yaml', '1.4.1')).status, 'passed', 'on a version it covers, the $not holds');
  });

  it('bad ranges and marks are load errors at file:line:col, before any I/O', function () {
    const ranges = load('bad-range.yaml').diagnostics;
    assert.deepEqual(ranges.map((d) => [d.span.line, d.span.col]), [[4, 12], [6, 12], [8, 41]]);
    assert.match(ranges[0]!.message, /"~1\.3" is not a version comparator/);
    assert.match(ranges[1]!.message, /matches no version/);
    assert.match(ranges[2]!.message, /\$janus: "1\.x" is not a version comparator/);
    const bug = load('bad-bug.yaml').diagnostics;
    assert.equal(bug.length, 1);
    assert.equal(bug[0]!.span.line, 2);
    assert.match(bug[0]!.message, /what/);
    const include = load('bug-on-include.yaml').diagnostics;
    assert.equal(include.length, 1);
    assert.match(include[0]!.message, /known_bug marks one step or the whole scenario, not an include/);
    // On a cleanup step the mark did nothing: the step passed on 1.4.1 with no "did not show".
    const cleanup = load('bug-in-cleanup.yaml').diagnostics;
    assert.deepEqual(cleanup.map((d) => [d.span.line, d.span.col]), [[7, 5]]);
    assert.match(cleanup[0]!.message, /known_bug does nothing on a cleanup step/);
    // A case after ranges that hold all its versions was never chosen: its pattern checked nothing.
    const shadowed = load('shadowed.yaml').diagnostics;
    assert.deepEqual(shadowed.map((d) => d.span.line), [4, 6]);
    assert.match(shadowed[0]!.message, /^\$janus: ">=1\.3\.0" is never chosen: every version in it is in a range before it \(">=1\.0\.0"\)/);
    assert.match(shadowed[1]!.message, /^\$janus: "1\.3\.3" is never chosen/);
    // Each loaded and ran, checking nothing: the step on no version, the marks neither shown nor found gone.
    const never = load('never-runs.yaml').diagnostics;
    assert.deepEqual(never.map((d) => [d.span.line, d.span.col]), [[5, 12], [8, 5], [10, 12]]);
    assert.match(never[0]!.message, /^janus: no version is in all of ">=1\.3\.0" and "<1\.3\.0": main ping .*old\.fragment\.yaml:2:5\) would never run/);
    assert.match(never[1]!.message, /^known_bug: the mark is for Janus "1\.1\.2 \|\| <1\.2\.0", and its step runs only on ">=1\.3\.0"/);
    assert.match(never[2]!.message, /^known_bug: the mark is for Janus "<1\.3\.0", and its step runs only on ">=1\.3\.0": .*marked\.fragment\.yaml:2:5\) could neither show the bug nor find it gone/);
  });
});

describe('the catalogue by version', function () {
  const generated = (extra: Record<string, unknown>) => ({ nosip: 'event', result: { event: 'generated', type: 'offer', sdp: 'v=0', ...extra } });

  it('a field of a later version is unknown on an earlier one, and known on its own', function () {
    const withId = generated({ unique_id: '0b4c2f1e-1111-2222-3333-444455556666' });
    assert.deepEqual(violationsOf('nosip/generated', withId, true, '1.4.1'), []);
    const old = violationsOf('nosip/generated', withId, true, '1.1.2');
    assert.equal(old.length, 1);
    assert.equal(old[0]!.pointer, '/result/unique_id');
    assert.equal(old[0]!.unknownField, true);
  });

  it('a field dropped in a later version is unknown there', function () {
    const status = { janus: 'success', transaction: 't', status: { libnice_debug: false } };
    assert.ok(violationsOf('admin/success/get_status', status, true, '1.4.1').some((v) => v.pointer === '/status/libnice_debug' && v.unknownField));
    assert.ok(!violationsOf('admin/success/get_status', status, true, '1.1.2').some((v) => v.pointer === '/status/libnice_debug'));
  });

  it('enum values hold for their versions (Streaming stop answers idle from 1.3.1)', function () {
    const idle = { streaming: 'event', result: { status: 'idle' } };
    assert.deepEqual(violationsOf('streaming/stopping', idle, true, '1.3.1'), []);
    assert.equal(violationsOf('streaming/stopping', idle, true, '1.1.2').length, 1);
  });

  it('fields and messages added from 1.2.1 to 1.4.1 hold from their version only', function () {
    const cases: Array<[string, unknown, string, string]> = [
      // [schema, message, first version that sends it, a version before]
      ['nosip/forwarders', { nosip: 'event', result: { event: 'forwarders', rtp_forwarders: [{ stream_id: 7, host: '127.0.0.1', port: 5004, media: 'audio', type: 'peer_audio' }] } }, '1.4.0', '1.3.3'],
      ['sip/forwarders', { sip: 'event', result: { event: 'forwarders', rtp_forwarders: [] } }, '1.4.0', '1.3.3'],
      ['nosip/keyframesent', { nosip: 'event', result: { event: 'keyframesent' } }, '1.3.1', '1.2.4'],
      ['sip/hangup', { sip: 'event', result: { event: 'hangup', code: 200, reason: 'OK', headers: { 'X-Why': 'done' } } }, '1.3.3', '1.3.2'],
      ['sip/dtmf', { sip: 'event', call_id: 'c', result: { event: 'dtmf', sender: 'sip:bob@example.com', signal: '5', duration: 800 } }, '1.2.1', '1.1.2'],
      ['videoroom/participants', { videoroom: 'participants', room: 1, participants: [{ id: 2, publisher: false, metadata: { team: 'blue' } }] }, '1.3.0', '1.2.4'],
      ['videoroom/metadata_changed', { videoroom: 'event', id: 2, metadata: { team: 'red' } }, '1.3.0', '1.2.4'],
      ['streaming/answered', { streaming: 'event', result: { status: 'starting' } }, '1.1.4', '1.1.2'],
      ['echotest/svc', { echotest: 'event', videocodec: 'vp9', spatial_layer: 1, temporal_layer: 2 }, '1.1.4', '1.1.2'],
    ];
    for (const [schema, message, from, before] of cases) {
      assert.deepEqual(violationsOf(schema, message, true, from).map((v) => `${v.pointer} ${v.rule}`), [], `${schema} on ${from}`);
      // Before: either the whole message is not of that version, or a field of it is unknown.
      const entry = schemaEntry(schema)!;
      assert.ok(!holdsFor(entry, before) || violationsOf(schema, message, true, before).length > 0, `${schema} on ${before}`);
      assert.ok(holdsFor(entry, from), `${schema} holds on ${from}`);
    }
  });
});
