import assert from 'node:assert/strict';
import { failingRatings } from '../../src/compare/classify.js';
import type { Difference } from '../../src/compare/diff.js';
import { compareReport } from '../../src/compare/report.js';
import { renderCompareJunit } from '../../src/reporters/compare-junit.js';

/** compare --report-junit: a CI job's test view agrees with compare's exit code, not with the scenarios' verdicts. */
describe('compare: the JUnit report', function () {
  const diff = (test: string, rating: Difference['rating'], cls: Difference['class'], pointer: string): Difference => ({
    test, scenario: test.split('#')[1]?.replace(/\[.*$/, '') ?? test, transport: 'ws', step: 'a.yaml:9', stepTitle: 'join', message: 'message videoroom.join → event videoroom:joined', plugin: 'janus.plugin.videoroom', pointer, new: 'x', class: cls, rating,
  });
  const report = compareReport(
    [diff('a.yaml#join[ws]', 'additive', 'field-added', '/plugindata/data/display'), diff('b.yaml#leave[ws]', 'breaking', 'field-removed', '/plugindata/data/leaving'), diff('inventory[ws]', 'additive', 'setting-added', '/info/hangup-on-failed')],
    [{ test: 'c.yaml#gone[ws]', reason: 'in the baseline, not planned in this run' }],
    { path: 'b.json', recordedAt: '', serverVersion: '1.1.2' },
    { serverVersion: '1.4.1' },
  );
  const compared = ['a.yaml#join[ws]', 'b.yaml#leave[ws]', 'd.yaml#same[ws]'];

  it('fails the test cases with a difference rated --fail-on, lists the others, skips the tests not compared', function () {
    const xml = renderCompareJunit(report, compared, failingRatings('breaking'));
    assert.match(xml, /<testsuites name="janus-scenarios compare" tests="5" failures="1" errors="0" skipped="1">/);
    assert.match(xml, /<testcase name="leave \[ws\]" classname="b\.yaml\.ws">\n {6}<failure type="breaking" message="1 difference\(s\): 1 breaking">breaking field-removed message videoroom\.join → event videoroom:joined \/plugindata\/data\/leaving: — → x at a\.yaml:9 ws \(leave\)<\/failure>/);
    assert.match(xml, /<testcase name="join \[ws\]" classname="a\.yaml\.ws">\n {6}<system-out>additive field-added /);
    assert.match(xml, /<testcase name="same \[ws\]" classname="d\.yaml\.ws"\/>/, 'a test compared without a difference passes');
    assert.match(xml, /<testcase name="inventory\[ws\]" classname="compare">/);
    assert.match(xml, /<testcase name="gone \[ws\]" classname="c\.yaml\.ws">\n {6}<skipped message="not compared: in the baseline, not planned in this run"\/>/);
  });

  it('--fail-on any fails the additive ones too; nothing compared is a failure, as compare exits 1', function () {
    assert.match(renderCompareJunit(report, compared, failingRatings('any')), / failures="3" /);
    assert.match(renderCompareJunit(compareReport([], [], { path: 'b.json', recordedAt: '' }, {}), [], failingRatings('breaking')), /failures="1"[^]*<testcase name="\(nothing compared\)" classname="compare">\n {6}<failure type="nothing-compared"/);
  });
});
