import assert from 'node:assert/strict';
import { compileString } from '../../src/compile/template.js';
import { createPatternCompiler } from '../../src/match/compile-pattern.js';
import type { Mismatch } from '../../src/match/contract.js';
import { describeMessage, withHttp } from '../../src/reporters/html/client/diagram.js';
import { clientScript } from '../../src/reporters/html/script.js';
import { diffText, failureText, MAX_LINES_SHOWN } from '../../src/report/failure-text.js';
import type { ScenarioResult, TranscriptEntry } from '../../src/run/events.js';

/** The mismatches the real pattern compiler finds, placeholders resolved from `values`. */
function mismatchesOf(pattern: unknown, actual: unknown, values: Record<string, unknown>, exact = false): Mismatch[] {
  const compiler = createPatternCompiler((s, path) => (s.includes('${') ? compileString(s, path, () => true) : undefined), (_p, message) => assert.fail(message), () => false);
  const out: Mismatch[] = [];
  compiler.compile(pattern, ['expect'], exact)(actual, '', { resolve: (t) => t({ lookup: (ref) => values[ref] }), validateSchema: () => undefined }, out);
  return out;
}

function changed(diff: string): string[] {
  return diff.split('\n').filter((l) => /^[-+] /.test(l));
}

describe('failure texts', function () {
  describe('the diff', function () {
    it('shows placeholders, markers and operators that held as the actual value, only the real difference differs', () => {
      const room = 7062593603913189;
      const pattern = { janus: 'event', sender: '${handle}', plugindata: { data: { videoroom: 'joined', room: '${room}', id: '$integer', description: { $regex: '^demo' } } } };
      const actual = { janus: 'event', session_id: 1, sender: 42, plugindata: { plugin: 'janus.plugin.videoroom', data: { videoroom: 'event', room, id: 99, description: 'demo room', extra: true } } };
      const mismatches = mismatchesOf(pattern, actual, { room, handle: 42 });
      assert.deepEqual(mismatches.map((m) => m.at), ['plugindata.data.videoroom']);
      const diff = diffText(pattern, actual, mismatches);
      assert.deepEqual(changed(diff), ['-       "videoroom": "joined",', '+       "videoroom": "event",']);
      assert.match(diff, new RegExp(`^ {8}"room": ${room},$`, 'm'));
      assert.doesNotMatch(diff, /\$\{|\$integer|\$regex/);
    });

    it('shows a whole-message operator that failed in words, not the marker standing for them', () => {
      const pattern = { $not: { janus: 'success' } };
      const actual = { janus: 'success', transaction: 't', data: { id: 1 } };
      const mismatches = mismatchesOf(pattern, actual, {});
      assert.deepEqual(mismatches.map((m) => m.at), ['']);
      assert.equal(changed(diffText(pattern, actual, mismatches))[0], '- <anything but {"janus":"success"}>');
    });

    it('shows a placeholder that did not hold as its resolved value, and a failed operator in words', () => {
      const pattern = { janus: 'success', data: { id: '${room}', name: { $regex: '^x' } } };
      const actual = { janus: 'success', data: { name: 'y', id: 2 } };
      const mismatches = mismatchesOf(pattern, actual, { room: 1 });
      const diff = diffText(pattern, actual, mismatches);
      assert.deepEqual(changed(diff).sort(), ['+     "id": 2', '+     "name": "y",', '-     "id": 1', '-     "name": <a string matching /^x/>,'].sort());
    });

    it('keeps the actual key order, shows an absent field on one side and a forbidden key on the other', () => {
      const pattern = { b: 1, a: '${x}', missing: 3 };
      const actual = { a: 5, b: 1, extra: 'no' };
      const mismatches = mismatchesOf(pattern, actual, { x: 5 }, true);
      const diff = diffText(pattern, actual, mismatches);
      assert.deepEqual(changed(diff).sort(), ['+   "extra": "no"', '-   "missing": 3'].sort(), diff);
      assert.ok(diff.indexOf('"a": 5') < diff.indexOf('"b": 1'), diff);
    });

    it('goes into $exact like into any other pattern: only the differing field and the unexpected key differ', () => {
      const pattern = { plugindata: { data: { $exact: { streaming: 'event', error_code: 455, error: 'No such mountpoint/stream ${id}' } } } };
      const actual = { plugindata: { plugin: 'janus.plugin.streaming', data: { streaming: 'event', error_code: 455, error: 'No such mountpoint/stream 9', extra: 1 } } };
      const mismatches = mismatchesOf(pattern, actual, { id: 7 });
      const diff = diffText(pattern, actual, mismatches);
      assert.deepEqual(changed(diff).sort(), ['+       "error": "No such mountpoint/stream 9",', '+       "extra": 1', '-       "error": "No such mountpoint/stream 7"'].sort(), diff);
      assert.doesNotMatch(diff, /\$exact|\$\{/);
    });

    it('goes into arrays element by element', () => {
      const pattern = { list: [{ id: '${a}' }, { id: 2 }] };
      const actual = { list: [{ id: 1, x: 0 }, { id: 3, x: 0 }] };
      const mismatches = mismatchesOf(pattern, actual, { a: 1 });
      assert.deepEqual(changed(diffText(pattern, actual, mismatches)), ['-       "id": 2', '+       "id": 3']);
    });
  });

  describe('the last messages', function () {
    const entry = (at: number, direction: 'in' | 'out', message: TranscriptEntry['message'], http?: TranscriptEntry['http']): TranscriptEntry => ({ at, client: 'main', api: 'janus', direction, message, ...(http && { http }) });
    const result = (transcript: TranscriptEntry[], stepMessages: number): ScenarioResult => ({
      file: 'a.yaml', name: 'a', transport: 'http', status: 'failed', startedAt: 0, durationMs: 10,
      failure: { kind: 'assertion', summary: 'the reply did not match' },
      cleanupFailures: [], sessionsLeft: [], transcript, stepMessages, saved: {}, destroyedSessions: [], schemaWarnings: [], secretValues: [],
    });

    it('are the messages up to the failure, with http steps\' method, path and status; cleanup is only counted', () => {
      const transcript = [
        entry(0, 'out', { janus: 'create', transaction: 't1' }),
        entry(1, 'in', { janus: 'success', transaction: 't1', data: { id: 5 } }),
        entry(2, 'out', '', { method: 'GET', path: '/5' }),
        entry(3, 'in', { janus: 'keepalive' }, { status: 200 }),
        entry(4, 'out', { janus: 'message', transaction: 't2', body: { request: 'list' } }),
        entry(5, 'in', { janus: 'error', transaction: 't2' }),
        entry(6, 'out', { janus: 'message', transaction: 'c1', body: { request: 'destroy' } }),
        entry(7, 'out', { janus: 'destroy', transaction: 'cleanup-1' }),
        entry(8, 'in', { janus: 'success', transaction: 'cleanup-1' }),
      ];
      const text = failureText(result(transcript, 6));
      const block = text.slice(text.indexOf('last 6 message(s) exchanged:'));
      assert.match(block, /main -> HTTP GET \/5\n/);
      assert.match(block, /main <- HTTP 200 \{"janus":"keepalive"\}/);
      assert.match(block, /main <- \{"janus":"error","transaction":"t2"\}\n {4}\(then 3 message\(s\) of cleanup, not shown here\)/);
      assert.doesNotMatch(block, /destroy/);
    });
  });

  it('a schema violation says what --schema can do about it; a mismatch alone does not', () => {
    const base: ScenarioResult = {
      file: 'a.yaml', name: 'a', transport: 'ws', status: 'failed', startedAt: 0, durationMs: 10,
      failure: { kind: 'assertion', summary: 'the reply did not match' },
      cleanupFailures: [], sessionsLeft: [], transcript: [], saved: {}, destroyedSessions: [], schemaWarnings: [], secretValues: [],
    };
    const violation = 'schema core/request/attach: /foo: unknown field (not in the catalogue); found 1';
    const text = failureText({ ...base, failure: { kind: 'assertion', summary: violation, schemaViolations: [violation] } });
    assert.match(text, /^ {2}\(every message is checked against the Janus API catalogue: --schema warn reports violations without failing, --schema off skips the checks\)$/m);
    assert.doesNotMatch(failureText(base), /--schema/);
  });

  // A server's message of a few MB, one value a line: printed whole it ran to millions of lines,
  // and the line diff of them took seconds and a GB of memory.
  it('shows the first MAX_LINES_SHOWN lines of a long message and counts the rest, in the actual and in the diff', () => {
    const actual = { janus: 'success', transaction: 't1', data: Array.from({ length: 100_000 }, (_, i) => i) };
    const expected = { janus: 'success', data: { id: '$integer' } };
    const failure = { kind: 'assertion' as const, summary: 'the reply did not match', expected, actual, mismatches: mismatchesOf(expected, actual, {}) };
    const result: ScenarioResult = {
      file: 'a.yaml', name: 'a', transport: 'ws', status: 'failed', startedAt: 0, durationMs: 10, failure,
      cleanupFailures: [], sessionsLeft: [], transcript: [], saved: {}, destroyedSessions: [], schemaWarnings: [], secretValues: [],
    };
    const text = failureText(result);
    const actualBlock = text.slice(text.indexOf('  actual:'), text.indexOf('  diff (- expected, + actual):'));
    // Its heading, the lines shown, the line that counts the rest.
    assert.equal(actualBlock.trimEnd().split('\n').length, 1 + MAX_LINES_SHOWN + 1, actualBlock.slice(-300));
    // data's lines after the first 196 (the message's own 4 first): the rest of the 100,000 and the closing 2.
    assert.match(actualBlock, new RegExp(`^ {4}\\.\\.\\. \\(${100_000 - (MAX_LINES_SHOWN - 4) + 2} more line\\(s\\) not shown\\)$`, 'm'));
    const diff = diffText(expected, actual, failure.mismatches);
    assert.ok(diff.split('\n').length <= 2 * (MAX_LINES_SHOWN + 1), `${diff.split('\n').length} lines of diff`);
    assert.match(diff, /^\+ \.\.\. \(\d+ more line\(s\) not shown\)$/m);
  });

  it('label http steps in the HTML diagram with method and path, or status', () => {
    const out = { direction: 'out', message: '', http: { method: 'GET', path: '/janus/5' } };
    assert.equal(withHttp(describeMessage(out.message), out).verb, 'HTTP GET /janus/5');
    const reply = { direction: 'in', message: { janus: 'keepalive' }, http: { status: 200 } };
    assert.deepEqual(withHttp(describeMessage(reply.message), reply), { verb: 'keepalive', detail: 'HTTP 200', error: false });
    const plain = { direction: 'in', message: { janus: 'ack' } };
    assert.deepEqual(withHttp(describeMessage(plain.message), plain), describeMessage(plain.message));
    assert.match(clientScript(), /function withHttp\(/, 'the page has the function');
  });
});
