import assert from 'node:assert/strict';
import { BASELINE_FORMAT, BASELINE_VERSION, type Baseline, type BaselineMessage, type BaselineTest } from '../../src/compare/baseline.js';
import { confirmationKey } from '../../src/compare/confirm.js';
import { compareBaselines, fingerprint } from '../../src/compare/diff.js';
import { compareReport, consoleText, markdownText } from '../../src/compare/report.js';
import { confirmByReruns } from '../../src/cli/compare-command.js';

const out = (message: unknown): BaselineMessage => ({ client: 'c', api: 'janus', direction: 'out', message });
const inn = (message: unknown): BaselineMessage => ({ client: 'c', api: 'janus', direction: 'in', message });

/** A test whose `info` reply says `level`, and (with `events`) that many unasked `webrtcup` events. */
function test(name: string, level: number, events = 1): BaselineTest {
  return {
    id: `a.yaml#${name}[ws]`, file: 'a.yaml', name, transport: 'ws', status: 'passed',
    steps: [
      { title: 'create', at: 'a.yaml:3', messages: [out({ janus: 'create', transaction: 't1' }), inn({ janus: 'success', transaction: 't1', data: { id: 11111111111 } })] },
      {
        title: 'info', at: 'a.yaml:6',
        messages: [
          out({ janus: 'info', transaction: 't2' }),
          inn({ janus: 'server_info', transaction: 't2', level }),
          ...Array.from({ length: events }, () => inn({ janus: 'webrtcup', session_id: 11111111111, sender: 22222222222 })),
        ],
      },
    ],
  };
}

function baseline(tests: BaselineTest[]): Baseline {
  return { format: BASELINE_FORMAT, version: BASELINE_VERSION, tool: { name: 'janus-scenarios', version: '0' }, recordedAt: '', inventory: {}, tests };
}

const io = { out: (): void => {}, err: (): void => {} };

describe('compare: confirmation by re-run', function () {
  const old = baseline([test('real', 1), test('race', 1)]);

  it('keeps a difference every re-run shows again, and makes one a re-run does not show unstable', function () {
    const now = baseline([test('real', 2), test('race', 2)]);
    const rerun = baseline([test('real', 2), test('race', 1)]);
    const { differences, unstable } = compareBaselines(old, now, { reruns: [rerun, rerun] });
    assert.deepEqual(differences.map((d) => [d.test, d.pointer, d.old, d.new]), [['a.yaml#real[ws]', '/level', 1, 2]]);
    assert.deepEqual(unstable.map((d) => [d.test, d.pointer]), [['a.yaml#race[ws]', '/level']]);
    assert.match(unstable[0]!.unstable, /re-run 1 of 2/);
  });

  it('makes a difference unstable when any one re-run matches the baseline, not only the first', function () {
    const now = baseline([test('race', 2)]);
    const again = baseline([test('race', 2)]);
    const back = baseline([test('race', 1)]);
    const result = compareBaselines(old, now, { reruns: [again, back] });
    assert.equal(result.differences.length, 0);
    assert.match(result.unstable[0]!.unstable, /re-run 2 of 2/);
  });

  it('counts a change that shows with other values or at another list position as reproduced', function () {
    const now = baseline([test('real', 2)]);
    const rerun = baseline([test('real', 3)]);
    assert.equal(compareBaselines(old, now, { reruns: [rerun] }).differences.length, 1);
    assert.equal(confirmationKey({ test: 't', message: 'm', pointer: '/list/0/display', class: 'value-changed' }), confirmationKey({ test: 't', message: 'm', pointer: '/list/3/display', class: 'value-changed' }));
  });

  it('a step not in the baseline that a re-run shows again with more messages is reproduced', function () {
    const key = (n: number): string => confirmationKey({ test: 't', message: `(step not in the baseline: ${n} message(s))`, pointer: '', class: 'extra-message' });
    assert.equal(key(2), key(3));
    assert.notEqual(key(2), confirmationKey({ test: 't', message: '(step not reached: 2 message(s))', pointer: '', class: 'message-missing' }));
  });

  it('keeps the differences of tests no re-run ran or the re-run skipped', function () {
    const now = baseline([test('real', 2), test('race', 2)]);
    const skipped = baseline([{ ...test('race', 1), status: 'skipped', steps: [] }]);
    assert.equal(compareBaselines(old, now, { reruns: [skipped] }).differences.length, 2);
  });

  it('an event counted three times instead of once is unstable when a re-run counts it once', function () {
    const old2 = baseline([test('events', 1, 1)]);
    const now = baseline([test('events', 1, 3)]);
    assert.deepEqual(compareBaselines(old2, now, { reruns: [baseline([test('events', 1, 3)])] }).differences.map((d) => d.class), ['multiplicity-changed']);
    const result = compareBaselines(old2, now, { reruns: [baseline([test('events', 1, 1)])] });
    assert.deepEqual([result.differences.length, result.unstable.map((d) => d.class)], [0, ['multiplicity-changed']]);
  });

  it("reports what differed between the baseline's recordings as unstable rather than dropping it", function () {
    const now = baseline([test('race', 2)]);
    const first = compareBaselines(old, now).differences[0]!;
    const result = compareBaselines({ ...old, unstable: [fingerprint(first)] }, now);
    assert.equal(result.differences.length, 0);
    assert.match(result.unstable[0]!.unstable, /recordings of the baseline/);
  });

  describe('confirmByReruns', function () {
    it('re-runs only the tests with differences, stops re-running what turned out unstable, and keeps what always reproduces', async function () {
      const now = baseline([test('real', 2), test('flip', 2), test('same', 1)]);
      const old3 = baseline([test('real', 1), test('flip', 1), test('same', 1)]);
      const asked: string[][] = [];
      // A flip-flopping server: the flip test's level alternates; the real change is there every time.
      const rerun = async (only: Set<string>): Promise<{ baseline: Baseline }> => {
        asked.push([...only].sort());
        const tests = [test('real', 2), test('flip', asked.length % 2 === 1 ? 1 : 2), test('same', 1)].filter((t) => only.has(t.id));
        return { baseline: baseline(tests) };
      };
      const result = await confirmByReruns(old3, now, {}, 3, rerun, io);
      assert.ok('comparison' in result);
      assert.deepEqual(asked, [['a.yaml#flip[ws]', 'a.yaml#real[ws]'], ['a.yaml#real[ws]'], ['a.yaml#real[ws]']]);
      assert.deepEqual(result.comparison.differences.map((d) => d.test), ['a.yaml#real[ws]']);
      assert.deepEqual(result.comparison.unstable.map((d) => d.test), ['a.yaml#flip[ws]']);
      assert.equal(result.tests, 2);
    });

    it('does not re-run when nothing differs, and passes on the exit code of a re-run that could not run', async function () {
      let calls = 0;
      const none = await confirmByReruns(old, old, {}, 2, async () => ((calls += 1), { exit: 3 }), io);
      assert.ok('comparison' in none && none.comparison.differences.length === 0 && calls === 0);
      const failed = await confirmByReruns(old, baseline([test('real', 2), test('race', 1)]), {}, 2, async () => ({ exit: 130 }), io);
      assert.deepEqual(failed, { exit: 130 });
    });
  });

  it('reports unstable differences apart: counted, in the console and Markdown, not among the differences', function () {
    const now = baseline([test('real', 2), test('race', 2)]);
    const { differences, unstable } = compareBaselines(old, now, { reruns: [baseline([test('real', 2), test('race', 1)])] });
    const report = compareReport(differences, [], { path: 'b.json', recordedAt: '' }, {}, { unstable, confirmation: { reruns: 2, tests: 2 } });
    assert.deepEqual(report.counts, { breaking: 0, behaviour: 1, additive: 0, unstable: 1 });
    assert.equal(report.version, 3);
    assert.match(consoleText(report), /1 unstable difference\(s\) not counted.*2 test\(s\) run again up to 2 time\(s\)[\s\S]*a\.yaml:6 ws \(race\): not shown by re-run 1 of 1/);
    assert.match(markdownText(report), /1 unstable difference\(s\)/);
  });
});
