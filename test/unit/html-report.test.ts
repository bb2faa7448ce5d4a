import assert from 'node:assert/strict';
import { describeMessage, lanesOf } from '../../src/reporters/html/client/diagram.js';
import { embeddableJson } from '../../src/reporters/html/embed.js';
import { htmlFormat } from '../../src/reporters/html/index.js';
import { clientScript } from '../../src/reporters/html/script.js';
import type { RunReport } from '../../src/report/model.js';

/* The parts of the HTML report that need no browser; the page itself is tested in Chromium. */

describe('HTML report', function () {
  it('embeds JSON that cannot close its script element and parses back the same', function () {
    const value = { text: '</script><script>alert(1)</script><!-- \u2028\u2029 end' };
    const embedded = embeddableJson(value);
    assert.doesNotMatch(embedded, /<|\u2028|\u2029/);
    assert.deepEqual(JSON.parse(embedded), value);
  });

  it('labels arrows with the verb, the plugin event or request, errors and jsep', function () {
    const cases: Array<[unknown, ReturnType<typeof describeMessage>]> = [
      [{ janus: 'attach', plugin: 'janus.plugin.videoroom', transaction: 't1' }, { verb: 'attach', transaction: 't1', error: false }],
      [{ janus: 'message', body: { request: 'join', ptype: 'publisher' }, transaction: 't2' }, { verb: 'message', detail: 'join', transaction: 't2', error: false }],
      [{ janus: 'event', plugindata: { plugin: 'janus.plugin.videoroom', data: { videoroom: 'joined', room: 1 } } }, { verb: 'event', detail: 'videoroom: joined', error: false }],
      [{ janus: 'event', plugindata: { plugin: 'janus.plugin.sip', data: { sip: 'event', result: { event: 'registered' } } } }, { verb: 'event', detail: 'sip: registered', error: false }],
      [{ janus: 'event', plugindata: { plugin: 'janus.plugin.videoroom', data: { videoroom: 'event', error_code: 426, error: 'No such room' } } }, { verb: 'event', detail: 'videoroom error 426', error: true }],
      [{ janus: 'error', error: { code: 458, reason: 'No such session' } }, { verb: 'error', detail: 'error 458', error: true }],
      [{ janus: 'event', plugindata: { plugin: 'janus.plugin.echotest', data: { echotest: 'event', result: 'ok' } }, jsep: { type: 'answer', sdp: 'v=0' } }, { verb: 'event', detail: 'echotest: event +answer', error: false }],
      ['not json', { verb: 'raw text', error: false }],
    ];
    for (const [message, label] of cases) assert.deepEqual(describeMessage(message), label, JSON.stringify(message));
  });

  it('gives each client a lifeline, then Janus, then the Admin API and its client', function () {
    const m = (client: string, api: string) => ({ atMs: 0, client, direction: 'out' as const, api, message: {} });
    assert.deepEqual(lanesOf([m('bob', 'janus'), m('admin', 'admin'), m('alice', 'janus'), m('bob', 'janus')]).map((l) => l.title),
      ['bob', 'alice', 'Janus', 'Janus Admin API', 'admin client']);
  });

  it('renders a page that names no outside resource and forbids network access', function () {
    const report: RunReport = {
      format: 'janus-scenarios/report@1', tool: { name: 'janus-scenarios', version: '0.1.0' },
      startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:01.000Z', durationMs: 1000,
      interrupted: false, transports: ['http'], totals: { passed: 0, failed: 0, skipped: 0, unfinished: 0 }, sessionsLeft: 0, scenarios: [],
    };
    const html = htmlFormat.render(report);
    assert.equal(htmlFormat.name, 'html');
    assert.equal(htmlFormat.defaultPath, 'janus-scenarios-report.html');
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
    assert.doesNotMatch(html, /\b(src|href)=|@import|url\(/);
    // The one URL in the page is the SVG namespace, which is a name and never fetched.
    assert.deepEqual([...new Set(html.match(/https?:\/\/[^\s'"`)]+/g))], ['http://www.w3.org/2000/svg']);
    assert.doesNotMatch(clientScript(), /<\/script/i);
  });
});
