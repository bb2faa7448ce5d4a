import hdr from 'hdr-histogram-js';

/** Latencies are recorded in microseconds (HdrHistogram takes integers), shown in milliseconds. */
export const MICROS_PER_MS = 1000;

/** The percentiles every latency summary gives. */
export const PERCENTILES = [50, 90, 95, 99] as const;

export interface LatencySummary {
  count: number;
  /** Milliseconds, 3 decimals. */
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

export type Histogram = hdr.Histogram;

/**
 * An HdrHistogram of latencies in µs: constant memory whatever the number of samples, values
 * kept to `digits` significant digits (3: 0.1%), from 1 µs up (it grows as larger values come).
 */
export function latencyHistogram(digits: 2 | 3 = 3): Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 2, autoResize: true, numberOfSignificantValueDigits: digits, useWebAssembly: false });
}

/** Records one latency given in milliseconds (fractions kept to the µs). */
export function recordMs(histogram: Histogram, ms: number): void {
  histogram.recordValue(Math.max(1, Math.round(ms * MICROS_PER_MS)));
}

/**
 * count, min, mean, p50, p90, p95, p99 and max in ms, read from the histogram (zeros when empty).
 * `count` is the number of samples taken: a corrected histogram holds more, which are estimates.
 */
export function summarize(histogram: Histogram, samples = histogram.totalCount): LatencySummary {
  const count = samples;
  if (histogram.totalCount === 0) return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 };
  const ms = (micros: number): number => Math.round(micros) / MICROS_PER_MS;
  return {
    count,
    min: ms(histogram.minNonZeroValue),
    mean: ms(histogram.mean),
    p50: ms(histogram.getValueAtPercentile(50)),
    p90: ms(histogram.getValueAtPercentile(90)),
    p95: ms(histogram.getValueAtPercentile(95)),
    p99: ms(histogram.getValueAtPercentile(99)),
    max: ms(histogram.maxValue),
  };
}

/** A percentile in ms, any one (p99.9 for a threshold, say). */
export function percentileMs(histogram: Histogram, percentile: number): number {
  return histogram.totalCount === 0 ? 0 : histogram.getValueAtPercentile(percentile) / MICROS_PER_MS;
}

/**
 * HdrHistogram's correction for coordinated omission: a sample longer than the expected
 * interval between samples stands for the samples that were not taken meanwhile (the user
 * was stuck waiting), so value-interval, value-2·interval, ... are added (see docs/load.md).
 */
export function corrected(histogram: Histogram, expectedIntervalMs: number | undefined): Histogram {
  const interval = Math.round((expectedIntervalMs ?? 0) * MICROS_PER_MS);
  if (interval <= 0) return histogram;
  return histogram.copyCorrectedForCoordinatedOmission(interval);
}

/** The histogram in HdrHistogram's portable compressed base64 form, to merge or re-read later. */
export function encode(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function decode(base64: string): Histogram {
  return hdr.decodeFromCompressedBase64(base64, 32, false);
}

/** Counts per latency bucket, buckets on a log scale (for the HTML page's per-step histograms). */
export function logBuckets(histogram: Histogram, buckets = 24): Array<{ fromMs: number; toMs: number; count: number }> {
  if (histogram.totalCount === 0) return [];
  const low = Math.max(1, histogram.minNonZeroValue);
  const high = Math.max(low + 1, histogram.maxValue);
  const ratio = Math.pow(high / low, 1 / buckets);
  const edges = Array.from({ length: buckets }, (_, i) => (i === buckets - 1 ? high : low * Math.pow(ratio, i + 1)));
  const counts = new Array<number>(buckets).fill(0);
  for (const [value, count] of recordedValues(histogram)) {
    const i = edges.findIndex((edge) => value <= edge);
    counts[i < 0 ? buckets - 1 : i]! += count;
  }
  return edges.map((to, i) => ({ fromMs: (i === 0 ? low : edges[i - 1]!) / MICROS_PER_MS, toMs: to / MICROS_PER_MS, count: counts[i]! }));
}

/** Every distinct recorded value (µs, as HdrHistogram keeps it) with its count. */
function* recordedValues(histogram: Histogram): Generator<[number, number]> {
  const iterator = (histogram as unknown as hdr.JsHistogram).recordedValuesIterator;
  iterator.reset();
  while (iterator.hasNext()) {
    const step = iterator.next();
    yield [step.valueIteratedTo, step.countAtValueIteratedTo];
  }
}
