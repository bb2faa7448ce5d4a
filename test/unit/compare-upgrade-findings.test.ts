import assert from 'node:assert/strict';
import { BASELINE_FORMAT, BASELINE_VERSION, type Baseline, type BaselineMessage, type BaselineStep, type BaselineTest } from '../../src/compare/baseline.js';
import { diffBaselines, uncompared, type Difference } from '../../src/compare/diff.js';

/*
 * Differences the compare got wrong between Janus 1.1.2, 1.3.3 and 1.4.1 on the shipped suite.
 * The messages are those the recordings held (ids shortened), so each case is what a real
 * upgrade showed.
 */

const out = (message: unknown, client = 'alice'): BaselineMessage => ({ client, api: 'janus', direction: 'out', message });
const inn = (message: unknown, client = 'alice'): BaselineMessage => ({ client, api: 'janus', direction: 'in', message });

const SESSION = 4421283758934746;
const HANDLE = 7428659842380752;

/** A session and a handle on a plugin, then a step that gets the events no request asked for. */
function test(plugin: string, events: BaselineMessage[], extra: BaselineMessage[] = []): BaselineTest {
  return {
    id: 'x.yaml#t[ws]', file: 'x.yaml', name: 't', transport: 'ws', status: 'passed',
    steps: [
      { title: 'create', at: 'x.yaml:3', messages: [out({ janus: 'create', transaction: 't1' }), inn({ janus: 'success', transaction: 't1', data: { id: SESSION } })] },
      { title: 'attach', at: 'x.yaml:6', messages: [out({ janus: 'attach', plugin, session_id: SESSION, transaction: 't2' }), inn({ janus: 'success', session_id: SESSION, transaction: 't2', data: { id: HANDLE } }), ...extra] },
      { title: 'wait', at: 'x.yaml:9', messages: [...events, out({ janus: 'detach', session_id: SESSION, handle_id: HANDLE, transaction: 't3' }), inn({ janus: 'success', session_id: SESSION, transaction: 't3' })] },
    ],
  };
}

function baseline(t: BaselineTest): Baseline {
  return { format: BASELINE_FORMAT, version: BASELINE_VERSION, tool: { name: 'janus-scenarios', version: '0' }, recordedAt: '', inventory: {}, tests: [t] };
}

const diff = (a: BaselineTest, b: BaselineTest): Difference[] => diffBaselines(baseline(a), baseline(b), { timing: false });

describe('compare: what real upgrades showed', function () {
  const videoroom = (data: Record<string, unknown>): BaselineMessage =>
    inn({ janus: 'event', session_id: SESSION, sender: HANDLE, plugindata: { plugin: 'janus.plugin.videoroom', data: { videoroom: 'event', room: 384310842776481, ...data } } });

  it('notifications a plugin names alike pair by what they say: one unpublished fewer is not a rename of the next (join-no-notify, 1.1.2 → 1.4.1)', function () {
    const bob = 2581701085443842;
    // 1.1.2 notifies bob's unpublish twice; 1.4.1 once, and names him (display) in both notifications.
    const old = test('janus.plugin.videoroom', [videoroom({ unpublished: bob }), videoroom({ unpublished: bob }), videoroom({ leaving: bob })]);
    const now = test('janus.plugin.videoroom', [videoroom({ display: 'bob', unpublished: bob }), videoroom({ display: 'bob', leaving: bob })]);
    const found = diff(old, now).map((d) => [d.class, d.pointer, d.old ?? null, d.new ?? null]);
    assert.deepEqual(found.filter(([c]) => c === 'renamed'), [], 'no rename: unpublished and leaving are two notifications');
    assert.deepEqual(found, [
      ['field-added', '/plugindata/data/display', null, 'bob'],
      ['field-added', '/plugindata/data/display', null, 'bob'],
      ['multiplicity-changed', '', 3, 2],
    ]);
  });

  it('a new kind of notification is not a rename of an old one (metadata change, 1.3.0)', function () {
    const alice = 2581701085443842;
    const known = [inn({ janus: 'event', session_id: SESSION, sender: HANDLE, plugindata: { plugin: 'janus.plugin.videoroom', data: { videoroom: 'joined', room: 384310842776481, id: alice } } })];
    const old = test('janus.plugin.videoroom', [videoroom({ leaving: alice })], known);
    const now = test('janus.plugin.videoroom', [inn({ janus: 'event', session_id: SESSION, sender: HANDLE, plugindata: { plugin: 'janus.plugin.videoroom', data: { videoroom: 'event', id: alice, metadata: { team: 'red' } } } }), videoroom({ display: 'alice', metadata: { team: 'red' }, leaving: alice })], known);
    assert.deepEqual(diff(old, now).map((d) => [d.class, d.pointer]), [
      ['field-added', '/plugindata/data/display'],
      ['field-added', '/plugindata/data/metadata'],
      ['multiplicity-changed', ''],
    ]);
  });

  it('a link quality that starts at 100 instead of 0 is a value that changed (behaviour), not a type (handle_info, 1.2.0 #3228)', function () {
    const rtcp = (quality: number): Record<string, unknown> => ({ base: 48000, rtt: 0, lost: 0, 'lost-by-remote': 0, 'jitter-local': 0, 'jitter-remote': 0, 'in-link-quality': quality, 'in-media-link-quality': quality, 'out-link-quality': quality, 'out-media-link-quality': quality });
    const handleInfo = (quality: number): BaselineTest => test('janus.plugin.echotest', [], [
      { client: 'admin', api: 'admin', direction: 'out', message: { janus: 'handle_info', session_id: SESSION, handle_id: HANDLE, transaction: 'a1' } },
      { client: 'admin', api: 'admin', direction: 'in', message: { janus: 'success', transaction: 'a1', session_id: SESSION, handle_id: HANDLE, info: { webrtc: { media: [{ mid: '0', rtcp: { main: rtcp(quality) } }] } } } },
    ]);
    const found = diff(handleInfo(0), handleInfo(100));
    assert.equal(found.length, 4);
    for (const d of found) assert.deepEqual([d.class, d.rating, d.old, d.new], ['value-changed', 'behaviour', 0, '<measured>'], d.pointer);
    assert.deepEqual(diff(handleInfo(100), handleInfo(97)), [], 'two measurements are alike');
  });

  it('a trickled candidate with or without sdpMid is the server\'s timing; a field no candidate had before is new (full-trickle, 1.4.1 self-compare)', function () {
    const trickle = (candidate: Record<string, unknown>): BaselineMessage => inn({ janus: 'trickle', session_id: SESSION, sender: HANDLE, candidate });
    const host = (n: number, port: number, mid?: string): BaselineMessage => trickle({ ...(mid !== undefined && { sdpMid: mid }), sdpMLineIndex: 0, candidate: `candidate:${n} 1 udp 2015363327 10.77.0.${n} ${port} typ host` });
    const done = trickle({ completed: true });
    // As 1.4.1 recorded it: the first candidate came before the answer set the mid.
    const old = test('janus.plugin.echotest', [host(1, 25261), host(2, 25238, '0'), done]);
    const now = test('janus.plugin.echotest', [host(1, 22446, '0'), host(2, 22402, '0'), done]);
    assert.deepEqual(diff(old, now), []);
    assert.deepEqual(diff(now, old), []);
    const never = test('janus.plugin.echotest', [host(1, 25261), host(2, 25238), done]);
    assert.deepEqual(diff(never, now).map((d) => [d.class, d.pointer, d.rating]), [['field-added', '/candidate/sdpMid', 'additive'], ['field-added', '/candidate/sdpMid', 'additive']]);
    assert.deepEqual(diff(now, never).map((d) => [d.class, d.pointer, d.rating]), [['field-removed', '/candidate/sdpMid', 'breaking'], ['field-removed', '/candidate/sdpMid', 'breaking']]);
  });

  it('a step a scenario states per version, at another line, is compared with its counterpart (textroom kick, 1.3.2 973f46cd)', function () {
    const kick = (at: string, data: Record<string, unknown>): BaselineTest => {
      const t = test('janus.plugin.textroom', []);
      t.steps.splice(2, 0, {
        title: 'carol kicks bob', at,
        messages: [
          out({ janus: 'message', session_id: SESSION, handle_id: HANDLE, body: { request: 'kick', room: 3190529102630470, secret: 'k1ck', username: 'bob' }, transaction: 'k1' }),
          inn({ janus: 'success', session_id: SESSION, transaction: 'k1', sender: HANDLE, plugindata: { plugin: 'janus.plugin.textroom', data } }),
        ],
      });
      return t;
    };
    const found = diff(kick('x.yaml:121', { textbridge: 'success' }), kick('x.yaml:126', { textroom: 'success' }));
    assert.deepEqual(found.map((d) => [d.step, d.class, d.pointer, d.old, d.new, d.rating]), [['x.yaml:121', 'renamed', '/plugindata/data/textbridge', 'textbridge', 'textroom', 'breaking']]);
    // A step that really was not reached is still one.
    const stopped = kick('x.yaml:121', { textbridge: 'success' });
    const shorter = test('janus.plugin.textroom', []);
    assert.deepEqual(diff(stopped, shorter).map((d) => [d.class, d.message]), [['message-missing', '(step not reached: 2 message(s))']]);
  });

  it('a list element naming an id the test sees later, on another connection, is the test\'s own (audiobridge joined, 1.4.1 self-compare)', function () {
    const room = 3854760875651060;
    const carol = 2731472849021976;
    const joined = (client: string, session: number, handle: number): BaselineMessage => inn({ janus: 'event', session_id: session, sender: handle, plugindata: { plugin: 'janus.plugin.audiobridge', data: { audiobridge: 'joined', room, participants: [{ id: carol, setup: false, muted: false }] } } }, client);
    // Sessions and handles known from the steps before, as on a real run (one here, to keep it short).
    const reply = inn({ janus: 'event', session_id: SESSION, transaction: 'j1', sender: HANDLE, plugindata: { plugin: 'janus.plugin.audiobridge', data: { audiobridge: 'joined', room, id: carol, participants: [] } } }, 'carol');
    const join = out({ janus: 'message', body: { request: 'join', room }, transaction: 'j1' }, 'carol');
    const run = (order: BaselineMessage[]): BaselineTest => {
      const t = test('janus.plugin.audiobridge', []);
      t.steps.splice(2, 0, { title: 'carol joins', at: 'x.yaml:68', messages: [join, ...order] });
      return t;
    };
    // The others hear of carol before, or after, carol's own reply names her.
    const alice = joined('alice', SESSION, HANDLE);
    const bob = joined('bob', SESSION, HANDLE);
    assert.deepEqual(diff(run([alice, bob, reply]), run([reply, alice, bob])), []);
    assert.deepEqual(diff(run([reply, alice, bob]), run([alice, bob, reply])), []);
  });

  it('replies on two clients\' connections have no order between them; on one connection they do (concurrent-messages, 1.4.1 self-compare)', function () {
    const msg = (client: string, tx: string): BaselineMessage => out({ janus: 'message', session_id: SESSION, handle_id: HANDLE, body: { audio: true }, transaction: tx }, client);
    const ok = (client: string, tx: string): BaselineMessage => inn({ janus: 'event', session_id: SESSION, transaction: tx, sender: HANDLE, plugindata: { plugin: 'janus.plugin.echotest', data: { echotest: 'event', result: 'ok' } } }, client);
    const run = (messages: BaselineMessage[]): BaselineTest => {
      const t = test('janus.plugin.echotest', []);
      t.steps.splice(2, 0, { title: 'three messages at once', at: 'x.yaml:18', messages });
      return t;
    };
    const sent = [msg('alice', 'm1'), msg('bob', 'm2')];
    assert.deepEqual(diff(run([...sent, ok('alice', 'm1'), ok('bob', 'm2')]), run([...sent, ok('bob', 'm2'), ok('alice', 'm1')])), []);
    // One connection: an info and a message, their replies swapped.
    const info = (tx: string): BaselineMessage => out({ janus: 'info', transaction: tx }, 'alice');
    const infoReply = (tx: string): BaselineMessage => inn({ janus: 'server_info', transaction: tx }, 'alice');
    const found = diff(run([info('i1'), msg('alice', 'm1'), infoReply('i1'), ok('alice', 'm1')]), run([info('i1'), msg('alice', 'm1'), ok('alice', 'm1'), infoReply('i1')]));
    assert.deepEqual(found.map((d) => [d.class, d.message, d.new]), [['order-changed', "(order of alice's messages)", ['info', 'message', 'message → event echotest:event', 'info → server_info']]]);
  });

  it('an SDP that changed is reported as the lines that changed, by section, not as two whole SDPs (echotest answer, 1.1.2 → 1.4.1)', function () {
    const answer = (video: string[]): BaselineTest => test('janus.plugin.echotest', [], [
      out({ janus: 'message', session_id: SESSION, handle_id: HANDLE, body: { audio: true }, transaction: 'e1', jsep: { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n' } }),
      inn({ janus: 'event', session_id: SESSION, sender: HANDLE, transaction: 'e1', plugindata: { plugin: 'janus.plugin.echotest', data: { echotest: 'event', result: 'ok' } }, jsep: { type: 'answer', sdp: ['v=0', 'o=- 3378116271683540 1 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0 1', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=rtpmap:111 opus/48000/2', 'a=rtcp-fb:111 transport-cc', 'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=rtpmap:96 VP8/90000', ...video, ''].join('\r\n') } }),
    ]);
    const found = diff(answer(['a=rtcp-fb:96 nack', 'a=rtcp-fb:96 transport-cc']), answer(['a=rtcp-fb:96 nack']));
    assert.deepEqual(found.map((d) => [d.pointer, d.class, d.rating, d.old, d.new]), [['/jsep/sdp', 'value-changed', 'behaviour', ['video: a=rtcp-fb:96 transport-cc'], []]]);
    const moved = diff(answer(['a=rtcp-fb:96 nack', 'a=rtcp-fb:96 goog-remb']), answer(['a=rtcp-fb:96 goog-remb', 'a=rtcp-fb:96 nack']));
    assert.deepEqual(moved.map((d) => [d.old, d.new]), [[['video: a=rtcp-fb:96 nack', 'video: a=rtcp-fb:96 goog-remb'], ['video: a=rtcp-fb:96 goog-remb', 'video: a=rtcp-fb:96 nack']]]);
  });

  it('of a version\'s own steps, the one that says most alike pairs; what the scenario sent is not the server\'s change (videoroom-metadata, 1.3.0)', function () {
    const room = 384310842776481;
    const alice = 2581701085443842;
    const join = (at: string, tx: string, metadata: unknown, reply: Record<string, unknown>): BaselineStep => ({
      title: 'alice joins', at,
      messages: [
        out({ janus: 'message', session_id: SESSION, handle_id: HANDLE, body: { request: 'join', ptype: 'publisher', room, display: 'Alice', ...(metadata !== undefined && { metadata }) }, transaction: tx }),
        inn({ janus: 'event', session_id: SESSION, sender: HANDLE, transaction: tx, plugindata: { plugin: 'janus.plugin.videoroom', data: reply } }),
      ],
    });
    const joined = (metadata?: unknown): Record<string, unknown> => ({ videoroom: 'joined', room, description: 'r', id: alice, private_id: 77, display: 'Alice', ...(metadata !== undefined && { metadata }), publishers: [] });
    const run = (steps: BaselineStep[]): BaselineTest => {
      const t = test('janus.plugin.videoroom', []);
      t.steps.splice(2, 0, ...steps);
      return t;
    };
    const old = run([join('x.yaml:35', 'j1', undefined, joined())]);
    const now = run([
      join('x.yaml:21', 'j1', 'blue', { videoroom: 'event', error_code: 430, error: 'Invalid element type (metadata should be a JSON object)' }),
      join('x.yaml:29', 'j2', { team: 'blue' }, joined({ team: 'blue' })),
    ]);
    const found = diff(old, now).map((d) => [d.step, d.class, d.message, d.pointer]);
    assert.deepEqual(found, [
      ['x.yaml:35', 'field-added', 'message videoroom.join → event videoroom:joined', '/plugindata/data/metadata'],
      ['x.yaml:21', 'extra-message', '(step not in the baseline: 2 message(s))', ''],
    ]);
  });

  it('layer reports that carry the same fields grouped otherwise are one multiplicity change; a field gone is still missing (echotest simulcast, 1.1.2 → 1.4.1)', function () {
    const layer = (data: Record<string, unknown>): BaselineMessage => inn({ janus: 'event', session_id: SESSION, sender: HANDLE, plugindata: { plugin: 'janus.plugin.echotest', data: { echotest: 'event', videocodec: 'vp8', ...data } } });
    // As recorded: 1.1.2 announces the substream and the temporal layer apart, 1.4.1 together.
    const old = test('janus.plugin.echotest', [layer({ substream: 0 }), layer({ temporal: 2 }), layer({ substream: 1 }), layer({ substream: 2 })]);
    const now = test('janus.plugin.echotest', [layer({ substream: 0, temporal: 2 }), layer({ substream: 1, temporal: 2 }), layer({ substream: 2, temporal: 2 })]);
    const found = diff(old, now);
    assert.deepEqual(found.map((d) => [d.stepTitle, d.class, d.rating, d.message]), [['(media reports, whole test)', 'multiplicity-changed', 'behaviour', 'event event echotest:event']]);
    assert.equal((found[0]!.old as unknown[]).length, 2);
    assert.equal((found[0]!.new as unknown[]).length, 1);
    const noTemporal = test('janus.plugin.echotest', [layer({ substream: 0 }), layer({ substream: 2 })]);
    assert.deepEqual(diff(old, noTemporal).map((d) => [d.class, d.rating]), [['message-missing', 'breaking']]);
  });

  it('an SVC layer report split in two, whose fields other reports still carry, is a regrouping (videoroom-svc, 1.1.2 → 1.4.1)', function () {
    const svc = (data: Record<string, unknown>): BaselineMessage => inn({ janus: 'event', session_id: SESSION, sender: HANDLE, plugindata: { plugin: 'janus.plugin.videoroom', data: { videoroom: 'event', room: 384310842776481, mid: '0', ...data } } });
    const old = test('janus.plugin.videoroom', [svc({ spatial_layer: 0, temporal_layer: 0 }), svc({ temporal_layer: 1 }), svc({ spatial_layer: 1 })]);
    const now = test('janus.plugin.videoroom', [svc({ spatial_layer: 0 }), svc({ temporal_layer: 0 }), svc({ temporal_layer: 1 }), svc({ spatial_layer: 1 })]);
    assert.deepEqual(diff(old, now).map((d) => [d.class, d.rating, (d.old as unknown[]).length, (d.new as unknown[]).length]), [['multiplicity-changed', 'behaviour', 1, 0]]);
  });
});

describe('compare: what consecutive upgrades showed (1.1.2 → 1.2.4 → 1.3.3)', function () {
  const exchangeTest = (steps: BaselineStep[], transport = 'http'): BaselineTest => ({ id: `x.yaml#t[${transport}]`, file: 'x.yaml', name: 't', transport, status: 'passed', steps });
  const step = (at: string, title: string, messages: BaselineMessage[]): BaselineStep => ({ title, at, messages });

  it('an http step\'s answer pairs with the other run\'s, whatever it is: a 404 that became a pong is one error change, rated behaviour (GET /janus/ping, 1.2.2)', function () {
    const get: BaselineMessage = { client: 'main', api: 'janus', direction: 'out', message: '', http: { method: 'GET', path: '/janus/ping' } };
    const old = exchangeTest([step('x.yaml:11', 'GET /ping is not a path before 1.2.2 (expects Janus <1.2.2 behaviour)', [get, { client: 'main', api: 'janus', direction: 'in', message: '', http: { status: 404 }, wire: { status: 404 } }])]);
    const now = exchangeTest([step('x.yaml:15', 'GET /ping answers pong (expects Janus 1.2.2+ behaviour)', [get, { client: 'main', api: 'janus', direction: 'in', message: { janus: 'pong', transaction: 'CVhU11wXZc3' }, http: { status: 200 }, wire: { status: 200 } }])]);
    assert.deepEqual(diff(old, now).map((d) => [d.class, d.rating, d.message, d.old, d.new]), [
      ['error-code-changed', 'behaviour', 'GET /janus/ping → HTTP 404 ⇒ GET /janus/ping → pong', 'HTTP 404', 'success'],
    ]);
  });

  it('an error Janus sends without a transaction, to a text it could not read, is that text\'s answer: 454 that became a pong is one error change (ws trailing newline, 1.1.4)', function () {
    const frame = out('{"janus":"ping","transaction":"trailing-newline"}\n', 'main');
    const old = exchangeTest([step('x.yaml:11', 'a ping followed by a newline is invalid JSON (expects Janus <1.1.4 behaviour)', [frame, inn({ janus: 'error', error: { code: 454, reason: "Invalid Janus API request - <string>(2,0): '[' or '{' expected near end of file" } }, 'main')])], 'ws');
    const now = exchangeTest([step('x.yaml:15', 'a ping followed by a newline is answered (expects Janus 1.1.4+ behaviour)', [frame, inn({ janus: 'pong', transaction: 'trailing-newline' }, 'main')])], 'ws');
    assert.deepEqual(diff(old, now).map((d) => [d.class, d.rating, d.old, d.new]), [['error-code-changed', 'behaviour', '454 INVALID_JSON', 'success']]);
  });

  it('a step the scenario runs only on older versions, skipped by a new run that went on, and the cleanup request it sends there, are not differences (set_libnice_debug, 1.3.2)', function () {
    const admin = (message: unknown, direction: 'out' | 'in'): BaselineMessage => ({ client: 'admin', api: 'admin', direction, message });
    const request = (verb: string, t: string, extra: Record<string, unknown> = {}): BaselineMessage[] => [admin({ janus: verb, transaction: t, ...extra }, 'out'), admin({ janus: 'success', transaction: t, ...extra }, 'in')];
    const gated = step('x.yaml:105', 'admin set_libnice_debug (expects Janus <1.3.2 behaviour)', request('set_libnice_debug', 'a2', { debug: false }));
    const last = step('x.yaml:114', 'admin set_min_nack_queue', request('set_min_nack_queue', 'a3', { min_nack_queue: 500 }));
    const cleanup = (libnice: boolean): BaselineStep => step('', '(cleanup)', [...(libnice ? request('set_libnice_debug', 'c1', { debug: false }) : []), ...request('set_slowlink_threshold', 'c2')]);
    const old = exchangeTest([gated, last, cleanup(true)]);
    assert.deepEqual(diff(old, exchangeTest([last, cleanup(false)])), [], 'skipped by its version range: not "not reached"');
    // A new run that stopped before the step did not reach it: that is still said.
    const stopped = diff(old, { ...exchangeTest([cleanup(false)]), status: 'failed', failure: 'lost the connection' }).map((d) => [d.class, d.step, d.message]);
    assert.deepEqual(stopped.filter(([c]) => c === 'message-missing'), [
      ['message-missing', 'x.yaml:105', '(step not reached: 2 message(s))'],
      ['message-missing', 'x.yaml:114', '(step not reached: 2 message(s))'],
    ]);
  });
});

describe('compare: the server\'s own description, said once (1.1.2 → 1.2.4)', function () {
  const info = (extra: Record<string, unknown>, plugins: string[]): Record<string, unknown> => ({
    janus: 'server_info', name: 'Janus WebRTC Server', version: 1102, session_timeout: 60, ...extra,
    plugins: Object.fromEntries(plugins.map((p) => [p, { name: p, version: 1 }])), transports: {}, events: {}, loggers: {},
  });
  const OLD_PLUGINS = ['janus.plugin.echotest', 'janus.plugin.voicemail'];
  const NEW_PLUGINS = ['janus.plugin.echotest'];
  function run(serverInfo: Record<string, unknown>, reply: Record<string, unknown>): Baseline {
    const t: BaselineTest = {
      id: 'info.yaml#info[ws]', file: 'info.yaml', name: 'info', transport: 'ws', status: 'passed',
      steps: [{ title: 'info', at: 'info.yaml:10', messages: [out({ janus: 'info', transaction: 't1' }), inn({ ...reply, transaction: 't1' })] }],
    };
    return { ...baseline(t), inventory: { ws: { info: serverInfo } } };
  }

  it('a key info gained or a plugin gone is the inventory\'s change, counted there, not listed again for every info reply', function () {
    const old = info({}, OLD_PLUGINS);
    const now = info({ 'ice-consent-freshness': false }, NEW_PLUGINS);
    // The reply of a test run on a server of other settings (a scenario's requires.janus) differs otherwise too.
    const found = diffBaselines(run(old, old), run(now, { ...now, session_timeout: 120 }), { timing: false });
    assert.deepEqual(found.map((d) => [d.test, d.class, d.pointer, d.count ?? null]), [
      ['inventory[ws]', 'plugin-removed', '/info/plugins/janus.plugin.voicemail', 1],
      ['inventory[ws]', 'setting-added', '/info/ice-consent-freshness', 1],
      ['info.yaml#info[ws]', 'value-changed', '/session_timeout', null],
    ]);
    assert.equal(found[0]!.example, 'info.yaml:10 (info): info → server_info');
  });
});

describe('compare: a bug a version brings is compared, not set aside (audiobridge kick, 1.2.2)', function () {
  const audiobridge = (data: Record<string, unknown>): BaselineMessage =>
    inn({ janus: 'event', session_id: SESSION, sender: HANDLE, plugindata: { plugin: 'janus.plugin.audiobridge', data: { audiobridge: 'event', room: 1234, ...data } } });
  const KNOWN = 'known issue of Janus >=1.2.2 <=1.4.1: a participant kicked before it has a PeerConnection stays in the room';

  it('a test skipped as a known issue ran to its end: its messages and verdict are compared, and it is not "not compared"', function () {
    const old = test('janus.plugin.audiobridge', [audiobridge({ leaving: 20 })]);
    const now: BaselineTest = { ...test('janus.plugin.audiobridge', [inn({ janus: 'event', session_id: SESSION, sender: HANDLE, plugindata: { plugin: 'janus.plugin.audiobridge', data: { audiobridge: 'joined', room: 1234, participants: [{ id: 20, setup: false, muted: false }] } } })]), status: 'skipped', failure: KNOWN };
    const found = diff(old, now).map((d) => [d.class, d.message, d.new ?? null]);
    assert.deepEqual(found.map(([c, m]) => [c, m]), [
      ['message-missing', 'event event audiobridge:event'],
      ['extra-message', 'event event audiobridge:joined'],
      ['status-changed', '(verdict)'],
    ]);
    assert.equal(found[2]![2], `skipped: ${KNOWN}`);
    assert.deepEqual(uncompared(baseline(old), baseline(now)), []);
    // A test skipped before it started (no plugin, another transport) has nothing to compare.
    const notRun: BaselineTest = { ...old, status: 'skipped', failure: 'plugin janus.plugin.audiobridge is not installed', steps: [] };
    assert.deepEqual(diff(old, notRun), []);
    assert.deepEqual(uncompared(baseline(old), baseline(notRun)).map((u) => u.reason), ['skipped in this run: plugin janus.plugin.audiobridge is not installed']);
  });

  it('a step that holds only the engine\'s keepalive and its ack is not a step not reached when the other run lacks it', function () {
    const t = test('janus.plugin.audiobridge', []);
    const waiting: BaselineStep = { title: 'carol waits for event', at: 'x.yaml:63', messages: [out({ janus: 'keepalive', session_id: SESSION, transaction: 'k1' }), inn({ janus: 'ack', session_id: SESSION, transaction: 'k1' })] };
    const old: BaselineTest = { ...t, status: 'failed', failure: 'no message', steps: [...t.steps, waiting] };
    assert.deepEqual(diff(old, { ...t, status: 'failed', failure: 'no message' }), []);
    assert.deepEqual(diff({ ...t, status: 'failed', failure: 'no message' }, old), []);
  });
});

describe('compare: what a timed-out session says (session-timeout, 1.1.2 self-compare)', function () {
  const steps = (events: BaselineMessage[]): BaselineTest => ({
    id: 'timeout.yaml#t[ws]', file: 'timeout.yaml', name: 't', transport: 'ws', status: 'passed',
    steps: [
      { title: 'main create', at: 'timeout.yaml:13', messages: [out({ janus: 'create', transaction: 't1' }), inn({ janus: 'success', transaction: 't1', data: { id: SESSION } })] },
      { title: 'main attach', at: 'timeout.yaml:15', messages: [out({ janus: 'attach', plugin: 'janus.plugin.echotest', transaction: 't2' }), inn({ janus: 'success', session_id: SESSION, transaction: 't2', data: { id: HANDLE } })] },
      { title: 'sleep 7000ms', at: 'timeout.yaml:16', messages: events },
      { title: 'main keepalive', at: 'timeout.yaml:17', messages: [out({ janus: 'keepalive', session_id: SESSION, transaction: 't3' }), inn({ janus: 'error', session_id: SESSION, transaction: 't3', error: { code: 458, reason: `No such session ${SESSION}` } })] },
    ],
  });
  const done = inn({ janus: 'event', session_id: SESSION, sender: HANDLE, plugindata: { plugin: 'janus.plugin.echotest', data: { echotest: 'event', result: 'done' } } });
  const timeout = inn({ janus: 'timeout', session_id: SESSION });

  it('an event of a session after its timeout races the session\'s removal: its presence is timing', function () {
    assert.deepEqual(diff(steps([timeout, done]), steps([timeout])), []);
    assert.deepEqual(diff(steps([timeout]), steps([timeout, done])), []);
  });

  it('the same event without a timeout before it is still a message missing', function () {
    assert.deepEqual(diff(steps([done]), steps([])).map((d) => [d.class, d.message]), [['message-missing', 'event event echotest:event']]);
  });
});

describe('compare: a step only one run has is named by what the server decided (echotest errors-413, 1.1.2 → 1.2.4)', function () {
  it('whether the ack of its request came does not change its entry, so a re-run that got the ack shows the same difference', function () {
    const base = test('janus.plugin.echotest', []);
    const request = out({ janus: 'message', session_id: SESSION, handle_id: HANDLE, body: { spatial_layer: 1, temporal_layer: 2 }, transaction: 'm1' });
    const reply = inn({ janus: 'event', session_id: SESSION, sender: HANDLE, transaction: 'm1', plugindata: { plugin: 'janus.plugin.echotest', data: { echotest: 'event', result: 'ok' } } });
    const ack = inn({ janus: 'ack', session_id: SESSION, transaction: 'm1' });
    const withStep = (messages: BaselineMessage[]): BaselineTest => ({ ...base, steps: [...base.steps, { title: 'a valid spatial_layer is accepted from 1.1.4 (expects Janus 1.1.4+ behaviour)', at: 'x.yaml:67', messages }] });
    const named = (messages: BaselineMessage[]): unknown[] => diff(base, withStep(messages)).map((d) => [d.class, d.message, d.new]);
    assert.deepEqual(named([request, ack, reply]), named([request, reply]));
    assert.deepEqual(named([request, reply]), [['extra-message', '(step not in the baseline: 2 message(s))', ['message', 'message → event echotest:event']]]);
  });
});
