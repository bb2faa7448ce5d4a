import assert from 'node:assert/strict';
import { BASELINE_FORMAT, BASELINE_VERSION, type Baseline, type BaselineMessage, type BaselineTest } from '../../src/compare/baseline.js';
import { failingRatings } from '../../src/compare/classify.js';
import { diffBaselines, diffInventory, fingerprint, uncompared, type Difference } from '../../src/compare/diff.js';
import { askedModules } from '../../src/compare/inventory.js';
import { comparedTests, unpairablePlan } from '../../src/compare/pairing.js';
import { compareReport, consoleText, markdownText } from '../../src/compare/report.js';
import { renderCompareHtml } from '../../src/reporters/html/compare.js';
import { normalizeSdp, Symbols } from '../../src/compare/symbols.js';

const out = (message: unknown): BaselineMessage => ({ client: 'c', api: 'janus', direction: 'out', message });
const inn = (message: unknown): BaselineMessage => ({ client: 'c', api: 'janus', direction: 'in', message });

/** A synthetic transcript: create, attach to echotest, a message answered by an event naming the handle. */
function transcript(o: { session: number; handle: number; sender?: number; tx?: string; event?: Record<string, unknown>; extra?: BaselineMessage[] }): BaselineTest {
  const tx = o.tx ?? 'ab';
  return {
    id: 'a.yaml#t[ws]', file: 'a.yaml', name: 't', transport: 'ws', status: 'passed',
    steps: [
      { title: 'create', at: 'a.yaml:3', messages: [out({ janus: 'create', transaction: `${tx}1` }), inn({ janus: 'success', transaction: `${tx}1`, data: { id: o.session } })] },
      { title: 'attach', at: 'a.yaml:6', messages: [out({ janus: 'attach', plugin: 'janus.plugin.echotest', session_id: o.session, transaction: `${tx}2` }), inn({ janus: 'success', session_id: o.session, transaction: `${tx}2`, data: { id: o.handle } })] },
      {
        title: 'message', at: 'a.yaml:9',
        messages: [
          out({ janus: 'message', session_id: o.session, handle_id: o.handle, transaction: `${tx}3`, body: { audio: true } }),
          inn({ janus: 'event', session_id: o.session, sender: o.sender ?? o.handle, transaction: `${tx}3`, plugindata: { plugin: 'janus.plugin.echotest', data: o.event ?? { echotest: 'event', result: 'ok' } } }),
          ...(o.extra ?? []),
        ],
      },
    ],
  };
}

function baseline(tests: BaselineTest[], info: Record<string, unknown> = { janus: 'server_info', version: 1102 }): Baseline {
  return { format: BASELINE_FORMAT, version: BASELINE_VERSION, tool: { name: 'janus-scenarios', version: '0' }, recordedAt: '', inventory: { ws: { info } }, tests };
}

const diff = (a: BaselineTest, b: BaselineTest): Difference[] => diffBaselines(baseline([a]), baseline([b]));

describe('compare: symbols for volatile values', function () {
  it('binds the same id to the same symbol and different ids to different ones', function () {
    const s = new Symbols();
    const a = s.normalize({ session_id: 8765432101234, data: { id: 8765432101234 }, transaction: 'x' }) as Record<string, unknown>;
    const b = s.normalize({ session_id: 1234567890123 }) as Record<string, unknown>;
    assert.equal(a.session_id, (a.data as Record<string, unknown>).id);
    assert.notEqual(b.session_id, a.session_id);
    assert.match(String(a.transaction), /^\$transaction\d$/);
  });

  it('masks times, ports, versions and keeps small literal numbers', function () {
    const n = new Symbols().normalize({ version_string: '1.1.2', 'commit-hash': 'abc', 'compile-time': 'x', timestamp: 123, rtp_port: 5004, room: 1234, bitrate: 128000, 'session-timeout': 60 }) as Record<string, unknown>;
    assert.deepEqual(n, { version_string: '<version>', 'commit-hash': '<version>', 'compile-time': '<version>', timestamp: '<time>', rtp_port: '<port>', room: '$room1', bitrate: 128000, 'session-timeout': 60 });
  });

  it('masks the SDP lines each run draws anew, and keeps codecs and directions', function () {
    const sdp = 'v=0\r\no=- 123 2 IN IP4 127.0.0.1\r\nm=audio 40000 UDP/TLS/RTP/SAVPF 111\r\na=fingerprint:sha-256 AA:BB\r\na=sendrecv\r\na=rtpmap:111 opus/48000/2';
    assert.equal(normalizeSdp(sdp), 'v=0\r\no=<origin>\r\nm=audio <port> UDP/TLS/RTP/SAVPF 111\r\na=fingerprint:sha-256 <fingerprint>\r\na=sendrecv\r\na=rtpmap:111 opus/48000/2');
  });

  it('reports nothing for two runs that differ only in volatile values', function () {
    assert.deepEqual(diff(transcript({ session: 11111111111, handle: 22222222222 }), transcript({ session: 33333333333, handle: 44444444444, tx: 'zz' })), []);
  });

  it('reports an id that becomes a different symbol (the event names another handle)', function () {
    const d = diff(transcript({ session: 11111111111, handle: 22222222222 }), transcript({ session: 33333333333, handle: 44444444444, sender: 55555555555 }));
    assert.equal(d.length, 1);
    assert.equal(d[0]!.pointer, '/sender');
    assert.equal(d[0]!.class, 'value-changed');
    assert.notEqual(d[0]!.old, d[0]!.new);
  });
});

describe('compare: classification', function () {
  const old = transcript({ session: 11111111111, handle: 22222222222 });

  it('an added field is additive, at its JSON pointer, in the plugin it concerns', function () {
    const d = diff(old, transcript({ session: 3e10, handle: 4e10, event: { echotest: 'event', result: 'ok', extra: 1 } }));
    assert.deepEqual(d.map((x) => [x.class, x.rating, x.pointer, x.plugin, x.step]), [['field-added', 'additive', '/plugindata/data/extra', 'janus.plugin.echotest', 'a.yaml:9']]);
    assert.equal(d[0]!.message, 'message → event echotest:event');
  });

  it('a removed field is breaking; a type change is breaking; a value change is behaviour', function () {
    const removed = diff(old, transcript({ session: 3e10, handle: 4e10, event: { echotest: 'event' } }));
    assert.deepEqual(removed.map((x) => [x.class, x.rating, x.pointer, x.old]), [['field-removed', 'breaking', '/plugindata/data/result', 'ok']]);
    const typed = diff(old, transcript({ session: 3e10, handle: 4e10, event: { echotest: 'event', result: 1 } }));
    assert.deepEqual(typed.map((x) => [x.class, x.rating]), [['type-changed', 'breaking']]);
    const valued = diff(old, transcript({ session: 3e10, handle: 4e10, event: { echotest: 'event', result: 'done' } }));
    assert.deepEqual(valued.map((x) => [x.class, x.rating, x.old, x.new]), [['value-changed', 'behaviour', 'ok', 'done']]);
  });

  it('an error where there was success is breaking and names the error code', function () {
    const d = diff(old, transcript({ session: 3e10, handle: 4e10, event: { echotest: 'event', error_code: 413, error: 'Invalid element' } }));
    assert.equal(d.length, 1);
    assert.equal(d[0]!.class, 'error-code-changed');
    assert.equal(d[0]!.rating, 'breaking');
    assert.equal(d[0]!.old, 'success');
    assert.match(String(d[0]!.new), /^413/);
  });

  it('an error code that changed names both codes and is behaviour', function () {
    const a = transcript({ session: 1e10, handle: 2e10, event: { echotest: 'event', error_code: 411, error: 'x' } });
    const b = transcript({ session: 3e10, handle: 4e10, event: { echotest: 'event', error_code: 413, error: 'x' } });
    const d = diff(a, b);
    assert.deepEqual(d.map((x) => [x.class, x.rating, String(x.old).split(' ')[0], String(x.new).split(' ')[0]]), [['error-code-changed', 'behaviour', '411', '413']]);
  });

  it('a missing message is breaking, an extra one behaviour, one event becoming two is multiplicity', function () {
    const ev = inn({ janus: 'event', session_id: 1, sender: 2, plugindata: { plugin: 'janus.plugin.echotest', data: { echotest: 'event', x: 1 } } });
    const withEvent = transcript({ session: 1e10, handle: 2e10, extra: [ev] });
    assert.deepEqual(diff(withEvent, old).map((x) => [x.class, x.rating]), [['message-missing', 'breaking']]);
    assert.deepEqual(diff(old, withEvent).map((x) => [x.class, x.rating]), [['extra-message', 'behaviour']]);
    assert.deepEqual(diff(withEvent, transcript({ session: 1e10, handle: 2e10, extra: [ev, ev] })).map((x) => [x.class, x.old, x.new]), [['multiplicity-changed', 1, 2]]);
  });

  it('the inventory: a plugin removed is breaking, a new info key additive, a version string never a difference', function () {
    const d = diffInventory('ws', { info: { version_string: '1.1.2', plugins: { 'janus.plugin.voicemail': {}, 'janus.plugin.echotest': { version_string: '0.0.8' } } } }, { info: { version_string: '1.4.1', 'hangup-on-failed': false, plugins: { 'janus.plugin.echotest': { version_string: '0.0.9' } } } });
    assert.deepEqual(d.map((x) => [x.class, x.rating, x.pointer]).sort(), [['plugin-removed', 'breaking', '/info/plugins/janus.plugin.voicemail'], ['setting-added', 'additive', '/info/hangup-on-failed']].sort());
    // Each line names where a difference is, in one pair of parentheses: "inventory[ws] (server inventory)".
    const text = consoleText(compareReport(d, [], { path: 'b.json', recordedAt: '' }, {}));
    assert.match(text, /inventory\[ws\] \(server inventory\)/);
    assert.doesNotMatch(text, /\(\(/);
  });

  it('--fail-on picks the ratings that fail; the Markdown report groups by plugin', function () {
    assert.deepEqual([...failingRatings('breaking')], ['breaking']);
    assert.deepEqual([...failingRatings('behaviour')].sort(), ['behaviour', 'breaking']);
    assert.equal(failingRatings('any').size, 3);
    const d = diff(old, transcript({ session: 3e10, handle: 4e10, event: { echotest: 'event' } }));
    const text = markdownText(compareReport(d, [], { path: 'b.json', recordedAt: '' }, {}));
    assert.match(text, /#### janus\.plugin\.echotest/);
    assert.match(text, /\| breaking \| .* \| field-removed \| `\/plugindata\/data\/result` \| ok \|/);
  });
});

describe('compare: timing is not a change', function () {
  const base = (): BaselineTest => transcript({ session: 11111111111, handle: 22222222222 });
  const ack = (tx: string): BaselineMessage => inn({ janus: 'ack', session_id: 1, transaction: tx });
  const async = inn({ janus: 'event', session_id: 1, sender: 2, plugindata: { plugin: 'janus.plugin.echotest', data: { echotest: 'event', result: 'done' } } });

  it('an ack that did not come (Janus answered at once) is not a difference', function () {
    const withAck = base();
    withAck.steps[2]!.messages.splice(1, 0, ack('ab3'));
    assert.deepEqual(diff(withAck, base()), []);
    assert.deepEqual(diff(base(), withAck), []);
  });

  it('but the reply a request asked for, missing, is breaking (the timing rules do not hide it)', function () {
    const noReply = base();
    noReply.steps[2]!.messages.pop();
    assert.deepEqual(diff(base(), noReply).map((d) => [d.class, d.rating, d.step]), [['message-missing', 'breaking', 'a.yaml:9']]);
  });

  it('an unasked event that came one step later, or after the last step, is not a difference', function () {
    const early = base();
    early.steps[1]!.messages.push(async);
    const late = base();
    late.steps[2]!.messages.push(async);
    assert.deepEqual(diff(early, late), []);
    const afterEnd = base();
    afterEnd.steps.push({ title: '(cleanup)', at: '', messages: [async] });
    assert.deepEqual(diff(early, afterEnd), []);
    assert.deepEqual(diff(afterEnd, base()), []);
  });

  it('an unasked event that never came in any step is still reported', function () {
    const early = base();
    early.steps[1]!.messages.push(async);
    assert.deepEqual(diff(early, base()).map((d) => [d.class, d.message]), [['message-missing', 'event event echotest:event']]);
  });

  it('differences between repeated recordings (unstable) are not reported; others are', function () {
    const old = base();
    const now = transcript({ session: 3e10, handle: 4e10, event: { echotest: 'event', result: 'ok', extra: 1, gone: 2 } });
    const all = diffBaselines(baseline([old]), baseline([now]));
    assert.equal(all.length, 2);
    const b = { ...baseline([old]), unstable: [fingerprint(all[0]!)] };
    assert.deepEqual(diffBaselines(b, baseline([now])), [all[1]]);
  });

  it('random 32-bit ids under *_id keys are ids on either side of 10 digits; small ones stay literal', function () {
    const s = new Symbols();
    assert.deepEqual(s.normalize({ stream_id: 567437289, master_id: 2604329142, audiolevel_ext_id: 1 }), { stream_id: '$stream_id1', master_id: '$master_id1', audiolevel_ext_id: 1 });
  });

  it('masks candidate ports; a list of ids is the set of the ids the test has seen', function () {
    const s = new Symbols();
    assert.equal(s.text('candidate:1 1 udp 2015363327 10.0.0.2 40123 typ host'), 'candidate:1 1 udp $text1 10.0.0.2 <port> typ host');
    s.normalize({ session_id: 5555555555555 });
    assert.deepEqual(s.normalize({ sessions: [9999999999999, 5555555555555] }), { sessions: ['$session_id1'] });
  });
});

describe('compare: lists of what the server holds', function () {
  it('keeps the elements this test has seen, in any order, and drops other tests\' rooms', function () {
    const a = new Symbols();
    a.normalize({ data: { room: 5555555555555 } });
    const b = new Symbols();
    b.normalize({ data: { room: 7777777777777 } });
    const left = a.normalize({ list: [{ room: 5555555555555, num_participants: 1 }, { room: 1111111111111, num_participants: 3 }] });
    const right = b.normalize({ list: [{ room: 2222222222222, num_participants: 0 }, { room: 7777777777777, num_participants: 1 }] });
    assert.deepEqual(left, right);
    const changed = b.normalize({ list: [{ room: 7777777777777, num_participants: 2 }] });
    assert.notDeepEqual(left, changed);
  });

  it('pairs equal elements wherever they are; a changed one is reported at its position', function () {
    const old = transcript({ session: 1e10, handle: 2e10, event: { echotest: 'event', list: [{ a: 1 }, { b: 2 }] } });
    assert.deepEqual(diff(old, transcript({ session: 3e10, handle: 4e10, event: { echotest: 'event', list: [{ b: 2 }, { a: 1 }] } })), []);
    const d = diff(old, transcript({ session: 3e10, handle: 4e10, event: { echotest: 'event', list: [{ b: 3 }, { a: 1 }] } }));
    assert.deepEqual(d.map((x) => [x.class, x.pointer, x.old, x.new]), [['value-changed', '/plugindata/data/list/1/b', 2, 3]]);
  });
});

describe('compare: repeat-stability rules', function () {
  const base = (): BaselineTest => transcript({ session: 11111111111, handle: 22222222222 });
  const event = (janus: string, extra: Record<string, unknown>): BaselineMessage => inn({ janus, session_id: 11111111111, sender: 22222222222, ...extra });
  const withEvents = (per: BaselineMessage[][]): BaselineTest => {
    const t = base();
    // After the attach: a handle's id is first seen in its reply, as on a real server.
    per.forEach((messages, i) => t.steps[i + 1]!.messages.push(...messages));
    return t;
  };

  it('measurements are masked, but zero stays zero (a link quality that starts at 0 or 100 is a change)', function () {
    const s = new Symbols();
    assert.deepEqual(s.normalize({ lost: 23, 'audio-level-dBov-avg': 56.8, connections: { http: 3 }, 'in-link-quality': 0, bitrate: 128000 }),
      { lost: '<measured>', 'audio-level-dBov-avg': '<measured>', connections: { http: '<measured>' }, 'in-link-quality': 0, bitrate: 128000 });
    assert.notDeepEqual(s.normalize({ 'in-link-quality': 0 }), s.normalize({ 'in-link-quality': 100 }));
  });

  it('masks simulcast and RTCP ports, SRTP keys, and random numbers in names', function () {
    const s = new Symbols();
    assert.deepEqual(s.normalize({ port_2: 13301, port2: 13301, rtcpport: 13327, videoport: 5004 }), { port_2: '<port>', port2: '<port>', rtcpport: '<port>', videoport: '<port>' });
    assert.match(normalizeSdp('v=0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:4uKpuzAeqaojlvgYHdmJ0oAfbFKDARxOhN3cdVyQ\r\n'), /a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:<key>/);
    assert.deepEqual(new Symbols().normalize({ 'pcap-file': 'janus-text2pcap-64365222.pcap' }), new Symbols().normalize({ 'pcap-file': 'janus-text2pcap-3344365222.pcap' }));
    assert.notDeepEqual(new Symbols().normalize({ 'pcap-file': 'janus-text2pcap-66.pcap' }), new Symbols().normalize({ 'pcap-file': 'janus-text2pcap-67.pcap' }));
  });

  it('a text with a secret redacted is alike another that fits around the redaction, and only then', function () {
    const text = (error: string): BaselineTest => transcript({ session: 1e10, handle: 2e10, event: { echotest: 'event', error } });
    assert.deepEqual(diff(text("Can't add 'rtp' stream, invalid SRTP suit[redacted]..."), text("Can't add 'rtp' stream, invalid SRTP suite...")), []);
    assert.deepEqual(diff(text('call yoursel[redacted]... use'), text('call yourse[redacted]... use')), []);
    assert.equal(diff(text("Can't add 'rtp' stream, invalid SRTP suit[redacted]..."), text("Can't add 'rtp' stream, invalid SDES suite...")).length, 1);
  });

  it('events no request asked for pair equal ones first: two handles\' hangups in the other order are no change', function () {
    const a = event('hangup', { sender: 1, reason: 'Close PC' });
    const b = event('hangup', { sender: 22222222222, reason: 'Close PC' });
    // In the attach step: the message step's request comes after them.
    assert.deepEqual(diff(withEvents([[a, b]]), withEvents([[b, a]])), []);
    const changed = event('hangup', { sender: 1, reason: 'DTLS alert' });
    assert.deepEqual(diff(withEvents([[a, b]]), withEvents([[b, changed]])).map((d) => [d.class, d.pointer, d.new]), [['value-changed', '/reason', 'DTLS alert']]);
  });

  it('a hangup after the last request comes or not, for whichever reason came first; one before it is compared', function () {
    const hangup = (reason: string): BaselineMessage => event('hangup', { reason });
    assert.deepEqual(diff(withEvents([[], [hangup('Close PC')]]), base()), []);
    assert.deepEqual(diff(withEvents([[], [hangup('Close PC')]]), withEvents([[], [hangup('Detach')]])), []);
    assert.deepEqual(diff(withEvents([[hangup('Close PC')]]), base()).map((d) => [d.class, d.message]), [['message-missing', 'event hangup']]);
  });

  it('an event that came as often over the test, in other steps, is timing; one more in the test is a change', function () {
    const e = event('event', { plugindata: { plugin: 'janus.plugin.echotest', data: { echotest: 'event', kicked: 2 } } });
    assert.deepEqual(diff(withEvents([[e, e], [e]]), withEvents([[e], [e, e]])), []);
    assert.deepEqual(diff(withEvents([[e, e], [e]]), withEvents([[e], [e]])).map((d) => d.class), ['multiplicity-changed']);
  });

  it('unasked events are paired over the whole test: trickled candidates and their end spread over steps are no change', function () {
    const candidate = (n: number): BaselineMessage => event('trickle', { candidate: { sdpMid: '0', sdpMLineIndex: 0, candidate: `candidate:${n} 1 udp 2015363327 10.0.0.${n} 40123 typ host` } });
    const done = event('trickle', { candidate: { completed: true } });
    assert.deepEqual(diff(withEvents([[candidate(1), candidate(2)], [done]]), withEvents([[candidate(1)], [candidate(2), done]])), []);
    const moved = (x: number, at: number): BaselineTest => withEvents(at === 0 ? [[event('event', { plugindata: { plugin: 'janus.plugin.echotest', data: { echotest: 'event', x } } })]] : [[], [event('event', { plugindata: { plugin: 'janus.plugin.echotest', data: { echotest: 'event', x } } })]]);
    assert.deepEqual(diff(moved(1, 0), moved(2, 1)).map((d) => [d.class, d.pointer, d.old, d.new, d.step]), [['value-changed', '/plugindata/data/x', 1, 2, 'a.yaml:6']], 'what a moved event says is still compared');
  });

  it('media reports are compared for the whole test: how many and when is timing, a kind that goes is a change', function () {
    const slow = (lost: number): BaselineMessage => event('slowlink', { mid: '0', media: 'audio', uplink: false, lost });
    const media = (receiving: boolean): BaselineMessage => event('media', { mid: '0', type: 'audio', receiving });
    assert.deepEqual(diff(withEvents([[slow(23), media(true)], [slow(21), slow(30)]]), withEvents([[media(true), slow(14)], [slow(18)]])), []);
    const gone = diff(withEvents([[slow(23), media(true)]]), withEvents([[media(true)]]));
    assert.deepEqual(gone.map((d) => [d.class, d.message, d.stepTitle]), [['message-missing', 'event slowlink', '(media reports, whole test)']]);
    // Which medium, which layer, receiving or not: what the media did, not what the server decides.
    assert.deepEqual(diff(withEvents([[media(true)]]), withEvents([[media(true), media(false)]])), []);
    const layer = (data: Record<string, unknown>): BaselineMessage => event('event', { plugindata: { plugin: 'janus.plugin.videoroom', data: { videoroom: 'event', room: 1234, mid: '0', ...data } } });
    assert.deepEqual(diff(withEvents([[layer({ temporal_layer: 2 })], [layer({ spatial_layer: 1 })]]), withEvents([[layer({ spatial_layer: 0 }), layer({ temporal_layer: 2 }), layer({ spatial_layer: 1 })]])), []);
    const retyped = diff(withEvents([[media(true)]]), withEvents([[event('media', { mid: '0', type: 'audio', receiving: 'yes' })]]));
    assert.deepEqual(retyped.map((d) => [d.class, d.message]), [['message-missing', 'event media'], ['extra-message', 'event media']]);
    const gained = diff(withEvents([[layer({ spatial_layer: 1 })]]), withEvents([[layer({ spatial_layer: 1, new_field: 'x' })]]));
    assert.deepEqual(gained.map((d) => d.class).sort(), ['extra-message', 'message-missing']);
  });

  it('keepalives and the engine\'s cleanup requests come as the clock says; their replies, when both came, are compared', function () {
    const keepalive = [out({ janus: 'keepalive', session_id: 11111111111, transaction: 'k1' }), inn({ janus: 'ack', session_id: 11111111111, transaction: 'k1' })];
    assert.deepEqual(diff(withEvents([[], keepalive]), base()), []);
    const detach = (reply: BaselineMessage): BaselineTest => {
      const t = base();
      t.steps.push({ title: '(cleanup)', at: '', messages: [out({ janus: 'detach', transaction: 'cleanup-x-detach' }), reply] });
      return t;
    };
    const ok = inn({ janus: 'success', session_id: 11111111111, transaction: 'cleanup-x-detach' });
    const gone = inn({ janus: 'error', session_id: 11111111111, transaction: 'cleanup-x-detach', error: { code: 459, reason: 'No such handle' } });
    assert.deepEqual(diff(detach(ok), base()), []);
    assert.deepEqual(diff(base(), detach(gone)), []);
    assert.deepEqual(diff(detach(ok), detach(gone)).map((d) => d.class), ['error-code-changed']);
    const destroys = (ids: number[]): BaselineTest => {
      const t = base();
      const messages = ids.flatMap((id, i) => [out({ janus: 'destroy', session_id: id, transaction: `cleanup-${i}` }), inn({ janus: 'success', session_id: id, transaction: `cleanup-${i}` })]);
      t.steps.push({ title: '(cleanup)', at: '', messages });
      return t;
    };
    assert.deepEqual(diff(destroys([11111111111, 33333333333]), destroys([33333333333, 11111111111])), [], 'the same sessions destroyed in another order');
  });
});

describe('compare: a baseline the run cannot pair', function () {
  const old = baseline([transcript({ session: 1, handle: 2 })]);

  it('a plan with one test of the baseline is paired', function () {
    assert.equal(unpairablePlan(old, ['a.yaml#t[ws]', 'b.yaml#u[ws]']), undefined);
  });

  it('none planned: over another transport, from another directory, of other scenarios, each says so', function () {
    assert.match(unpairablePlan(old, ['a.yaml#t[http]']) ?? '', /^none of the 1 test\(s\) this run plans is in the baseline.*recorded over ws, this run plans http: give --transport ws$/);
    assert.match(unpairablePlan(old, ['scen/a.yaml#t[ws]']) ?? '', /from the directory record ran in \(a\.yaml\), this run from here \(scen\/a\.yaml\): run compare from that directory/);
    assert.match(unpairablePlan(old, ['other.yaml#v[ws]']) ?? '', /was it recorded with other scenarios\? \(the baseline has a\.yaml, this run other\.yaml\)$/);
    assert.match(unpairablePlan(baseline([]), ['a.yaml#t[ws]']) ?? '', /the baseline holds no test/);
  });

  it('counts the tests that ran on both sides: none when each was skipped on one side', function () {
    const skipped = { ...transcript({ session: 1, handle: 2 }), status: 'skipped' as const, steps: [] };
    assert.deepEqual(comparedTests(old, baseline([transcript({ session: 3, handle: 4 })])), ['a.yaml#t[ws]']);
    assert.deepEqual(comparedTests(old, baseline([skipped])), []);
    assert.deepEqual(comparedTests(baseline([skipped]), old), []);
  });
});

describe('compare: a step recorded without its request', function () {
  // A step that failed before sending (`${x} has no value`: the reply that should have bound it was an error) is recorded empty.
  const empty = (t: BaselineTest): BaselineTest => ({ ...t, status: 'failed', steps: t.steps.map((s, i) => (i === 2 ? { ...s, messages: [] } : s)) });

  it('is a step not reached, named with the messages it had in the baseline', function () {
    const found = diff(transcript({ session: 1, handle: 2 }), empty(transcript({ session: 3, handle: 4 }))).filter((d) => d.class !== 'status-changed');
    assert.deepEqual(found.map((d) => [d.step, d.message, d.class, d.rating, d.old]), [['a.yaml:9', '(step not reached: 2 message(s))', 'message-missing', 'breaking', ['message', 'message → event echotest:event']]]);
  });

  it('and reached now where the baseline did not: a step not in the baseline', function () {
    const found = diff(empty(transcript({ session: 1, handle: 2 })), transcript({ session: 3, handle: 4 })).filter((d) => d.class !== 'status-changed');
    assert.deepEqual(found.map((d) => [d.step, d.message, d.class]), [['a.yaml:9', '(step not in the baseline: 2 message(s))', 'extra-message']]);
  });
});

describe('compare: the modules a managed Janus was asked for', function () {
  const server = (plugins: string[], transports: string[], asked?: Record<string, string[]>) => ({
    info: { janus: 'server_info', plugins: Object.fromEntries(plugins.map((p) => [p, { name: p }])), transports: Object.fromEntries(transports.map((t) => [t, { name: t }])) },
    ...(asked && { asked }),
  });
  const classes = (d: Difference[]): string[] => d.map((x) => `${x.class} ${x.pointer}`);

  it('a module only one run asked for is the runs\' choice of scenarios and transports, not a change', function () {
    // The baseline ran the whole suite over http and ws; this run one echotest scenario over ws.
    const old = server(['janus.plugin.echotest', 'janus.plugin.videoroom'], ['janus.transport.http', 'janus.transport.websockets'], { plugins: ['janus.plugin.echotest', 'janus.plugin.videoroom'], transports: ['janus.transport.http', 'janus.transport.websockets'] });
    const now = server(['janus.plugin.echotest'], ['janus.transport.websockets'], { plugins: ['janus.plugin.echotest'], transports: ['janus.transport.websockets'] });
    assert.deepEqual(classes(diffInventory('ws', old, now)), []);
    assert.deepEqual(classes(diffInventory('ws', now, old)), []);
  });

  it('asked for: the plugins of the tests that run, and of a skipped test only those its reason names', function () {
    const none = { eventhandlers: {}, loggers: {} };
    const asked = askedModules([
      { ...none, plugins: ['janus.plugin.echotest'] },
      { ...none, plugins: ['janus.plugin.videoroom'], skipReason: 'the scenario runs only over http' },
      { ...none, plugins: ['janus.plugin.echotest', 'janus.plugin.voicemail'], skipReason: 'the Janus installation in /x lacks janus.plugin.voicemail' },
    ], ['ws']);
    assert.deepEqual(asked, { plugins: ['janus.plugin.echotest', 'janus.plugin.voicemail'], events: [], loggers: [], transports: ['janus.transport.websockets'] });
    assert.equal(askedModules([], ['ws', 'carrier-pigeon']).transports, undefined, 'a transport of a module of its own: the transports are not restricted');
  });

  it('a module both asked for and one lacks is still a change; without asked (a --url server, an older baseline) every module counts', function () {
    const old = server(['janus.plugin.echotest', 'janus.plugin.voicemail'], ['janus.transport.websockets'], { plugins: ['janus.plugin.echotest', 'janus.plugin.voicemail'] });
    const now = server(['janus.plugin.echotest'], ['janus.transport.websockets'], { plugins: ['janus.plugin.echotest', 'janus.plugin.voicemail'] });
    assert.deepEqual(classes(diffInventory('ws', old, now)), ['plugin-removed /info/plugins/janus.plugin.voicemail']);
    assert.deepEqual(classes(diffInventory('ws', server(['a', 'b'], []), server(['a'], []))), ['plugin-removed /info/plugins/b']);
    // One side's asked restricts: a production server (--url, every plugin) against a managed run of a few scenarios.
    assert.deepEqual(classes(diffInventory('ws', server(['a', 'b'], []), server(['a'], [], { plugins: ['a'] }))), []);
  });
});

describe('compare: the settings of servers started alike', function () {
  // The first test's server: a part of the suite may begin with a scenario that sets reclaim_session_timeout.
  const info = (reclaim: number, extra: Record<string, unknown> = {}) => ({ janus: 'server_info', 'reclaim-session-timeout': reclaim, ...extra });
  const plain = { info: info(0) };
  const reclaim = { info: info(5) };

  it('compares the settings of the servers started with the same settings, each change once', function () {
    const old = { info: info(0), servers: { plain, reclaim } };
    assert.deepEqual(diffInventory('ws', old, { info: info(5), servers: { reclaim } }), [], 'the new run\'s first server set reclaim_session_timeout, as the baseline\'s second');
    const newer = { info: info(5, { 'hangup-on-failed': false }), servers: { plain: { info: info(0, { 'hangup-on-failed': false }) }, reclaim: { info: info(5, { 'hangup-on-failed': false }) } } };
    assert.deepEqual(diffInventory('ws', old, newer).map((d) => `${d.class} ${d.pointer}`), ['setting-added /info/hangup-on-failed']);
  });

  it('with no server started alike the settings are not compared, and the report says so; without servers (--url, older baselines) the first test\'s are', function () {
    const old = baseline([], info(0));
    old.inventory.ws = { info: info(0), servers: { plain } };
    const now = baseline([], info(5));
    now.inventory.ws = { info: info(5), servers: { reclaim } };
    assert.deepEqual(diffInventory('ws', old.inventory.ws, now.inventory.ws), []);
    assert.match(uncompared(old, now).map((u) => `${u.test}: ${u.reason}`).join('\n'), /^inventory\[ws\]: its settings: no Janus of this run was started with the settings/);
    assert.deepEqual(diffInventory('ws', { info: info(0) }, { info: info(5) }).map((d) => `${d.class} ${d.pointer}`), ['setting-changed /info/reclaim-session-timeout']);
  });
});

describe('compare: a difference of a whole message', function () {
  it('is placed as "(message)" in every report: "/" is a JSON pointer to the key "", not to the message', function () {
    const missing = diff(transcript({ session: 1, handle: 2, extra: [inn({ janus: 'event', session_id: 1, sender: 2, plugindata: { plugin: 'janus.plugin.echotest', data: { result: 'done' } } })] }), transcript({ session: 3, handle: 4 }));
    assert.ok(missing.some((d) => d.pointer === '' && d.class === 'message-missing'), JSON.stringify(missing));
    const report = compareReport(missing, [], { path: 'b.json', recordedAt: '' }, {});
    assert.match(markdownText(report), /\| message-missing \| `\(message\)` \|/);
    assert.match(renderCompareHtml(report), /<td class="pointer"><code>\(message\)<\/code><\/td>/);
    assert.match(consoleText(report), /message-missing +\(message\)/);
  });
});
