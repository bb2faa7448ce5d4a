import assert from 'node:assert/strict';
import { BASELINE_FORMAT, BASELINE_VERSION, type Baseline, type BaselineMessage, type BaselineTest } from '../../src/compare/baseline.js';
import { diffBaselines, type DiffOptions, type Difference } from '../../src/compare/diff.js';
import { mergeInventories } from '../../src/compare/inventory.js';
import { compareReport, markdownText } from '../../src/compare/report.js';
import { Symbols } from '../../src/compare/symbols.js';
import { serialisation, wireSummary, type WireSummary } from '../../src/compare/wire.js';
import { decodeMessages } from '../../src/transports/wire.js';
import { timingTolerance } from '../../src/cli/compare-command.js';
import { parseRunArgs, UsageError } from '../../src/cli/options.js';

const out = (message: unknown, ms?: number): BaselineMessage => ({ client: 'c', api: 'janus', direction: 'out', message, ...(ms !== undefined && { ms }) });
const inn = (message: unknown, extra: { ms?: number; wire?: WireSummary } = {}): BaselineMessage => ({ client: 'c', api: 'janus', direction: 'in', message, ...extra });

/** create, then a message to a room answered by an event; wire and times given per test. */
function test(o: { id?: string; transport?: string; session: number; data?: Record<string, unknown>; wire?: WireSummary; replyMs?: number; room?: number }): BaselineTest {
  const transport = o.transport ?? 'ws';
  const room = o.room ?? 1234;
  return {
    id: `${o.id ?? 'a.yaml#t'}[${transport}]`, file: 'a.yaml', name: 't', transport, status: 'passed',
    steps: [
      { title: 'create', at: 'a.yaml:3', messages: [out({ janus: 'create', transaction: 'x1' }, 0), inn({ janus: 'success', transaction: 'x1', data: { id: o.session } }, { ms: 2, ...(o.wire && { wire: o.wire }) })] },
      {
        title: 'message', at: 'a.yaml:6',
        messages: [
          out({ janus: 'message', session_id: o.session, handle_id: 1, transaction: 'x2', body: { request: 'join', room } }, 10),
          inn({ janus: 'event', session_id: o.session, transaction: 'x2', plugindata: { plugin: 'janus.plugin.videoroom', data: o.data ?? { videoroom: 'joined', room } } }, { ms: 10 + (o.replyMs ?? 5), ...(o.wire && { wire: o.wire }) }),
        ],
      },
    ],
  };
}

function baseline(tests: BaselineTest[], info: Record<string, unknown> = { janus: 'server_info' }): Baseline {
  return { format: BASELINE_FORMAT, version: BASELINE_VERSION, tool: { name: 'janus-scenarios', version: '0' }, recordedAt: '', inventory: { ws: { info } }, tests };
}

const diff = (a: BaselineTest[], b: BaselineTest[], options?: DiffOptions): Difference[] => diffBaselines(baseline(a), baseline(b), options);

describe('compare: the wire', function () {
  it('reads the JSON layout outside strings: indented, plain, compact', function () {
    assert.equal(serialisation('{\n   "janus": "ack",\n   "transaction": "x"\n}'), 'indented');
    assert.equal(serialisation('{"janus": "ack", "transaction": "x"}'), 'plain');
    assert.equal(serialisation('{"janus":"ack","transaction":"x"}'), 'compact');
    // Text inside strings does not count: an escaped line break, a ": " in a reason.
    assert.equal(serialisation('{"reason":"a: b\\nc","janus":"error"}'), 'compact');
    assert.equal(serialisation('{"reason": "x\\"y:z"}'), 'plain');
    // A trailing newline is not a layout.
    assert.equal(serialisation('{"janus":"ack"}\n'), 'compact');
  });

  it('summarises what a transport decoded: frame, container, trailing bytes, layout, HTTP status', function () {
    const [ws] = decodeMessages('{\n   "janus": "ack"\n}\n', true, { binary: false });
    assert.deepEqual(wireSummary(ws), { frame: 'text', container: 'object', trailing: '\n', json: 'indented' });
    const polled = decodeMessages('[{"janus": "event"}, {"janus": "event"}]', true, { status: 200 });
    assert.deepEqual(wireSummary(polled[1]), { status: 200, json: 'plain' });
    const [binary] = decodeMessages('[{"janus":"event"}]', true, { binary: true });
    assert.deepEqual(wireSummary(binary), { frame: 'binary', container: 'array', json: 'compact' });
    assert.equal(wireSummary({ janus: 'ack' }), undefined, 'a message no transport decoded has no wire');
    assert.deepEqual(wireSummary({ janus: 'pong' }, { status: 404 }), { status: 404 });
  });

  it('the frame a message came in is invisible in the message: keys, JSON, copies and deep comparison see what Janus sent', function () {
    const [m] = decodeMessages('{"janus":"ack","transaction":"t"}\n', true, { binary: false });
    assert.deepEqual(Object.keys(m!), ['janus', 'transaction']);
    assert.equal(JSON.stringify(m), '{"janus":"ack","transaction":"t"}');
    assert.deepStrictEqual(m, { janus: 'ack', transaction: 't' });
    assert.equal(wireSummary({ ...m! }), undefined, 'a copy is not what came on the wire');
    assert.deepEqual(wireSummary(m), { frame: 'text', container: 'object', trailing: '\n', json: 'compact' });
  });

  it('a layout change is one entry per transport, counting the messages, not one per message', function () {
    const indented: WireSummary = { frame: 'text', container: 'object', json: 'indented' };
    const compact: WireSummary = { frame: 'text', container: 'object', json: 'compact' };
    const old = [test({ session: 1e10, wire: indented }), test({ id: 'b.yaml#u', session: 2e10, wire: indented }), test({ session: 1e10, wire: { status: 200, json: 'indented' }, transport: 'http' })];
    const now = [test({ session: 3e10, wire: compact }), test({ id: 'b.yaml#u', session: 4e10, wire: compact }), test({ session: 3e10, wire: { status: 200, json: 'compact' }, transport: 'http' })];
    const d = diff(old, now);
    assert.deepEqual(d.map((x) => [x.test, x.plugin, x.class, x.rating, x.pointer, x.old, x.new, x.count]), [
      ['wire[ws]', 'wire', 'wire-changed', 'behaviour', '/json', 'indented', 'compact', 4],
      ['wire[http]', 'wire', 'wire-changed', 'behaviour', '/json', 'indented', 'compact', 2],
    ]);
    assert.match(d[0]!.example!, /^a\.yaml:3 \(t\): create → success$/);
  });

  it('each kind of wire change is its own entry; the same wire, or a side without a record of it, is none', function () {
    const a: WireSummary = { frame: 'text', container: 'object', json: 'plain' };
    const b: WireSummary = { frame: 'text', container: 'array', trailing: '\n', json: 'plain' };
    assert.deepEqual(diff([test({ session: 1e10, wire: a })], [test({ session: 2e10, wire: b })]).map((x) => [x.message, x.old, x.new]), [
      ['messages per WebSocket frame', 'object', 'array'],
      ['bytes after the JSON', undefined, '\n'],
    ]);
    assert.deepEqual(diff([test({ session: 1e10, wire: a })], [test({ session: 2e10, wire: a })]), []);
    // A version 1 baseline kept no wire.
    assert.deepEqual(diff([test({ session: 1e10 })], [test({ session: 2e10, wire: b })]), []);
  });
});

describe('compare: renamed keys, timing, ids in text', function () {
  it('a key gone and another with the same value new is one breaking rename', function () {
    const d = diff([test({ session: 1e10, data: { videoroom: 'joined', id: 7, display: 'alice' } })], [test({ session: 2e10, data: { videoroom: 'joined', id: 7, display_name: 'alice' } })]);
    assert.deepEqual(d.map((x) => [x.class, x.rating, x.pointer, x.old, x.new]), [['renamed', 'breaking', '/plugindata/data/display', 'display', 'display_name']]);
  });

  it('no rename without a clear pairing: another value, or two keys with the same value', function () {
    const other = diff([test({ session: 1e10, data: { videoroom: 'joined', a: 'x' } })], [test({ session: 2e10, data: { videoroom: 'joined', b: 'y' } })]);
    assert.deepEqual(other.map((x) => x.class), ['field-removed', 'field-added']);
    const twins = diff([test({ session: 1e10, data: { videoroom: 'joined', a: true, b: true } })], [test({ session: 2e10, data: { videoroom: 'joined', c: true } })]);
    assert.deepEqual(twins.map((x) => x.class), ['field-removed', 'field-removed', 'field-added']);
  });

  // Three tests sending the same request: a kind of request's timing is its median over the run.
  const three = (session: number, ...replyMs: number[]): BaselineTest[] => replyMs.map((ms, i) => test({ id: `t${i}.yaml#t`, session: session + i, replyMs: ms }));

  it('a kind of request whose replies take much longer (or shorter) beyond the tolerance is one timing-changed entry', function () {
    const slow = diff(three(1e10, 5, 6, 7), three(2e10, 2500, 2600, 2700));
    assert.deepEqual(slow.map((x) => [x.test, x.class, x.rating, x.message, x.old, x.new, x.count]), [['timing[ws]', 'timing-changed', 'behaviour', 'message core.join', '6 ms', '2600 ms', 3]]);
    assert.deepEqual(diff(three(1e10, 2500, 2600, 2700), three(2e10, 5, 6, 7)).map((x) => x.class), ['timing-changed']);
  });

  it('one slow reply is a busy moment, not the server: the median decides, over 3 requests at least', function () {
    assert.deepEqual(diff(three(1e10, 5, 6, 7), three(2e10, 5, 3000, 7)), []);
    assert.deepEqual(diff(three(1e10, 5, 6).slice(0, 2), three(2e10, 3000, 3000).slice(0, 2)), [], 'two requests are too few');
  });

  it('within the tolerance, or with timing off, latency is not a difference; a tighter tolerance reports it', function () {
    const [a, b] = [three(1e10, 5, 5, 5), three(2e10, 300, 300, 300)];
    assert.deepEqual(diff(a, b), [], 'a loaded machine: 5 ms to 300 ms is noise by default');
    assert.deepEqual(diff(a, three(2e10, 5000, 5000, 5000), { timing: false }), []);
    assert.deepEqual(diff(a, b, { timing: { factor: 3, marginMs: 100 } }).map((x) => x.class), ['timing-changed']);
    // Longer by more than the margin but not by the factor.
    assert.deepEqual(diff(three(1e10, 2000, 2000, 2000), three(2e10, 3500, 3500, 3500)), []);
  });

  it('a short id the test bound is its symbol inside text too; other numbers stay', function () {
    const s = new Symbols();
    s.normalize({ room: 1234, feed: 'abcdef-42' });
    assert.equal(s.text('No such room (1234)'), 'No such room ($room1)');
    assert.equal(s.text('No such feed (abcdef-42)'), 'No such feed ($feed1)');
    assert.equal(s.text('Error 5678, room 12345'), 'Error 5678, room 12345');
    assert.equal(s.text('v=0\r\na=rtpmap:1234 opus/48000/2'), 'v=0\r\na=rtpmap:1234 opus/48000/2', 'an SDP has no ids in its numbers');
  });

  it('an error naming the room the test chose is no difference when the room is another; naming another room is', function () {
    const error = (room: number, named: number): BaselineTest => test({ session: 1e10, room, data: { videoroom: 'event', error_code: 426, error: `No such room (${named})` } });
    assert.deepEqual(diff([error(1234, 1234)], [error(987654, 987654)]), []);
    assert.deepEqual(diff([error(1234, 1234)], [error(987654, 1234)]).map((x) => [x.class, x.pointer]), [['value-changed', '/plugindata/data/error']]);
  });
});

describe('compare: inventory and report', function () {
  it('merges the inventories of a transport\'s servers: modules of all, settings of the first', function () {
    const merged = mergeInventories([
      { info: { name: 'a', plugins: { 'janus.plugin.echotest': { v: 1 } }, transports: { 'janus.transport.http': {} } }, adminStatus: { token_auth: false } },
      { info: { name: 'b', plugins: { 'janus.plugin.nosip': {}, 'janus.plugin.echotest': { v: 2 } }, events: { 'janus.eventhandler.sampleevh': {} } }, error: 'get_status: no answer' },
    ]);
    assert.deepEqual(merged, {
      info: { name: 'a', plugins: { 'janus.plugin.echotest': { v: 1 }, 'janus.plugin.nosip': {} }, transports: { 'janus.transport.http': {} }, events: { 'janus.eventhandler.sampleevh': {} } },
      adminStatus: { token_auth: false },
      error: 'get_status: no answer',
    });
  });

  it('the Markdown stays short with many differences: a few rows per plugin, breaking first, the rest counted', function () {
    const many: Difference[] = Array.from({ length: 150 }, (_x, i) => ({
      test: `t${i}`, scenario: 's', transport: 'ws', step: `a.yaml:${i}`, stepTitle: 's', message: `message videoroom.r${i % 30}`, plugin: i < 120 ? 'janus.plugin.videoroom' : 'core',
      pointer: `/p${i}`, old: i, new: i + 1, class: i === 77 ? 'field-removed' : 'value-changed', rating: i === 77 ? 'breaking' : 'behaviour',
    }));
    const text = markdownText(compareReport(many, [], { path: 'b.json', recordedAt: '' }, {}));
    const rows = text.split('\n').filter((l) => /^\| (breaking|behaviour|additive) \|/.test(l));
    assert.equal(rows.length, 16);
    assert.match(rows[0]!, /^\| breaking \| message videoroom\.r17 \| field-removed/);
    assert.match(text, /… and 112 more row\(s\) here \(112 behaviour\): see the JSON report\./);
    assert.match(text, /… and 22 more row\(s\) here \(22 behaviour\)/);
    assert.ok(text.split('\n').length < 50, text);
  });

  it('--timing-tolerance: FACTORx,MSms or off; anything else is a usage error', function () {
    assert.deepEqual(timingTolerance(undefined), { factor: 3, marginMs: 1000 });
    assert.deepEqual(timingTolerance('5x,200ms'), { factor: 5, marginMs: 200 });
    assert.deepEqual(timingTolerance('100ms'), { factor: 3, marginMs: 100 });
    assert.equal(timingTolerance('off'), false);
    for (const bad of ['fast', '1x', '3', '3x,ms']) assert.throws(() => timingTolerance(bad), UsageError, bad);
  });

  it('--janus-config and --janus-without: typed values, settings the launcher owns refused, managed runs only', function () {
    const s = parseRunArgs(['x.yaml', '--janus-config', 'websockets.json=compact', '--janus-config', 'session_timeout=120', '--janus-config', 'nat.full_trickle=true', '--janus-without', 'janus.plugin.voicemail,janus.plugin.nosip'], {});
    assert.deepEqual(s.janusConfig, { 'websockets.json': 'compact', session_timeout: 120, 'nat.full_trickle': true });
    assert.deepEqual(s.janusWithout, ['janus.plugin.voicemail', 'janus.plugin.nosip']);
    assert.throws(() => parseRunArgs(['x.yaml', '--janus-config', 'json=compact'], {}), /give http\.json=compact and websockets\.json=compact/);
    // A misspelt janus.jcfg key, which Janus would ignore: as in a scenario's requires.janus.
    assert.throws(() => parseRunArgs(['x.yaml', '--janus-config', 'sesion_timeout=120'], {}), (e: Error) => e instanceof UsageError && e.message === '--janus-config sesion_timeout: not a janus.jcfg setting (Janus would ignore it); did you mean session_timeout?');
    assert.throws(() => parseRunArgs(['x.yaml', '--janus-config', 'media.dtls_mtuu=1200'], {}), /did you mean media\.dtls_mtu\?/);
    // A plugin's short name, as a new user writes it first: the package name meant.
    assert.throws(() => parseRunArgs(['x.yaml', '--janus-without', 'echotest'], {}), (e: Error) => e instanceof UsageError && e.message === '--janus-without expects a plugin package name, as janus.plugin.voicemail; not "echotest"; did you mean janus.plugin.echotest?');
    for (const bad of [['--janus-config', 'plugins_folder=/tmp'], ['--janus-config', 'http.port=80'], ['--janus-config', 'rabbit.x=1'], ['--janus-config', 'novalue'], ['--janus-without', 'voicemail'], ['--janus-without', 'janus.plugin.x', '--url', 'ws://127.0.0.1:8188']]) {
      assert.throws(() => parseRunArgs(['x.yaml', ...bad], {}), UsageError, bad.join(' '));
    }
  });
});
