import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { loadFiles } from '../../src/compile/load-files.js';
import { SharedPatterns } from '../../src/compile/shared-patterns.js';
import type { DocPath } from '../../src/core/source.js';
import { described, type DescribedMatcher } from '../../src/match/contract.js';
import { runScenario, type RunTarget } from '../../src/run/run-scenario.js';
import { getTransport, registerTransport } from '../../src/transports/registry.js';
import { scriptedTransport } from '../support/answering-transport.js';
import { scenarioDir } from '../support/cli.js';

/**
 * Steps that write the same pattern share its compiled matcher, and only when the pattern would
 * compile the same wherever it is written: what is shared must never change a verdict or a
 * diagnostic.
 */

/** A SharedPatterns over a diagnostics counter the test moves, and a compile that counts its calls. */
function fixture() {
  let diagnostics = 0;
  let compiles = 0;
  const shared = new SharedPatterns(() => diagnostics);
  const compileWith = (parts: Array<[DocPath, DescribedMatcher]> = [], report = false) => (watch?: (at: DocPath, m: DescribedMatcher) => void) => {
    compiles++;
    if (report) diagnostics++;
    const matcher = described(() => undefined, () => `compile ${compiles}`);
    for (const [at, part] of parts) watch?.(at, part);
    return matcher;
  };
  return { shared, compileWith, compiles: () => compiles };
}

describe('patterns shared between steps', function () {
  it('compiles an identical plain pattern once, and tells each watcher its parts again, in order', function () {
    const { shared, compileWith, compiles } = fixture();
    const partA = described(() => undefined, () => 'a');
    const partB = described(() => undefined, () => 'b');
    const compile = compileWith([[['expect', 'janus'], partA], [['expect'], partB]]);
    const toldFirst: string[] = [];
    const first = shared.matcher({ janus: 'success', data: { id: '$integer' } }, ['expect'], false, (at) => toldFirst.push(at.join('.')), compile);
    const toldSecond: Array<[string, DescribedMatcher]> = [];
    const second = shared.matcher({ janus: 'success', data: { id: '$integer' } }, ['expect'], false, (at, m) => toldSecond.push([at.join('.'), m]), compile);
    assert.equal(compiles(), 1);
    assert.equal(second, first);
    assert.deepEqual(toldFirst, ['expect.janus', 'expect']);
    assert.deepEqual(toldSecond, [['expect.janus', partA], ['expect', partB]]);
  });

  it('compiles anew where the place, the exactness, the watching or the pattern differs', function () {
    const { shared, compileWith, compiles } = fixture();
    const compile = compileWith();
    shared.matcher({ janus: 'success' }, ['expect'], false, undefined, compile);
    shared.matcher({ janus: 'success' }, ['wait'], false, undefined, compile);
    shared.matcher({ janus: 'success' }, ['expect'], true, undefined, compile);
    shared.matcher({ janus: 'success' }, ['expect'], false, () => undefined, compile);
    shared.matcher({ janus: 'successs' }, ['expect'], false, undefined, compile);
    assert.equal(compiles(), 5);
  });

  it('never shares a pattern with a placeholder, a value JSON cannot tell apart, or one that reported a diagnostic', function () {
    const lone: unknown[] = [
      { transaction: '${transaction}' },
      { '${key}': 1 },
      { id: Number.NaN },
      { id: Number.POSITIVE_INFINITY },
      { id: -0 },
      { id: 1n },
      Object.assign(Object.create(null) as object, { janus: 'success' }),
    ];
    for (const pattern of lone) {
      const { shared, compileWith, compiles } = fixture();
      const compile = compileWith();
      const first = shared.matcher(pattern, ['expect'], false, undefined, compile);
      const second = shared.matcher(pattern, ['expect'], false, undefined, compile);
      assert.equal(compiles(), 2, `compiled once: ${String(Object.keys(pattern as object))}`);
      assert.notEqual(second, first);
    }
    // NaN would print as null: the null pattern after it must not get NaN's matcher.
    const { shared, compileWith, compiles } = fixture();
    shared.matcher({ id: Number.NaN }, ['expect'], false, undefined, compileWith());
    shared.matcher({ id: null }, ['expect'], false, undefined, compileWith());
    assert.equal(compiles(), 2);
    const reported = fixture();
    reported.shared.matcher({ janus: '$sucess' }, ['expect'], false, undefined, reported.compileWith([], true));
    reported.shared.matcher({ janus: '$sucess' }, ['expect'], false, undefined, reported.compileWith([], true));
    assert.equal(reported.compiles(), 2);
  });
});

describe('a scenario that repeats a pattern', function () {
  const dir = scenarioDir({});
  const TRANSPORT = 'shared-patterns';
  const target: RunTarget = { transport: TRANSPORT, url: `${TRANSPORT}://x`, tls: {}, secrets: {} };
  let replies = 0;
  before(() => {
    // The n-th request's reply says n: one pattern, written twice, must pass once and fail once.
    if (!getTransport(TRANSPORT)) registerTransport(scriptedTransport(TRANSPORT, (request) => [{ janus: 'success', transaction: request.transaction, data: { n: ++replies } }]));
  });
  after(() => dir.remove());

  function load(name: string, steps: string) {
    writeFileSync(dir.path(`${name}.yaml`), `name: ${name}\nsteps:\n${steps}`);
    return loadFiles([dir.path(`${name}.yaml`)]);
  }

  it('reports a broken pattern at each place it is written', function () {
    const loaded = load('twice-broken', '  - request: info\n    expect: { janus: $sucess }\n  - request: info\n    expect: { janus: $sucess }\n');
    assert.deepEqual(
      loaded.diagnostics.map((d) => `${d.span.line}:${d.message.slice(0, 22)}`),
      ['4:unknown marker $sucess', '6:unknown marker $sucess'],
    );
  });

  it('judges each step by its own reply: the second of two identical patterns fails on its own', async function () {
    replies = 0;
    const loaded = load('twice', '  - request: info\n    expect: { data: { n: 1 } }\n  - request: info\n    expect: { data: { n: 1 } }\n');
    assert.deepEqual(loaded.diagnostics, []);
    const result = await runScenario(loaded.scenarios[0]!, target, { seed: 's', stepTimeoutMs: 2000, scenarioTimeoutMs: 10_000 });
    assert.equal(result.status, 'failed');
    assert.match(result.failure!.summary, /did not match/);
    assert.equal(result.failure!.span?.line, 5);
  });
});
