import assert from 'node:assert/strict';
import { corrected, decode, encode, latencyHistogram, logBuckets, percentileMs, recordMs, summarize } from '../../src/load-test/histogram.js';
import { checkThreshold, parseThreshold, type MeasuredFigures, type Threshold } from '../../src/load-test/thresholds.js';

/** Within HdrHistogram's precision: 3 significant digits, 0.1%. */
function near(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= expected * 0.001 + 0.001, `${what}: ${actual}, expected about ${expected}`);
}

describe('load: latency histograms', function () {
  it('gives percentiles of known samples: 1..1000 ms, in shuffled order', function () {
    const h = latencyHistogram();
    const samples = Array.from({ length: 1000 }, (_, i) => i + 1).sort(() => Math.random() - 0.5);
    for (const ms of samples) recordMs(h, ms);
    const s = summarize(h);
    assert.equal(s.count, 1000);
    near(s.min, 1, 'min');
    near(s.p50, 500, 'p50');
    near(s.p90, 900, 'p90');
    near(s.p95, 950, 'p95');
    near(s.p99, 990, 'p99');
    near(s.max, 1000, 'max');
    near(s.mean, 500.5, 'mean');
  });

  it('sees a slow tail that the mean hides: 990 samples of 1 ms and 10 of 2 s', function () {
    const h = latencyHistogram();
    for (let i = 0; i < 990; i++) recordMs(h, 1);
    for (let i = 0; i < 10; i++) recordMs(h, 2000);
    const s = summarize(h);
    near(s.p50, 1, 'p50');
    near(s.p95, 1, 'p95');
    near(s.p99, 1, 'p99 (the 990th sample is still 1 ms)');
    near(percentileMs(h, 99.5), 2000, 'p99.5');
    near(s.max, 2000, 'max');
  });

  it('keeps sub-millisecond latencies to the microsecond', function () {
    const h = latencyHistogram();
    for (const ms of [0.125, 0.25, 0.5]) recordMs(h, ms);
    near(summarize(h).min, 0.125, 'min');
    near(summarize(h).max, 0.5, 'max');
  });

  it('corrects for coordinated omission: a 100 ms stall with 10 ms expected between samples stands for the 9 samples not taken', function () {
    const h = latencyHistogram();
    for (let i = 0; i < 90; i++) recordMs(h, 1);
    recordMs(h, 100);
    const fixed = corrected(h, 10);
    assert.equal(fixed.totalCount, 100, 'the stall adds 90, 80, ..., 10 ms');
    near(percentileMs(h, 95), 1, 'uncorrected p95 hides the stall');
    near(percentileMs(fixed, 95), 50, 'corrected p95: the 95th of 1 x 90, then 10, 20, ..., 100');
    assert.equal(corrected(h, undefined), h, 'no interval, no correction');
  });

  it('round-trips through the portable encoding, and buckets every sample once', function () {
    const h = latencyHistogram();
    for (let i = 1; i <= 500; i++) recordMs(h, i * 0.7);
    const back = decode(encode(h));
    assert.equal(back.totalCount, 500);
    near(percentileMs(back, 90), percentileMs(h, 90), 'p90 after decoding');
    const buckets = logBuckets(back, 24);
    assert.equal(buckets.length, 24);
    assert.equal(buckets.reduce((n, b) => n + b.count, 0), 500);
    assert.deepEqual(logBuckets(latencyHistogram()), []);
  });
});

describe('load: thresholds', function () {
  const parse = (e: string): Threshold => {
    const parsed = parseThreshold(e);
    assert.ok('threshold' in parsed, `${e}: ${JSON.stringify(parsed)}`);
    return parsed.threshold;
  };
  const figures = (over: Partial<MeasuredFigures> = {}): MeasuredFigures => ({
    latency: (scope, stat) => (scope.kind === 'step' && scope.step === 'never ran' ? undefined : stat === 'max' ? 300 : typeof stat === 'object' ? stat.percentile : 5),
    errors: (scope) => (scope.kind === 'step' ? { failed: 1, total: 10 } : { failed: 2, total: 400 }),
    iterations: 400,
    rps: 120,
    ...over,
  });

  it('reads k6-like expressions, units and scopes', function () {
    assert.deepEqual(parse('p95<50ms').metric, { kind: 'latency', stat: { percentile: 95 } });
    assert.equal(parse('p99 <= 0.2s').value, 200);
    assert.equal(parse('p(99.9)<300').value, 300, 'a bare number is milliseconds, as in k6');
    assert.equal(parse('max<500us').value, 0.5);
    assert.deepEqual(parse('errors<1%').metric, { kind: 'errors', as: 'rate' });
    assert.equal(parse('errors<1%').value, 0.01);
    assert.deepEqual(parse('errors==0').metric, { kind: 'errors', as: 'count' });
    assert.deepEqual(parse('step[create a session].p95<20ms').scope, { kind: 'step', step: 'create a session' });
    assert.deepEqual(parse('iteration.p95<2s').scope, { kind: 'iteration' });
    assert.deepEqual(parse('rps>100').metric, { kind: 'rps' });
  });

  it('refuses bad expressions with a reason', function () {
    for (const [expression, why] of [
      ['p95', /expected \[step/],
      ['p95<', /expected \[step/],
      ['p95<<5ms', /expected \[step/],
      ['p95<fast', /expected \[step/],
      ['p959<5ms', /unknown metric/],
      ['p0<5ms', /unknown metric/],
      ['latency<5ms', /unknown metric/],
      ['errros<1%', /did you mean errors/],
      ['p95<5%', /not a percentage/],
      ['errors<5ms', /not a time/],
      ['errors<150%', /at most 100%/],
      ['rps>5ms', /without a unit/],
      ['step[x].rps>5', /whole run/],
    ] as const) {
      const parsed = parseThreshold(expression);
      assert.ok('problem' in parsed && why.test(parsed.problem), `${expression}: ${JSON.stringify(parsed)}`);
    }
  });

  it('holds or fails on the measured figures; nothing measured never passes', function () {
    const check = (e: string, f = figures()) => checkThreshold(parse(e), f);
    assert.equal(check('p95<96ms').ok, true);
    assert.equal(check('p95<95ms').ok, false, 'strictly less');
    assert.equal(check('p95<=95ms').ok, true);
    assert.equal(check('max<0.3s').ok, false);
    assert.equal(check('errors<1%').ok, true, '2 of 400 is 0.5%');
    assert.equal(check('errors<0.5%').ok, false);
    assert.equal(check('errors==0').ok, false);
    assert.equal(check('step[a].errors<10%').ok, false, '1 of 10 is 10%');
    assert.equal(check('rps>100').ok, true);
    const none = check('step[never ran].p95<1s');
    assert.equal(none.ok, false);
    assert.match(none.detail, /no samples/);
    assert.equal(check('errors<1%', figures({ errors: () => ({ failed: 0, total: 0 }) })).ok, false, 'an error rate of no iteration is no pass');
  });
});
